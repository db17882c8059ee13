"""`make bench`: figures of the monitor on loopback worlds; the last line is one JSON object.

Issue 2's keys (5 peers x 2,000 items) come first, then issue 6's scale (`scale_*`), the
30 simulated days with the read side's timings, and image hashing (`imaging_*`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.pipeline import bench_pipeline


def bench_imaging() -> dict[str, Any]:
    """bench/imaging_bench.py's hashing figures, when that benchmark is there."""
    if importlib.util.find_spec("bench.imaging_bench") is None:
        return {}
    from bench.imaging_bench import bench_hashing

    found = bench_hashing(1000)
    return {f"imaging_{k}": v for k, v in found.items() if k != "peak_rss_mb"}


def bench_reviews() -> dict[str, Any]:
    """The review judge's cost (`review_judge_*`) and `monitor run`'s peak with three tops."""
    if importlib.util.find_spec("bench.review_bench") is None:
        return {}
    from bench.review_bench import bench_review_judge
    from bench.review_run_memory import bench_run_memory

    return {**bench_review_judge(), **bench_run_memory()}


def machine() -> dict[str, Any]:
    """The load the figures were taken under: wall times on 2 shared CPUs move with it, so
    a figure is comparable between runs only beside its load and CPU time."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"load_1m": round(os.getloadavg()[0], 2),
            "bench_cpu_s": round(time.process_time(), 1),  # this process, worlds included
            "children_cpu_s": round(children.ru_utime + children.ru_stime, 1)}  # monitors


def main() -> int:
    """Run every benchmark, print a line per figure and the JSON object last."""
    started = machine()["load_1m"]
    figures = bench_pipeline()
    # Each stage imports what it needs only when it starts, so that a stage's peak memory
    # does not hold the next one's libraries (the digest's matplotlib, for one).
    from bench.extras_world import ExtrasWorld
    from bench.scale import ITEMS, PEERS, bench_scale
    from bench.world import BenchWorld

    with (BenchWorld(PEERS, ITEMS) as world, ExtrasWorld() as extras,
          tempfile.TemporaryDirectory() as tmp):
        scale, settings = bench_scale(Path(tmp), world.urls(), extras)
        figures.update(scale)
        from bench.history import bench_history

        figures.update(bench_history(settings, extras))
    figures.update(bench_imaging())
    figures.update(bench_reviews())
    from bench.crawl_bench import bench_crawl

    figures.update(bench_crawl())  # issue 11's store of 1,000 JSON-LD pages (`crawl_*`)
    from bench.history_answer import bench_history_answer  # /history over a year of versions

    figures.update(bench_history_answer())
    figures.update(load_1m_start=started, **machine())
    for key, value in figures.items():
        print(f"{key:>32}: {value}", file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
