"""The jsonld adapter on synthetic pages: schema.org shapes, reviews, sitemaps, catalog links."""

from __future__ import annotations

import asyncio
import gzip
import json
from typing import Any

import pytest

from watchers.fetching import Document, FetchError
from watchers.model import Page
from watchers.reading import read_source
from watchers.sources.base import Purpose, SourceSpec
from watchers.sources.jsonld import ADAPTER

SHOP = "https://shop.example"
CATALOG = f"{SHOP}/collections/all"
PRODUCT = f"{SHOP}/products/lamp"


def ld(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def html(*blocks: str, head: str = "", body: str = "") -> bytes:
    return f"<html><head>{head}{''.join(blocks)}</head><body>{body}</body></html>".encode()


def parse(raw: bytes, url: str = PRODUCT, purpose: Purpose = "catalog",
          start: str = CATALOG) -> Page:
    spec = SourceSpec(platform="jsonld", url=start, purpose=purpose, home=f"{SHOP}/")
    return ADAPTER.parse(Document(url=url, body=raw), spec)


def product(**fields: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "Product", "name": "Lamp", **fields}


def offer(price: Any, stock: str | None = "https://schema.org/InStock", **extra: Any
          ) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Offer", "price": price, "priceCurrency": "EUR", **extra}
    if stock is not None:
        data["availability"] = stock
    return data


LISTING_CASES: list[Any] = [
    pytest.param(html(ld(product(offers={
        "@type": "AggregateOffer", "lowPrice": "19.99", "highPrice": "39.99", "offerCount": 3,
        "priceCurrency": "USD"}))), {"price": 19.99, "currency": "USD", "available": None},
        id="aggregate_offer_low_price"),
    pytest.param(html(ld(product(offers={"@type": "AggregateOffer", "offers": [
        offer("25.00", "OutOfStock"), offer(22, "http://schema.org/OutOfStock"),
        offer("30.00")]}))), {"price": 22.0, "available": True},
        id="aggregate_offer_nested_offers"),
    pytest.param(html('<script type="application/ld+json">{"@type": "Product", "name": </script>',
                      ld(product(offers=offer("9.50")))), {"title": "Lamp", "price": 9.5},
                 id="broken_block_beside_valid_one"),
    pytest.param(html(ld({"@context": "https://schema.org", "@type": "Organization",
                          "name": "Shop"}),
                      ld({"@type": "BreadcrumbList", "itemListElement": []}),
                      ld(product(offers=offer("12.00")))), {"price": 12.0},
                 id="several_blocks"),
    pytest.param(html(ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": f"{PRODUCT}#page"},
        {"@type": "Product", "name": "Lamp", "offers": {"@id": "#offer"}},
        {"@type": "Offer", "@id": "#offer", "price": "15.00", "priceCurrency": "GBP"}]})),
        {"price": 15.0, "currency": "GBP"}, id="graph_with_offer_reference"),
    pytest.param(html(ld([{"@type": "WebPage", "mainEntity": product(offers=offer(8))}])),
                 {"price": 8.0}, id="product_nested_in_top_level_array"),
    pytest.param(html(ld(product(**{"@type": ["Product", "Thing"]}, offers=offer("5")))),
                 {"price": 5.0}, id="type_as_list"),
    pytest.param(html(ld(product(offers=[offer("12.50"), offer("10.00", "OutOfStock")]))),
                 {"price": 10.0, "available": True}, id="offer_list_lowest_price_any_in_stock"),
    pytest.param(html(ld(product(offers=[offer("12.50", "https://schema.org/SoldOut"),
                                         offer("10.00", "OutOfStock")]))),
                 {"available": False}, id="all_offers_out_of_stock"),
    pytest.param(html(ld(product(offers=offer("10", None)))), {"available": None},
                 id="missing_availability_is_unknown"),
    pytest.param(html(ld(product(offers=offer(80, priceSpecification=[
        {"@type": "UnitPriceSpecification", "price": 100, "priceCurrency": "EUR",
         "priceType": "https://schema.org/ListPrice"}])))),
        {"price": 80.0, "regular_price": 100.0}, id="list_price_above_price_is_regular"),
    pytest.param(html(ld(product(offers=offer(80, priceSpecification={
        "@type": "UnitPriceSpecification", "price": 80,
        "priceType": "https://schema.org/StrikethroughPrice"})))),
        {"price": 80.0, "regular_price": None}, id="strikethrough_equal_to_price_is_no_promo"),
    pytest.param(html(ld(product(offers={"@type": "Offer", "priceSpecification": {
        "@type": "PriceSpecification", "price": "44.90", "priceCurrency": "CHF"}}))),
        {"price": 44.9, "currency": "CHF"}, id="price_only_in_price_specification"),
    pytest.param(html(ld(product(offers=offer("0.00")))), {"price": None},
                 id="zero_price_is_no_price"),
    pytest.param(html(ld(product(name="Tom &amp; Jerry  Lamp", offers=offer("1")))),
                 {"title": "Tom & Jerry Lamp"}, id="entities_in_name"),
    pytest.param(html(ld(product(offers=offer("3", seller={"@type": "Organization",
                                                          "name": "Lamp Co"})))),
                 {"seller": "Lamp Co"}, id="seller_name"),
    pytest.param(html(ld(product(image=[{"@type": "ImageObject", "url": "//cdn.example/a.jpg"},
                                        {"contentUrl": "/img/b.jpg"}, "//cdn.example/a.jpg"]))),
                 {"images": ("https://cdn.example/a.jpg", f"{SHOP}/img/b.jpg"),
                  "image": "https://cdn.example/a.jpg"}, id="image_objects_and_relative_urls"),
    pytest.param(html(ld(product(aggregateRating={"ratingValue": "8", "bestRating": "10",
                                                  "reviewCount": "1,204"}))),
                 {"rating": 4.0, "review_count": 1204}, id="ten_point_aggregate_rating"),
    pytest.param(html(ld({"@context": "https://schema.org", "@type": "ProductGroup",
                          "name": "Shoe", "hasVariant": [
                              product(offers=offer("30.00", "OutOfStock"), image="/v1.jpg"),
                              product(offers=offer("25.00")),
                              product(offers=offer("27.00", "OutOfStock")),
                              {"url": f"{SHOP}/products/shoe-red"}]})),
                 {"title": "Shoe", "price": 25.0, "available": True},
                 id="product_group_lowest_variant_any_available"),
    pytest.param(html(body='<div itemscope itemtype="https://schema.org/Product">'
                           '<h1 itemprop="name">Micro Lamp</h1><img itemprop="image" src="/m.jpg">'
                           '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
                           '<span itemprop="price" content="49.00">$49</span>'
                           '<meta itemprop="priceCurrency" content="USD">'
                           '<link itemprop="availability" href="https://schema.org/OutOfStock">'
                           '</div></div>'),
                 {"title": "Micro Lamp", "price": 49.0, "currency": "USD", "available": False,
                  "image": f"{SHOP}/m.jpg"}, id="microdata_fallback"),
]


