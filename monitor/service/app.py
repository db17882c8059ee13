"""Wiring: settings -> store, fetcher, runner, read model. The composition root's helpers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from monitor import clock

if TYPE_CHECKING:
    from monitor.fetch.browser import BrowserFetcher
from monitor.fetch.addresses import policy_for
from monitor.fetch.http import PoliteFetcher
from monitor.fetch.http_cache import StoreHttpCache
from monitor.fetch.pacing import site_rules
from monitor.service.runner import Runner
from monitor.settings import Settings
from monitor.store.database import Store
from monitor.store.queries import StoreReadModel


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


def make_fetcher(settings: Settings, store: Store | None = None) -> PoliteFetcher:
    """The polite fetcher configured by [monitor]; validators kept in the store when given."""
    m = settings.monitor
    cookies = None
    if m.cookies:
        from monitor.fetch.cookies import load_cookies_txt

        cookies = load_cookies_txt(m.cookies)
    return PoliteFetcher(concurrency=m.concurrency, per_host=m.per_host,
                         host_interval=m.host_interval, timeout=m.timeout,
                         user_agent=m.user_agent, respect_robots=m.respect_robots,
                         cookies=cookies, cache=StoreHttpCache(store) if store else None,
                         sites=site_rules(settings), addresses=policy_for(settings))


def uses_browser(settings: Settings) -> bool:
    """True when any source reads through the browser."""
    modes = [s.fetch for s in settings.peers] + [m.fetch for m in settings.marketplaces]
    return "browser" in modes + [t.fetch for t in settings.tops]


def make_browser(settings: Settings, http: PoliteFetcher | None = None) -> BrowserFetcher | None:
    """The headless Chromium, started on first use, when any source needs it.

    Given the HTTP fetcher, the browser shares its politeness (one gap and one budget per
    site, whichever way a page is read) and its robots.txt rules.
    """
    if not uses_browser(settings):
        return None
    from monitor.fetch.browser import BrowserFetcher, ready_selectors

    m = settings.monitor
    cookies = None
    if m.cookies:
        from monitor.fetch.cookies import load_cookies_txt

        cookies = load_cookies_txt(m.cookies)
    return BrowserFetcher(executable=m.browser, profile=m.browser_profile, cookies=cookies,
                          user_agent=m.user_agent,
                          screenshots=m.database.parent / "screenshots",
                          politeness=http.politeness if http else None,
                          robots=http.robots.allows if http else None,
                          respect_robots=m.respect_robots, ready=ready_selectors(settings),
                          addresses=http.addresses if http else policy_for(settings))


# A check parses tens of MB of JSON into short-lived dicts; at the default 700 the cyclic
# collector runs thousands of times per check and costs ~10 % of it (see `make bench`).
GC_GEN0_THRESHOLD = 20_000


def tune_gc() -> None:
    """Let the young generation grow before the cyclic collector runs."""
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(GC_GEN0_THRESHOLD, gen0), gen1, gen2)


@asynccontextmanager
async def open_app(settings: Settings) -> AsyncIterator[App]:
    """Open the store and the fetcher; close both on the way out."""
    tune_gc()
    store = Store(settings.monitor.database)
    now = partial(clock.now, settings.monitor.timezone)
    browser = None
    try:
        async with make_fetcher(settings, store) as fetcher:
            browser = make_browser(settings, fetcher)
            runner = Runner(settings, store, fetcher, now, browser)
            yield App(settings, store, fetcher, runner, StoreReadModel(settings, store, now))
    finally:
        if browser is not None:
            await browser.aclose()
        store.close()
