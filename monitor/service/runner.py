"""The runner: every registered watch once, concurrently, each isolated from the others."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime

from monitor.settings import Settings
from monitor.store.database import Store
from watchers.fetching import Fetcher
from watchers.registry import KINDS, WATCHES
from watchers.season.check import season_namer
from watchers.watch import CheckResult, Job, WatchContext

log = logging.getLogger(__name__)


class Runner:
    """Runs the configured watches against one fetcher and one store."""

    def __init__(self, settings: Settings, store: Store, fetcher: Fetcher,
                 clock: Callable[[], datetime], browser: Fetcher | None = None) -> None:
        self.ctx = WatchContext(settings, store, fetcher, clock, browser,
                                season_of=season_namer(settings))

    def jobs(self, kinds: Iterable[str] | None = None, stage: int | None = None) -> list[Job]:
        """The jobs of the configured watches (of the kinds and stage named)."""
        wanted = set(kinds or KINDS)
        return [job for watch in WATCHES
                if watch.kind in wanted and stage in (None, watch.stage)
                for job in watch.jobs(self.ctx.settings)]

    async def check(self, only: Iterable[str] | None = None) -> CheckResult:
        """Run every configured watch once (or only the kinds named); never stop on a crash."""
        total = CheckResult()
        for stage in sorted({watch.stage for watch in WATCHES}):
            for result in await asyncio.gather(*(self.run(job)
                                                 for job in self.jobs(only, stage))):
                total.merge(result)
        total.events.sort(key=lambda e: e.at)
        return total

    async def run(self, job: Job) -> CheckResult:
        """One job; a crash is logged and counts as that job's failure, nothing more."""
        try:
            return await job.run(self.ctx)
        except sqlite3.Error:
            raise  # the database is every watch's: a locked or full one ends the check cleanly
        except Exception:
            log.exception("watch %s crashed", job.id)
            return CheckResult(failed=[job.id])
