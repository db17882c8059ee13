"""Parsing within the limits of watchers/limits.py: a cut is said, never a silent drop."""

from __future__ import annotations

import gzip
import json

import pytest

from watchers.extract.sitemap import read_sitemap
from watchers.fetching import Document
from watchers.limits import MAX_HTML_DEPTH, MAX_JSON_DEPTH
from watchers.model import Page
from watchers.sources.base import SourceSpec
from watchers.sources.jsonld import ADAPTER

SHOP = "https://shop.example"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def parse(body: str, url: str = f"{SHOP}/products/a") -> Page:
    spec = SourceSpec(platform="jsonld", url=f"{SHOP}/", home=f"{SHOP}/")
    return ADAPTER.parse(Document(url=url, body=body.encode()), spec)


def ld(text: str) -> str:
    return f'<html><head><script type="application/ld+json">{text}</script></head></html>'


PRODUCT = '{"@type": "Product", "name": "Deep", "offers": {"price": "5.00"}}'


@pytest.mark.parametrize(("levels", "read"), [
    (10, True), (MAX_JSON_DEPTH + 5, False), (50_000, False),
], ids=["shallow", "past_the_limit", "50000"])
def test_a_product_nested_deep_in_json_ld_is_read_or_said_cut(levels: int, read: bool) -> None:
    page = parse(ld('{"a":' * levels + PRODUCT + "}" * levels))
    assert bool(page.listings) is read
    assert (page.cut is None) is read


def test_microdata_nested_past_the_html_limit_is_said_cut() -> None:
    n = MAX_HTML_DEPTH
    deep = ('<div itemscope itemtype="http://schema.org/Thing"><div itemprop="x">' * n
            + '<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">D'
            "</span></div>" + "</div></div>" * n)
    page = parse(f"<html><body>{deep}</body></html>")
    assert page.listings == [] and page.cut and "nested deeper" in page.cut


def test_a_json_ld_product_page_reads_the_same_without_a_tree() -> None:
    # The fast path (no tree) and the canonical link in any attribute order.
    head = (f"<link href='{SHOP}/products/a?x=1&amp;y=2' rel='canonical'>"
            f'<script defer type="application/ld+json">{json.dumps({"@type": "Product"})}'
            f'</script><script type="application/ld+json">{PRODUCT}</script>')
    page = parse(f"<html><head>{head}</head></html>")
    assert [(x.key, x.price) for x in page.listings] == [(f"{SHOP}/products/a?x=1&y=2", 5.0)]


def urlset(urls: list[str], extra: str = "") -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2026-01-02</lastmod>{extra}</url>"
                      for u in urls)
    return f'<?xml version="1.0"?><urlset {NS}>{entries}</urlset>'.encode()


def test_a_sitemap_is_deduplicated_in_order_with_its_lastmod() -> None:
    body = urlset([f"{SHOP}/p/1", f"{SHOP}/p/2", f"{SHOP}/p/1"],
                  extra="<image:image><image:loc>https://cdn/x.jpg</image:loc></image:image>")
    found = read_sitemap(body)
    assert (found.kind, found.cut) == ("urlset", None)
    assert found.urls == {f"{SHOP}/p/1": "2026-01-02", f"{SHOP}/p/2": "2026-01-02"}


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_a_sitemap_past_the_url_cap_is_cut_aloud(packed: bool) -> None:
    body = urlset([f"{SHOP}/p/{i}" for i in range(30)])
    found = read_sitemap(gzip.compress(body) if packed else body, max_urls=20)
    assert len(found.urls) == 20 and found.cut == "sitemap lists more than 20 URLs"
    exact = read_sitemap(body, max_urls=30)
    assert len(exact.urls) == 30 and exact.cut is None


def test_a_sitemap_past_the_byte_cap_is_cut_aloud() -> None:
    body = gzip.compress(urlset([f"{SHOP}/p/{i}" for i in range(5000)]))
    found = read_sitemap(body, max_bytes=64 * 1024)
    assert 0 < len(found.urls) < 5000 and found.cut and "MB" in found.cut


def test_a_sitemap_expands_no_entity_and_survives_unclosed_tags() -> None:
    xxe = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f"<urlset {NS}><url><loc>{SHOP}/p/&x;</loc></url>" + "<url><loc>" * 50_000)
    found = read_sitemap(xxe.encode())
    assert list(found.urls) == [f"{SHOP}/p/&x;"]