@pytest.mark.parametrize(("raw", "facts"), LISTING_CASES)
def test_product_markup_becomes_one_listing(raw: bytes, facts: dict[str, Any]) -> None:
    page = parse(raw)
    assert page.follow == []
    (listing,) = page.listings
    assert listing.key == PRODUCT
    for field, expected in facts.items():
        assert getattr(listing, field) == expected, field


KEY_CASES = [
    pytest.param(f'<link rel="canonical" href="{SHOP}/products/lamp-canonical">',
                 {"url": f"{SHOP}/products/lamp-offer"}, f"{SHOP}/products/lamp-canonical",
                 id="canonical_link_first"),
    pytest.param("", {"url": f"{SHOP}/products/lamp-offer"}, f"{SHOP}/products/lamp-offer",
                 id="then_offer_url"),
    pytest.param("", {}, f"{PRODUCT}?variant=7", id="then_document_url"),
]


@pytest.mark.parametrize(("head", "extra", "key"), KEY_CASES)
def test_listing_key_is_the_canonical_url(head: str, extra: dict[str, str], key: str) -> None:
    raw = html(ld(product(offers=offer("10", **extra))), head=head)
    (listing,) = parse(raw, url=f"{PRODUCT}?variant=7").listings
    assert listing.key == key


def test_product_purpose_takes_the_first_product_with_all_variant_images() -> None:
    group = {"@type": "ProductGroup", "name": "Shoe", "image": ["/a.jpg", "/b.jpg"],
             "hasVariant": [product(image="/c.jpg", offers=offer(5)), product(image="/a.jpg")]}
    raw = html(ld(group), ld(product(name="Other", url=f"{SHOP}/products/other")))
    (listing,) = parse(raw, purpose="product", start=PRODUCT).listings
    assert listing.images == (f"{SHOP}/a.jpg", f"{SHOP}/b.jpg", f"{SHOP}/c.jpg")


