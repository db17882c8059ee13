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


@dataclass(frozen=True)
class DigestData:
    """Everything the daily digest says, read from stored data only."""

    day: str
    since: str
    events: list[StoredEvent]
    peers: list[PeerStatus]
    failing: list[PeerStatus]
    open_reviews: list[StoredEvent] = field(default_factory=list)
    copies: list[StoredEvent] = field(default_factory=list)
    season: dict[str, Any] | None = None
    new_per_day: dict[str, dict[str, int]] = field(default_factory=dict)


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
