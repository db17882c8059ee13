"""Reading a source through a fetcher: sitemap indexes, paging, failures."""

from __future__ import annotations

import asyncio

from watchers.fetching import Document, FetchError
from watchers.reading import read_source
from watchers.sources.base import SourceSpec

ROOT = "https://shop.example"
PRODUCT = """<html><head><link rel="canonical" href="{url}"><script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "Product", "name": "{name}",
 "offers": {{"@type": "Offer", "price": "10.00", "priceCurrency": "USD"}}}}
</script></head></html>"""
PAGES = {
    f"{ROOT}/sitemap.xml": f"""<?xml version="1.0"?><sitemapindex
        xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{ROOT}/sitemap_products_1.xml</loc></sitemap>
        </sitemapindex>""",
    f"{ROOT}/sitemap_products_1.xml": f"""<?xml version="1.0"?><urlset
        xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{ROOT}/p/a</loc></url>
        <url><loc>{ROOT}/p/b</loc></url></urlset>""",
    f"{ROOT}/p/a": PRODUCT.format(url=f"{ROOT}/p/a", name="A"),
    f"{ROOT}/p/b": PRODUCT.format(url=f"{ROOT}/p/b", name="B"),
}


class DictFetcher:
    """Answers from a dict; missing URLs fail like a 404."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        if url not in self.pages:
            raise FetchError(url, "HTTP 404")
        return Document(url, self.pages[url].encode(), 200,
                        {"content-type": "text/html; charset=utf-8"})


def test_a_sitemap_index_leads_to_the_product_pages() -> None:
    spec = SourceSpec(platform="jsonld", url=f"{ROOT}/sitemap.xml", home=ROOT)
    result = asyncio.run(read_source(DictFetcher(PAGES), spec))
    assert result.complete
    assert sorted(item.title for item in result.listings.values()) == ["A", "B"]


def test_a_missing_page_that_never_was_a_product_is_skipped_and_counted() -> None:
    pages = dict(PAGES)
    del pages[f"{ROOT}/p/b"]
    spec = SourceSpec(platform="jsonld", url=f"{ROOT}/sitemap.xml", home=ROOT)
    result = asyncio.run(read_source(DictFetcher(pages), spec))
    assert result.complete
    assert result.skipped == {"answering HTTP 404": 1}
    assert [item.title for item in result.listings.values()] == ["A"]


class FailingFetcher(DictFetcher):
    """Like DictFetcher, but one URL answers 503."""

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        if url == f"{ROOT}/p/b":
            raise FetchError(url, "HTTP 503 after 4 tries")
        return await super().fetch(url, respect_robots=respect_robots)


def test_a_product_page_answering_5xx_makes_the_read_incomplete() -> None:
    spec = SourceSpec(platform="jsonld", url=f"{ROOT}/sitemap.xml", home=ROOT)
    result = asyncio.run(read_source(FailingFetcher(PAGES), spec))
    assert not result.complete and not result.failed
    assert [item.title for item in result.listings.values()] == ["A"]


class SlowFetcher(DictFetcher):
    """Like DictFetcher, but product pages take a while."""

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        if "/p/" in url:
            await asyncio.sleep(5)
        return await super().fetch(url, respect_robots=respect_robots)


def test_a_read_past_its_time_limit_is_incomplete_and_says_so() -> None:
    spec = SourceSpec(platform="jsonld", url=f"{ROOT}/sitemap.xml", home=ROOT)
    result = asyncio.run(read_source(SlowFetcher(PAGES), spec, deadline=0.2))
    assert not result.complete
    assert result.limit == "the read took longer than 0.2 s, the per-source limit"
    assert result.errors[0] == result.limit


def index(*locs: str) -> str:
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in locs)
    return (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{entries}</sitemapindex>')


def test_a_sitemap_index_that_lists_itself_is_read_once() -> None:
    pages = dict(PAGES)
    pages[f"{ROOT}/sitemap.xml"] = index(f"{ROOT}/sitemap.xml",
                                         f"{ROOT}/sitemap_products_1.xml")
    spec = SourceSpec(platform="jsonld", url=f"{ROOT}/sitemap.xml", home=ROOT)
    result = asyncio.run(read_source(DictFetcher(pages), spec))
    assert result.complete and result.documents == 4


def test_sitemap_indexes_nested_past_the_limit_make_the_read_incomplete() -> None:
    pages = {f"{ROOT}/sitemap-{n}.xml": index(f"{ROOT}/sitemap-{n + 1}.xml")
             for n in range(10)}
    pages[f"{ROOT}/sitemap-10.xml"] = PAGES[f"{ROOT}/sitemap_products_1.xml"]
    pages[f"{ROOT}/robots.txt"] = f"Sitemap: {ROOT}/sitemap-0.xml\n"
    spec = SourceSpec(platform="jsonld", url=f"{ROOT}/", home=ROOT)
    result = asyncio.run(read_source(DictFetcher(pages), spec, discover=True))
    assert not result.complete
    assert any("sitemap indexes nested deeper than" in e for e in result.errors)