def test_several_products_on_a_page_are_keyed_by_their_own_urls() -> None:
    raw = html(ld({"@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "item": product(name="A", url=f"{SHOP}/products/a",
                                              offers=offer(1))},
        {"@type": "ListItem", "item": product(name="B", url=f"{SHOP}/products/b",
                                              offers=offer(2))}]}))
    page = parse(raw, url=f"{SHOP}/pages/sale")
    assert [(x.key, x.price) for x in page.listings] == [(f"{SHOP}/products/a", 1.0),
                                                         (f"{SHOP}/products/b", 2.0)]


TEN_POINT_REVIEWS = product(review=[
    {"@type": "Review", "@id": "r-1", "reviewRating": {"ratingValue": 8, "bestRating": 10},
     "author": {"@type": "Person", "name": "Ann"}, "datePublished": "2026-01-02",
     "reviewBody": "Bright <b>and</b> warm", "name": "Nice"},
    {"@type": "Review", "reviewRating": {"ratingValue": "3", "bestRating": "10",
                                         "worstRating": "1"},
     "author": "Bob", "datePublished": "2026-01-03", "description": "Too dim"},
], aggregateRating={"ratingValue": 5.5, "bestRating": 10, "ratingCount": 2})


def test_json_ld_reviews_are_normalised_to_a_five_point_scale() -> None:
    page = parse(html(ld(TEN_POINT_REVIEWS)), purpose="reviews", start=PRODUCT, url=PRODUCT)
    first, second = page.reviews
    assert (first.key, first.rating, first.author, first.posted, first.title, first.text) == (
        "r-1", 4.0, "Ann", "2026-01-02", "Nice", "Bright and warm")
    assert (second.rating, second.author, second.text, second.title) == (
        1.5, "Bob", "Too dim", None)
    assert len(second.key) == 16  # a stable hash: no id was given
    assert all(r.url == PRODUCT for r in page.reviews)
    assert (page.rating, page.review_count) == (2.75, 2)
    assert page.listings == []


def test_single_review_object_and_shared_ids_still_give_distinct_reviews() -> None:
    shared = [{"@id": PRODUCT, "reviewRating": {"ratingValue": 5}, "reviewBody": t}
              for t in ("Good", "Great")]
    one = parse(html(ld(product(review={"reviewRating": {"ratingValue": "4"},
                                        "reviewBody": "Fine"}))), purpose="reviews")
    two = parse(html(ld(product(review=shared))), purpose="reviews")
    assert [(r.rating, r.text) for r in one.reviews] == [(4.0, "Fine")]
    assert [r.text for r in two.reviews] == ["Good", "Great"]
    assert len({r.key for r in two.reviews}) == 2


