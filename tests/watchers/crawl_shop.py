"""A store of JSON-LD product pages on loopback, as a real one looks: a site header whose
links go to accounts, carts, help (404) and categories, a catalogue page linking every
product, optionally robots.txt with a `Sitemap:` line and a sitemap index, and faults a
test switches on (a product answering 404 or 503, endless `next` pages)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.http import LoopbackServer, Reply, Request

HEADER = ("/account/login", "/cart", "/help", "/pages/about", "/collections/shirts",
          "/blogs/news/spring")
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
OLD = "2026-01-05T10:00:00+00:00"


def product_page(root: str, pid: int, price: float) -> str:
    """A small product page: the site header and one JSON-LD Product."""
    url = f"{root}/products/p{pid}"
    data = {"@context": "https://schema.org", "@type": "Product", "name": f"Shirt {pid}",
            "url": url, "offers": {"@type": "Offer", "price": f"{price:.2f}",
                                   "priceCurrency": "USD",
                                   "availability": "https://schema.org/InStock"}}
    header = "".join(f'<a href="{h}">{h}</a>' for h in HEADER)
    return (f'<html><head><link rel="canonical" href="{url}"><script type="application/ld+json">'
            f"{json.dumps(data)}</script></head><body><nav>{header}</nav>"
            f"<h1>Shirt {pid}</h1></body></html>")


@dataclass
class Shop:
    """What the store holds and how it misbehaves; tests change it between checks."""

    prices: dict[int, float] = field(default_factory=dict)
    lastmod: dict[int, str] = field(default_factory=dict)
    missing: set[int] = field(default_factory=set)  # answer 404 (still listed)
    broken: set[int] = field(default_factory=set)  # answer 503
    sitemaps: bool = False  # robots.txt Sitemap: line and a sitemap index
    endless: bool = False  # the catalogue's `next` pages never end, each with a new product
    root: str = ""

    @classmethod
    def of(cls, n: int, **kw: Any) -> Shop:
        return cls(prices={i: 10.0 + i for i in range(1, n + 1)}, **kw)

    def answer(self, req: Request) -> Reply:
        path = urlsplit(req.path).path
        query = parse_qs(urlsplit(req.path).query)
        if path.startswith("/products/p"):
            pid = int(path.removeprefix("/products/p") or 0)
            if pid in self.broken:
                return Reply("upstream error", 503)
            if pid in self.missing or pid not in self.prices:
                return Reply("not found", 404)
            return Reply(product_page(self.root, pid, self.prices[pid]))
        if path == "/":
            return Reply(self.catalogue(int(query.get("page", ["1"])[0])))
        if path in ("/pages/about", "/collections/shirts", "/blogs/news/spring"):
            return Reply(f"<html><body><h1>{path}</h1><p>No product here.</p></body></html>")
        if self.sitemaps:
            return self.sitemap(path)
        return Reply("not found", 404)

    def catalogue(self, page: int) -> str:
        header = "".join(f'<a href="{h}">{h}</a>' for h in HEADER)
        if self.endless:
            links = f'<a href="/products/p{page}">p{page}</a>'
            nxt = f'<a rel="next" href="/?page={page + 1}">next</a>'
        else:
            links = "".join(f'<a href="/products/p{i}">p{i}</a>' for i in sorted(self.prices))
            nxt = ""
        return f"<html><body><nav>{header}</nav><main>{links}</main>{nxt}</body></html>"

    def sitemap(self, path: str) -> Reply:
        root = self.root
        if path == "/robots.txt":
            return Reply(f"User-agent: *\nSitemap: {root}/sitemap.xml\n",
                         content_type="text/plain")
        if path == "/sitemap.xml":
            names = ("sitemap_products_1.xml?from=1&amp;to=9", "sitemap_pages_1.xml",
                     "sitemap_collections_1.xml", "product_cat-sitemap.xml")
            entries = "".join(f"<sitemap><loc>{root}/{n}</loc></sitemap>" for n in names)
            return Reply(f'<?xml version="1.0"?><sitemapindex {NS}>{entries}</sitemapindex>',
                         content_type="application/xml")
        if path == "/sitemap_products_1.xml":
            entries = "".join(f"<url><loc>{root}/products/p{i}</loc>"
                              f"<lastmod>{self.lastmod.get(i, OLD)}</lastmod></url>"
                              for i in sorted(self.prices))
            return Reply(f'<?xml version="1.0"?><urlset {NS}>{entries}</urlset>',
                         content_type="application/xml")
        if path in ("/sitemap_pages_1.xml", "/sitemap_collections_1.xml",
                    "/product_cat-sitemap.xml"):
            return Reply(f'<?xml version="1.0"?><urlset {NS}><url><loc>{root}/pages/about'
                         "</loc></url></urlset>", content_type="application/xml")
        return Reply("not found", 404)


class _Routes(dict[str, Any]):
    """Every path goes to the shop."""

    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop

    def get(self, key: str, default: Any = None) -> Any:
        return self.shop.answer


@contextmanager
def serving(shop: Shop) -> Iterator[LoopbackServer]:
    """The shop on a loopback server."""
    server = LoopbackServer()
    server.routes = _Routes(shop)
    with server:
        shop.root = server.url
        yield server


def write_config(path: Path, root: str, *, max_pages: int | None = None,
                 catalog: str | None = None) -> Path:
    """A config.toml with the shop as a jsonld peer read by its address."""
    extra = f"max_pages = {max_pages}\n" if max_pages is not None else ""
    extra += f'catalog = "{catalog}"\n' if catalog else ""
    path.write_text(f"""
[monitor]
database = "m.db"
host_interval = "0s"
per_host = 8
concurrency = 16
respect_robots = false
timeout = "5s"

[[peers]]
name = "Pages"
url = "{root}/"
platform = "jsonld"
{extra}""", encoding="utf-8")
    return path
