"""Stores read through schema.org markup: sitemaps or catalog links to product pages."""

from __future__ import annotations

import html
import re
import zlib
from dataclasses import replace
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag
from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from watchers.extract.blocks import detect_block
from watchers.extract.ld_blocks import ld_blocks, ld_blocks_of_text
from watchers.extract.microdata import microdata_items
from watchers.extract.schema_org import (
    Graph,
    Node,
    aggregate,
    find_products,
    product_listing,
    product_url,
)
from watchers.extract.schema_reviews import review_nodes, review_record
from watchers.extract.sitemap import Sitemap, read_sitemap, sitemap_kind
from watchers.extract.support import body_text
from watchers.extract.text import stable_key
from watchers.fetching import Document
from watchers.limits import MAX_LINKS_PER_PAGE, MAX_SITEMAP_BYTES
from watchers.model import Listing, Page, Review
from watchers.sources.base import PageAdapter, SourceSpec
from watchers.sources.jsonld_links import (
    Anchor,
    anchors_of_soup,
    anchors_of_tree,
    host_of,
    is_start,
    links,
    next_link,
    product_like,
    shop_hosts,
)

# A sitemap index's product sitemaps (Shopify sitemap_products_1.xml?..., Yoast
# product-sitemap.xml, WordPress wp-sitemap-posts-product-1.xml), not the product
# categories, tags or brands that also carry the word.
_PRODUCT_SITEMAP = re.compile(r"product", re.IGNORECASE)
_NOT_PRODUCT_SITEMAP = re.compile(r"product[_-]?(?:cat|tag|brand|attr)|taxonom|categor",
                                  re.IGNORECASE)
