"""Taobao and Tmall item pages (script state and DOM) and review JSON, read into records."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from bs4 import BeautifulSoup

from watchers.extract.cn_common import attr_of, https_url, image_of, json_body, text_of, unique
from watchers.extract.jsdata import value_after
from watchers.extract.support import as_dict, as_list, as_str, query_int, query_value, with_query
from watchers.extract.text import (
    clean_text,
    parse_price,
    parse_price_range,
    parse_sales,
    stable_key,
)
from watchers.model import Listing, Page, Review

_ITEM_HOSTS = ("item.taobao.com", "detail.tmall.com", "chaoshi.detail.tmall.com",
               "detail.tmall.hk", "detail.liangxinyao.com")
# alicdn serves any size by suffix ("x.jpg_430x430q90.jpg"): the bare name is the original.
_SIZE_SUFFIX = re.compile(r"(\.(?:jpe?g|png|gif|webp))_[^/]*$", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(
    r"\s*-\s*(?:淘宝网|tmall\.com天猫|天猫Tmall\.com|天猫)\s*$", re.IGNORECASE
)
_ITEM_ID = re.compile(r"[?&](?:id|itemId|item_id)=(\d{5,})")


def original_image(url: str | None) -> str | None:
    """An alicdn image URL without its thumbnail size suffix."""
    if not url:
        return None
    return _SIZE_SUFFIX.sub(r"\1", url) if "alicdn.com" in url else url


def item_url(nid: str, detail_url: str | None = None, tmall: bool = False) -> str:
    """The canonical https item URL of `nid` (tracking parameters and redirects dropped)."""
    host = "detail.tmall.com" if tmall else "item.taobao.com"
    if detail_url:
        match = re.match(r"(?:https?:)?//([^/?#]+)", detail_url.strip())
        if match and match.group(1).lower() in _ITEM_HOSTS:
            host = match.group(1).lower()
    return f"https://{host}/item.htm?id={nid}"


def id_in_url(url: str | None) -> str | None:
    """The item id in an item URL's query, if any."""
    match = _ITEM_ID.search(url or "")
    return match.group(1) if match else None


def looks_like_item_page(text: str, url: str) -> bool:
    """True for a Taobao/Tmall item page (by URL or by its script state)."""
    return ("TShop.Setup(" in text or "Hub.config.set('sku'" in text
            or re.search(r"idata\s*:\s*\{", text) is not None
            or any(h in url for h in _ITEM_HOSTS))


def _sku_prices(sku_map: Any) -> tuple[list[float], int | None]:
    prices: list[float] = []
    stock: int | None = None
    for sku in as_dict(sku_map).values():
        sku = as_dict(sku)
        price = parse_price(as_str(sku.get("price")))
        if price is not None:
            prices.append(price)
        count = sku.get("stock")
        if isinstance(count, int | str) and str(count).strip().isdigit():
            stock = (stock or 0) + int(str(count).strip())
    return prices, stock


