"""When a request may start: global and per-host slots, the gap per host, a daily budget."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from watchers.fetching import FetchError


class BudgetSpent(FetchError):
    """The daily request budget of a host is used up (our limit, not the site's answer)."""


def origin_of(url: str) -> str:
    """scheme://name:port, the unit politeness and robots.txt apply to."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class SiteRule:
    """Stricter politeness for one site: all its hosts share one slot, one gap, one budget."""

    per_host: int = 1
    interval: float = 8.0
    jitter: float = 7.0  # the gap is interval + uniform(0, jitter) seconds
    daily_budget: int | None = None


@dataclass
class _Host:
    slots: asyncio.Semaphore
    interval: float
    jitter: float = 0.0
    free_at: float = field(default=float("-inf"))  # loop time of the earliest next start


class Politeness:
    """Hands out the right to start one request; a host is scheme, name and port.

    At most `concurrency` requests are in flight, at most `per_host` to one host, and two
    starts to one host lie at least `host_interval` seconds apart. `daily_budget` maps a
    host name (or "name:port") to the requests it may get per calendar day of `clock`.
    `sites` maps a site ("name:port", or a domain that also covers its subdomains) to a
    stricter `SiteRule`; its hosts then count as one unit.
    """

    def __init__(self, *, concurrency: int = 16, per_host: int = 2, host_interval: float = 1.0,
                 daily_budget: Mapping[str, int] | None = None,
                 clock: Callable[[], datetime] | None = None,
                 sites: Mapping[str, SiteRule] | None = None) -> None:
        self._global = asyncio.Semaphore(max(1, concurrency))
        self.per_host = max(1, per_host)
        self.host_interval = max(0.0, host_interval)
        self.daily_budget = {k.lower(): v for k, v in (daily_budget or {}).items()}
        self.clock = clock or _local_now
        self.sites = {k.lower(): v for k, v in (sites or {}).items()}
        self._hosts: dict[str, _Host] = {}
        self._spent: dict[str, tuple[date, int]] = {}

    def site_of(self, url: str) -> str | None:
        """The key of the `sites` rule that governs `url`, if any."""
        parts = urlsplit(url)
        name = (parts.hostname or "").lower()
        if parts.port and f"{name}:{parts.port}" in self.sites:
            return f"{name}:{parts.port}"
        return next((k for k in self.sites if name == k or name.endswith("." + k)), None)

    def _host(self, url: str) -> _Host:
        site = self.site_of(url)
        unit = f"site:{site}" if site else origin_of(url)
        host = self._hosts.get(unit)
        if host is None:
            rule = self.sites[site] if site else None
            host = self._hosts[unit] = (
                _Host(asyncio.Semaphore(max(1, rule.per_host)), rule.interval, rule.jitter)
                if rule else _Host(asyncio.Semaphore(self.per_host), self.host_interval))
        return host

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Wait until a request to `url` may start; hold its slots while it runs."""
        host = self._host(url)
        loop = asyncio.get_running_loop()
        async with host.slots:
            while True:
                wait = host.free_at - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                await self._global.acquire()
                # Waiting for the global slot may have let a sibling start first: look again.
                if loop.time() >= host.free_at:
                    break
                self._global.release()
            try:
                self._spend(url)
                host.free_at = loop.time() + host.interval + random.uniform(0, host.jitter)
                yield
            finally:
                self._global.release()

    def hold_off(self, url: str, seconds: float) -> None:
        """Start nothing to `url`'s host for `seconds` (a Retry-After)."""
        host = self._host(url)
        host.free_at = max(host.free_at, asyncio.get_running_loop().time() + seconds)

    def widen_gap(self, url: str, seconds: float) -> None:
        """Keep at least `seconds` between starts to `url`'s host (a Crawl-delay)."""
        host = self._host(url)
        host.interval = max(host.interval, seconds)

    def _spend(self, url: str) -> None:
        parts = urlsplit(url)
        name = (parts.hostname or "").lower()
        keys = [f"{name}:{parts.port}"] if parts.port else []
        key = next((k for k in [*keys, name] if k in self.daily_budget), None)
        limit = self.daily_budget.get(key or "")
        site = self.site_of(url)
        if site and self.sites[site].daily_budget is not None:
            key, limit = site, self.sites[site].daily_budget
        if key is None or limit is None:
            return
        today = self.clock().date()
        day, used = self._spent.get(key, (today, 0))
        used = used if day == today else 0
        if used >= limit:
            raise BudgetSpent(url, f"daily request budget of {limit} for {key} used up")
        self._spent[key] = (today, used + 1)
