"""Which links of a shop's page may be products, its catalogue's own pages, its next page.

Works on anchors as (tag, rel, href) so that a catalogue page can be read with lxml alone:
BeautifulSoup's tree of a page of 100,000 links took 4.7 s of CPU (cProfile), lxml's a
tenth of that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urljoin, urlsplit

from bs4 import BeautifulSoup
from lxml.html import HtmlElement

from watchers.extract.support import strip_fragment
from watchers.fetching import Document
from watchers.limits import MAX_LINKS_PER_PAGE
from watchers.sources.base import SourceSpec

Anchor = tuple[str, str, str]  # tag name, rel (space-separated), href

# Pages of a shop that are never a product: carts, accounts, searches, static files.
_NOT_PRODUCT_PATH = re.compile(
    r"/(?:cart|basket|checkout|login|log-in|logout|log-out|signin|sign-in|signup|sign-up"
    r"|register|account|my-account|myaccount|customer|wishlist|wish-list|compare|password"
    r"|auth|cdn-cgi|wp-admin|wp-login\.php|wp-json|feed|search|contact|privacy|terms)(?:[/.?]|$)",
    re.IGNORECASE,
)
_STATIC = re.compile(
    r"\.(?:css|js|mjs|json|xml|txt|png|jpe?g|gif|svg|webp|avif|ico|bmp|pdf|zip|gz|rar"
    r"|woff2?|ttf|otf|eot|mp4|webm|mov|mp3|wav)$",
    re.IGNORECASE,
)
_NOT_PRODUCT_QUERY = re.compile(r"(?:^|&)(?:add-to-cart|add_to_wishlist|action)=", re.IGNORECASE)
_PAGED = re.compile(r"/page/\d+/?$")
_PAGING_PARAMS = frozenset({"page", "p", "paged", "pg", "sort", "sort_by", "sortby", "order",
                            "orderby", "dir", "limit", "per_page", "view", "start", "offset"})


def host_of(url: str) -> str:
    """The URL's host, lower case, without "www."."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def listing_path(url: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """Host, path and query of a URL, paging and sorting dropped: a catalog's own pages."""
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return "", "", ()
    kept = tuple(sorted((k, v) for k, v in query if k.lower() not in _PAGING_PARAMS))
    return host_of(url), _PAGED.sub("", parts.path).rstrip("/"), kept


def is_start(doc: Document, spec: SourceSpec) -> bool:
    """The catalog page itself (or one of its numbered pages), not a page it links to."""
    return listing_path(doc.url) == listing_path(spec.url)


def shop_hosts(doc: Document, spec: SourceSpec) -> set[str]:
    """The hosts that are the shop's own (configured URL, home, this page)."""
    return {h for h in (host_of(spec.url), host_of(spec.home), host_of(doc.url)) if h}


def product_like(url: str) -> bool:
    """Whether a URL may be a product page (not a cart, account, search or static file)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.path.strip("/") == "":
        return False
    if _STATIC.search(parts.path) or _NOT_PRODUCT_PATH.search(parts.path):
        return False
    return not _NOT_PRODUCT_QUERY.search(parts.query)


def links(anchors: Iterable[Anchor], base: str, doc: Document, spec: SourceSpec) -> list[str]:
    """Same-host links of a catalog page that may be products, absolute and deduplicated
    (one more than MAX_LINKS_PER_PAGE at most: the caller says the page was cut)."""
    hosts = shop_hosts(doc, spec)
    own = {strip_fragment(doc.url), strip_fragment(spec.url)}
    catalog = listing_path(spec.url)
    found: list[str] = []
    seen: set[str] = set()
    for tag, _, href in anchors:
        if tag != "a" or href.strip().lower().startswith(
                ("mailto:", "tel:", "javascript:", "data:", "#")):
            continue
        try:
            url = strip_fragment(urljoin(base, href.strip()))
        except ValueError:
            continue
        if url in seen or url in own or host_of(url) not in hosts or not product_like(url):
            continue
        if listing_path(url) == catalog:
            continue  # another page or sort order of the catalog: paging reaches it as next
        seen.add(url)
        found.append(url)
        if len(found) > MAX_LINKS_PER_PAGE:
            break
    return found


def next_link(anchors: Iterable[Anchor], base: str, doc: Document,
              spec: SourceSpec) -> str | None:
    """The page's rel="next" link (a <link> or an <a>) on the shop's own hosts."""
    for _, rel, href in anchors:
        if "next" in rel.lower().split():
            try:
                url = strip_fragment(urljoin(base, href.strip()))
            except ValueError:
                continue
            if url != strip_fragment(doc.url) and host_of(url) in shop_hosts(doc, spec):
                return url
    return None


def anchors_of_tree(tree: HtmlElement) -> list[Anchor]:
    """(tag, rel, href) of every <a> and <link> with an href in an lxml tree."""
    return [(str(el.tag), str(el.get("rel") or ""), href) for el in tree.iter("a", "link")
            if isinstance(href := el.get("href"), str)]


def anchors_of_soup(soup: BeautifulSoup) -> list[Anchor]:
    """(tag, rel, href) of every <a> and <link> with an href in a BeautifulSoup tree."""
    found: list[Anchor] = []
    for el in soup.find_all(["a", "link"], href=True):
        rel, href = el.get("rel"), el.get("href")
        if isinstance(href, str):
            found.append((el.name, " ".join(rel) if isinstance(rel, list) else str(rel or ""),
                          href))
    return found
