"""WooCommerce stores: the public Store API (/wp-json/wc/store/v1) products and reviews."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup

from watchers.extract.support import (
    NotJson,
    as_dict,
    as_list,
    as_str,
    load_json,
    not_json_block,
    origin,
    query_int,
    query_value,
    strip_query,
    with_query,
)
from watchers.extract.text import clean_text, parse_rating
from watchers.fetching import Document
from watchers.model import Listing, Page, Review
from watchers.sources.base import SourceSpec

API = "/wp-json/wc/store/v1"
PER_PAGE = 100
# The Store API's own page size when the URL names none.
DEFAULT_PER_PAGE = 10


def _minor(value: Any, digits: int) -> float | None:
    """A Store API amount ("22900" with 2 minor digits) as a float (229.0)."""
    text = as_str(value)
    if text is None or not re.fullmatch(r"-?\d+", text):
        return None
    return int(text) / (10**digits)


def _name(value: Any) -> str:
    # Names keep the store's spacing (titles are compared as shown); only entities go.
    return html.unescape(as_str(value) or "").strip()


def html_to_text(fragment: str | None) -> str:
    """Visible text of an HTML fragment (a review body, a description), whitespace collapsed."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return clean_text(fragment)
    return clean_text(BeautifulSoup(fragment, "lxml").get_text(" "))


def _variations(item: dict[str, Any]) -> tuple[str, ...]:
    # A variation is named by its attribute values as the store writes them ("pearl / med").
    names = (" / ".join(v for a in as_list(as_dict(var).get("attributes"))
                        if (v := _name(as_dict(a).get("value"))))
             for var in as_list(item.get("variations")))
    return tuple(dict.fromkeys(n for n in names if n))


def product_listing(item: dict[str, Any]) -> Listing | None:
    """One Store API product as a Listing; None without an id."""
    key = as_str(item.get("id"))
    if key is None:
        return None
    prices = as_dict(item.get("prices"))
    digits = prices.get("currency_minor_unit")
    digits = digits if isinstance(digits, int) and 0 <= digits <= 6 else 2
    price = _minor(prices.get("price"), digits)
    if price is None:
        price = _minor(as_dict(prices.get("price_range")).get("min_amount"), digits)
    regular = _minor(prices.get("regular_price"), digits)
    # sale_price == regular_price with on_sale false is the API's normal shape, not a promo.
    if price is None or regular is None or regular <= price:
        regular = None
    images = tuple(
        s for s in (as_str(as_dict(i).get("src")) for i in as_list(item.get("images"))) if s
    )
    categories = [_name(as_dict(c).get("name")) for c in as_list(item.get("categories"))]
    count = item.get("review_count")
    count = count if isinstance(count, int) and not isinstance(count, bool) else None
    # "0" with no reviews means unrated, not a zero-star product.
    rating = parse_rating(as_str(item.get("average_rating"))) if count else None
    in_stock = item.get("is_in_stock")
    return Listing(
        key=key,
        title=_name(item.get("name")),
        url=as_str(item.get("permalink")) or "",
        price=price,
        regular_price=regular,
        currency=as_str(prices.get("currency_code")),
        available=in_stock if isinstance(in_stock, bool) else None,
        image=images[0] if images else None,
        images=images,
        tags=tuple(t for t in (_name(as_dict(t).get("name")) for t in as_list(item.get("tags")))
                   if t),
        product_type=next((c for c in categories if c), None),
        review_count=count,
        rating=rating,
        variants=_variations(item),
    )


def review_record(item: dict[str, Any]) -> Review | None:
    """One Store API review as a Review; None without an id."""
    key = as_str(item.get("id"))
    if key is None:
        return None
    return Review(
        key=key,
        text=html_to_text(as_str(item.get("review"))),
        rating=parse_rating(as_str(item.get("rating")), 5.0),
        author=clean_text(as_str(item.get("reviewer"))) or None,
        posted=as_str(item.get("date_created")),
        url=as_str(item.get("product_permalink")),
    )


def _next_page(url: str, headers: dict[str, str], count: int) -> str | None:
    page = query_int(url, "page", 1)
    total = headers.get("x-wp-totalpages")
    if total is not None and total.strip().isdigit():
        return with_query(url, {"page": str(page + 1)}) if page < int(total) else None
    # Without the header, only a full page can have a successor.
    if count and count >= query_int(url, "per_page", DEFAULT_PER_PAGE):
        return with_query(url, {"page": str(page + 1)})
    return None


class WooCommerceAdapter:
    """Reads Store API product lists, single products and product reviews."""

    def start_urls(self, spec: SourceSpec) -> list[str]:
        """The Store API URL for the purpose, paged from 1 where the endpoint pages."""
        paging = {"per_page": str(PER_PAGE), "page": "1"}
        if spec.purpose == "reviews":
            url = spec.url
            if "/wp-json/" not in url:
                return [url]
            found = re.search(r"/products/(\d+)/?$", strip_query(url))
            if found:  # a product URL: its reviews live on the reviews endpoint
                url = f"{origin(url)}{API}/products/reviews?product_id={found.group(1)}"
            return [with_query(url, paging, only_missing=True)]
        if spec.purpose == "product":
            if "/wp-json/" in spec.url:
                return [spec.url]
            slug = [p for p in urlsplit(spec.url).path.split("/") if p]
            if not slug:
                return [spec.url]
            return [f"{origin(spec.url)}{API}/products?slug={slug[-1]}"]
        if spec.purpose == "search" and "/wp-json/" not in spec.url:
            # A storefront search (?s=... or ?q=...) maps onto the API's own search.
            query = query_value(spec.url, "s") or query_value(spec.url, "q") or ""
            site = origin(spec.url)
            return [f"{site}{API}/products?" + urlencode(
                {"search": query, "per_page": str(PER_PAGE), "page": "1"})]
        base = spec.url if "/wp-json/" in spec.url else ""
        if base:
            return [with_query(base, paging, only_missing=True)]
        home = strip_query(spec.home or spec.url).rstrip("/")
        return [f"{home}{API}/products?per_page={PER_PAGE}&page=1"]

    def parse(self, doc: Document, spec: SourceSpec) -> Page:
        """One Store API answer into listings or reviews, with the next page."""
        try:
            data = load_json(doc)
        except NotJson:
            return Page(blocked=not_json_block(doc))
        try:
            return self._parse(data, doc, spec)
        except Exception:  # parsers never raise: odd JSON is an incomplete read
            return Page(blocked="unexpected_json")

    def _parse(self, data: Any, doc: Document, spec: SourceSpec) -> Page:
        if isinstance(data, dict):
            if "id" not in data:
                # {"code": "rest_no_route", ...}: the API is off or moved.
                return Page(blocked="api_error" if "code" in data else "unexpected_json")
            items = [data]
            next_url = None  # one product (or review) is not a paged list
        else:
            items = [as_dict(i) for i in as_list(data)]
            next_url = _next_page(doc.url, doc.headers, len(items))
        if spec.purpose == "reviews" or "/products/reviews" in doc.url:
            reviews = [r for r in (review_record(i) for i in items) if r is not None]
            return Page(reviews=reviews, next_url=next_url)
        listings = [x for x in (product_listing(i) for i in items) if x is not None]
        return Page(listings=listings, next_url=next_url)

ADAPTER = WooCommerceAdapter()