def parse_item(text: str, url: str) -> Listing | None:
    """One Listing (all images) from a Taobao or Tmall item page; None if no item is found."""
    soup = BeautifulSoup(text, "lxml")
    tshop = as_dict(value_after(text, r"TShop\.Setup\(\s*"))
    g_config = as_dict(value_after(text, r"\bg_config\s*=\s*"))
    hub_sku = as_dict(value_after(text, r"Hub\.config\.set\(\s*['\"]sku['\"]\s*,\s*"))
    item_do = as_dict(tshop.get("itemDO"))
    idata = as_dict(as_dict(g_config.get("idata")).get("item"))
    item_id = (as_str(item_do.get("itemId")) or as_str(g_config.get("itemId"))
               or as_str(idata.get("id")) or id_in_url(url))
    if not item_id or not item_id.isdigit():
        return None

    page_title = clean_text(text_of(soup.title))
    main_title = attr_of(soup.select_one("h3.tb-main-title"), "data-title")
    title = clean_text(as_str(item_do.get("title")) or as_str(idata.get("title")) or main_title
                       or _TITLE_SUFFIX.sub("", page_title))

    sku_info = as_dict(tshop.get("valItemInfo")) or as_dict(hub_sku.get("valItemInfo"))
    sku_prices, stock = _sku_prices(sku_info.get("skuMap"))
    dom_price = text_of(soup.select_one("#J_StrPrice .tb-rmb-num, #J_StrPriceModBox .tm-price"))
    range_text = as_str(as_dict(tshop.get("detail")).get("defaultItemPrice")) or dom_price
    low, _ = parse_price_range(range_text)
    if low is None and sku_prices:
        low = min(sku_prices)
    reserve = parse_price(as_str(item_do.get("reservePrice")))
    if low is None:
        low = reserve
    regular = reserve if reserve is not None and low is not None and reserve > low else None

    quantity = item_do.get("quantity")
    available: bool | None = None
    if isinstance(quantity, int) and not isinstance(quantity, bool):
        available = quantity > 0
    elif stock is not None:
        available = stock > 0

    pics = as_dict(tshop.get("propertyPics")).get("default")
    images = unique([
        *(original_image(https_url(url, p)) for p in as_list(pics)),
        *(original_image(https_url(url, p)) for p in as_list(idata.get("auctionImages"))),
        *(original_image(https_url(url, p)) for p in as_list(g_config.get("auctionImages"))),
        original_image(https_url(url, idata.get("pic"))),
        original_image(image_of(soup.select_one("#J_ImgBooth"), url)),
        *(original_image(image_of(img, url)) for img in soup.select("#J_UlThumb img")),
    ])

    nick = as_str(item_do.get("sellerNickName"))
    seller = (clean_text(text_of(soup.select_one(".slogo-shopname")))
              or as_str(g_config.get("shopName"))
              or (clean_text(unquote(nick)) if nick else None)
              or as_str(g_config.get("sellerNick")) or as_str(idata.get("sellerNick")))

    sell_text = text_of(soup.select_one("#J_SellCounter, .tm-ind-sellCount .tm-count"))
    rate_text = text_of(soup.select_one("#J_RateCounter, .tm-ind-reviewCount .tm-count"))
    tmall = "TShop.Setup(" in text or "tmall.com" in url
    return Listing(
        key=item_id,
        title=title or item_id,
        url=item_url(item_id, url, tmall),
        price=low,
        regular_price=regular,
        currency="CNY" if low is not None else None,
        available=available,
        image=images[0] if images else None,
        images=images,
        sales=parse_sales(sell_text),
        sales_text=sell_text if parse_sales(sell_text) is not None else None,
        seller=seller or None,
        review_count=parse_sales(rate_text),
    )


_RATE_OF = {1: 5.0, 0: 3.0, -1: 1.0}  # Taobao rates good/neutral/bad, shown here as stars


def _tmall_reviews(detail: dict[str, Any], url: str) -> Page:
    reviews: list[Review] = []
    for rate in as_list(detail.get("rateList")):
        rate = as_dict(rate)
        content = clean_text(as_str(rate.get("rateContent")))
        if not content:
            continue
        key = as_str(rate.get("id")) or stable_key(content, as_str(rate.get("rateDate")))
        reviews.append(Review(key=key, text=content, author=as_str(rate.get("displayUserNick")),
                              posted=as_str(rate.get("rateDate")),
                              variant=as_str(rate.get("auctionSku")), url=url or None))
    pager = as_dict(detail.get("paginator"))
    total = as_dict(detail.get("rateCount")).get("total") or pager.get("items")
    return Page(reviews=reviews, next_url=_next_page(url, pager.get("lastPage"), reviews),
                review_count=total if isinstance(total, int) else None)


def _taobao_reviews(data: dict[str, Any], url: str) -> Page:
    reviews: list[Review] = []
    for rate in as_list(data.get("comments")):
        rate = as_dict(rate)
        content = clean_text(as_str(rate.get("content")))
        if not content:
            continue
        posted = as_str(rate.get("date"))
        key = as_str(rate.get("rateId")) or stable_key(content, posted)
        score = str(rate.get("rate"))
        rating = _RATE_OF.get(int(score)) if re.fullmatch(r"-?\d", score) else None
        reviews.append(Review(
            key=key, text=content, rating=rating, posted=posted,
            author=as_str(as_dict(rate.get("user")).get("nick")),
            variant=as_str(as_dict(rate.get("auction")).get("sku")), url=url or None))
    total = data.get("total")
    return Page(reviews=reviews, next_url=_next_page(url, data.get("maxPage"), reviews),
                review_count=total if isinstance(total, int) else None)


def _next_page(url: str, last: Any, reviews: list[Review]) -> str | None:
    # Tmall pages by "currentPage", Taobao's feedRateList by "currentPageNum".
    taobao = query_value(url, "currentPageNum") is not None or "rate.taobao.com" in url
    page_param = "currentPageNum" if taobao else "currentPage"
    current = query_int(url, page_param, 1)
    if reviews and isinstance(last, int) and current < last:
        return with_query(url, {page_param: str(current + 1)})
    return None


def parse_reviews(text: str, url: str) -> Page | None:
    """Reviews from Tmall `rateDetail.rateList` or Taobao `comments` JSON(P); None if neither."""
    data = json_body(text)
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("rateDetail"), dict):
        return _tmall_reviews(data["rateDetail"], url)
    if isinstance(data.get("rateList"), list):
        return _tmall_reviews(data, url)
    if isinstance(data.get("comments"), list):
        return _taobao_reviews(data, url)
    return None
