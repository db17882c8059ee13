"""The WooCommerce Store API adapter on the real captured product list and synthetic cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from watchers.fetching import Document
from watchers.model import Page
from watchers.sources import adapter_for
from watchers.sources.base import Purpose, SourceSpec
from watchers.sources.woocommerce import ADAPTER

SITE = "https://peer.example"
API = f"{SITE}/wp-json/wc/store/v1"
PAGE_1 = f"{API}/products?per_page=100&page=1"


def spec(purpose: Purpose = "catalog", url: str = f"{SITE}/") -> SourceSpec:
    return SourceSpec(platform="woocommerce", url=url, purpose=purpose, home=f"{SITE}/")


def parse(raw: bytes, url: str = PAGE_1, purpose: Purpose = "catalog",
          headers: dict[str, str] | None = None) -> Page:
    return ADAPTER.parse(Document(url=url, body=raw, headers=headers or {}), spec(purpose))


def item(pid: int, price: str, regular: str, sale: str, on_sale: bool, **extra: Any
         ) -> dict[str, Any]:
    return {"id": pid, "name": f"P{pid}", "permalink": f"{SITE}/product/p{pid}/",
            "on_sale": on_sale, "is_in_stock": True,
            "prices": {"price": price, "regular_price": regular, "sale_price": sale,
                       "currency_code": "EUR", "currency_minor_unit": 2}, **extra}


def test_registry_returns_the_woocommerce_adapter() -> None:
    assert adapter_for("woocommerce") is ADAPTER


START: list[tuple[str, SourceSpec, str]] = [
    ("home", spec(), PAGE_1),
    ("api_url_given", spec(url=f"{API}/products?category=7"),
     f"{API}/products?category=7&per_page=100&page=1"),
    ("product_api_url", spec("product", f"{API}/products/56364"), f"{API}/products/56364"),
    ("product_permalink", spec("product", f"{SITE}/product/pearl-necklace/"),
     f"{API}/products?slug=pearl-necklace"),
    ("storefront_search", spec("search", f"{SITE}/?s=pearl+necklace&post_type=product"),
     f"{API}/products?search=pearl+necklace&per_page=100&page=1"),
    ("api_search_given", spec("search", f"{API}/products?search=pearl"),
     f"{API}/products?search=pearl&per_page=100&page=1"),
    ("reviews_endpoint", spec("reviews", f"{API}/products/reviews?product_id=5"),
     f"{API}/products/reviews?product_id=5&per_page=100&page=1"),
    ("reviews_endpoint_paged", spec("reviews", f"{API}/products/reviews?product_id=5&page=2"),
     f"{API}/products/reviews?product_id=5&page=2&per_page=100"),
    ("reviews_of_product_url", spec("reviews", f"{API}/products/5"),
     f"{API}/products/reviews?product_id=5&per_page=100&page=1"),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in START], ids=[c[0] for c in START])
def test_start_urls_point_at_the_store_api(source: SourceSpec, expected: str) -> None:
    assert ADAPTER.start_urls(source) == [expected]


@pytest.mark.realworld
def test_marilynhellman_minor_unit_prices_and_unescaped_names(realworld: Path) -> None:
    raw = (realworld / "woocommerce/marilynhellman_store_api_v1_products.json").read_bytes()
    page = parse(raw, headers={"x-wp-totalpages": "1"})
    items = {x.key: x for x in page.listings}
    assert list(items) == ["56364", "56360", "56355"]
    assert {k: x.price for k, x in items.items()} == {
        "56364": 229.0, "56360": 159.0, "56355": 129.0}
    first = items["56364"]
    assert first.title == "Marilyn’s Medium Size Pearl  Necklace"  # the store's double space
    assert items["56360"].title == "Marilyn’s Fun Short Black Chunky Necklace"
    assert first.url == "https://marilynhellman.com/product/marilyns-medium-size-pearl-necklace/"
    for x in page.listings:
        # on_sale false with sale_price == regular_price: no promotion.
        assert x.regular_price is None
        assert (x.currency, x.available, x.review_count, x.rating) == ("USD", True, 0, None)
        assert x.image is not None and x.image.startswith("https://marilynhellman.com/")
    assert "Accessories" in first.tags
    assert page.next_url is None and page.blocked is None


PRICING: list[tuple[str, dict[str, Any], float | None, float | None]] = [
    ("on_sale", item(1, "1999", "2999", "1999", True), 19.99, 29.99),
    ("not_on_sale", item(1, "2999", "2999", "2999", False), 29.99, None),
    ("zero_minor_digits", {**item(1, "1500", "1500", "1500", False),
                           "prices": {"price": "1500", "regular_price": "1500",
                                      "currency_minor_unit": 0}}, 1500.0, None),
    ("variable_range_only", {**item(1, "", "", "", False),
                             "prices": {"price": "", "price_range": {"min_amount": "500",
                                                                     "max_amount": "900"},
                                        "currency_minor_unit": 2}}, 5.0, None),
    ("junk_price", item(1, "12.5x", "x", "", False), None, None),
]


@pytest.mark.parametrize(
    ("product", "price", "regular"), [c[1:] for c in PRICING], ids=[c[0] for c in PRICING]
)
def test_minor_unit_prices(product: dict[str, Any], price: float | None,
                           regular: float | None) -> None:
    (listing,) = parse(json.dumps([product]).encode()).listings
    assert (listing.price, listing.regular_price) == (price, regular)


def test_rating_and_count_when_reviewed() -> None:
    raw = json.dumps([item(3, "100", "100", "100", False, review_count=4,
                           average_rating="4.25", is_in_stock=False)]).encode()
    (listing,) = parse(raw).listings
    assert (listing.review_count, listing.rating, listing.available) == (4, 4.25, False)


PAGING: list[tuple[str, str, dict[str, str], int, str | None]] = [
    ("more_pages", PAGE_1, {"x-wp-totalpages": "3"}, 1, f"{API}/products?per_page=100&page=2"),
    ("last_page", f"{API}/products?per_page=100&page=3", {"x-wp-totalpages": "3"}, 1, None),
    ("single_page", PAGE_1, {"x-wp-totalpages": "1"}, 1, None),
    ("no_header_full_page", f"{API}/products?per_page=2&page=1", {}, 2,
     f"{API}/products?per_page=2&page=2"),
    ("no_header_short_page", f"{API}/products?per_page=2&page=1", {}, 1, None),
    ("no_page_param", f"{API}/products?per_page=100", {"x-wp-totalpages": "2"}, 1,
     f"{API}/products?per_page=100&page=2"),
]


@pytest.mark.parametrize(
    ("url", "headers", "count", "expected"), [c[1:] for c in PAGING], ids=[c[0] for c in PAGING]
)
def test_next_page_follows_x_wp_totalpages(url: str, headers: dict[str, str], count: int,
                                           expected: str | None) -> None:
    raw = json.dumps([item(i, "100", "100", "100", False) for i in range(count)]).encode()
    assert parse(raw, url, headers=headers).next_url == expected


def test_single_product_json_is_one_listing_without_next() -> None:
    raw = json.dumps(item(56364, "22900", "22900", "22900", False)).encode()
    page = parse(raw, f"{API}/products/56364", "product", {"x-wp-totalpages": "9"})
    assert [x.key for x in page.listings] == ["56364"] and page.next_url is None


def test_reviews_endpoint_gives_reviews_with_clean_text() -> None:
    reviews = [
        {"id": 901, "date_created": "2026-03-02T10:00:00", "product_id": 5,
         "product_permalink": f"{SITE}/product/p5/", "reviewer": "Ann &amp; Bo",
         "review": "<p>Broke after a week.&nbsp;Sad&hellip;</p>\n<p>Never again</p>", "rating": 1},
        {"id": 900, "date_created": "2026-03-01T09:00:00", "product_id": 5,
         "product_permalink": f"{SITE}/product/p5/", "reviewer": "Cy",
         "review": "<p>Lovely</p>", "rating": 5},
    ]
    url = f"{API}/products/reviews?product_id=5&per_page=100&page=1"
    page = parse(json.dumps(reviews).encode(), url, "reviews", {"x-wp-totalpages": "2"})
    assert [r.key for r in page.reviews] == ["901", "900"]
    bad = page.reviews[0]
    assert bad.text == "Broke after a week. Sad… Never again"
    assert (bad.rating, bad.author, bad.posted, bad.url) == (
        1.0, "Ann & Bo", "2026-03-02T10:00:00", f"{SITE}/product/p5/")
    assert page.next_url == f"{API}/products/reviews?product_id=5&per_page=100&page=2"
    assert page.listings == []


BLOCKED: list[tuple[str, bytes, str]] = [
    ("html_page", b"<html><body>Please log in</body></html>", "not_json"),
    ("garbage_bytes", bytes(range(255, -1, -1)) * 3, "not_json"),
    ("rest_error", b'{"code": "rest_no_route", "message": "No route"}', "api_error"),
    ("odd_object", b'{"hello": 1}', "unexpected_json"),
]


@pytest.mark.parametrize(("raw", "reason"), [c[1:] for c in BLOCKED], ids=[c[0] for c in BLOCKED])
def test_non_api_body_is_blocked(raw: bytes, reason: str) -> None:
    page = parse(raw)
    assert page.blocked == reason and page.listings == []


def test_empty_list_parses_to_nothing() -> None:
    page = parse(b"[]", headers={"x-wp-totalpages": "0"})
    assert page == Page()


def test_junk_entries_in_the_list_are_skipped() -> None:
    raw = json.dumps([1, "x", None, {"name": "no id"}, item(2, "100", "100", "100", False)])
    assert [x.key for x in parse(raw.encode()).listings] == ["2"]
