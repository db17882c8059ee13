"""Issue 2's figures: a full check of 5 peers x 2,000 items against the bare-fetch floor."""

from __future__ import annotations

import asyncio
import io
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import HostPlan, bare_floor, peak_rss_mb
from bench.world import PAGE, BenchWorld
from monitor import commands
from monitor.config import load
from monitor.settings import Settings
from monitor.store.database import Store

PEERS, ITEMS = 5, 2000
SNAPSHOT_TABLES = ("items", "item_versions", "snapshots")


def config_text(urls: list[str]) -> str:
    """A config.toml of Shopify peers, database beside it."""
    peers = "".join(f'\n[[peers]]\nname = "Peer {i}"\nurl = "{u}"\nplatform = "shopify"\n'
                    for i, u in enumerate(urls))
    return ('[monitor]\ndatabase = "bench.db"\nhost_interval = "0s"\nper_host = 2\n'
            'respect_robots = false\n' + peers)


def snapshot_rows(path: Path) -> int:
    """Rows of the snapshot tables."""
    store = Store(path)
    try:
        return sum(int(store.db.table(t).count) for t in SNAPSHOT_TABLES)
    finally:
        store.close()


def timed_check(settings: Settings) -> float:
    """One `monitor check --json --no-send`, its wall time."""
    start = time.perf_counter()
    asyncio.run(commands.check(settings, only=None, as_json=True, send=False, out=io.StringIO()))
    return time.perf_counter() - start


def bench_pipeline() -> dict[str, Any]:
    """A first (baseline) check and an unchanged second check against the floor."""
    with BenchWorld(PEERS, ITEMS) as world, tempfile.TemporaryDirectory() as tmp:
        urls = world.urls()
        pages = ITEMS // PAGE + 1  # the adapter stops after the first page that is not full
        plans = [HostPlan([f"{u}/products.json?limit={PAGE}&page={n}"
                           for n in range(1, pages + 1)], 1) for u in urls]
        floor = min(asyncio.run(bare_floor(plans, 16)) for _ in range(2))
        path = Path(tmp) / "config.toml"
        path.write_text(config_text(urls), encoding="utf-8")
        settings = load(path)
        first = timed_check(settings)
        rows_before = snapshot_rows(settings.monitor.database)
        cycle = timed_check(settings)
        rows_written = snapshot_rows(settings.monitor.database) - rows_before
        return {"items": PEERS * ITEMS, "first_cycle_s": round(first, 3),
                "cycle_s": round(cycle, 3), "floor_s": round(floor, 3),
                "ratio": round(cycle / floor, 3), "unchanged_snapshot_rows": rows_written,
                "peak_rss_mb": round(peak_rss_mb(), 1)}
