"""The runner: observe -> diff -> record, for every watch, each isolated from the others."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from monitor.settings import Peer, Settings
from monitor.store import Store
from watchers.fetching import Fetcher
from watchers.health import after_read
from watchers.model import Listing, StoredEvent
from watchers.peers import Thresholds, diff
from watchers.reading import ReadResult, read_source
from watchers.sources.base import SourceSpec

log = logging.getLogger(__name__)

WATCH_KINDS = ("peers", "copies", "reviews", "season")


@dataclass
class CheckResult:
    """The new events of one check and the sources that failed in it."""

    events: list[StoredEvent] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def peer_source(peer: Peer) -> str:
    """The source id of a peer's catalogue."""
    return f"peer:{peer.name}"


def _snapshot_hash(listings: Iterable[Listing]) -> str:
    digest = hashlib.sha1()
    for listing in sorted(listings, key=lambda x: x.key):
        digest.update(repr(listing).encode())
    return digest.hexdigest()[:20]


class Runner:
    """Runs the configured watches against one fetcher and one store."""

    def __init__(self, settings: Settings, store: Store, fetcher: Fetcher,
                 clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self.clock = clock
        self.thresholds = Thresholds(price_change=settings.alerts.price_change)
        self.season_of: Callable[[Listing], str | None] | None = None

    # --- one check of everything ----------------------------------------------------------

    async def check(self, only: Iterable[str] | None = None) -> CheckResult:
        """Run every configured watch once (or only the kinds named); never stop on a crash."""
        kinds = set(only or WATCH_KINDS)
        jobs: list[Awaitable[CheckResult]] = []
        if "peers" in kinds:
            jobs += [self.check_peer(peer) for peer in self.settings.peers]
        results = await asyncio.gather(*jobs)
        total = CheckResult()
        for result in results:
            total.events += result.events
            total.failed += result.failed
        total.events.sort(key=lambda e: e.at)
        return total

    # --- peers ----------------------------------------------------------------------------

    async def check_peer(self, peer: Peer) -> CheckResult:
        """Read one peer, diff against the stored catalogue, record, and say what is new."""
        source = peer_source(peer)
        spec = SourceSpec(platform=peer.platform, url=peer.catalog or peer.url,
                          purpose="catalog", home=peer.url, layout=peer.layout)
        try:
            read = await read_source(self.fetcher, spec, respect_robots=self._robots(peer))
        except Exception as exc:  # a crash in one watch never stops the others
            log.exception("reading %s crashed", peer.name)
            read = ReadResult(errors=[f"internal error: {type(exc).__name__}: {exc}"])
        return self._record_peer(peer, source, read)

    def _robots(self, peer: Peer) -> bool:
        if peer.respect_robots is None:
            return self.settings.monitor.respect_robots
        return peer.respect_robots

    def _record_peer(self, peer: Peer, source: str, read: ReadResult) -> CheckResult:
        now = self.clock()
        health = self.store.source_state(source)
        previous = self.store.items(source)
        if read.failed:
            error = "; ".join(read.errors[:3])
            health, events = after_read(health, store=peer.name, ok=False, error=error,
                                        now=now, needs_person=read.needs_person)
            stored = self.store.record(kind="peer", name=peer.name, state=health, at=now,
                                       events=events)
            return CheckResult(stored, [peer.name])
        result = diff(peer.name, source, previous, read.listings, complete=read.complete,
                      baseline=not health.baseline_done, now=now,
                      thresholds=self.thresholds, season_of=self.season_of)
        ok = read.complete and result.suspect is None
        problem = "; ".join(read.errors[:3]) or result.suspect
        health, health_events = after_read(health, store=peer.name, ok=ok, error=problem,
                                           now=now, needs_person=read.needs_person)
        health = replace(health, baseline_done=True)
        stored = self.store.record(
            kind="peer", name=peer.name, state=health, at=now, changed=result.changed,
            gone=result.gone, events=[*result.events, *health_events],
            snapshot=(len(read.listings), _snapshot_hash(read.listings.values()),
                      read.complete),
        )
        return CheckResult(stored, [] if ok else [peer.name])
