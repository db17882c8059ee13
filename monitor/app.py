"""Wiring: settings -> store, fetcher, runner, read model. The composition root's helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from monitor import clock
from monitor.fetcher import PoliteFetcher
from monitor.queries import StoreReadModel
from monitor.runner import Runner
from monitor.settings import Settings
from monitor.store import Store


@dataclass
class App:
    """Everything one process uses, built from the settings."""

    settings: Settings
    store: Store
    fetcher: PoliteFetcher
    runner: Runner
    read_model: StoreReadModel

    def now(self) -> datetime:
        """The clock in the configured time zone."""
        return clock.now(self.settings.monitor.timezone)


def make_fetcher(settings: Settings) -> PoliteFetcher:
    """The polite fetcher configured by [monitor]."""
    m = settings.monitor
    cookies = None
    if m.cookies:
        from monitor.cookies import load_cookies_txt

        cookies = load_cookies_txt(m.cookies)
    return PoliteFetcher(concurrency=m.concurrency, per_host=m.per_host,
                         host_interval=m.host_interval, timeout=m.timeout,
                         user_agent=m.user_agent, respect_robots=m.respect_robots,
                         cookies=cookies)


@asynccontextmanager
async def open_app(settings: Settings) -> AsyncIterator[App]:
    """Open the store and the fetcher; close both on the way out."""
    store = Store(settings.monitor.database)
    now = partial(clock.now, settings.monitor.timezone)
    try:
        async with make_fetcher(settings) as fetcher:
            runner = Runner(settings, store, fetcher, now)
            yield App(settings, store, fetcher, runner, StoreReadModel(settings, store, now))
    finally:
        store.close()
