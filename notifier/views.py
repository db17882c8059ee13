"""The read-side shapes the notifier renders; `monitor` fills them from the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from watchers.model import StoredEvent


@dataclass(frozen=True)
class PeerStatus:
    """What `/status PEER` shows of one peer."""

    name: str
    tier: str
    platform: str
    url: str
    items: int
    discounted: int
    state: str
    fails: int
    last_ok: str | None
    last_error: str | None
    needs_person: bool = False
    muted_until: str | None = None
    recent: list[StoredEvent] = field(default_factory=list)
    read_note: str | None = None  # links the last read skipped, pages it did not fetch again
    read_limit: str | None = None  # the limit that cut the last read, and what to raise


@dataclass(frozen=True)
class CopyView:
    """A copy of our product that is still online."""

    hero: str
    market: str
    title: str
    url: str
    price: float | None
    seller: str | None
    first_seen: str
    event_id: str | None


@dataclass(frozen=True)
class ReviewView:
    """A negative review that no operator has marked handled yet."""

    product: str
    rating: float | None
    text: str
    author: str | None
    posted: str | None
    first_seen: str
    age_days: int
    event_id: str | None


@dataclass(frozen=True)
class DigestData:
    """Everything the daily digest says, read from stored data only."""

    day: str
    since: str
    events: list[StoredEvent]
    peers: list[PeerStatus]
    failing: list[PeerStatus]
    open_reviews: list[ReviewView] = field(default_factory=list)
    copies: list[CopyView] = field(default_factory=list)
    season: dict[str, Any] | None = None
    new_per_day: dict[str, dict[str, int]] = field(default_factory=dict)
    reply_window_days: int = 30
    currency: str | None = None  # of prices whose event does not name one
    positions: list[dict[str, Any]] = field(default_factory=list)  # our heroes' prices


@dataclass(frozen=True)
class CheckOutcome:
    """What a check on demand did: new events, alerts delivered, sources that failed."""

    new: int
    delivered: int
    failed: list[str] = field(default_factory=list)


class ReadModel(Protocol):
    """The queries the bot and the digest need; `monitor` implements it over SQLite."""

    def peer_statuses(self) -> list[PeerStatus]:
        """Every configured peer's status."""
        ...

    def peer_status(self, name: str) -> PeerStatus | None:
        """One peer's status, by name (case-insensitive)."""
        ...

    def digest_data(self) -> DigestData:
        """What today's digest says."""
        ...

    def copies_online(self) -> list[CopyView]:
        """Copies of our products still online."""
        ...

    def open_reviews(self) -> list[ReviewView]:
        """Negative reviews not marked handled, oldest first."""
        ...

    def season(self) -> dict[str, Any] | None:
        """The current season advice with its evidence, if any."""
        ...

    def reply_window_days(self) -> int:
        """Days the platform gives to answer a review."""
        ...

    def launches_by_season(self) -> dict[str, dict[str, int]]:
        """New listings per peer and season over the recent weeks (the /season chart)."""
        ...

    def today(self) -> dict[str, Any] | None:
        """Our shop yesterday and this month against target (None: no export read yet)."""
        ...

    def top(self, peer: str) -> dict[str, Any] | None:
        """A peer's items by recent sales (None: no such peer)."""
        ...

    def history(self, words: str) -> dict[str, Any] | None:
        """The item whose title matches best, with its prices over time (None: none)."""
        ...


class BotActions(Protocol):
    """What the bot may change; `monitor` implements it (the store's one writer)."""

    def mute(self, peer: str, hours: float) -> str | None:
        """Mute a peer's (or a source id's) alerts; the muted name, None if unknown."""
        ...

    def unmute(self, peer: str) -> str | None:
        """End a peer's mute; the unmuted name, None if unknown."""
        ...

    def handled(self, event_id: str, by: str) -> tuple[bool, str | None, str | None]:
        """Mark an alert handled: (newly marked, who marked it, when); who is None if unknown."""
        ...

    def source_of(self, event_id: str) -> str | None:
        """The source id of an alert (what its mute button mutes)."""
        ...

    async def check(self) -> CheckOutcome:
        """Run every watch now and deliver what it found."""
        ...
