"""JD.com: search and shop lists (li.gl-item cards), item pages (pageConfig) and comment JSON."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from watchers.extract.blocks import block_of_url, detect_block
from watchers.extract.cn_common import (
    attr_of,
    https_url,
    image_of,
    json_body,
    sold_out,
    text_of,
    unique,
)
from watchers.extract.jsdata import value_after
from watchers.extract.support import as_dict, as_list, as_str, body_text, query_int, with_query
from watchers.extract.text import clean_text, parse_price, parse_rating, parse_sales, stable_key
from watchers.fetching import Document
from watchers.model import Listing, Page, Review
from watchers.sources.base import PageAdapter, SourceSpec

# Deep search pages add little (copies rank early) and invite the risk check.
MAX_SEARCH_PAGES = 5
_IMAGE_HOST = "https://img14.360buyimg.com/n1/"
_SKU_IN_URL = re.compile(r"item\.jd\.(?:com|hk)/(\d+)\.html")
_NO_RESULTS = ("抱歉，没有找到", "没有找到与", "找到0件")
CARD_SELECTOR = "li.gl-item"  # a search or shop list's card (the browser waits for it)
_SHOP_NAME = (".p-shop .curr-shop, .p-shop span a, .p-shop a, .p-shopnum a, "
              ".p-shopnum span")


def item_url(sku: str) -> str:
    """The canonical https URL of a JD item."""
    return f"https://item.jd.com/{sku}.html"


def _card(card: Tag, base: str) -> Listing | None:
    link = card.select_one(".p-name a[href], .p-img a[href], a[href]")
    href = https_url(base, attr_of(link, "href"))
    match = _SKU_IN_URL.search(href or "")
    sku = attr_of(card, "data-sku") or (match.group(1) if match else None)
    if not sku or not sku.isdigit():
        return None
    name_link = card.select_one(".p-name a")
    title = (clean_text(text_of(card.select_one(".p-name em")))
             or clean_text(attr_of(name_link, "title")) or clean_text(text_of(name_link)))
    price_el = card.select_one(".p-price i, .p-price .J_price, .p-price strong")
    price = parse_price(text_of(price_el)) or parse_price(
        attr_of(card.select_one(".p-price [data-price]"), "data-price"))
    commit_el = card.select_one(".p-commit strong, .p-commit")
    commit_text = text_of(commit_el) or None
    count_text = text_of(card.select_one(".p-commit a")) or commit_text
    image = image_of(card.select_one(".p-img img"), base)
    shop = card.select_one(_SHOP_NAME)
    seller = clean_text(attr_of(shop, "title") or text_of(shop))
    return Listing(
        key=sku,
        title=title or sku,
        url=item_url(sku),
        price=price if price else None,  # JD shows 0.00 until the price script fills it in
        currency="CNY" if price else None,
        available=not sold_out(card),  # 无货 / 到货通知 on a card that stays listed
        image=image,
        images=(image,) if image else (),
        seller=seller or None,
        review_count=parse_sales(count_text),
    )


def _search_next(text: str, url: str, spec: SourceSpec, found: bool) -> str | None:
    # JD's visible page k is page=2k-1 (each half of a page loads separately).
    match = re.search(r"fp-text[^>]*>\s*<b>(\d+)</b>\s*<em>/</em>\s*<i>(\d+)</i>", text)
    if not found or not match:
        return None
    current, total = int(match.group(1)), int(match.group(2))
    if current >= total or (spec.purpose == "search" and current >= MAX_SEARCH_PAGES):
        return None
    return with_query(url, {"page": str(query_int(url, "page", 1) + 2)})


def _from_search(text: str, url: str, spec: SourceSpec) -> Page | None:
    soup = BeautifulSoup(text, "lxml")
    found: dict[str, Listing] = {}
    for card in soup.select(CARD_SELECTOR):
        listing = _card(card, url)
        if listing:
            found.setdefault(listing.key, listing)
    if not found:
        return None
    return Page(listings=list(found.values()),
                next_url=_search_next(text, url, spec, bool(found)))


def _jd_image(path: Any) -> str | None:
    if not isinstance(path, str) or not path.strip():
        return None
    path = path.strip()
    if path.startswith(("//", "http")):
        return https_url("https://item.jd.com/", path)
    return https_url(_IMAGE_HOST, path.lstrip("/"))


def _from_item(text: str, url: str) -> Listing | None:
    config = as_dict(value_after(text, r"\bpageConfig\s*=\s*"))
    product = as_dict(config.get("product"))
    match = _SKU_IN_URL.search(url)
    sku = as_str(product.get("skuid")) or (match.group(1) if match else None)
    if not sku or not sku.isdigit():
        return None
    soup = BeautifulSoup(text, "lxml")
    title = (clean_text(as_str(product.get("name")))
             or clean_text(text_of(soup.select_one(".sku-name"))))
    if not title:
        page_title = clean_text(text_of(soup.title))
        title = re.sub(r"\s*[-【].*京东.*$", "", page_title)
    images = unique([
        *(_jd_image(p) for p in as_list(product.get("imageList"))),
        _jd_image(product.get("src")),
        image_of(soup.select_one("#spec-img"), url),
        *(image_of(img, url) for img in soup.select("#spec-list img")),
    ])
    price = parse_price(text_of(soup.select_one(".p-price .price, .summary-price .price")))
    shop = soup.select_one(".J-hove-wrap .name a, .popbox-inner .mt h3 a, .shopName a")
    seller = clean_text(attr_of(shop, "title") or text_of(shop))
    count_text = text_of(soup.select_one("#comment-count a, .comment-count a"))
    return Listing(
        key=sku,
        title=title or sku,
        url=item_url(sku),
        price=price if price else None,
        currency="CNY" if price else None,
        image=images[0] if images else None,
        images=images,
        seller=seller or None,
        review_count=parse_sales(count_text),
    )


def _reviews(data: dict[str, Any], url: str) -> Page:
    reviews: list[Review] = []
    for comment in as_list(data.get("comments")):
        comment = as_dict(comment)
        content = clean_text(as_str(comment.get("content")))
        if not content:
            continue
        posted = as_str(comment.get("creationTime"))
        key = as_str(comment.get("id")) or as_str(comment.get("guid")) or stable_key(
            content, posted)
        variant = " ".join(v for v in (as_str(comment.get(k)) for k in (
            "productColor", "productSize")) if v) or None
        reviews.append(Review(
            key=key, text=content, rating=parse_rating(comment.get("score"), 5.0),
            author=as_str(comment.get("nickname")), posted=posted, variant=variant,
            url=url or None))
    summary = as_dict(data.get("productCommentSummary"))
    count = summary.get("commentCount")
    if not isinstance(count, int):
        count = parse_sales(as_str(summary.get("commentCountStr")))
    rating = parse_rating(summary.get("averageScore"), 5.0) if summary.get(
        "averageScore") else None
    max_page, current = data.get("maxPage"), query_int(url, "page", 0)
    next_url = None
    # The comment API counts pages from 0.
    if reviews and isinstance(max_page, int) and current + 1 < max_page:
        next_url = with_query(url, {"page": str(current + 1)})
    return Page(reviews=reviews, next_url=next_url, review_count=count, rating=rating)


def _empty_or_shell(text: str, url: str) -> Page:
    block = detect_block(text, url)
    if block:
        return Page(blocked=block)
    if any(marker in text for marker in _NO_RESULTS):
        return Page()  # an honest "nothing found": no copies, not a failed read
    return Page(blocked="shell")


def _parse(doc: Document, spec: SourceSpec) -> Page:
    by_url = block_of_url(doc.url)
    if by_url:
        return Page(blocked=by_url)
    text = body_text(doc)
    if spec.purpose == "reviews":
        data = json_body(text)
        if isinstance(data, dict) and ("comments" in data or "productCommentSummary" in data):
            return _reviews(data, doc.url)
        return Page(blocked=detect_block(text, doc.url) or "unsupported")
    if spec.purpose == "product" or (_SKU_IN_URL.search(doc.url) and "gl-item" not in text):
        listing = _from_item(text, doc.url)
        if listing:
            return Page(listings=[listing])
        return _empty_or_shell(text, doc.url)
    page = _from_search(text, doc.url, spec)
    return page if page else _empty_or_shell(text, doc.url)


ADAPTER = PageAdapter(_parse)
