"""Helpers of the robot channel tests: events, a digest, a channel on a fake robot."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from notifier.views import DigestData
from watchers.model import StoredEvent

T = TypeVar("T")
CHAT = -(2 ** 53) - 1


def stored(kind: str, n: int, *, store: str = "A家旗舰店", title: str = "春季新款衬衫",
           **details: Any) -> StoredEvent:
    """An event as the outbox holds it."""
    return StoredEvent(id=f"e{n}", kind=kind, at="2026-03-01T09:00:00+08:00", store=store,
                       product={"title": f"{title} {n}", "url": f"https://a.example/p/{n}"},
                       summary=f"{store}: {kind} {n}", details=details,
                       urgent=kind in ("negative_review", "copy_listing", "source_failing"))


def review(n: int, text: str = "质量太差，线头很多") -> StoredEvent:
    """A bad review of our own product."""
    return stored("negative_review", n, store="own", title="亚麻T恤", rating=1, text=text,
                  author=f"买家{n}", posted="2026-02-28")


def digest(events: list[StoredEvent] | None = None) -> DigestData:
    """A day's digest with a week of new listings for the chart."""
    return DigestData(day="2026-03-01", since="2026-02-28T09:00:00+08:00",
                      events=events or [], peers=[], failing=[],
                      new_per_day={"A家旗舰店": {"2026-02-27": 3, "2026-03-01": 5},
                                   "B家女装": {"2026-02-28": 2}})


def run(coro: Awaitable[T]) -> T:
    """Run a coroutine on a fresh loop (pytest-asyncio is not installed)."""
    async def go() -> T:
        return await coro
    return asyncio.run(go())
