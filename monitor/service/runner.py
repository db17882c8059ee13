"""The runner: every registered watch once, concurrently, each isolated from the others."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
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
        """Run every configured watch once (or only the kinds named); never stop on a crash.

        Stages run in order, except that a later stage's `reads_first` job starts with the
        first stage and waits for the earlier ones only when it needs what they stored.
        """
        total = CheckResult()
        stages: list[asyncio.Future[list[CheckResult]]] = []
        for stage in sorted({watch.stage for watch in WATCHES}):
            # every earlier stage, not just the last: a stage without jobs is done at once
            before = list(stages)
            stages.append(asyncio.ensure_future(self._stage(self.jobs(only, stage), before)))
        try:
            found = await asyncio.gather(*stages)
        except BaseException:
            for task in stages:  # a failed stage (the database) ends those still waiting
                task.cancel()
            await asyncio.gather(*stages, return_exceptions=True)
            raise
        for results in found:
            for result in results:
                total.merge(result)
        total.events.sort(key=lambda e: e.at)
        return total

    async def _stage(self, jobs: list[Job], before: list[asyncio.Future[list[CheckResult]]]
                     ) -> list[CheckResult]:
        async def earlier() -> None:
            for stage in before:
                await asyncio.shield(stage)

        ctx = replace(self.ctx, earlier_stages=earlier)

        async def one(job: Job) -> CheckResult:
            if not job.reads_first:
                await earlier()
            return await self.run(job, ctx)

        return list(await asyncio.gather(*(one(job) for job in jobs)))

    async def run(self, job: Job, ctx: WatchContext | None = None) -> CheckResult:
        """One job; a crash is logged and counts as that job's failure, nothing more."""
        try:
            return await job.run(ctx or self.ctx)
        except sqlite3.Error:
            raise  # the database is every watch's: a locked or full one ends the check cleanly
        except Exception:
            log.exception("watch %s crashed", job.id)
            return CheckResult(failed=[job.id])
