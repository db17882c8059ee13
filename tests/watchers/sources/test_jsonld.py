"""The jsonld adapter on real captured product and review pages (read in place)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from watchers.fetching import Document
from watchers.model import Page
from watchers.sources import adapter_for
from watchers.sources.base import Purpose, SourceSpec
from watchers.sources.jsonld import ADAPTER


def parse_file(path: Path, url: str, purpose: Purpose = "catalog",
               start: str = "https://catalog.example/collections/all") -> Page:
    spec = SourceSpec(platform="jsonld", url=start, purpose=purpose, home=start)
    return ADAPTER.parse(Document(url=url, body=path.read_bytes()), spec)


def test_registry_returns_the_jsonld_adapter() -> None:
    assert adapter_for("jsonld") is ADAPTER


def test_start_url_is_the_configured_page() -> None:
    spec = SourceSpec(platform="jsonld", url="https://shop.example/sitemap.xml")
    assert ADAPTER.start_urls(spec) == ["https://shop.example/sitemap.xml"]


ACE = "https://www.acehardware.com/departments/tools/power-tools/cordless-drills/2385458"
PRODUCT_PAGES: list[Any] = [
    pytest.param(
        "jsonld/acehardware_dewalt_drill.html", ACE,
        {"title": "DeWalt 20V MAX 1/2 in. Brushed Cordless Compact Drill Kit (Battery & Charger)",
         "price": 129.0, "currency": "USD", "available": True, "regular_price": None,
         "image": "https://cdn-tp6.mozu.com/24645-37138/cms/37138/files/"
                  "f7b42b30-cf5a-4829-be02-76bf93727867?_mzcb=_1767877756410"},
        id="ace_string_price_entity_in_name_protocol_relative_image"),
    pytest.param(
        "jsonld/adaysmarch_miller_trousers.html",
        "https://www.adaysmarch.com/us/miller-cotton-lyocell-trousers-iron",
        {"title": "Miller Cotton Lyocell Trousers", "price": 170.0, "currency": "USD",
         "available": None},
        id="adaysmarch_numeric_price_no_availability"),
    pytest.param(
        "jsonld/nike_gb_af1_productgroup.html",
        "https://www.nike.com/gb/t/air-force-1-07-lv8-shoes-E5NnNyBr",
        {"title": "Nike Air Force 1 '07 LV8 Men's Shoes", "price": 76.99, "currency": "GBP",
         "available": None, "regular_price": None},
        id="nike_productgroup_in_top_level_array"),
    pytest.param(
        "jsonld/coverstore_forester_cover.html",
        "https://www.coverstore.com/products/2025-subaru-forester-cover-blocktite-prime-beige",
        {"title": "2025 Subaru Forester Cover BlockTite Prime Beige", "price": 117.99,
         "currency": "USD", "available": True, "seller": "Coverstore"},
        id="coverstore_bare_instock_and_seller"),
    pytest.param(
        "jsonld/snaggedandbagged_nb_847_shoe.html",
        "https://snaggedandbagged.com/products/new-balance-women-s-847lw4-walking-shoe-in-grey",
        {"title": "New Balance - Women's 847lw4 Walking Shoe", "price": 117.0,
         "currency": "USD", "available": True},
        id="snaggedandbagged_spaced_lowercase_availability_nine_offers"),
    pytest.param(
        "jsonld/orientbell_tile_pdp.html",
        "https://www.orientbell.com/ohg-emperador-marble-strips-hl",
        {"title": "OHG Emperador Marble Strips HL", "price": 84.0, "currency": "INR",
         "available": None, "rating": 5.0, "review_count": 5},
        id="orientbell_broken_block_beside_product"),
    pytest.param(
        "jsonld/scrapeme_live_woocommerce_bulbasaur_graph.html",
        "https://scrapeme.live/shop/Bulbasaur/",
        {"title": "Bulbasaur", "price": 63.0, "currency": "GBP", "available": True,
         "image": "https://scrapeme.live/wp-content/uploads/2018/08/001.png"},
        id="scrapeme_woocommerce_graph"),
    pytest.param(
        "reviews/article_pilar_lamp_reviews.html",
        "https://www.article.com/product/25289/pilar-floor-lamp-white-terrazzo",
        {"title": "Pilar Floor Lamp - White Terrazzo", "price": None,
         "rating": 4.666666666, "review_count": 18},
        id="article_product_without_offers"),
    pytest.param(
        "reviews/ebay_item_microdata_reviews.html",
        "http://www.ebay.com/itm/Outdoor-Wicker-Patio-Furniture-Sofa-3-Seater-Luxury-Comfort-"
        "Brown-Wicker-Couch-/381228738769",
        {"title": "Outdoor Wicker Patio Furniture Sofa 3 Seater Luxury Comfort Brown Wicker "
                  "Couch", "price": 349.99, "currency": "USD", "available": True,
         "rating": 4.5, "review_count": 8,
         "image": "http://i.ebayimg.com/images/g/xt0AAOSwfC9XOf8d/s-l300.jpg"},
        id="ebay_microdata_only"),
    pytest.param(
        "reviews/bathandbodyworks_candle_bvseo_reviews.html",
        "https://www.bathandbodyworks.com/p/vanilla-bean-noel-3-wick-candle-024580338.html",
        {"title": "Vanilla Bean Noel 3-Wick Candle", "price": 10.5, "currency": "USD",
         "available": True, "rating": 4.0, "review_count": 148},
        id="bathandbodyworks_jsonld_without_product_falls_back_to_microdata"),
]


@pytest.mark.parametrize(("name", "canonical", "facts"), PRODUCT_PAGES)
def test_real_product_page_yields_its_product_keyed_by_canonical_url(
        realworld: Path, name: str, canonical: str, facts: dict[str, Any]) -> None:
    # Fetched as a page linked from the catalog: its product, and no further links.
    page = parse_file(realworld / name, url=canonical + "?utm_source=feed")
    assert page.blocked is None
    assert page.follow == []
    assert len(page.listings) == 1
    listing = page.listings[0]
    assert listing.key == canonical
    assert listing.url == canonical
    for field, expected in facts.items():
        assert getattr(listing, field) == expected, field
    assert (page.rating, page.review_count) == (None, None)  # a catalog has no one rating
    hero = parse_file(realworld / name, url=canonical, purpose="product", start=canonical)
    assert hero.listings == page.listings
    assert hero.rating == facts.get("rating")
    assert hero.review_count == facts.get("review_count")


def test_real_product_purpose_keeps_every_image_of_the_product(realworld: Path) -> None:
    page = parse_file(realworld / "jsonld/orientbell_tile_pdp.html",
                      "https://www.orientbell.com/ohg-emperador-marble-strips-hl", "product")
    (listing,) = page.listings
    assert len(listing.images) == 2
    assert listing.image == listing.images[0]
    assert all(i.startswith("https://images.orientbell.com/") for i in listing.images)


def test_real_start_page_holding_a_product_returns_it_with_same_host_links(
        realworld: Path) -> None:
    start = "https://www.coverstore.com/products/2025-subaru-forester-cover-blocktite-prime-beige"
    page = parse_file(realworld / "jsonld/coverstore_forester_cover.html", start, "catalog",
                      start=start)
    assert [x.price for x in page.listings] == [117.99]
    assert page.follow
    assert all(u.startswith("https://www.coverstore.com/") and "#" not in u
               for u in page.follow)
    assert len(page.follow) == len(set(page.follow))
    assert not any("/cart" in u or "/account" in u for u in page.follow)


EBAY_REVIEWS = [
    (4.0, "mtkeane", "2016-08-24", "Comfy to lay on!!"),
    (5.0, "rosemarysandieg...", "2016-10-12", "Comfortable sofas at a great price!"),
    (4.0, "ildiko01blue", "2016-06-29", "Worth of Money"),
    (5.0, "jz8132oz", "2016-09-29", "Lightweight but durable"),
    (5.0, "shop.girl.me", "2016-07-07", "Beautiful."),
]
BBW_REVIEWS = [
    ("140804366", 5.0, "chiefwhiskers", "2020-01-14", "Great Holiday Scent"),
    ("140784838", 1.0, "Nikkik247", "2020-01-14", "Non-existent throw"),
    ("140758542", 5.0, "Blessedimp", "2020-01-13", "Lovely relaxing scent."),
    ("140691807", 2.0, "AYates", "2020-01-11", "Love the scent but..."),
]


def test_real_ebay_microdata_reviews_take_stars_from_the_aria_label(realworld: Path) -> None:
    url = "http://www.ebay.com/itm/381228738769"
    page = parse_file(realworld / "reviews/ebay_item_microdata_reviews.html", url, "reviews")
    assert [(r.rating, r.author, r.posted, r.title) for r in page.reviews] == EBAY_REVIEWS
    assert page.reviews[4].text == "Stylish yet comfortable."
    assert page.reviews[0].text.startswith("We bought two of these for our covered porch")
    assert all(r.url == url for r in page.reviews)
    # No review ids on eBay: keys are stable hashes, one per review.
    assert len({r.key for r in page.reviews}) == 5
    again = parse_file(realworld / "reviews/ebay_item_microdata_reviews.html", url, "reviews")
    assert [r.key for r in again.reviews] == [r.key for r in page.reviews]
    assert (page.rating, page.review_count) == (4.5, 8)
    assert page.listings == []


def test_real_bazaarvoice_reviews_are_keyed_by_their_review_ids(realworld: Path) -> None:
    url = "https://www.bathandbodyworks.com/p/vanilla-bean-noel-3-wick-candle-024580338.html"
    page = parse_file(realworld / "reviews/bathandbodyworks_candle_bvseo_reviews.html", url,
                      "reviews")
    assert [(r.key, r.rating, r.author, r.posted, r.title) for r in page.reviews] == BBW_REVIEWS
    assert page.reviews[1].text.startswith("Burned for 2 hours on my desk")
    assert (page.rating, page.review_count) == (4.0, 148)


def test_real_json_ld_aggregate_rating_is_read_when_reviews_are_only_in_the_dom(
        realworld: Path) -> None:
    page = parse_file(realworld / "reviews/article_pilar_lamp_reviews.html",
                      "https://www.article.com/product/25289/pilar-floor-lamp-white-terrazzo",
                      "reviews")
    assert page.blocked is None
    assert (page.rating, page.review_count) == (4.666666666, 18)


@pytest.mark.parametrize("name", [
    "jsonld/scrapeme_live_woocommerce_bulbasaur_graph.html",  # "There are no reviews yet."
    "jsonld/orientbell_tile_pdp.html",  # "review": "" in its JSON-LD
])
def test_real_page_without_reviews_gives_no_reviews_and_is_not_blocked(
        realworld: Path, name: str) -> None:
    page = parse_file(realworld / name, "https://x.example/p", "reviews")
    assert page.reviews == []
    assert page.blocked is None


@pytest.mark.parametrize("purpose", ["catalog", "search", "reviews", "product"])
def test_every_captured_file_parses_without_raising(realworld: Path, purpose: Purpose) -> None:
    files = sorted(p for p in realworld.rglob("*") if p.is_file() and p.suffix != ".md")
    assert len(files) >= 20
    for path in files:
        page = parse_file(path, "https://catalog.example/p/1", purpose)
        assert isinstance(page, Page)
        assert page.blocked != "unparsable", path.name
