"""Taobao and Tmall: search and shop lists (embedded JSON or rendered cards) and item pages."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from watchers.extract.blocks import block_of_url, detect_block
from watchers.extract.cn_common import attr_of, https_url, image_of, sold_out, text_of
from watchers.extract.jsdata import value_after
from watchers.extract.support import as_dict, as_list, as_str, body_text, with_query
from watchers.extract.text import clean_text, parse_price, parse_sales
from watchers.fetching import Document
from watchers.model import Listing, Page
from watchers.sources.base import PageAdapter, SourceSpec
from watchers.sources.taobao_item import (
    id_in_url,
    item_url,
    looks_like_item_page,
    original_image,
    parse_item,
    parse_reviews,
)

# Deep search pages add little (copies rank early) and are where the slider check waits.
MAX_SEARCH_PAGES = 5
_TAGS = re.compile(r"<[^>]*>")
_NO_RESULTS = ("没有找到相关的宝贝", "没有找到与", "抱歉，没有找到", "抱歉！没有找到")
CARD_SELECTORS = (
    # 2024+ front end: CSS-module class names with a build hash ("Title--title--jCOPvpf").
    '[class*="doubleCardWrapper"], [class*="Card--doubleCard"], [class*="Card--mainPicAndDesc"]',
    # 2016-2020 rendered search list.
    "#mainsrp-itemlist div.item[data-category], #mainsrp-itemlist div.item.J_MouserOnverReq",
    # Shop item lists (shop search.htm and its async fragment).
    "dl.item[data-id]",
)


def _strip_tags(value: Any) -> str:
    return clean_text(_TAGS.sub("", value)) if isinstance(value, str) else ""


def _auction(a: dict[str, Any], base: str) -> Listing | None:
    nid = as_str(a.get("nid"))
    if not nid or not nid.isdigit():
        return None
    title = _strip_tags(a.get("raw_title")) or _strip_tags(a.get("title"))
    price = parse_price(as_str(a.get("view_price")))
    reserve = parse_price(as_str(a.get("reserve_price")))
    sales_text = clean_text(as_str(a.get("view_sales"))) or None
    comments = as_str(a.get("comment_count"))
    image = https_url(base, a.get("pic_url"))
    tmall = as_dict(a.get("shopcard")).get("isTmall") is True
    return Listing(
        key=nid,
        title=title or nid,
        url=item_url(nid, as_str(a.get("detail_url")), tmall),
        price=price,
        regular_price=reserve if reserve and price is not None and reserve > price else None,
        currency="CNY" if price is not None else None,
        image=image,
        images=(image,) if image else (),
        sales=parse_sales(sales_text),
        sales_text=sales_text,
        seller=clean_text(as_str(a.get("nick"))) or None,
        review_count=int(comments) if comments and comments.isdigit() else None,
    )


def _from_page_config(config: dict[str, Any], url: str, spec: SourceSpec) -> Page:
    mods = as_dict(config.get("mods"))
    auctions = as_list(as_dict(as_dict(mods.get("itemlist")).get("data")).get("auctions"))
    listings = [x for x in (_auction(as_dict(a), url) for a in auctions) if x]
    pager = as_dict(as_dict(mods.get("pager")).get("data"))
    current, total, size = (pager.get(k) for k in ("currentPage", "totalPage", "pageSize"))
    next_url = None
    if (listings and isinstance(current, int) and isinstance(total, int)
            and isinstance(size, int) and current < total
            and (spec.purpose != "search" or current < MAX_SEARCH_PAGES)):
        next_url = with_query(url, {"s": str(current * size)})
    return Page(listings=listings, next_url=next_url)


def _first(card: Tag, selector: str) -> Tag | None:
    try:
        return card.select_one(selector)
    except Exception:  # an odd class name must not fail the page
        return None


def _card(card: Tag, base: str) -> Listing | None:
    link = card if card.name == "a" and card.get("href") else _first(
        card, 'a[href*="id="], a.pic-link, a.item-name, a[href]')
    href = https_url(base, attr_of(link, "data-href") or attr_of(link, "href"))
    nid = (attr_of(card, "data-id") or attr_of(_first(card, "[data-nid]"), "data-nid")
           or attr_of(_first(card, "[trace-nid]"), "trace-nid") or id_in_url(href))
    if not nid or not nid.isdigit():
        return None
    title_el = _first(card, '[class*="Title--title"], .row-2.title a, div.title a, a.item-name')
    title = text_of(title_el) or attr_of(_first(card, "img"), "alt") or ""
    int_part = text_of(_first(card, '[class*="priceInt"]'))
    if int_part:
        price = parse_price(int_part + text_of(_first(card, '[class*="priceFloat"]')))
    else:
        price_el = _first(card, ".price strong, .c-price, [class*='Price--price']")
        price = parse_price(text_of(price_el) or attr_of(_first(card, "[trace-price]"),
                                                         "trace-price"))
    sales_text = text_of(_first(
        card, '[class*="realSales"], .deal-cnt, .sale-num, [class*="Price--sales"]')) or None
    if sales_text and card.select_one(".sale-num") is not None and "售" not in sales_text:
        sales_text = f"已售 {sales_text}"
    shop_el = _first(card, '[class*="ShopInfo--shopName"], .shop a.shopname span:last-child, '
                           '.shop a.shopname')
    img = _first(card, 'img[class*="MainPic"], img.J_ItemPic, dt.photo img, img')
    image = original_image(image_of(img, base))
    tmall = bool(href and "tmall." in href)
    return Listing(
        key=nid,
        title=clean_text(title) or nid,
        url=item_url(nid, href, tmall),
        price=price,
        currency="CNY" if price is not None else None,
        # A rendered card is buyable unless it says otherwise: a card that stays listed as
        # 已售罄 is then out_of_stock, and back_in_stock when it sells again.
        available=not sold_out(card),
        image=image,
        images=(image,) if image else (),
        sales=parse_sales(sales_text),
        sales_text=sales_text,
        seller=clean_text(text_of(shop_el)) or None,
    )


def _from_cards(text: str, url: str) -> list[Listing]:
    # A shop's async list arrives as HTML inside a JS string, with its quotes escaped.
    if '\\"' in text and ('class=\\"item' in text or 'data-id=\\"' in text):
        text = text.replace('\\"', '"')
    soup = BeautifulSoup(text, "lxml")
    for selector in CARD_SELECTORS:
        cards = [c for c in soup.select(selector) if isinstance(c, Tag)]
        # A wrapper whose class matches may hold a nested match: keep the outermost only.
        outer = [c for c in cards if not any(p in cards for p in c.parents)]
        found: dict[str, Listing] = {}
        for card in outer:
            listing = _card(card, url)
            if listing:
                found.setdefault(listing.key, listing)
        if found:
            return list(found.values())
    return []


def _empty_or_shell(text: str, url: str, config: dict[str, Any] | None) -> Page:
    block = detect_block(text, url)
    if block:
        return Page(blocked=block)
    noresult = as_dict(as_dict(config.get("mods")).get("noresult")) if config else {}
    if noresult.get("status") == "show" or any(marker in text for marker in _NO_RESULTS):
        return Page()  # an honest "nothing found": no copies, not a failed read
    return Page(blocked="shell")


def _parse(doc: Document, spec: SourceSpec) -> Page:
    by_url = block_of_url(doc.url)
    if by_url:
        return Page(blocked=by_url)
    text = body_text(doc)
    if spec.purpose == "reviews":
        page = parse_reviews(text, doc.url)
        if page is not None:
            return page
        return Page(blocked=detect_block(text, doc.url) or "unsupported")
    if spec.purpose == "product" or (looks_like_item_page(text, doc.url)
                                     and "g_page_config" not in text):
        listing = parse_item(text, doc.url)
        if listing:
            return Page(listings=[listing])
        return Page(blocked=detect_block(text, doc.url) or "shell")
    config = value_after(text, r"\bg_page_config\s*=\s*")
    if isinstance(config, dict):
        page = _from_page_config(config, doc.url, spec)
        if page.listings:
            return page
    listings = _from_cards(text, doc.url)
    if listings:
        return Page(listings=listings)
    return _empty_or_shell(text, doc.url, config if isinstance(config, dict) else None)


ADAPTER = PageAdapter(_parse)
