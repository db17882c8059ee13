"""robots.txt: fetched once per host (scheme, name, port), parsed by protego, cached.

The rules follow RFC 9309: a 2xx answer is parsed; any other 4xx (404, 410, 401, 403...)
means no rules, so all is allowed; a 5xx or a network failure means the site could not
say, so all is disallowed for FAILURE_TTL and then asked again (Google does the same).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from monitor.fetch.addresses import AddressRefused
from monitor.fetch.politeness import BudgetSpent, origin_of
from watchers.fetching import FetchError

SUCCESS_TTL = 24 * 3600.0  # RFC 9309: a cached robots.txt should not be used longer
FAILURE_TTL = 600.0
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB

# Fetches a robots.txt URL: (status, body) of the final answer; FetchError when none came.
RobotsGet = Callable[[str], Awaitable[tuple[int, bytes]]]


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one host's robots.txt says; `parser` None means no rules at all."""

    parser: Protego | None = None
    unreachable: str | None = None  # why robots.txt could not be read: all is disallowed

    def allows(self, url: str, token: str) -> bool:
        """True when `token` may fetch `url`."""
        if self.unreachable is not None:
            return False
        return self.parser is None or self.parser.can_fetch(url, token)

    def crawl_delay(self, token: str) -> float | None:
        """The Crawl-delay asked of `token`, in seconds, if any."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        return float(delay) if delay is not None else None


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: "monitor/0.1 (+...)" -> "monitor"."""
    words = user_agent.strip().split()
    return (words[0].split("/")[0] if words else "").lower() or "*"


class RobotsCache:
    """Reads each host's robots.txt once (concurrent callers wait for the same read)."""

    def __init__(self, get: RobotsGet, user_agent: str) -> None:
        self._get = get
        self.token = product_token(user_agent)
        self._rules: dict[str, tuple[RobotsRules, float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        """The rules of `url`'s host, read now if not known or gone stale."""
        origin = origin_of(url)
        async with self._locks.setdefault(origin, asyncio.Lock()):
            known = self._rules.get(origin)
            if known is not None and known[1] > time.monotonic():
                return known[0]
            rules = await self._read(origin)
            ttl = FAILURE_TTL if rules.unreachable else SUCCESS_TTL
            self._rules[origin] = (rules, time.monotonic() + ttl)
            return rules

    async def allows(self, url: str) -> bool:
        """True when our product token may fetch `url`."""
        return (await self.rules_for(url)).allows(url, self.token)

    async def _read(self, origin: str) -> RobotsRules:
        parts = urlsplit(origin)
        default = 443 if parts.scheme == "https" else 80
        root = origin if parts.port != default else f"{parts.scheme}://{parts.hostname}"
        try:
            status, body = await self._get(root + "/robots.txt")
        except (BudgetSpent, AddressRefused):
            raise  # our own limit, not the site's answer: nothing to cache
        except FetchError as exc:
            return RobotsRules(unreachable=exc.reason)
        if 200 <= status < 300:
            return RobotsRules(Protego.parse(body.decode("utf-8", errors="replace")))
        if 400 <= status < 500:
            return RobotsRules()
        return RobotsRules(unreachable=f"HTTP {status}")
