"""Helpers every benchmark shares: peak memory, the bare-fetch floor, timing a check."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from monitor.service.app import open_app
from monitor.settings import Settings


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (the worlds run in child processes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class HostPlan:
    """The URLs one host is asked for, and how many may be in flight at once.

    A peer's catalogue pages come one after the other (the next page is known only after
    this one), so a catalogue host gets one lane; other hosts get the fetcher's `per_host`.
    """

    urls: Sequence[str]
    lanes: int


def by_host(urls: Sequence[str], lanes: int) -> list[HostPlan]:
    """Group URLs by host (scheme, name and port), each host with `lanes` lanes."""
    hosts: dict[str, list[str]] = {}
    for url in urls:
        parts = urlsplit(url)
        hosts.setdefault(f"{parts.scheme}://{parts.netloc}", []).append(url)
    return [HostPlan(group, lanes) for group in hosts.values()]


async def bare_floor(plans: Sequence[HostPlan], concurrency: int) -> float:
    """The same URLs through a bare httpx loop with the same lanes: no parsing, no storing."""
    overall = asyncio.Semaphore(concurrency)

    async def lane(client: httpx.AsyncClient, queue: list[str]) -> None:
        while queue:
            url = queue.pop(0)
            async with overall:
                (await client.get(url)).read()

    start = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency * 2)
    async with httpx.AsyncClient(limits=limits) as client:
        jobs = []
        for plan in plans:
            queue = list(plan.urls)
            jobs += [lane(client, queue) for _ in range(plan.lanes)]
        await asyncio.gather(*jobs)
    return time.perf_counter() - start


async def timed_check(settings: Settings, only: Sequence[str] | None = None
                      ) -> tuple[float, int, int]:
    """One `monitor check` without printing: its wall time, events, and images hashed."""
    start = time.perf_counter()
    async with open_app(settings) as app:
        result = await app.runner.check(only)
        hashed = result.counters["images_hashed"]
    return time.perf_counter() - start, len(result.events), hashed
