"""The Shopify adapter on real captured products.json pages and synthetic paging cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from watchers.fetching import Document
from watchers.model import Listing, Page
from watchers.sources import adapter_for
from watchers.sources.base import Purpose, SourceSpec
from watchers.sources.shopify import ADAPTER

SITE = "https://peer.example"
PAGE_1 = f"{SITE}/products.json?limit=250&page=1"


def spec(purpose: Purpose = "catalog", url: str = f"{SITE}/") -> SourceSpec:
    return SourceSpec(platform="shopify", url=url, purpose=purpose, home=f"{SITE}/")


def parse(body: bytes, url: str = PAGE_1, purpose: Purpose = "catalog") -> Page:
    return ADAPTER.parse(Document(url=url, body=body), spec(purpose))


def by_key(page: Page) -> dict[str, Listing]:
    return {x.key: x for x in page.listings}


def product(pid: int, variants: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": pid, "title": f"P{pid}", "handle": f"p-{pid}", "variants": variants,
            "images": [], **extra}


def body(products: list[dict[str, Any]]) -> bytes:
    return json.dumps({"products": products}).encode()


def test_registry_returns_the_shopify_adapter() -> None:
    assert adapter_for("shopify") is ADAPTER


START: list[tuple[str, SourceSpec, str]] = [
    ("home", spec(), PAGE_1),
    ("home_with_query", spec(url=f"{SITE}/?ref=x"), PAGE_1),
    ("collection", spec(url=f"{SITE}/collections/sale/"),
     f"{SITE}/collections/sale/products.json?limit=250&page=1"),
    ("products_json_given", spec(url=f"{SITE}/products.json?page=3"),
     f"{SITE}/products.json?page=3&limit=250"),
    ("product_page", spec("product", f"{SITE}/products/lamp?variant=9#top"),
     f"{SITE}/products/lamp.json"),
    ("search_as_given", spec("search", f"{SITE}/search/suggest.json?q=lamp"),
     f"{SITE}/search/suggest.json?q=lamp"),
    ("storefront_search", spec("search", f"{SITE}/search?q=floor+lamp"),
     f"{SITE}/search/suggest.json?q=floor+lamp&resources[type]=product&resources[limit]=10"),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in START], ids=[c[0] for c in START])
def test_start_urls_point_at_the_json_endpoints(source: SourceSpec, expected: str) -> None:
    assert ADAPTER.start_urls(source) == [expected]


@pytest.mark.realworld
def test_nilkamal_page_reads_markdowns_and_mixed_stock(realworld: Path) -> None:
    page = parse((realworld / "shopify/nilkamal_products.json").read_bytes())
    items = by_key(page)
    assert list(items) == ["7435818598489", "7229801267289"]
    ludo = items["7435818598489"]
    assert ludo.title == "Nilkamal Genius Ludo Table + 2 Chairs Kid's Study Set"
    assert (ludo.price, ludo.regular_price) == (2370.0, 2420.0)
    assert ludo.available is True  # 3 of 5 variants sold out, 2 in stock
    assert ludo.url.startswith(f"{SITE}/products/")
    cabinet = items["7229801267289"]
    assert (cabinet.price, cabinet.regular_price, cabinet.available) == (6390.0, 16900.0, True)
    assert cabinet.image == cabinet.images[0] and cabinet.image.startswith("https://cdn.shopify")
    assert cabinet.published is not None and cabinet.published.endswith("+05:30")
    assert page.next_url is None and page.blocked is None


@pytest.mark.realworld
def test_lovethelabel_compare_at_equal_to_price_is_no_promotion(realworld: Path) -> None:
    page = parse((realworld / "shopify/lovethelabel_products.json").read_bytes())
    items = by_key(page)
    assert len(items) == 5
    assert all(int(k) > 2**32 for k in items)
    assert all(x.regular_price is None and x.available is True for x in page.listings)
    lenny = items["8211365363774"]
    assert lenny.title == "Lenny Jacket in Indigo"
    assert lenny.url == f"{SITE}/products/lenny-jacket-in-indigo"
    assert lenny.price == 275.0
    assert lenny.product_type == "Shop All;Clothing/Outerwear"
    prices = {k: x.price for k, x in items.items()}
    assert prices["8211365232702"] == 325.0 and prices["8211365101630"] == 295.0
    assert prices["8211364905022"] == 275.0 and prices["8211364708414"] == 275.0
    assert all(x.images and x.image == x.images[0] for x in page.listings)


@pytest.mark.realworld
def test_footpatrol_zero_price_variant_is_bad_data(realworld: Path) -> None:
    page = parse((realworld / "shopify/footpatrol_products_trimmed_by_source.json").read_bytes())
    items = by_key(page)
    assert list(items) == ["15056077553987", "15160805720387", "15083120623939"]
    nb = items["15056077553987"]
    # The "0.00"/"220.00" size-8 variant is ignored; 8.5 at 120 with compare 220 is a real cut.
    assert (nb.price, nb.regular_price, nb.available) == (120.0, 220.0, True)
    vomero = items["15160805720387"]
    assert (vomero.price, vomero.regular_price) == (110.0, 155.0)
    assert vomero.available is False
    assert vomero.image is None and vomero.images == ()
    assert "seasonal offers" in vomero.tags
    kayano = items["15083120623939"]
    assert (kayano.price, kayano.regular_price, kayano.available) == (90.0, 170.0, True)


PRICING: list[tuple[str, list[dict[str, Any]], float | None, float | None, bool | None]] = [
    ("lowest_variant_wins", [{"price": "20.00", "available": True},
                             {"price": "15.00", "available": False}], 15.0, None, True),
    ("compare_equal_is_no_promo", [{"price": "10.00", "compare_at_price": "10.00"}],
     10.0, None, None),
    ("compare_below_is_ignored", [{"price": "10.00", "compare_at_price": "9.00"}],
     10.0, None, None),
    ("zero_price_ignored", [{"price": "0.00", "compare_at_price": "50.00", "available": True},
                            {"price": "40.00", "compare_at_price": "50.00"}], 40.0, 50.0, True),
    ("all_zero_has_no_price", [{"price": "0.00", "compare_at_price": "50.00"}], None, None, None),
    ("no_variants", [], None, None, None),
    ("junk_variant_fields", [{"price": None, "available": "yes"}, {"price": ["x"]}],
     None, None, None),
]


@pytest.mark.parametrize(
    ("variants", "price", "regular", "available"),
    [c[1:] for c in PRICING], ids=[c[0] for c in PRICING],
)
def test_variant_pricing(
    variants: list[dict[str, Any]], price: float | None, regular: float | None,
    available: bool | None,
) -> None:
    (item,) = parse(body([product(1, variants)])).listings
    assert (item.price, item.regular_price, item.available) == (price, regular, available)


def test_full_page_links_the_next_page_and_short_page_ends() -> None:
    url = f"{SITE}/products.json?limit=2&page=3"
    full = parse(body([product(1, []), product(2, [])]), url)
    assert full.next_url == f"{SITE}/products.json?limit=2&page=4"
    short = parse(body([product(5, [])]), url)
    assert short.next_url is None and [x.key for x in short.listings] == ["5"]


def test_empty_page_has_no_listings_and_no_next() -> None:
    page = parse(body([]))
    assert page.listings == [] and page.next_url is None and page.blocked is None


BLOCKED: list[tuple[str, bytes, str]] = [
    ("password_page", b"<!doctype html><html><body>Enter store password</body></html>",
     "not_json"),
    ("garbage_bytes", bytes(range(256)) * 4, "not_json"),
    ("empty_body", b"", "not_json"),
    ("truncated_json", b'{"products": [{"id": 1, ', "not_json"),
    ("json_without_products", b'{"errors": "Not Found"}', "unexpected_json"),
]


@pytest.mark.parametrize(("raw", "reason"), [c[1:] for c in BLOCKED], ids=[c[0] for c in BLOCKED])
def test_non_catalogue_body_is_blocked_not_empty(raw: bytes, reason: str) -> None:
    page = parse(raw)
    assert page.blocked == reason and page.listings == []


def test_string_tags_and_images_are_read() -> None:
    item = product(7, [{"price": "5.00"}], tags="a, b ,c",
                   images=[{"src": "https://cdn.example/1.jpg"}, {"src": "https://cdn.example/2.jpg"}],
                   product_type="", published_at="2026-01-01T00:00:00+08:00")
    (listing,) = parse(body([item])).listings
    assert listing.tags == ("a", "b", "c")
    assert listing.images == ("https://cdn.example/1.jpg", "https://cdn.example/2.jpg")
    assert listing.image == "https://cdn.example/1.jpg"
    assert listing.product_type is None and listing.published == "2026-01-01T00:00:00+08:00"


def test_product_json_gives_one_listing_with_all_images() -> None:
    raw = json.dumps({"product": product(
        9, [{"price": "30.00", "compare_at_price": "45.00"}],
        images=[{"src": "https://cdn.example/a.jpg"}, {"src": "https://cdn.example/b.jpg"}],
    )}).encode()
    page = parse(raw, f"{SITE}/products/p-9.json", "product")
    (item,) = page.listings
    assert (item.key, item.url, item.price, item.regular_price) == (
        "9", f"{SITE}/products/p-9", 30.0, 45.0)
    assert len(item.images) == 2 and page.next_url is None


def test_predictive_search_results_become_listings() -> None:
    raw = json.dumps({"resources": {"results": {"products": [
        {"id": 11, "title": "Lamp &amp; Shade", "handle": "lamp", "available": True,
         "url": "/products/lamp?_pos=1&_sid=abc&_ss=r", "price": "19.99", "price_min": "19.99",
         "compare_at_price_min": "29.99", "vendor": "Acme", "type": "Lighting",
         "featured_image": {"url": "//cdn.example/lamp.jpg"}, "tags": ["new"]},
        {"title": "no id is skipped"},
    ]}}}).encode()
    url = f"{SITE}/search/suggest.json?q=lamp&resources[type]=product"
    (item,) = parse(raw, url, "search").listings
    assert item.key == "11" and item.title == "Lamp & Shade"
    assert item.url == f"{SITE}/products/lamp"
    assert (item.price, item.regular_price, item.available) == (19.99, 29.99, True)
    assert item.image == "https://cdn.example/lamp.jpg" and item.seller == "Acme"
