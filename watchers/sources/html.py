"""Any page read with a layout of CSS selectors ([layouts.NAME] in config.toml)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from watchers.extract.support import absolute, body_text, strip_fragment
from watchers.extract.text import (
    currency_of,
    parse_price_range,
    parse_rating,
    parse_sales,
    stable_key,
)
from watchers.fetching import Document
from watchers.model import Listing, Page, Review
from watchers.sources.base import SourceSpec

# Lazy-loading pages keep the real image out of src until it scrolls into view.
IMAGE_ATTRS = ("src", "data-src", "data-original", "data-lazy-src", "data-lazy", "data-url")
_ATTR = re.compile(r"^(.*)@([A-Za-z_][\w:.-]*)$", re.DOTALL)
_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "section",
                     "article", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt"})
_RATING_ATTRS = ("aria-label", "title", "data-rating", "data-score", "content")
_HIDDEN = frozenset({"script", "style", "template", "noscript"})
# A date like "9 months ago" moves with the clock: it must not be part of an identity.
_RELATIVE_DATE = re.compile(r"ago|yesterday|today|just now|前|昨天|今天|刚刚", re.IGNORECASE)


def _squash(text: str) -> str:
    # The parser has already decoded entities: unescaping twice would corrupt "&amp;lt;".
    return " ".join(text.split())


def split_selector(selector: str) -> tuple[str, str | None]:
    """("sel", "attr") of "sel@attr"; ("sel", None) without an attribute part."""
    match = _ATTR.match(selector.strip())
    if match:
        return match.group(1).strip(), match.group(2)
    return selector.strip(), None


def element_text(el: Tag) -> str:
    """Visible text of an element: comments and scripts skipped, block breaks as spaces."""
    parts: list[str] = []
    for node in el.descendants:
        if isinstance(node, Tag):
            if node.name in _BLOCKS:
                parts.append(" ")
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            parent = node.parent
            if parent is None or parent.name not in _HIDDEN:
                parts.append(str(node))
    return _squash("".join(parts))


def _select(scope: Tag, selector: str) -> list[Tag]:
    if not selector:
        return [scope]  # "@attr" alone reads the item itself
    try:
        return list(scope.select(selector))
    except Exception:  # a bad selector reads nothing rather than failing the page
        return []


def _attr(el: Tag, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = el.get(name)
        if isinstance(value, list):
            value = " ".join(value)
        if value and value.strip() and not value.strip().startswith("data:"):
            return value.strip()
    return None


def read_text(scope: Tag, selector: str | None) -> str | None:
    """The text (or "@attr" value) of the first match of `selector` in `scope`."""
    if not selector:
        return None
    sel, attr = split_selector(selector)
    for el in _select(scope, sel):
        value = _attr(el, (attr,)) if attr else element_text(el)
        if value:
            return _squash(value)
    return None


def read_link(scope: Tag, selector: str | None, defaults: tuple[str, ...], base: str) -> str | None:
    """An absolute URL from the first match's attribute (`defaults` unless "@attr" names one)."""
    if not selector:
        return None
    sel, attr = split_selector(selector)
    names = (attr,) if attr else defaults
    for el in _select(scope, sel):
        found = _attr(el, names)
        if found is None and not attr:
            # The selector may name a wrapper: look at the first element inside that has it.
            inner = next((d for d in el.find_all(True) if _attr(d, names)), None)
            found = _attr(inner, names) if inner is not None else None
        url = absolute(base, found)
        if url:
            return url
    return None


def read_rating(scope: Tag, selector: str | None) -> float | None:
    """A 0-5 rating: a number in text or attribute, star characters, else the count of matches."""
    if not selector:
        return None
    sel, attr = split_selector(selector)
    matches = _select(scope, sel)
    if attr:
        value = next((v for el in matches if (v := _attr(el, (attr,)))), None)
        return parse_rating(value)
    texts = [element_text(el) or _attr(el, _RATING_ATTRS) or "" for el in matches]
    for text in texts:
        if re.search(r"\d", text):
            rating = parse_rating(text)
            if rating is not None:
                return rating
    if len(matches) == 1 and "★" in texts[0]:
        return parse_rating(texts[0])
    # Star icons: one element per filled star, none of them carries a number.
    return float(len(matches)) if 0 < len(matches) <= 5 else None