_LXML = lxml_html.HTMLParser(encoding="utf-8", huge_tree=False)
_TAG = re.compile(r"<(link|base)\b([^>]*)>", re.IGNORECASE)
_ATTRS = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
# Pages of a shop that are never a product: carts, accounts, searches, static files.
def _maybe_gunzip(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:  # a page.gz served as a file, not as a Content-Encoding
        return zlib.decompressobj(wbits=31).decompress(body, MAX_SITEMAP_BYTES)
    except zlib.error:
        return body


def is_product_sitemap(url: str) -> bool:
    """A sitemap of products by its name (not one of product categories or tags)."""
    return bool(_PRODUCT_SITEMAP.search(url)) and not _NOT_PRODUCT_SITEMAP.search(url)


def _sitemap_page(found: Sitemap, hosts: set[str]) -> Page:
    if found.kind == "sitemapindex":
        # Shops list pages, blogs and collections too; their product sitemaps are enough.
        locs = list(found.urls)
        chosen = [u for u in locs if is_product_sitemap(u)] or locs
        return Page(follow=chosen, sitemaps=chosen, cut=found.cut)
    # A sitemap may list 150,000 URLs on a handful of hosts: judge each host once.
    shop: dict[str, bool] = {}
    follow = [u for u in found.urls
              if shop.setdefault(netloc := u.split("/", 3)[2],
                                 host_of(f"http://{netloc}/") in hosts) and product_like(u)]
    modified = {u: m for u in follow if (m := found.urls[u])}
    return Page(follow=follow, modified=modified, cut=found.cut)


def _base(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    href = base.get("href") if isinstance(base, Tag) else None
    if isinstance(href, str) and href.strip():
        try:
            return urljoin(url, href.strip())
        except ValueError:
            return url
    return url


def _canonical(soup: BeautifulSoup, base: str) -> str | None:
    for link in soup.find_all("link", href=True):
        rel = link.get("rel")
        rels = rel if isinstance(rel, list) else str(rel).split()
        href = link.get("href")
        if "canonical" in [r.lower() for r in rels] and isinstance(href, str) and href.strip():
            try:
                url = urljoin(base, href.strip())
            except ValueError:
                continue
            if url.startswith(("http://", "https://")):
                return url
    return None


def _listings(graph: Graph, products: list[dict[str, object]], canonical: str | None,
              doc_url: str) -> list[Listing]:
    """Listings keyed by the page's canonical URL (one product) or their own URLs (several)."""
    found: list[Listing] = []
    keys: set[str] = set()
    for n, node in enumerate(products):
        own = product_url(graph, node)
        if len(products) == 1:
            url = canonical or own or doc_url
            key = url
        else:
            url = own or canonical or doc_url
            key = url if url not in keys else f"{url}#{n + 1}"
        listing = product_listing(graph, node, key, url)
        if listing is not None and listing.key not in keys:
            keys.add(listing.key)
            found.append(listing)
    return found


def _reviews(graph: Graph, page_url: str) -> list[Review]:
    found: list[Review] = []
    keys: set[str] = set()
    for node in review_nodes(graph):
        made = review_record(graph, node, page_url)
        if made is None:
            continue
        review, own_id = made
        if review.key in keys and own_id:
            # One @id shared by all reviews (the product's URL, say) is no id at all.
            review = replace(review, key=stable_key(review.author, review.posted, review.text))
        if review.key not in keys:
            keys.add(review.key)
            found.append(review)
    return found


def _tag_attrs(text: str) -> list[tuple[str, dict[str, str]]]:
    """(name, attributes) of every <link> and <base> tag of an HTML text, in order."""
    return [(m.group(1).lower(),
             {k.lower(): html.unescape(v.strip("\"'")) for k, v in _ATTRS.findall(m.group(2))})
            for m in _TAG.finditer(text)]


def _href_of(tags: list[tuple[str, dict[str, str]]], what: str, base: str,
             default: str | None = None) -> str | None:
    """The absolute http(s) href of the first <base> ("base") or rel=canonical <link>."""
    for name, attrs in tags:
        href = attrs.get("href", "").strip()
        if not href or (name != what and not (
                name == "link" and what in attrs.get("rel", "").lower().split())):
            continue
        try:
            url = urljoin(base, href)
        except ValueError:
            continue
        if url.startswith(("http://", "https://")):
            return url
    return default


def _fast(text: str, doc: Document, spec: SourceSpec, cut: list[str]) -> Page | None:
    """A product page read from its JSON-LD without building a tree; None: read it whole.

    Most of a crawl is product pages whose JSON-LD holds the Product: building their
    BeautifulSoup tree was 55 % of the parse and microdata's CSS select 20 % more
    (cProfile, bench/crawl_bench.py). Pages without a JSON-LD Product take the full path.
    """
    products_graph = Graph(doc.url, ld_blocks_of_text(text, cut))
    products = find_products(products_graph.roots, cut=cut)
    if not products:
        return None
    tags = _tag_attrs(text)
    base = _href_of(tags, "base", doc.url, doc.url) or doc.url
    graph = Graph(base, products_graph.roots) if base != doc.url else products_graph
    canonical = _href_of(tags, "canonical", base)
    return _product_page(graph, products, canonical, doc.url, spec, cut)


def _product_page(graph: Graph, products: list[Node], canonical: str | None, url: str,
                  spec: SourceSpec, cut: list[str]) -> Page:
    rating, count = None, None
    for node in products:
        rating, count = aggregate(graph, node)
        if rating is not None or count is not None:
            break
    if spec.purpose == "product":
        products = products[:1]
    listings = _listings(graph, products, canonical, url)
    why = cut[0] if cut else None
    if spec.purpose in ("catalog", "search"):
        # A catalog's rating would be one product's; the listings carry their own.
        return Page(listings=listings, cut=why)
    return Page(listings=listings, review_count=count, rating=rating, cut=why)


def _parse(doc: Document, spec: SourceSpec) -> Page:
    crawl = spec.purpose in ("catalog", "search")
    kind = sitemap_kind(doc.body[:4096]) if not doc.body.startswith(b"\x1f\x8b") else None
    if kind or doc.body.startswith(b"\x1f\x8b"):
        found = read_sitemap(doc.body)
        if found.kind is not None:
            return _sitemap_page(found, shop_hosts(doc, spec)) if crawl else Page()
    body = _maybe_gunzip(doc.body)
    text = body_text(Document(url=doc.url, body=body, headers=doc.headers))
    cut: list[str] = []
    start = crawl and is_start(doc, spec)
    if not start and spec.purpose != "reviews":
        fast = _fast(text, doc, spec, cut)
        if fast is not None:
            return fast
        cut.clear()  # the full path reads the blocks again and says the same
    if start:
        tree = _tree(text)
        if tree is not None:
            return _start_page(text, tree, doc, spec, cut)
    soup = BeautifulSoup(text, "lxml")
    base = _base(soup, doc.url)
    ld_graph = Graph(base, ld_blocks(soup, cut))
    micro_graph = Graph(base, microdata_items(soup, base, cut))
    products = find_products(ld_graph.roots, cut=cut)
    graph = ld_graph
    if not products:
        # Some shops (eBay, Salesforce Commerce Cloud) publish only microdata.
        products = find_products(micro_graph.roots)
        graph = micro_graph
    if spec.purpose == "reviews":
        return _reviews_page(ld_graph, micro_graph, graph, products, text, doc.url, cut)
    if not start:
        if not products:
            return Page(blocked=detect_block(text, doc.url), cut=cut[0] if cut else None)
        return _product_page(graph, products, _canonical(soup, base), doc.url, spec, cut)
    listings = _listings(graph, products, _canonical(soup, base), doc.url)
    return _catalog_page(listings, anchors_of_soup(soup), base, text, doc, spec, cut)


def _tree(text: str) -> HtmlElement | None:
    """The lxml tree of a page (bytes in, so that an encoding declaration is no error)."""
    try:
        return lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=_LXML)
    except (ValueError, etree.ParserError):
        return None


def _start_page(text: str, tree: HtmlElement, doc: Document, spec: SourceSpec,
                cut: list[str]) -> Page:
    """A catalogue page read with lxml: its own products (JSON-LD, else microdata) and the
    links and next page it leads to."""
    tags = _tag_attrs(text)
    base = _href_of(tags, "base", doc.url, doc.url) or doc.url
    graph = Graph(base, ld_blocks_of_text(text, cut))
    products = find_products(graph.roots, cut=cut)
    if not products and "itemscope" in text:
        # Microdata is read from BeautifulSoup (its selectors); few catalogue pages need it.
        soup = BeautifulSoup(text, "lxml")
        graph = Graph(base, microdata_items(soup, base, cut))
        products = find_products(graph.roots)
    listings = _listings(graph, products, _href_of(tags, "canonical", base), doc.url)
    return _catalog_page(listings, anchors_of_tree(tree), base, text, doc, spec, cut)


def _catalog_page(listings: list[Listing], anchors: list[Anchor], base: str, text: str,
                  doc: Document, spec: SourceSpec, cut: list[str]) -> Page:
    follow = links(anchors, base, doc, spec)
    if len(follow) > MAX_LINKS_PER_PAGE:
        follow = follow[:MAX_LINKS_PER_PAGE]
        cut.append(f"more than {MAX_LINKS_PER_PAGE:,} links on one catalogue page")
    next_url = next_link(anchors, base, doc, spec)
    # A catalog's summary of a product it links to (often priceless) must not shadow
    # the product page's own record, which the read keeps only if it comes first.
    linked = set(follow)
    listings = [x for x in listings if x.key not in linked]
    if not listings and not follow:
        return Page(blocked=detect_block(text, doc.url), cut=cut[0] if cut else None)
    return Page(listings=listings, follow=follow, next_url=next_url,
                cut=cut[0] if cut else None)


def _reviews_page(ld_graph: Graph, micro_graph: Graph, graph: Graph, products: list[Node],
                  text: str, url: str, cut: list[str]) -> Page:
    rating, count = None, None
    for node in products:
        rating, count = aggregate(graph, node)
        if rating is not None or count is not None:
            break
    reviews = _reviews(ld_graph, url) or _reviews(micro_graph, url)
    if rating is None and count is None and graph is ld_graph:
        for node in find_products(micro_graph.roots):
            rating, count = aggregate(micro_graph, node)
            if rating is not None or count is not None:
                break
    if not reviews and rating is None and count is None:
        return Page(blocked=detect_block(text, url), cut=cut[0] if cut else None)
    return Page(reviews=reviews, review_count=count, rating=rating)


ADAPTER = PageAdapter(_parse)
