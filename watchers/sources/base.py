"""What every source adapter is handed and must provide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from watchers.fetching import Document
from watchers.model import Page

Purpose = Literal["catalog", "search", "reviews", "product"]


@dataclass(frozen=True, slots=True)
class Layout:
    """CSS selectors of an `html` layout ([layouts.NAME] in config.toml).

    A selector "sel@attr" reads an attribute instead of the text.
    """

    listing: dict[str, str] = field(default_factory=dict)
    reviews: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One place to read: a peer's catalogue, a marketplace search, a review page...

    `url` is the first document to read (already resolved: catalog, search URL with the
    query filled in, or the review page). `home` is the store's home, for same-host checks.
    """

    platform: str
    url: str
    purpose: Purpose = "catalog"
    home: str = ""
    layout: Layout | None = None


class Adapter(Protocol):
    """A platform: where reading starts and how one document becomes records. Pure."""

    def start_urls(self, spec: SourceSpec) -> list[str]:
        """The first documents to fetch for `spec`."""
        ...

    def parse(self, doc: Document, spec: SourceSpec) -> Page:
        """Turn one fetched document into records, further links and the next page."""
        ...


class PageAdapter:
    """An adapter that reads the configured page itself with one pure parse function.

    A parser bug on an odd page becomes an incomplete read ("unparsable"), never a crash.
    """

    def __init__(self, parse: Callable[[Document, SourceSpec], Page]) -> None:
        self._parse = parse

    def start_urls(self, spec: SourceSpec) -> list[str]:
        """The configured URL itself (a search, shop, item, catalog page or sitemap)."""
        return [spec.url]

    def parse(self, doc: Document, spec: SourceSpec) -> Page:
        """What the parse function reads from one document."""
        try:
            return self._parse(doc, spec)
        except Exception:  # parsers never raise: an unreadable page is an incomplete read
            return Page(blocked="unparsable")
