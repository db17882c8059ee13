"""Property-based fuzz of the pure parsers: pages, sitemaps, JSON and price texts.

No exception escapes a parser, and none hides behind the adapters' safety net either (a
page the parser choked on reads as "unparsable", which the fuzz counts as a failure); a
catalogue body cut short is never read as a complete page. The budget is small so that it
runs inside `make test`; raise FUZZ_EXAMPLES locally to search longer.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchers.extract.text import (
    currency_of,
    parse_price,
    parse_price_range,
    parse_rating,
    parse_sales,
)
from watchers.fetching import Document
from watchers.model import Page
from watchers.sources import PLATFORMS, adapter_for
from watchers.sources.base import Layout, SourceSpec

# Sitemaps and JSON reach the HTML platforms too, on purpose; bs4 warns about it.
pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PRICE_BITS = st.sampled_from([
    "¥", "￥", "$", "US$", "€", "元", "RMB", "CNY", "-", "−", "~", "至", "to", ".", ",", "'",
    " ", "\u00a0", "0", "1", "9", "12", "1,299", "1.299,00", "99.9", "折", "%", "off", "省",
    "满", "减", "免费", "万", "+", "人付款", "月销", "已售", "★", "/5", "out of 5", "e9",
    "1e308", "NaN", "inf", "٣", "１２", "\u200b",
])
PRICE_TEXT = st.one_of(st.text(max_size=40), st.lists(PRICE_BITS, max_size=12).map("".join))

TAGS = ["div", "a", "li", "span", "p", "script", "em", "i", "strong", "img", "dl", "b"]
ATTRS = st.sampled_from([
    'class="gl-item"', 'class="Card--doubleCardWrapper--x"', 'class="p-price"',
    'class="Price--priceInt--x"', 'class="p-name"', 'href="//item.taobao.com/item.htm?id=123"',
    'href="https://item.jd.com/456.html"', 'data-sku="789"', 'data-id="12"', 'data-stock="0"',
    'type="application/ld+json"', 'itemscope itemtype="https://schema.org/Product"',
    'itemprop="price" content="-5"', 'src="data:x"', 'href="javascript:x"', "",
])
SNIPPETS = st.sampled_from([
    '{"@type":"Product","name":"x","offers":{"price":"-1"}}', "g_page_config = {",
    'g_page_config = {"mods":{"itemlist":{"data":{"auctions":[{"nid":"1"}]}}}};',
    "pageConfig = {product: {skuid: 1}};", "已售罄", "¥129", "到货通知", "<!--", "]]>",
    '{"@graph":[[[[[[]]]]]]}', "&#0;", "&amp;", "\x00", "\ud7ff", "请拖动下方滑块完成验证",
])


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    def node(depth: int) -> str:
        if depth > 4 or draw(st.booleans()):
            return draw(st.one_of(SNIPPETS, st.text(max_size=20)))
        tag = draw(st.sampled_from(TAGS))
        inner = "".join(node(depth + 1) for _ in range(draw(st.integers(0, 3))))
        close = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # unclosed sometimes
        return f"<{tag} {draw(ATTRS)}>{inner}{close}"
    return "<html><body>" + "".join(node(0) for _ in range(draw(st.integers(1, 4))))


@st.composite
def sitemaps(draw: st.DrawFn) -> str:
    locs = st.one_of(st.sampled_from(["https://shop.example/p/1", "/p/2", "http://127.0.0.1/x",
                                      "file:///etc/passwd", "", "&lol9;", "https://shop.example"
                                      "/sitemap.xml"]), st.text(max_size=15))
    root = draw(st.sampled_from(["urlset", "sitemapindex", "rss", "feed"]))
    entry = "url" if root == "urlset" else "sitemap"
    entries = "".join(
        f"<{entry}><loc>{draw(locs)}</loc><lastmod>{draw(st.text(max_size=12))}</lastmod>"
        f"</{entry}>" for _ in range(draw(st.integers(0, 5))))
    doctype = draw(st.sampled_from([
        "", '<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>']))
    cut = draw(st.integers(0, 3)) == 0
    text = (f'<?xml version="1.0"?>{doctype}<{root} '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{root}>')
    return text[: draw(st.integers(0, len(text)))] if cut else text


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from([
                                "products", "id", "title", "variants", "price", "prices",
                                "compare_at_price", "available", "images", "name", "nid",
                                "handle", "is_in_stock", "regular_price", "currency_minor_unit",
                                "@type", "offers", "itemList", "data"]), inner, max_size=5)),
    max_leaves=25)

LAYOUT = Layout(listing={"item": "li", "title": "a", "price": "span", "url": "a",
                         "image": "img", "next": "a.next@href"},
                reviews={"item": "li", "id": "@data-id", "rating": "b", "text": "p"})
PURPOSES = ("catalog", "search", "product", "reviews")


def parse_everywhere(body: bytes, url: str, ctype: str) -> list[tuple[str, str, Page]]:
    """Every platform's reading of one document, for every purpose."""
    out = []
    doc = Document(url=url, body=body, headers={"content-type": ctype})
    for platform in PLATFORMS:
        adapter = adapter_for(platform)
        for purpose in PURPOSES:
            spec = SourceSpec(platform, url, purpose=purpose, home="https://shop.example/",
                              layout=LAYOUT)
            out.append((platform, purpose, adapter.parse(doc, spec)))  # type: ignore[arg-type]
    return out


