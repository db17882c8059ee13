"""`/history WORDS` over a year of daily checks of 5 peers x 2,000 items (issue 22).

The store is filled directly (no network): every item's first version, then each day 300
items of the 10,000 move their price, and the item asked about moves every day (365
versions). The answer reads the titles of the present items, finds the best match and
reads that item's versions on the (source, key) index. Run alone:
`.venv/bin/python -m bench.history_answer` (prints one JSON line).
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PEERS, ITEMS, DAYS, MOVES_PER_DAY = 5, 2_000, 365, 300
WORDS = ["silk scarf 0-17", "wool coat 3-1203", "cotton shirt 2-554", "碎花连衣裙 1-88"]


def _data(title: str, price: float, available: bool = True) -> str:
    return json.dumps({"key": title, "title": title, "url": "https://p.example/x",
                       "price": price, "available": available}, ensure_ascii=False)


def fill(path: Path) -> None:
    """A year of versions in the store at `path`."""
    from monitor.store.database import Store

    store = Store(path)
    rng = random.Random(22)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    names = ["Linen Midi Dress", "Wool Coat", "Silk Scarf", "碎花连衣裙", "Cotton Shirt"]
    items, versions = [], []
    prices: dict[tuple[str, str], float] = {}
    for p in range(PEERS):
        for i in range(ITEMS):
            source, key = f"peer:Peer {p}", str(i)
            title = f"{names[i % len(names)]} {p}-{i}"
            prices[source, key] = 100.0 + i % 300
            stamp = start.isoformat()
            items.append((source, key, _data(title, prices[source, key]), stamp))
            versions.append((source, key, stamp, _data(title, prices[source, key])))
    keys = list(prices)
    for day in range(1, DAYS):
        stamp = (start + timedelta(days=day)).isoformat()
        for source, key in [*rng.sample(keys, MOVES_PER_DAY), ("peer:Peer 0", "17")]:
            prices[source, key] = round(prices[source, key] * rng.uniform(0.8, 1.2), 2)
            title = f"{names[int(key) % len(names)]} {source[-1]}-{key}"
            versions.append((source, key, stamp, _data(title, prices[source, key],
                                                       rng.random() > 0.1)))
    with store.transaction():
        store.db.conn.executemany(
            "insert or replace into items (source, key, data, first_seen) values (?, ?, ?, ?)",
            items)
        store.db.conn.executemany(
            "insert into item_versions (source, key, at, data) values (?, ?, ?, ?)", versions)
    store.close()


def bench_history_answer() -> dict[str, Any]:
    """The median and worst time of `/history` over the year-long store."""
    from monitor.store.database import Store
    from watchers.peers.answers import history

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.db"
        fill(path)
        store = Store(path)
        sources = [f"peer:Peer {p}" for p in range(PEERS)]
        times, points = [], 0
        for words in WORDS * 5:
            began = time.perf_counter()
            found = history(store, words, sources)
            times.append((time.perf_counter() - began) * 1000)
            points = max(points, len(found["series"]) if found else 0)
        versions = next(iter(store.query("select count(*) as n from item_versions")))["n"]
        store.close()
    return {"history_ms": round(statistics.median(times), 1),
            "history_max_ms": round(max(times), 1), "history_versions": versions,
            "history_series_points": points}


if __name__ == "__main__":
    print(json.dumps(bench_history_answer()))
