"""`make bench`: figures of a full check on a loopback world; the last line is one JSON object."""

from __future__ import annotations

import asyncio
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.world import PAGE, BenchWorld
from monitor import commands
from monitor.config import load
from monitor.store import Store

PEERS, ITEMS = 5, 2000
SNAPSHOT_TABLES = ("items", "item_versions", "snapshots")


def peak_rss_mb() -> float:
    """The process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def bare_floor(urls: list[str]) -> float:
    """The same product pages fetched with a bare httpx loop: one host's pages in sequence."""
    pages = ITEMS // PAGE + 1  # the adapter stops after the first page that is not full

    async def one_host(client: httpx.AsyncClient, root: str) -> None:
        for page in range(1, pages + 1):
            (await client.get(f"{root}/products.json?limit={PAGE}&page={page}")).read()

    start = time.perf_counter()
    async with httpx.AsyncClient() as client:
        await asyncio.gather(*(one_host(client, u) for u in urls))
    return time.perf_counter() - start


def config_text(urls: list[str]) -> str:
    peers = "".join(f'\n[[peers]]\nname = "Peer {i}"\nurl = "{u}"\nplatform = "shopify"\n'
                    for i, u in enumerate(urls))
    return ('[monitor]\ndatabase = "bench.db"\nhost_interval = "0s"\nper_host = 2\n'
            'respect_robots = false\n' + peers)


def snapshot_rows(path: Path) -> int:
    store = Store(path)
    try:
        return sum(int(store.db.table(t).count) for t in SNAPSHOT_TABLES)
    finally:
        store.close()


def timed_check(settings: Any) -> float:
    start = time.perf_counter()
    asyncio.run(commands.check(settings, only=None, as_json=True, send=False, out=io.StringIO()))
    return time.perf_counter() - start


def bench_pipeline() -> dict[str, Any]:
    """A first (baseline) check and an unchanged second check against the floor."""
    with BenchWorld(PEERS, ITEMS) as world, tempfile.TemporaryDirectory() as tmp:
        urls = world.urls()
        floor = min(asyncio.run(bare_floor(urls)) for _ in range(2))
        path = Path(tmp) / "config.toml"
        path.write_text(config_text(urls), encoding="utf-8")
        settings = load(path)
        first = timed_check(settings)
        rows_before = snapshot_rows(settings.monitor.database)
        cycle = timed_check(settings)
        rows_written = snapshot_rows(settings.monitor.database) - rows_before
        return {"items": PEERS * ITEMS, "first_cycle_s": round(first, 3),
                "cycle_s": round(cycle, 3), "floor_s": round(floor, 3),
                "ratio": round(cycle / floor, 3), "unchanged_snapshot_rows": rows_written}


def main() -> int:
    """Run every benchmark, print a line per figure and the JSON object last."""
    figures = bench_pipeline()
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    for key, value in figures.items():
        print(f"{key:>28}: {value}", file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
