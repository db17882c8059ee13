"""schema.org Product / Offer / AggregateRating / Review nodes (JSON-LD or microdata) as records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from watchers.extract.support import as_str
from watchers.extract.text import clean_text, parse_price, parse_rating, parse_sales
from watchers.limits import MAX_JSON_DEPTH
from watchers.model import Listing

Node = dict[str, Any]

_MAX_DEPTH = MAX_JSON_DEPTH
PRODUCT_TYPES = frozenset({"product", "productgroup", "productmodel", "individualproduct",
                           "someproducts"})
# Where a product links to other products that are not the page's own.
_NOT_OWN = frozenset({"itemreviewed", "isrelatedto", "issimilarto", "isaccessoryorsparepartfor",
                      "isconsumablefor", "isvariantof", "model", "haspart", "ispartof"})
_LIST_PRICE = re.compile(r"listprice|strikethrough|msrp|\bsrp\b|regular|original|wasprice",
                         re.IGNORECASE)
_IN_STOCK = frozenset({"instock", "limitedavailability", "onlineonly", "instoreonly",
                       "preorder", "presale", "backorder", "available"})
_OUT_OF_STOCK = frozenset({"outofstock", "soldout", "discontinued", "unavailable"})


def type_names(node: Node) -> set[str]:
    """Lower-case local names of a node's @type ("http://schema.org/Product" -> "product")."""
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {re.split(r"[/:#]", n.strip())[-1].lower() for n in names
            if isinstance(n, str) and n.strip()}


def items_of(value: Any) -> list[Any]:
    """A JSON value as a list of its entries (a single value becomes one entry)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def walk(value: Any, depth: int = 0) -> Iterator[Node]:
    """Every dict inside `value`, depth-first, parents before children."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from walk(child, depth + 1)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child, depth + 1)


def find_products(value: Any, depth: int = 0, cut: list[str] | None = None) -> list[Node]:
    """The outermost Product/ProductGroup nodes (variants and related items stay inside).

    Containers below MAX_JSON_DEPTH are not searched; `cut` (when given) is told so.
    """
    if depth > _MAX_DEPTH:
        if cut is not None and isinstance(value, dict | list) and value:
            cut.append(f"JSON-LD nested deeper than {_MAX_DEPTH} levels")
        return []
    if isinstance(value, dict):
        if type_names(value) & PRODUCT_TYPES:
            return [value]
        return [p for k, v in value.items() if str(k).lower() not in _NOT_OWN
                for p in find_products(v, depth + 1, cut)]
    if isinstance(value, list):
        return [p for v in value for p in find_products(v, depth + 1, cut)]
    return []


@dataclass
class Graph:
    """The nodes of one page, so that {"@id": ...} references resolve to their node."""

    base: str
    roots: list[Any]
    index: dict[str, Node] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in walk(self.roots):
            ref = node.get("@id")
            if isinstance(ref, str) and len(node) > 1:
                self.index.setdefault(ref, node)

    def deref(self, value: Any) -> Any:
        """The node a bare {"@id": ...} reference names, else `value` itself."""
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.index.get(str(value["@id"]), value)
        return value

    def nodes(self, node: Node, key: str) -> list[Node]:
        """The dict entries of `node[key]` (object or list), references resolved."""
        return [n for n in (self.deref(v) for v in items_of(node.get(key)))
                if isinstance(n, dict)]

    def url(self, value: Any) -> str | None:
        """An absolute http(s) URL from a string or an ImageObject-like node."""
        value = self.deref(value)
        if isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl") or value.get("@id")
        text = as_str(value)
        if not text or text.startswith(("data:", "javascript:")):
            return None
        try:
            url = urljoin(self.base, text)
        except ValueError:
            return None
        return url if url.startswith(("http://", "https://")) else None


def name_of(value: Any) -> str | None:
    """A person's, brand's or seller's name from a string or a node (first of a list)."""
    for entry in items_of(value):
        if isinstance(entry, dict):
            entry = entry.get("name") or entry.get("alternateName")
        text = clean_text(as_str(entry))
        if text:
            return text
    return None


def availability(value: Any) -> bool | None:
    """True/False from a schema.org availability (full URL, bare, odd spacing), else None."""
    text = as_str(value[0] if isinstance(value, list) and value else value)
    if not text:
        return None
    word = re.split(r"[/:#]", "".join(text.split()).lower().rstrip("/"))[-1]
    if word in _IN_STOCK:
        return True
    if word in _OUT_OF_STOCK:
        return False
    return None


def _positive_price(value: Any) -> float | None:
    if isinstance(value, bool | dict | list):
        return None
    price = parse_price(value)
    # A zero price on a product page means "ask us", not a free item.
    return price if price is not None and price > 0 else None


