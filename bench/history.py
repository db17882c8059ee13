"""30 simulated days on the scale database, then the time of /status and of the digest.

Each day every peer cuts or raises some prices, flips some stock, lists new items and
drops a few; every tenth day one peer runs a store-wide sale that ends two days later.
The peers' reads are handed straight to the peer watch (`record_peer`: the same diff and
store writes as a check, without 30 x 4 s of waiting on loopback); reviews, copies and
the season watch run as a real check against the extras world moved to that day.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from bench.common import peak_rss_mb
from bench.extras_world import ExtrasWorld
from monitor import clock
from monitor.service.app import open_app
from monitor.settings import Settings
from monitor.store.database import Store
from monitor.store.queries import StoreReadModel
from notifier.chart import new_listings_chart
from notifier.digest import digest_text
from notifier.status import render_status
from watchers.model import Listing
from watchers.peers.check import record_peer
from watchers.reading import ReadResult

DAYS = 30
PRICE_MOVES, STOCK_FLIPS, NEW_ITEMS, REMOVALS = 100, 20, 50, 25
SALE_EVERY, SALE_DAYS, SALE_SHARE, SALE_CUT = 10, 2, 0.4, 0.2
TIMING_RUNS = 5


def new_item(peer: int, day: int, n: int) -> Listing:
    """A listing first shown on `day`; every fifth is a spring launch."""
    key = f"{8_000_000_000_000 + peer * 1_000_000 + day * 1000 + n}"
    title = ("春季新款 " if n % 5 == 0 else "") + f"Peer {peer} day {day} linen shirt {n}"
    return Listing(key=key, title=title, url=f"https://peer{peer}.example/products/{key}",
                   price=float(80 + (n * 13) % 300), available=True,
                   image=f"https://cdn.example.invalid/{key}/0.jpg",
                   images=(f"https://cdn.example.invalid/{key}/0.jpg",),
                   tags=("new", "linen"), product_type="Shirts",
                   published=f"2026-03-{1 + day % 28:02d}T10:00:00+08:00")


class PeerDays:
    """One peer's catalogue as it moves from day to day."""

    def __init__(self, peer: int, listings: dict[str, Listing]) -> None:
        self.peer, self.listings = peer, dict(listings)
        self.on_sale: list[str] = []
        self.sale_ends = -1

    def next_day(self, day: int) -> dict[str, Listing]:
        """The catalogue of `day`."""
        rng = random.Random(self.peer * 10_000 + day)
        items = self.listings
        keys = sorted(items)
        for key in rng.sample(keys, PRICE_MOVES):
            item = items[key]
            if item.price and item.regular_price is None:
                factor = rng.choice((0.8, 0.9, 1.1, 1.15))
                items[key] = replace(item, price=round(item.price * factor, 2))
        for key in rng.sample(keys, STOCK_FLIPS):
            items[key] = replace(items[key], available=not items[key].available)
        if day == self.sale_ends:
            for key in self.on_sale:
                sold = items.get(key)
                if sold and sold.regular_price:
                    items[key] = replace(sold, price=sold.regular_price, regular_price=None)
            self.on_sale = []
        elif day % SALE_EVERY == 0 and (day // SALE_EVERY) % 10 == self.peer % 10:
            self.on_sale = rng.sample(keys, int(len(keys) * SALE_SHARE))
            self.sale_ends = day + SALE_DAYS
            for key in self.on_sale:
                item = items[key]
                if item.price:
                    items[key] = replace(item, regular_price=item.price,
                                         price=round(item.price * (1 - SALE_CUT), 2))
        selling = set(self.on_sale)
        for key in rng.sample([k for k in keys if k not in selling], REMOVALS):
            del items[key]
        for n in range(NEW_ITEMS):
            item = new_item(self.peer, day, n)
            items[item.key] = item
        return dict(items)


def _instant(start: datetime, day: int) -> datetime:
    return start + timedelta(days=day)


async def simulate(settings: Settings, extras: ExtrasWorld, start: datetime) -> int:
    """Run the 30 days; return the events recorded."""
    events = 0
    os.environ["MONITOR_NOW"] = start.isoformat()
    async with open_app(settings) as app:
        ctx = app.runner.ctx
        peers = [PeerDays(i, app.store.items(p.source))
                 for i, p in enumerate(settings.peers)]
        for day in range(1, DAYS + 1):
            os.environ["MONITOR_NOW"] = _instant(start, day).isoformat()
            extras.set_day(day, latency=0.0)
            for days, peer in zip(peers, settings.peers, strict=True):
                read = ReadResult(listings=days.next_day(day))
                events += len(record_peer(ctx, peer, read).events)
            result = await app.runner.check(["reviews", "copies", "season"])
            events += len(result.events)
    return events


def _median_ms(work: Callable[[], Any]) -> float:
    times = []
    for _ in range(TIMING_RUNS):
        begin = time.perf_counter()
        work()
        times.append(time.perf_counter() - begin)
    return round(1000 * statistics.median(times), 1)


def read_timings(settings: Settings) -> dict[str, Any]:
    """/status (all peers and one peer) and the digest with its chart, on the database."""
    store = Store(settings.monitor.database)
    try:
        model = StoreReadModel(settings, store, partial(clock.now, settings.monitor.timezone))
        lang = settings.monitor.language
        first_peer = settings.peers[0].name

        def digest() -> None:
            data = model.digest_data()
            digest_text(data, lang)
            new_listings_chart(data.new_per_day, date.fromisoformat(data.day), lang)

        new_listings_chart({}, date.today(), lang)  # matplotlib's one-off set-up is not a digest
        data = model.digest_data()
        return {
            "status_ms": _median_ms(lambda: render_status(model, None, lang)),
            "status_peer_ms": _median_ms(lambda: render_status(model, first_peer, lang)),
            "digest_ms": _median_ms(digest),
            "digest_text_ms": _median_ms(lambda: digest_text(model.digest_data(), lang)),
            "digest_events_24h": len(data.events),
        }
    finally:
        store.close()


def db_size_mb(settings: Settings) -> float:
    """The SQLite file after a checkpoint (the WAL folded in)."""
    store = Store(settings.monitor.database)
    try:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return round(settings.monitor.database.stat().st_size / 2**20, 1)


def bench_history(settings: Settings, extras: ExtrasWorld) -> dict[str, Any]:
    """The 30 days, the database's size and the read-side timings."""
    start = clock.now(settings.monitor.timezone).replace(hour=9, minute=0, second=0,
                                                          microsecond=0)
    began = time.perf_counter()
    try:
        events = asyncio.run(simulate(settings, extras, start))
        figures: dict[str, Any] = {"days_simulated": DAYS, "events_30d": events,
                                   "simulate_s": round(time.perf_counter() - began, 1),
                                   "db_mb_30d": db_size_mb(settings)}
        figures.update(read_timings(settings))
    finally:
        os.environ.pop("MONITOR_NOW", None)
    figures["history_peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures
