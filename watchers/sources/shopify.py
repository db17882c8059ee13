"""Shopify stores: the public /products.json catalogue, predictive search and product JSON."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

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
from watchers.extract.text import clean_text, parse_price
from watchers.fetching import Document
from watchers.model import Listing, Page
from watchers.sources.base import SourceSpec

PAGE_LIMIT = 250
# What Shopify serves when the URL names no limit.
DEFAULT_LIMIT = 30


def _positive(value: Any) -> float | None:
    if isinstance(value, str):
        return _positive_text(value)
    if value is None:  # most variants' compare_at_price
        return None
    price = parse_price(as_str(value))
    return price if price is not None and price > 0 else None


@lru_cache(maxsize=4096)
def _positive_text(text: str) -> float | None:
    # A catalogue repeats a few hundred price strings across thousands of variants.
    price = parse_price(as_str(text))
    return price if price is not None and price > 0 else None


def _tags(value: Any) -> tuple[str, ...]:
    # Newer stores give a list, older ones one comma-separated string.
    items = value.split(",") if isinstance(value, str) else as_list(value)
    return tuple(t for t in (_tag_text(i) if type(i) is str else clean_text(as_str(i))
                             for i in items) if t)


@lru_cache(maxsize=4096)
def _tag_text(text: str) -> str:
    # A catalogue repeats a few dozen tags across its items: each is cleaned once.
    return clean_text(as_str(text))


def _pricing(variants: list[dict[str, Any]]) -> tuple[float | None, float | None]:
    """(price, regular_price): the lowest real variant price and its compare-at, if above."""
    priced = [(p, v) for v in variants if (p := _positive(v.get("price"))) is not None]
    # A "0.00" variant is bad data (often beside a compare-at), never a 100 % cut.
    if not priced:
        return None, None
    price = min(p for p, _ in priced)
    compares = [_positive(v.get("compare_at_price")) for p, v in priced if p == price]
    regular = max((c for c in compares if c is not None), default=None)
    # compare-at equal to price is how many stores leave the field: not a promotion.
    return price, (regular if regular is not None and regular > price else None)


def _availability(variants: list[dict[str, Any]]) -> bool | None:
    flags = [v["available"] for v in variants if isinstance(v.get("available"), bool)]
    return any(flags) if flags else None


def _variant_names(variants: list[dict[str, Any]]) -> tuple[str, ...]:
    # A catalogue repeats a few size runs ("XS".."XL") across 5,000 products: each run is
    # cleaned once (cleaning every variant's name was ~1 s of a 50,000-item check).
    titles = tuple([v.get("title") for v in variants])
    try:
        return _names(titles)
    except TypeError:  # a dict or list where a name belongs: not hashable, not a name
        return _names.__wrapped__(titles)


@lru_cache(maxsize=4096)
def _names(titles: tuple[Any, ...]) -> tuple[str, ...]:
    names = (clean_text(t) for t in titles if isinstance(t, str))
    # "Default Title" is Shopify's name for a product without options: no variant to list.
    return tuple(dict.fromkeys(n for n in names if n and n != "Default Title"))


def _image_srcs(product: dict[str, Any]) -> tuple[str, ...]:
    srcs = [as_str(i.get("src")) for i in as_list(product.get("images"))
            if isinstance(i, dict)]
    return tuple(s for s in srcs if s)


def product_listing(product: dict[str, Any], site: str) -> Listing | None:
    """One products.json (or product.json) product as a Listing; None without an id."""
    key = as_str(product.get("id"))
    if key is None:
        return None
    variants = [as_dict(v) for v in as_list(product.get("variants"))]
    price, regular = _pricing(variants)
    images = _image_srcs(product)
    handle = as_str(product.get("handle"))
    return Listing(
        key=key,
        title=clean_text(as_str(product.get("title"))),
        url=f"{site}/products/{handle}" if handle else "",
        price=price,
        regular_price=regular,
        currency=None,
        available=_availability(variants),
        image=images[0] if images else None,
        images=images,
        tags=_tags(product.get("tags")),
        product_type=clean_text(as_str(product.get("product_type"))) or None,
        published=as_str(product.get("published_at")),
        variants=_variant_names(variants),
    )


def suggest_listing(item: dict[str, Any], site: str) -> Listing | None:
    """One predictive-search product (/search/suggest.json) as a Listing."""
    key = as_str(item.get("id"))
    if key is None:
        return None
    price = _positive(item.get("price_min")) or _positive(item.get("price"))
    compare = _positive(item.get("compare_at_price_min")) or _positive(
        item.get("compare_at_price_max")
    )
    image = as_str(as_dict(item.get("featured_image")).get("url")) or as_str(item.get("image"))
    if image and image.startswith("//"):
        image = "https:" + image
    path = as_str(item.get("url"))
    handle = as_str(item.get("handle"))
    url = strip_query(site + path) if path else (f"{site}/products/{handle}" if handle else "")
    available = item.get("available")
    return Listing(
        key=key,
        title=clean_text(as_str(item.get("title"))),
        url=url,
        price=price,
        regular_price=compare if compare is not None and price is not None and compare > price
        else None,
        available=available if isinstance(available, bool) else None,
        image=image,
        images=(image,) if image else (),
        tags=_tags(item.get("tags")),
        product_type=clean_text(as_str(item.get("type"))) or None,
        seller=clean_text(as_str(item.get("vendor"))) or None,
    )


class ShopifyAdapter:
    """Reads /products.json pages, predictive search results and single product JSON."""

    def start_urls(self, spec: SourceSpec) -> list[str]:
        """products.json page 1 (catalog), the search URL as given, or {product}.json."""
        if spec.purpose == "search":
            if ".json" in urlsplit(spec.url).path:
                return [spec.url]
            # A storefront search page (/search?q=...): ask predictive search for products.
            query = query_value(spec.url, "q") or ""
            return [f"{origin(spec.url)}/search/suggest.json?"
                    + urlencode({"q": query, "resources[type]": "product",
                                 "resources[limit]": "10"}, safe="[]")]
        if spec.purpose == "product":
            url = strip_query(spec.url).rstrip("/")
            return [url if url.endswith((".json", ".js")) else url + ".json"]
        base = spec.url or spec.home
        if "products.json" in base:
            return [with_query(base, {"limit": str(PAGE_LIMIT), "page": "1"}, only_missing=True)]
        base = strip_query(base or spec.home).rstrip("/")
        return [f"{base}/products.json?limit={PAGE_LIMIT}&page=1"]

    def parse(self, doc: Document, spec: SourceSpec) -> Page:
        """One JSON document into listings (and the next page of a catalogue)."""
        try:
            data = load_json(doc)
        except NotJson:
            return Page(blocked=not_json_block(doc))
        try:
            return self._parse(as_dict(data), doc.url, spec)
        except Exception:  # parsers never raise: odd JSON is an incomplete read
            return Page(blocked="unexpected_json")

    def _parse(self, data: dict[str, Any], url: str, spec: SourceSpec) -> Page:
        site = origin(url)
        if spec.purpose == "search" or "resources" in data:
            results = as_dict(as_dict(data.get("resources")).get("results"))
            if "products" not in results:
                return Page(blocked="unexpected_json")
            found = [suggest_listing(as_dict(i), site) for i in as_list(results["products"])]
            return Page(listings=[x for x in found if x is not None])
        if isinstance(data.get("product"), dict):
            one = product_listing(data["product"], site)
            return Page(listings=[one] if one else [])
        if not isinstance(data.get("products"), list):
            return Page(blocked="unexpected_json")
        products = [as_dict(p) for p in data["products"]]
        listings = [x for x in (product_listing(p, site) for p in products) if x is not None]
        limit = query_int(url, "limit", DEFAULT_LIMIT)
        next_url = None
        # A full page may have a successor; the crawler stops on a short or empty one.
        if products and len(products) >= limit:
            page = query_int(url, "page", 1)
            next_url = with_query(url, {"page": str(page + 1)})
        return Page(listings=listings, next_url=next_url)


ADAPTER = ShopifyAdapter()
