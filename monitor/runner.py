"""The runner: every configured watch once, concurrently, each isolated from the others."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from monitor.peer_watch import check_peer
from monitor.runner_base import CheckResult, WatchContext
from monitor.settings import Peer, Settings
from monitor.store import Store
from watchers.fetching import Fetcher

log = logging.getLogger(__name__)

WATCH_KINDS = ("peers", "copies", "reviews", "season")


class Runner:
    """Runs the configured watches against one fetcher and one store."""

    def __init__(self, settings: Settings, store: Store, fetcher: Fetcher,
                 clock: Callable[[], datetime], browser: Fetcher | None = None) -> None:
        self.ctx = WatchContext(settings, store, fetcher, clock, browser)

    async def check(self, only: Iterable[str] | None = None) -> CheckResult:
        """Run every configured watch once (or only the kinds named); never stop on a crash."""
        kinds = set(only or WATCH_KINDS)
        s = self.ctx.settings
        jobs: list[Awaitable[CheckResult]] = []
        if "peers" in kinds:
            jobs += [self.check_peer(peer) for peer in s.peers]
        if "copies" in kinds and s.heroes and s.marketplaces:
            from monitor.copy_watch import ImageCache, check_hero

            self.images = ImageCache(self.ctx)
            jobs += [check_hero(self.ctx, hero, self.images) for hero in s.heroes]
        if "reviews" in kinds and s.tops:
            from monitor.review_watch import check_top

            jobs += [check_top(self.ctx, top) for top in s.tops]
        total = CheckResult()
        for result in await asyncio.gather(*jobs):
            total.merge(result)
        if "season" in kinds and s.peers:  # after the peers, so that it sees their new items
            from monitor.season_watch import check_season

            total.merge(await check_season(self.ctx))
        total.events.sort(key=lambda e: e.at)
        return total

    async def check_peer(self, peer: Peer) -> CheckResult:
        """One peer's check."""
        from monitor.season_watch import season_of

        return await check_peer(self.ctx, peer, season_of(self.ctx))
