"""The html layout adapter: the real article.com review list and synthetic listing pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchers.extract.text import stable_key
from watchers.fetching import Document
from watchers.model import Page
from watchers.sources import adapter_for
from watchers.sources.base import Layout, Purpose, SourceSpec
from watchers.sources.html import ADAPTER

PAGE = "https://market.example/search?q=lamp&page=1"

LISTING = {
    "item": "div.card",
    "title": ".title",
    "price": ".price",
    "url": "a.link",
    "image": "img",
    "sales": ".deal",
    "seller": ".shop",
    "next": "a.next",
}


def parse(html: str | bytes, layout: Layout, purpose: Purpose = "search",
          url: str = PAGE) -> Page:
    raw = html.encode() if isinstance(html, str) else html
    source = SourceSpec(platform="html", url=url, purpose=purpose, layout=layout)
    return ADAPTER.parse(Document(url=url, body=raw), source)


def card(inner: str) -> str:
    return f'<div class="card">{inner}</div>'


def test_registry_returns_the_html_adapter() -> None:
    assert adapter_for("html") is ADAPTER
    assert ADAPTER.start_urls(SourceSpec(platform="html", url=PAGE)) == [PAGE]


ARTICLE = Layout(reviews={
    "item": "div.new-product-review",
    "rating": "div.rating > span.rating-star-filled",
    "text": "span.read-more-text",
    "author": "div.product-review-name",
    "date": "div.product-review-details + div.product-review-details",
})


@pytest.mark.realworld
def test_article_reviews_count_filled_stars(realworld: Path) -> None:
    url = "https://www.article.com/product/25289/pilar-floor-lamp-white-terrazzo"
    raw = (realworld / "reviews/article_pilar_lamp_reviews.html").read_bytes()
    page = parse(raw, ARTICLE, "reviews", url)
    assert [r.author for r in page.reviews] == ["Paula L.", "Katie E.", "Danielle T."]
    assert [r.rating for r in page.reviews] == [5.0, 5.0, 5.0]
    first, second, third = page.reviews
    assert first.text == "Great quality, super heavy and sturdy. Also so beautiful"
    assert second.text.startswith("Love this lamp, and it was a real treat")
    assert third.text.startswith("My husband wasn't sold on me picking anything \"terrazzo\"")
    assert first.posted == "9 months ago - Nashville, TN"
    assert third.posted == "1 year ago - Stratford, ON"
    assert len({r.key for r in page.reviews}) == 3 and all(r.url == url for r in page.reviews)
    assert page.listings == []


def test_relative_review_date_does_not_change_the_key() -> None:
    def review(date: str) -> str:
        return ('<div class="new-product-review"><div class="rating">'
                '<span class="rating-star-filled"></span></div><span class="read-more-text">'
                f'Bad</span><div class="product-review-name">Al</div>'
                f'<div class="product-review-details">x</div>'
                f'<div class="product-review-details">{date}</div></div>')
    earlier = parse(review("9 months ago"), ARTICLE, "reviews").reviews
    later = parse(review("10 months ago"), ARTICLE, "reviews").reviews
    assert earlier[0].key == later[0].key
    dated = parse(review("2026-01-02"), ARTICLE, "reviews").reviews
    assert dated[0].key == stable_key("Al", "2026-01-02", "Bad")


RATINGS: list[tuple[str, str, str, float | None]] = [
    ("out_of_five_text", '<span class="r">4.0 out of 5 stars</span>', ".r", 4.0),
    ("slash_five", '<span class="r">4/5</span>', ".r", 4.0),
    ("ten_scale", '<span class="r">8/10</span>', ".r", 4.0),
    ("star_characters", '<span class="r">★★★★☆</span>', ".r", 4.0),
    ("star_icons_counted", '<i class="on"></i><i class="on"></i><i class="on"></i><i></i>',
     "i.on", 3.0),
    ("star_chars_one_per_element", '<b class="s">★</b><b class="s">★</b>', "b.s", 2.0),
    ("aria_label", '<div class="r" aria-label="Rated 2 out of 5"></div>', ".r", 2.0),
    ("attribute_named", '<div class="r" data-score="4.5"></div>', ".r@data-score", 4.5),
    ("width_percent", '<div class="r" style="x">60%</div>', ".r", 3.0),
    ("missing", "<span>nothing</span>", ".r", None),
]


@pytest.mark.parametrize(
    ("inner", "selector", "expected"), [c[1:] for c in RATINGS], ids=[c[0] for c in RATINGS]
)
def test_review_rating_forms(inner: str, selector: str, expected: float | None) -> None:
    layout = Layout(reviews={"item": "li.rv", "rating": selector, "text": "p"})
    page = parse(f'<ul><li class="rv">{inner}<p>words</p></li></ul>', layout, "reviews")
    assert [r.rating for r in page.reviews] == [expected]


def test_review_id_from_layout_is_the_key() -> None:
    layout = Layout(reviews={"item": "li", "id": "@data-id", "text": "p", "rating": ".r",
                             "author": ".who", "date": "time@datetime"})
    html = ('<ul><li data-id="r-77"><span class="r">1/5</span><p>Awful &amp; late</p>'
            '<span class="who">Bo</span><time datetime="2026-02-01">Feb 1</time></li>'
            '<li><span class="r">5/5</span><p>Fine</p></li></ul>')
    first, second = parse(html, layout, "reviews").reviews
    assert (first.key, first.text, first.rating, first.author, first.posted) == (
        "r-77", "Awful & late", 1.0, "Bo", "2026-02-01")
    assert second.key == stable_key(None, None, "Fine")


SEARCH = f"""<html><body>
{card('<a class="link" href="/item/1?x=1#reviews"><span class="title">Lamp  A</span></a>'
      '<span class="price">￥89-129</span><img src="data:image/gif;base64,AA" '
      'data-src="//img.example/a.jpg"><span class="deal">月销 1200+</span>'
      '<span class="shop">Shop A</span>')}
{card('<a class="link" href="https://other.example/item/2"><span class="title">Lamp B</span>'
      '</a><span class="price">¥1,299.00</span><img data-original="/img/b.jpg">'
      '<span class="deal">1万+人付款</span>')}
{card('<span class="title">Lamp C</span><span class="price">$15</span>'
      '<img data-lazy-src="c.jpg"><span class="deal">300人付款</span>')}
{card('<span class="price">ad</span>')}
<a class="next" href="?q=lamp&amp;page=2">next</a>
</body></html>"""


def test_listing_layout_reads_cards_with_relative_links_and_lazy_images() -> None:
    page = parse(SEARCH, Layout(listing=LISTING))
    a, b, c = page.listings
    assert (a.key, a.url, a.title) == (
        "https://market.example/item/1?x=1", "https://market.example/item/1?x=1", "Lamp A")
    assert (a.price, a.currency, a.image) == (89.0, "CNY", "https://img.example/a.jpg")
    assert (a.sales, a.sales_text, a.seller) == (1200, "月销 1200+", "Shop A")
    assert (b.url, b.price, b.sales, b.image) == (
        "https://other.example/item/2", 1299.0, 10000, "https://market.example/img/b.jpg")
    assert b.seller is None
    # No link: the key falls back to a hash of title and image.
    assert c.url == "" and c.key == stable_key("Lamp C", "https://market.example/c.jpg")
    assert (c.price, c.currency, c.sales) == (15.0, "USD", 300)
    assert page.next_url == "https://market.example/search?q=lamp&page=2"


ATTRS: list[tuple[str, dict[str, str], str, str | None, str | None]] = [
    ("url_attr_named", {"url": "div.go@data-href"},
     '<div class="go" data-href="/p/9">x</div>', "https://market.example/p/9", None),
    ("image_attr_named", {"image": "div.pic@data-bg"},
     '<a href="/p/1">t</a><div class="pic" data-bg="//cdn.example/z.png"></div>',
     "https://market.example/p/1", "https://cdn.example/z.png"),
    ("url_wrapper_without_href", {"url": "div.wrap"},
     '<div class="wrap"><a href="/p/5">t</a></div>', "https://market.example/p/5", None),
    ("no_url_key_uses_first_link", {},
     '<a href="/p/6">t</a>', "https://market.example/p/6", None),
    ("image_src_plain", {"image": "img"}, '<a href="/p/7">t</a><img src="/i/7.jpg">',
     "https://market.example/p/7", "https://market.example/i/7.jpg"),
]


@pytest.mark.parametrize(
    ("extra", "inner", "url", "image"), [c[1:] for c in ATTRS], ids=[c[0] for c in ATTRS]
)
def test_selector_attributes_and_defaults(extra: dict[str, str], inner: str, url: str | None,
                                          image: str | None) -> None:
    layout = Layout(listing={"item": "div.card", "title": "a", **extra})
    (listing,) = parse(card(inner), layout).listings
    assert (listing.url, listing.image) == (url, image)


def test_base_href_resolves_relative_links() -> None:
    html = '<head><base href="https://cdn-mirror.example/shop/"></head>' + card(
        '<a class="link" href="p/1"><span class="title">T</span></a>')
    (listing,) = parse(html, Layout(listing=LISTING)).listings
    assert listing.url == "https://cdn-mirror.example/shop/p/1"


def test_next_link_to_the_same_page_ends_paging() -> None:
    html = card('<a class="link" href="/i/1"><span class="title">T</span></a>') + (
        f'<a class="next" href="{PAGE}#top">next</a>')
    assert parse(html, Layout(listing=LISTING)).next_url is None


def test_duplicate_cards_are_listed_once() -> None:
    one = card('<a class="link" href="/i/1"><span class="title">T</span></a>')
    assert len(parse(one + one, Layout(listing=LISTING)).listings) == 1


def test_catalog_purpose_uses_the_listing_layout() -> None:
    page = parse(SEARCH, Layout(listing=LISTING, reviews={"item": "div.card", "text": ".title"}),
                 "catalog")
    assert len(page.listings) == 3 and page.reviews == []


NOTHING: list[tuple[str, bytes | str, Layout]] = [
    ("no_matching_items", "<html><body><p>Welcome</p></body></html>", Layout(listing=LISTING)),
    ("empty_body", b"", Layout(listing=LISTING)),
    ("garbage_bytes", bytes(range(256)) * 8, Layout(listing=LISTING)),
    ("invalid_selector", SEARCH, Layout(listing={**LISTING, "item": "div[[["})),
    ("empty_layout", SEARCH, Layout()),
    ("utf16_noise", "\ufeff<\x00d\x00i\x00v".encode("utf-16-le"), Layout(listing=LISTING)),
]


@pytest.mark.parametrize(("raw", "layout"), [c[1:] for c in NOTHING], ids=[c[0] for c in NOTHING])
def test_page_without_items_parses_to_nothing(raw: bytes | str, layout: Layout) -> None:
    page = parse(raw, layout)
    assert page.listings == [] and page.reviews == [] and page.next_url is None


def test_no_layout_parses_to_nothing() -> None:
    source = SourceSpec(platform="html", url=PAGE)
    assert ADAPTER.parse(Document(url=PAGE, body=SEARCH.encode()), source) == Page()