@dataclass
class Offers:
    """What a product's offers say, gathered over offers, aggregate offers and variants."""

    prices: list[float] = field(default_factory=list)
    regular: list[float] = field(default_factory=list)
    available: list[bool] = field(default_factory=list)
    currency: str | None = None
    url: str | None = None
    seller: str | None = None

    def add(self, graph: Graph, value: Any, depth: int = 0) -> None:
        """Read an Offer, a list of them or an AggregateOffer (with its own offers)."""
        if depth > 3:
            return
        for offer in items_of(value):
            offer = graph.deref(offer)
            if isinstance(offer, dict):
                self._one(graph, offer, depth)

    def _one(self, graph: Graph, offer: Node, depth: int) -> None:
        price = _positive_price(offer.get("price"))
        if price is None:
            price = _positive_price(offer.get("lowPrice"))
        for spec in graph.nodes(offer, "priceSpecification"):
            value = _positive_price(spec.get("price"))
            kind = " ".join(str(k) for k in [*items_of(spec.get("priceType")), spec.get("@type")])
            if value is not None and _LIST_PRICE.search(kind):
                self.regular.append(value)
            elif value is not None and price is None:
                price = value
            self.currency = self.currency or _currency(spec.get("priceCurrency"))
        if price is not None:
            self.prices.append(price)
        self.currency = self.currency or _currency(offer.get("priceCurrency"))
        stock = availability(offer.get("availability"))
        if stock is not None:
            self.available.append(stock)
        self.url = self.url or graph.url(offer.get("url"))
        self.seller = self.seller or name_of(graph.deref(offer.get("seller")))
        if "offers" in offer:
            self.add(graph, offer.get("offers"), depth + 1)

    def price(self) -> float | None:
        """The lowest offered price."""
        return min(self.prices) if self.prices else None

    def regular_price(self) -> float | None:
        """The list price, only when it is above the price (a real markdown)."""
        price = self.price()
        regular = max(self.regular) if self.regular else None
        return regular if price is not None and regular is not None and regular > price else None

    def in_stock(self) -> bool | None:
        """Any offer available -> True; only unavailable ones -> False; none said -> None."""
        if not self.available:
            return None
        return any(self.available)


def _currency(value: Any) -> str | None:
    text = as_str(value)
    return text.upper() if text and re.fullmatch(r"[A-Za-z]{3}", text) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = as_str(value)
    match = re.search(r"-?\d+(?:[.,]\d+)?", text or "")
    return float(match.group().replace(",", ".")) if match else None


def normalise_rating(value: Any, best: Any = None, worst: Any = None) -> float | None:
    """A rating on a 0-5 scale; bestRating (and worstRating) rescale other scales."""
    number = _number(value)
    if number is None:
        return None
    top = _number(best)
    bottom = _number(worst)
    if top is not None and (top <= 0 or (bottom is not None and bottom >= top)):
        top = None  # a broken scale says nothing
    if top is None or top == 5:
        if 0 <= number <= 5:
            return number  # already on the scale: keep every decimal the page gave
        return parse_rating(number)
    return parse_rating(number, top)


def aggregate(graph: Graph, node: Node) -> tuple[float | None, int | None]:
    """(rating on 0-5, number of reviews or ratings) of a node's aggregateRating."""
    for agg in graph.nodes(node, "aggregateRating"):
        rating = normalise_rating(agg.get("ratingValue"), agg.get("bestRating"),
                                  agg.get("worstRating"))
        count = None
        for name in ("reviewCount", "ratingCount"):
            raw = agg.get(name)
            count = parse_sales(str(raw)) if as_str(raw) else None
            if count is not None:
                break
        if rating is not None or count is not None:
            return rating, count
    return None, None


def _images(graph: Graph, node: Node) -> list[str]:
    found: list[str] = []
    for entry in items_of(node.get("image")):
        url = graph.url(entry)
        if url and url not in found:
            found.append(url)
    return found


def _variants(graph: Graph, node: Node) -> list[Node]:
    return graph.nodes(node, "hasVariant")


def product_listing(graph: Graph, node: Node, key: str, url: str) -> Listing | None:
    """One Product or ProductGroup node as a Listing (variants priced by their lowest offer)."""
    offers = Offers()
    offers.add(graph, node.get("offers"))
    images = _images(graph, node)
    for variant in _variants(graph, node):
        offers.add(graph, variant.get("offers"))  # url-only variants add nothing
        images.extend(i for i in _images(graph, variant) if i not in images)
    title = clean_text(as_str(node.get("name")))
    price = offers.price()
    if not title and price is None:
        return None
    rating, count = aggregate(graph, node)
    category = node.get("category")
    return Listing(
        key=key,
        title=title,
        url=url,
        price=price,
        regular_price=offers.regular_price(),
        currency=offers.currency,
        available=offers.in_stock(),
        image=images[0] if images else None,
        images=tuple(images),
        seller=offers.seller,
        product_type=clean_text(as_str(category)) or None,
        review_count=count,
        rating=rating,
    )


def product_url(graph: Graph, node: Node) -> str | None:
    """The product's own URL: url, offer url or an http @id."""
    for value in (node.get("url"), node.get("URL")):
        url = graph.url(value)
        if url:
            return url
    offers = Offers()
    offers.add(graph, node.get("offers"))
    if offers.url:
        return offers.url
    ref = as_str(node.get("@id"))
    return graph.url(ref) if ref and ref.startswith("http") else None
