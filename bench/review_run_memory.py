"""Peak memory of `monitor run` watching three top products whose reviews the model must read.

    .venv/bin/python -m bench.review_run_memory

Three loopback review pages (60 four-star reviews each, from tests/watchers/reviews/
review_texts.tsv, so that neither the stars nor the top-rating rule decides and every text
goes through the word list and the model); `monitor run` starts, its first check judges and
stores every review, then it is stopped with SIGTERM. The figure is the process's VmHWM.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from bench.sentiment_eval import load
from tests.fakes.http import LoopbackServer, Reply

ROOT = Path(__file__).resolve().parent.parent
TOPS, PER_TOP = 3, 60

CONFIG = """
[monitor]
database = "m.db"
host_interval = "0s"
respect_robots = false
every = "6h"
{tops}
[layouts.rev.reviews]
item = "div.rev"
id = "@data-id"
rating = "span.stars"
text = "p.body"
author = "em.who"
date = "time"
"""
TOP = """
[[top]]
name = "Top {i}"
url = "{root}/top{i}/item"
reviews = "{root}/top{i}/reviews"
platform = "html"
layout = "rev"
"""


def page(texts: list[str], top: int) -> Reply:
    """One review page: every review four stars."""
    items = "".join(
        f'<div class="rev" data-id="t{top}r{n}"><span class="stars">4/5</span>'
        f'<p class="body">{escape(t)}</p><em class="who">buyer{n}</em>'
        f"<time>2026-03-01</time></div>" for n, t in enumerate(texts))
    return Reply(f"<html><body>{items}</body></html>")


def peak_kb(pid: int) -> int:
    """A live process's peak resident size."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def bench_run_memory(timeout: float = 120.0) -> dict[str, float]:
    """`review_run_peak_mb`: `monitor run`'s peak after its first check of three tops."""
    texts = [s.text for s in load()]
    routes: dict[str, Reply] = {}
    for i in range(TOPS):
        chosen = [texts[(i * PER_TOP + n) % len(texts)] for n in range(PER_TOP)]
        routes[f"/top{i}/reviews"] = page(chosen, i)
    with LoopbackServer(routes) as server, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        tops = "".join(TOP.format(i=i, root=server.url) for i in range(TOPS))
        config.write_text(CONFIG.format(tops=tops), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "MONITOR_TELEGRAM_TOKEN"}
        proc = subprocess.Popen([sys.executable, "-m", "monitor.cli", "run", "--config",
                                 str(config)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            stored = _wait_for_reviews(Path(tmp) / "m.db", TOPS * PER_TOP, timeout)
            peak = peak_kb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    return {"review_run_reviews": stored, "review_run_peak_mb": round(peak / 1024, 1)}


def _wait_for_reviews(db: Path, want: int, timeout: float) -> int:
    """The stored review count once it reaches `want` (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    count = conn.execute("select count(*) from reviews").fetchone()[0]
            except sqlite3.OperationalError:  # not migrated yet, or busy
                count = 0
            if count >= want:
                time.sleep(1.0)  # the check's last writes and its alerts
                return int(count)
        time.sleep(0.2)
    return count


if __name__ == "__main__":
    print(json.dumps(bench_run_memory()))