def test_microdata_reviews_read_ids_and_drawn_stars() -> None:
    body = ('<div itemprop="review" itemscope itemtype="http://schema.org/Review" '
            'data-reviewid="77"><div aria-label="3.0 out of 5 stars"></div>'
            '<span itemprop="author">Cy</span><span itemprop="datePublished" '
            'content="Mar 05, 2024">Mar 05, 2024</span>'
            '<p itemprop="reviewBody">Works</p></div>'
            '<div itemscope itemtype="http://schema.org/Review"><i class="fullStar"></i>'
            '<i class="fullStar"></i><p itemprop="reviewBody">Meh</p></div>')
    page = parse(html(body=body), purpose="reviews")
    first, second = page.reviews
    assert (first.key, first.rating, first.author, first.posted, first.text) == (
        "77", 3.0, "Cy", "2024-03-05", "Works")
    assert (second.rating, second.text) == (2.0, "Meh")


def sitemap(kind: str, locs: list[str]) -> bytes:
    tag = "url" if kind == "urlset" else "sitemap"
    entries = "".join(f"<{tag}><loc>{u}</loc></{tag}>" for u in locs)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{kind} '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{kind}>').encode()


URLSET = sitemap("urlset", [f"{SHOP}/products/a", "https://other.example/products/x",
                            f"{SHOP}/products/b?c=1&amp;d=2", f"{SHOP}/products/a",
                            f"{SHOP}/cart", f"{SHOP}/files/manual.pdf"])
SITEMAP_CASES = [
    pytest.param(URLSET, [f"{SHOP}/products/a", f"{SHOP}/products/b?c=1&d=2"], id="urlset"),
    pytest.param(gzip.compress(URLSET), [f"{SHOP}/products/a", f"{SHOP}/products/b?c=1&d=2"],
                 id="gzipped_urlset"),
    pytest.param(sitemap("sitemapindex", [f"{SHOP}/sitemap_pages_1.xml",
                                          f"{SHOP}/sitemap_products_1.xml?from=1",
                                          f"{SHOP}/sitemap_products_2.xml"]),
                 [f"{SHOP}/sitemap_products_1.xml?from=1", f"{SHOP}/sitemap_products_2.xml"],
                 id="sitemap_index_prefers_product_sitemaps"),
    pytest.param(sitemap("sitemapindex", [f"{SHOP}/sitemap-1.xml", f"{SHOP}/sitemap-2.xml"]),
                 [f"{SHOP}/sitemap-1.xml", f"{SHOP}/sitemap-2.xml"], id="sitemap_index"),
]


@pytest.mark.parametrize(("raw", "follow"), SITEMAP_CASES)
def test_sitemap_yields_same_host_pages_to_follow(raw: bytes, follow: list[str]) -> None:
    page = parse(raw, url=f"{SHOP}/sitemap.xml", start=f"{SHOP}/sitemap.xml")
    assert page.follow == follow
    assert page.listings == []


CATALOG_BODY = (
    '<a href="/products/a">A</a><a href="/products/a#reviews">A again</a>'
    f'<a href="{SHOP}/products/b?variant=2">B</a><a href="//shop.example/products/c">C</a>'
    '<a href="https://other.example/products/x">elsewhere</a><a href="mailto:x@shop.example">m</a>'
    '<a href="javascript:void(0)">js</a><a href="/cart">cart</a><a href="/account/login">in</a>'
    '<a href="/assets/style.css">css</a><a href="/collections/all">self</a><a href="#top">top</a>'
    '<a rel="next" href="/collections/all?page=2">next</a>'
)


def test_catalog_page_follows_its_same_host_links_only() -> None:
    page = parse(html(body=CATALOG_BODY), url=CATALOG)
    assert page.follow == [f"{SHOP}/products/a", f"{SHOP}/products/b?variant=2",
                           f"{SHOP}/products/c"]
    assert page.next_url == f"{CATALOG}?page=2"
    assert page.listings == []


