"""Issue 11's real-looking store: 1,000 JSON-LD product pages of ~30 KB read by `monitor check`.

The store (bench/store_world.py) answers every request in 50 ms from a child process; the
monitor reads it in another child process, so that the figures are its own: pages/s, CPU
ms per page (user + system of the monitor's process over the first check), peak RSS, and
the bare httpx floor over the same URLs with the same lanes in the same run (and the
CPU that floor itself spends per page). A second
check after 10 products changed (price and sitemap <lastmod>) must fetch only robots.txt,
the two sitemaps and those 10 pages.

Run alone: `python -m bench.crawl_bench` (prints its figures as one JSON object).
"""

from __future__ import annotations

import asyncio
import io
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import bare_floor, by_host
from bench.store_world import PRODUCTS, StoreWorld

PER_HOST = 4
CHANGED = range(100, 110)


def config_text(root: str) -> str:
    """The store as a jsonld peer read by its address, as a new user would configure it."""
    return ('[monitor]\ndatabase = "bench.db"\nhost_interval = "0s"\n'
            f"per_host = {PER_HOST}\nrespect_robots = false\n\n"
            f'[[peers]]\nname = "Pages"\nurl = "{root}/"\nplatform = "jsonld"\n')


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _check(path: Path) -> tuple[float, float, int]:
    """One `monitor check`: wall seconds, CPU seconds, exit code (1: a source failed)."""
    from monitor import commands
    from monitor.config import load

    settings = load(path)
    out = io.StringIO()
    wall, cpu = time.perf_counter(), _cpu()
    code = asyncio.run(commands.check(settings, only=None, as_json=True, send=False, out=out))
    return time.perf_counter() - wall, _cpu() - cpu, code


def _monitor(root: str, tmp: str, queue: Any, step: Any) -> None:
    """The monitor's process: a first check, then (after the store changed) a second."""
    path = Path(tmp) / "config.toml"
    path.write_text(config_text(root), encoding="utf-8")
    first = _check(path)
    queue.put(first)
    step.wait()
    second = _check(path)
    queue.put(second)
    queue.put(_peak_mb())


def _peak_mb() -> float:
    """This process's own peak RSS. Not ru_maxrss: Linux carries that over fork and exec,
    so a child started late in `make bench` reported the parent's 396 MB as its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_crawl() -> dict[str, Any]:
    """The store case's figures (keys prefixed `crawl_`)."""
    ctx = mp.get_context("spawn")
    with StoreWorld() as world, tempfile.TemporaryDirectory() as tmp:
        urls = world.urls()
        cpu_before = _cpu()
        floor = min(asyncio.run(bare_floor(by_host(urls, PER_HOST), 16)) for _ in range(2))
        # What the bare httpx loop itself spends per page: the part no parser can remove.
        floor_cpu = (_cpu() - cpu_before) / 2 / len(urls)
        queue, step = ctx.Queue(), ctx.Event()
        proc = ctx.Process(target=_monitor, args=(world.root, tmp, queue, step))
        before = world.requests
        proc.start()
        wall, cpu, code = queue.get()
        first_requests = world.requests - before
        world.change(CHANGED, 39.0, "2099-01-01T00:00:00+00:00")
        before = world.requests
        step.set()
        wall2, _cpu2, code2 = queue.get()
        second_requests = world.requests - before
        peak = queue.get()
        proc.join()
    return {
        "crawl_pages": PRODUCTS, "crawl_exit": code, "crawl_second_exit": code2,
        "crawl_cycle_s": round(wall, 3), "crawl_floor_s": round(floor, 3),
        "crawl_ratio": round(wall / floor, 3),
        "crawl_pages_per_s": round(PRODUCTS / wall, 1),
        "crawl_cpu_ms_per_page": round(cpu * 1000 / PRODUCTS, 2),
        "crawl_floor_cpu_ms_per_page": round(floor_cpu * 1000, 2),
        "crawl_peak_rss_mb": round(peak, 1),
        "crawl_first_requests": first_requests,
        "crawl_second_cycle_s": round(wall2, 3), "crawl_second_requests": second_requests,
    }


if __name__ == "__main__":
    figures = bench_crawl()
    for key, value in figures.items():
        print(f"{key:>32}: {value}", file=sys.stderr)
    print(json.dumps(figures))
