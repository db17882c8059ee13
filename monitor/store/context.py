"""What an alert needs beyond its stored event: currency, a failing source's URL and since when,
a review's reply window and why it counts as negative. Read from the settings and the store.

The watches record what they saw; this adds what the operator needs to act on it, at the
moment it is shown (the settings may have changed since), without touching the outbox.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from monitor.settings import Settings
from monitor.store.database import Store
from watchers.model import StoredEvent
from watchers.reviews.sentiment import normalise
from watchers.reviews.words import find_cues

CURRENCY_SAMPLE = 200  # priced items looked at for a source's currency


class EventContext:
    """Adds the details an alert shows to stored events (a fresh copy; the outbox is kept)."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._currency: dict[str, str | None] = {}

    def currency(self, source: str | None) -> str | None:
        """The currency a source's items are priced in (the first item that names one)."""
        if not source:
            return None
        if source not in self._currency:
            # A store names its currency on its priced items or on none (Shopify's
            # products.json names none; Taobao's cards only where a price shows): the
            # first priced items answer, where a full scan cost ~25 ms per 5,000 items on
            # every digest and /status when the answer is "none".
            rows = list(self.store.query(
                "select json_extract(data, '$.currency') as c from (select data from items "
                "where source = ? and json_extract(data, '$.price') is not null "
                "limit ?) where c is not null limit 1",
                [source, CURRENCY_SAMPLE]))
            self._currency[source] = rows[0]["c"] if rows else None
        return self._currency[source]

    def main_currency(self) -> str | None:
        """The currency of the first peer that names one (the digest's default)."""
        for peer in self.settings.peers:
            found = self.currency(peer.source)
            if found:
                return found
        return None

    def source_info(self, source: str | None) -> tuple[str | None, str | None]:
        """The URL a source reads and which watch it serves (peers, copies, reviews)."""
        if not source:
            return None, None
        kind, _, rest = source.partition(":")
        s = self.settings
        if kind == "peer":
            peer = s.peer(rest)
            return (peer.url if peer else None), "peers"
        if kind == "reviews":
            top = next((t for t in s.tops if t.name == rest), None)
            return ((top.reviews or top.url) if top else None), "reviews"
        if kind == "hero":
            hero = next((h for h in s.heroes if h.name == rest), None)
            return (hero.url if hero else None), "copies"
        if kind == "copies":
            market = next((m for m in s.marketplaces if rest.endswith(":" + m.name)), None)
            return (market.search if market else None), "copies"
        return None, None

    def details(self, event: StoredEvent) -> dict[str, Any]:
        """The event's details with what its alert shows added."""
        d = dict(event.details)
        if event.kind == "source_failing":
            url, watch = self.source_info(event.source)
            state = self.store.source_state(event.source) if event.source else None
            d.setdefault("url", url)
            d.setdefault("watch", watch)
            if state is not None and state.last_ok:
                d.setdefault("since", state.last_ok)
        elif event.kind == "negative_review":
            alerts = self.settings.alerts
            d["reply_window_days"] = int(alerts.reply_window // 86400)
            d["negative_rating"] = alerts.negative_rating
            if "reason" not in d:  # stored before the watch recorded its verdict
                cues = find_cues(normalise(str(d.get("text") or "")), alerts.negative_words)
                d["words"] = list(dict.fromkeys(cues.complaints))
        elif "currency" not in d:
            d["currency"] = self.currency(event.source)
        return d

    def add(self, events: Iterable[StoredEvent]) -> list[StoredEvent]:
        """Copies of `events` with their alert details."""
        return [dataclasses.replace(e, details=self.details(e)) for e in events]
