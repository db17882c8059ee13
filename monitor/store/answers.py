"""The read side of `/top PEER`, `/history WORDS` and the digest's hero positions.

The answers themselves are plain data computed in the watches (`watchers.peers.answers`,
`watchers.position.answers`); this binds them to the configured sources and the clock, so
that the notifier's read model needs one call each (`notifier` renders, never queries).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from monitor.settings import Settings
from monitor.store.database import Store
from watchers.peers.answers import history, top_items
from watchers.position.answers import hero_positions


class Answers:
    """`/top`, `/history` and the heroes' positions over the store."""

    def __init__(self, settings: Settings, store: Store, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock

    def top(self, peer_name: str, limit: int = 10) -> dict[str, Any] | None:
        """{peer, items} for the peer named (any case, inner spaces as typed), or None."""
        wanted = " ".join(peer_name.split()).casefold()
        peer = next((p for p in self.settings.peers
                     if " ".join(p.name.split()).casefold() == wanted), None)
        if peer is None:
            return None
        return {"peer": peer.name, "items": top_items(self.store, peer.source, self.clock(),
                                                      limit)}

    def history(self, words: str) -> dict[str, Any] | None:
        """The best-matching peer item (or our hero) with its price and stock over time."""
        sources = [p.source for p in self.settings.peers]
        sources += [f"position:{h.name}" for h in self.settings.heroes]
        return history(self.store, words, sources)

    def positions(self) -> list[dict[str, Any]]:
        """Each hero's price, its position and the same-style items (the digest's lines)."""
        return hero_positions(self.store, [h.name for h in self.settings.heroes])
