"""Records and events: the plain values that flow from sources to the store and notifier."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Listing:
    """One item as a store or marketplace shows it, normalised across platforms.

    `key` is stable within one source (the platform's id, else the canonical URL).
    `regular_price` is set only when the item is discounted (compare-at above price).
    """

    key: str
    title: str
    url: str = ""
    price: float | None = None
    regular_price: float | None = None
    currency: str | None = None
    available: bool | None = None
    image: str | None = None
    images: tuple[str, ...] = ()
    sales: int | None = None
    sales_text: str | None = None
    seller: str | None = None
    tags: tuple[str, ...] = ()
    product_type: str | None = None
    review_count: int | None = None
    rating: float | None = None
    published: str | None = None
    # The variant names as the store writes them (sizes, colours): listing_changed says
    # which were added or removed. Empty where the platform does not list them.
    variants: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        # Not dataclasses.asdict: its deep copy costs more than the rest of a check.
        data = {name: getattr(self, name) for name in self.__slots__}
        data["images"] = list(self.images)
        data["tags"] = list(self.tags)
        data["variants"] = list(self.variants)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Listing:
        """Inverse of `to_dict`; unknown keys are ignored so old snapshots still load."""
        known = {k: v for k, v in data.items() if k in cls.__slots__}
        known["images"] = tuple(known.get("images") or ())
        known["tags"] = tuple(known.get("tags") or ())
        known["variants"] = tuple(known.get("variants") or ())
        return cls(**known)


@dataclass(frozen=True, slots=True)
class Review:
    """One review of a product. `rating` is normalised to a 0-5 scale (None: no stars)."""

    key: str
    text: str
    rating: float | None = None
    author: str | None = None
    posted: str | None = None
    title: str | None = None
    variant: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Page:
    """What a parser got out of one fetched document.

    `follow` are further documents of the same read (e.g. product pages linked from a
    catalog); `next_url` is the next page of a paged listing. `blocked` names why the
    page is not the content asked for ("login", "captcha", "shell", ...): such a page is an
    incomplete read, never an empty catalogue. `sitemaps` are further sitemaps a sitemap
    index names (structural: one that fails makes the read incomplete), `modified` the
    `<lastmod>` a sitemap gives its URLs, and `cut` says why the parser read only part of
    the document (a limit of watchers.limits reached): the read is then incomplete.
    """

    listings: list[Listing] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)
    next_url: str | None = None
    blocked: str | None = None
    review_count: int | None = None
    rating: float | None = None
    sitemaps: list[str] = field(default_factory=list)
    modified: dict[str, str] = field(default_factory=dict)
    cut: str | None = None


@dataclass(frozen=True, slots=True)
class ProductRef:
    """The item an event is about, as shown to operators."""

    title: str
    url: str

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict."""
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True, slots=True)
class Event:
    """A change worth telling. `key` identifies it so that it is recorded only once."""

    kind: str
    key: str
    summary: str
    store: str | None = None
    product: ProductRef | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredEvent:
    """An event as recorded in the outbox."""

    id: str
    kind: str
    at: str
    store: str | None
    product: dict[str, str] | None
    summary: str
    details: dict[str, Any]
    urgent: bool
    source: str | None = None
    handled_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The CONTRACT.md shape of `--json`."""
        return {"id": self.id, "kind": self.kind, "at": self.at, "store": self.store,
                "product": self.product, "summary": self.summary, "details": self.details}


URGENT_KINDS = frozenset(
    {"negative_review", "copy_listing", "store_promotion", "season_hint", "source_failing"}
)

EVENT_KINDS = (
    "new_listing",
    "listing_removed",
    "price_drop",
    "price_rise",
    "promo_started",
    "promo_ended",
    "out_of_stock",
    "back_in_stock",
    "store_promotion",
    "listing_changed",
    "bestseller",
    "price_position",
    "copy_listing",
    "negative_review",
    "season_hint",
    "source_failing",
    "source_recovered",
    "target_missed",
    "metric_swing",
    "page_health",
)


def listing_hash(listing: Listing) -> str:
    """A digest of everything an operator could see change on an item."""
    return hashlib.sha1(repr(listing).encode()).hexdigest()[:20]
