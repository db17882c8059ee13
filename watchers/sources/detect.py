"""Which platform a store runs on, found from its address alone.

Tried in order, cheapest and surest first: Taobao/Tmall/JD by host; Shopify's
`/products.json`; WooCommerce's Store API; schema.org Product data on the page, on a few
of its product-like links, or in a sitemap. A store that is none of these needs a
`layout` (platform = "html"), and the answer says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from watchers.fetching import Document, Fetcher, FetchError
from watchers.sources.base import SourceSpec
from watchers.sources.jsonld import ADAPTER as JSONLD

LINKS_TRIED = 3  # links followed from each document that holds no Product
DOCUMENTS = 10  # documents read at most to decide
HOSTS = {"taobao.com": "taobao", "tmall.com": "taobao", "jd.com": "jd"}


@dataclass(frozen=True)
class Detection:
    """The platform found, or why none was (a sentence for the operator)."""

    platform: str | None
    reason: str = ""


def platform_by_host(url: str) -> str | None:
    """Taobao/Tmall or JD from the address alone (their hosts and subdomains)."""
    host = (urlsplit(url).hostname or "").lower()
    for domain, platform in HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return platform
    return None


async def detect_platform(fetcher: Fetcher, url: str) -> Detection:
    """The platform of the store at `url` (its home or catalogue page)."""
    by_host = platform_by_host(url)
    if by_host:
        return Detection(by_host)
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    shopify = await _json(fetcher, f"{origin}/products.json?limit=1")
    if isinstance(shopify, dict) and isinstance(shopify.get("products"), list):
        return Detection("shopify")
    woo = await _json(fetcher, f"{origin}/wp-json/wc/store/v1/products?per_page=1")
    if isinstance(woo, list):
        return Detection("woocommerce")
    if await _has_products(fetcher, url):
        return Detection("jsonld")
    return Detection(None, f"{url}: not Shopify, WooCommerce nor a store with schema.org "
                           "Product pages; set platform = \"html\" and a layout "
                           "([layouts.NAME] with the CSS selectors of its items)")


async def _fetch(fetcher: Fetcher, url: str) -> Document | None:
    try:
        return await fetcher.fetch(url)
    except FetchError:
        return None


async def _json(fetcher: Fetcher, url: str) -> object:
    doc = await _fetch(fetcher, url)
    if doc is None or doc.body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(doc.body)
    except ValueError:
        return None


async def _has_products(fetcher: Fetcher, url: str) -> bool:
    """Product data on the page, on its first product-like links, or behind its sitemap.

    Breadth first over at most DOCUMENTS documents: the page and /sitemap.xml, then the
    first few links of each (a sitemap index links sitemaps that link product pages).
    """
    spec = SourceSpec(platform="jsonld", url=url, purpose="catalog", home=url)
    parts = urlsplit(url)
    queue = [url, f"{parts.scheme}://{parts.netloc}/sitemap.xml"]
    seen: set[str] = set()
    while queue and len(seen) < DOCUMENTS:
        link = queue.pop(0)
        if link in seen:
            continue
        seen.add(link)
        doc = await _fetch(fetcher, link)
        if doc is None:
            continue
        page = JSONLD.parse(doc, spec)
        if page.listings:
            return True
        queue += page.follow[:LINKS_TRIED]
    return False
