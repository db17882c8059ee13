"""schema.org Review nodes (JSON-LD or microdata) as Review records."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup, Tag

from watchers.extract.schema_org import (
    Graph,
    Node,
    items_of,
    name_of,
    normalise_rating,
    type_names,
    walk,
)
from watchers.extract.support import as_str
from watchers.extract.text import clean_text, parse_rating, stable_key
from watchers.model import Review

_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y",
                 "%d %b, %Y", "%d %B, %Y")


def iso_date(text: str | None) -> str | None:
    """An English date ("Aug 24, 2016") as ISO "2016-08-24"; ISO and other text kept as is."""
    text = clean_text(text)
    if not text:
        return None
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return text
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def html_to_text(fragment: str | None) -> str:
    """Visible text of a value that may hold HTML, entities decoded, whitespace collapsed."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return clean_text(fragment)
    return clean_text(BeautifulSoup(fragment, "lxml").get_text(" "))


def review_nodes(graph: Graph) -> list[Node]:
    """Review nodes: every node typed Review and every entry of a `review`/`reviews` key."""
    found: dict[int, Node] = {}
    for node in walk(graph.roots):
        if "review" in type_names(node):
            found.setdefault(id(node), node)
        for key in ("review", "reviews"):
            for entry in graph.nodes(node, key):
                found.setdefault(id(entry), entry)
    return list(found.values())


def _review_id(node: Node) -> str | None:
    for value in (node.get("@id"), *items_of(node.get("identifier"))):
        if isinstance(value, dict):
            value = value.get("value") or value.get("@id")
        text = as_str(value)
        if text:
            return text
    return None


def _element_rating(element: Any) -> float | None:
    """Stars drawn in markup: an "N out of 5 stars" label, else filled star icons."""
    if not isinstance(element, Tag):
        return None
    for el in element.select("[aria-label]"):
        label = str(el.get("aria-label"))
        if re.search(r"\d\s*(?:out of|of|/)\s*\d+\s*stars?", label, re.IGNORECASE):
            return parse_rating(label)
    filled = element.select(".fullStar, .full-star, .rating-star-filled, .star-full")
    return float(len(filled)) if 0 < len(filled) <= 5 else None


def review_record(graph: Graph, node: Node, page_url: str) -> tuple[Review, bool] | None:
    """A Review (and whether its key is the platform's id); None when it has no text or stars."""
    text = html_to_text(as_str(node.get("reviewBody")) or as_str(node.get("description"))
                        or as_str(node.get("text")))
    rating = None
    for value in items_of(graph.deref(node.get("reviewRating"))):
        value = graph.deref(value)
        if isinstance(value, dict):
            rating = normalise_rating(value.get("ratingValue"), value.get("bestRating"),
                                      value.get("worstRating"))
        else:
            rating = normalise_rating(value)
        if rating is not None:
            break
    if rating is None:
        rating = _element_rating(node.get("@element"))
    if not text and rating is None:
        return None
    author = name_of(graph.deref(node.get("author")))
    posted = iso_date(as_str(node.get("datePublished")) or as_str(node.get("dateCreated")))
    own_id = _review_id(node)
    key = own_id or stable_key(author, posted, text)
    title = clean_text(as_str(node.get("name")) or as_str(node.get("headline"))) or None
    return Review(key=key, text=text, rating=rating, author=author, posted=posted, title=title,
                  url=page_url), own_id is not None