def _base_url(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    href = base.get("href") if isinstance(base, Tag) else None
    return absolute(url, href) or url if isinstance(href, str) else url


def parse_listings(soup: BeautifulSoup, layout: dict[str, str], base: str) -> Page:
    """Listing cards of a catalogue or search page by the layout's `listing` selectors."""
    item_sel = layout.get("item", "")
    listings: list[Listing] = []
    seen: set[str] = set()
    for item in _select(soup, item_sel) if item_sel else []:
        title = read_text(item, layout.get("title")) or ""
        url = read_link(item, layout.get("url"), ("href",), base)
        if url is None and "url" not in layout:
            url = absolute(base, _attr(item, ("href",))) or read_link(item, "a", ("href",), base)
        image = read_link(item, layout.get("image"), IMAGE_ATTRS, base)
        if not title and not url:
            continue  # an ad slot or placeholder card, not a listing
        price_text = read_text(item, layout.get("price"))
        low, _ = parse_price_range(price_text)
        sales_text = read_text(item, layout.get("sales"))
        key = strip_fragment(url) if url else stable_key(title, image)
        if key in seen:
            continue
        seen.add(key)
        listings.append(Listing(
            key=key,
            title=title,
            url=strip_fragment(url) if url else "",
            price=low,
            currency=currency_of(price_text),
            image=image,
            images=(image,) if image else (),
            sales=parse_sales(sales_text),
            sales_text=sales_text,
            seller=read_text(item, layout.get("seller")),
        ))
    # A page that yields no items is no reason to read further pages.
    next_url = read_link(soup, layout.get("next"), ("href",), base) if listings else None
    if next_url is not None and strip_fragment(next_url) == strip_fragment(base):
        next_url = None  # a "next" that points at this page ends the list
    return Page(listings=listings, next_url=next_url)


def parse_reviews(soup: BeautifulSoup, layout: dict[str, str], base: str, page: str) -> Page:
    """Reviews by the layout's `reviews` selectors, in page order."""
    item_sel = layout.get("item", "")
    reviews: list[Review] = []
    seen: set[str] = set()
    for item in _select(soup, item_sel) if item_sel else []:
        text = read_text(item, layout.get("text")) or ""
        rating = read_rating(item, layout.get("rating"))
        if not text and rating is None:
            continue
        author = read_text(item, layout.get("author"))
        date = read_text(item, layout.get("date"))
        key = read_text(item, layout.get("id"))
        if not key:
            stable_date = None if date and _RELATIVE_DATE.search(date) else date
            key = stable_key(author, stable_date, text)
        if key in seen:
            continue
        seen.add(key)
        reviews.append(Review(key=key, text=text, rating=rating, author=author, posted=date,
                              url=page))
    next_url = read_link(soup, layout.get("next"), ("href",), base) if reviews else None
    return Page(reviews=reviews, next_url=next_url)


class HtmlAdapter:
    """Reads a page (catalogue, search results or reviews) with a configured layout."""

    def start_urls(self, spec: SourceSpec) -> list[str]:
        """The configured page itself."""
        return [spec.url]

    def parse(self, doc: Document, spec: SourceSpec) -> Page:
        """Listings (catalog, search) or reviews (reviews) of one page by its layout."""
        layout = spec.layout
        if layout is None:
            return Page()
        try:
            soup = BeautifulSoup(body_text(doc), "lxml")
            base = _base_url(soup, doc.url)
            if spec.purpose == "reviews":
                return parse_reviews(soup, layout.reviews, base, doc.url)
            return parse_listings(soup, layout.listing, base)
        except Exception:  # parsers never raise: an unreadable page is an incomplete read
            return Page(blocked="unparsable")


ADAPTER = HtmlAdapter()