def assert_sane(results: list[tuple[str, str, Page]]) -> None:
    for platform, purpose, page in results:
        assert page.blocked != "unparsable", (platform, purpose)
        for item in page.listings:
            assert item.key and isinstance(item.title, str)
            assert item.price is None or (item.price > 0 and math.isfinite(item.price)), item


@FUZZ
@given(text=PRICE_TEXT)
def test_price_texts_never_raise_and_never_give_a_non_positive_price(text: str) -> None:
    price = parse_price(text)
    assert price is None or (price > 0 and math.isfinite(price))
    low, high = parse_price_range(text)
    assert (low, high) == (None, None) or (low is not None and high is not None
                                           and 0 < low <= high)
    sales = parse_sales(text)
    assert sales is None or sales >= 0
    rating = parse_rating(text)
    assert rating is None or 0 <= rating <= 5
    code = currency_of(text)
    assert code is None or len(code) == 3


@FUZZ
@given(page=html_pages())
def test_html_pages_never_break_a_parser(page: str) -> None:
    assert_sane(parse_everywhere(page.encode("utf-8", "surrogatepass"),
                                 "https://s.taobao.com/search?q=x", "text/html"))


@FUZZ
@given(body=st.binary(max_size=600))
def test_arbitrary_bytes_never_break_a_parser(body: bytes) -> None:
    assert_sane(parse_everywhere(body, "https://shop.example/products.json",
                                 "application/octet-stream"))


@FUZZ
@given(text=sitemaps())
def test_sitemaps_never_break_a_parser(text: str) -> None:
    assert_sane(parse_everywhere(text.encode("utf-8", "surrogatepass"),
                                 "https://shop.example/sitemap.xml", "application/xml"))


@FUZZ
@given(value=JSON)
def test_json_of_any_shape_never_breaks_a_parser(value: Any) -> None:
    body = json.dumps(value).encode()
    assert_sane(parse_everywhere(body, "https://shop.example/products.json",
                                 "application/json"))


def shopify_page(n: int) -> bytes:
    return json.dumps({"products": [{
        "id": i, "title": f"Shirt {i}", "handle": f"h{i}", "tags": [], "images": [],
        "variants": [{"id": i * 10, "price": f"{100 + i}.00", "available": True}],
    } for i in range(1, n + 1)]}).encode()


@FUZZ
@given(data=st.data())
def test_a_catalogue_cut_short_is_never_a_complete_page(data: st.DataObject) -> None:
    body = shopify_page(30)
    cut = data.draw(st.integers(1, len(body) - 1), label="cut")
    doc = Document(url="https://shop.example/products.json?limit=250&page=1", body=body[:cut],
                   headers={"content-type": "application/json"})
    for platform in ("shopify", "woocommerce"):
        page = adapter_for(platform).parse(doc, SourceSpec(platform, "https://shop.example/"))
        incomplete = page.blocked is not None or page.cut is not None
        assert incomplete or page.listings == [], (platform, cut, len(page.listings))
