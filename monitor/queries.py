"""The read side: peer status and digest data from the store (no fetching)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from monitor.peer_watch import peer_source
from monitor.settings import Peer, Settings
from monitor.store import Store
from notifier.views import DigestData, PeerStatus
from watchers.model import Listing
from watchers.peers import discount

RECENT_EVENTS = 8


class StoreReadModel:
    """Implements notifier.views.ReadModel over the SQLite store."""

    def __init__(self, settings: Settings, store: Store, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock

    def peer_statuses(self) -> list[PeerStatus]:
        """Every configured peer's status."""
        return [self._status(peer, recent=0) for peer in self.settings.peers]

    def peer_status(self, name: str) -> PeerStatus | None:
        """One peer's status with its latest changes."""
        peer = self.settings.peer(name)
        return self._status(peer, recent=RECENT_EVENTS) if peer else None

    def _status(self, peer: Peer, recent: int) -> PeerStatus:
        source = peer_source(peer)
        items, discounted = 0, 0
        for row in self.store.query(
            "select data from items where source = ? and gone_at is null", [source]
        ):
            items += 1
            if discount(Listing.from_dict(json.loads(row["data"]))) is not None:
                discounted += 1
        health = self.store.source_state(source)
        events = (self.store.events("source = ?", [source], limit=recent, newest_first=True)
                  if recent else [])
        return PeerStatus(
            name=peer.name, tier=peer.tier, platform=peer.platform, url=peer.url,
            items=items, discounted=discounted, state=health.state, fails=health.fails,
            last_ok=health.last_ok, last_error=health.last_error,
            needs_person=health.needs_person, muted_until=health.muted_until, recent=events,
        )

    def digest_data(self) -> DigestData:
        """Events of the last 24 hours and the state of every source."""
        now = self.clock()
        since = (now - timedelta(days=1)).isoformat()
        statuses = self.peer_statuses()
        return DigestData(
            day=now.date().isoformat(), since=since,
            events=self.store.events("at > ?", [since]),
            peers=statuses, failing=[s for s in statuses if s.state == "failing"],
        )