def test_query_style_catalog_follows_products_but_not_its_own_pages() -> None:
    category = f"{SHOP}/index.php?route=product/category&path=20"
    body = ('<a href="index.php?route=product/product&amp;product_id=42">P</a>'
            '<a href="index.php?route=product/category&amp;path=20&amp;page=2">2</a>')
    page = parse(html(body=body), url=category, start=category)
    assert page.follow == [f"{SHOP}/index.php?route=product/product&product_id=42"]


def test_catalog_summary_of_a_linked_product_leaves_it_to_the_product_page() -> None:
    summary = {"@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "item": product(name="A", url=f"{SHOP}/products/a")},
        {"@type": "ListItem", "item": product(name="Z", url=f"{SHOP}/products/z",
                                              offers=offer(3))}]}
    page = parse(html(ld(summary), body=CATALOG_BODY), url=CATALOG)
    assert f"{SHOP}/products/a" in page.follow
    assert [x.key for x in page.listings] == [f"{SHOP}/products/z"]


def test_numbered_catalog_page_also_yields_links() -> None:
    page = parse(html(body=CATALOG_BODY), url=f"{CATALOG}?page=2")
    assert f"{SHOP}/products/a" in page.follow


def test_linked_page_without_product_is_empty_not_an_error() -> None:
    page = parse(html(ld({"@type": "Organization", "name": "Shop"}), body=CATALOG_BODY),
                 url=f"{SHOP}/pages/about")
    assert page == Page()


@pytest.mark.parametrize("purpose", ["catalog", "search", "reviews", "product"])
@pytest.mark.parametrize("raw", [
    b"", b"\x00\xff\xfe\x1f\x8b garbage \x80\x81", b"<html><script type='application/ld+json'>"
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]"
    b"</script>", b'<script type="application/ld+json">{"@type":"Product","offers":'
    b'{"price":{"x":1},"availability":[]},"image":{"url":7},"review":[1,null,"x"]}</script>',
    b"\x1f\x8b\x08\x00broken gzip", b"<?xml version='1.0'?><urlset><loc>javascript:x</loc>",
], ids=["empty", "binary", "deep_nesting", "odd_types", "broken_gzip", "bad_sitemap"])
def test_garbage_never_raises(raw: bytes, purpose: Purpose) -> None:
    page = parse(raw, url=CATALOG, purpose=purpose)
    assert isinstance(page, Page)
    assert page.blocked is None
    assert page.listings == [] or page.listings[0].price is None


class PagesFetcher:
    """An in-memory Fetcher: a dict of URL -> body; anything else is a 404."""

    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        if url not in self.pages:
            raise FetchError(url, "HTTP 404")
        return Document(url=url, body=self.pages[url])


def test_read_of_a_paged_catalog_collects_every_linked_product() -> None:
    def card(slug: str, price: str) -> bytes:
        return html(ld(product(name=slug, offers=offer(price))),
                    head=f'<link rel="canonical" href="{SHOP}/products/{slug}">')

    fetcher = PagesFetcher({
        CATALOG: html(body='<a href="/products/a">A</a><a href="/pages/about">About</a>'
                           f'<a rel="next" href="{CATALOG}?page=2">2</a>'),
        f"{CATALOG}?page=2": html(body='<a href="/products/b">B</a>'),
        f"{SHOP}/products/a": card("a", "10.00"),
        f"{SHOP}/products/b": card("b", "12.00"),
        f"{SHOP}/pages/about": html(body="<p>About us</p>"),
    })
    spec = SourceSpec(platform="jsonld", url=CATALOG, purpose="catalog", home=f"{SHOP}/")
    result = asyncio.run(read_source(fetcher, spec))
    assert result.errors == []
    assert {k: x.price for k, x in result.listings.items()} == {
        f"{SHOP}/products/a": 10.0, f"{SHOP}/products/b": 12.0}
