"""The store's shortcuts for large catalogues give the same answers as decoding everything."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from monitor.settings import MonitorSettings, Settings
from monitor.store.database import Store
from monitor.store.migrations import MIGRATIONS
from monitor.store.queries import StoreReadModel
from watchers.health import SourceHealth
from watchers.model import Listing, listing_hash
from watchers.peers.diff import discount
from watchers.settings import Peer

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SOURCE = "peer:Peer A"

# price, regular_price: on sale, not on sale, compare-at equal to price, no price at all.
PRICES = [(80.0, 100.0), (100.0, None), (90.0, 90.0), (None, 120.0), (0.0, 50.0), (45.5, 65.0)]


def catalogue() -> list[Listing]:
    return [Listing(key=f"k{i}", title=f"Item {i}", price=p, regular_price=r)
            for i, (p, r) in enumerate(PRICES)]


def settings(tmp_path: Path) -> Settings:
    return Settings(path=tmp_path / "config.toml",
                    monitor=MonitorSettings(database=tmp_path / "m.db"),
                    peers=(Peer("Peer A", "https://a.example", "shopify"),))


def test_status_counts_discounted_items_as_the_diff_does(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    items = catalogue()
    store.record(kind="peer", name="Peer A", state=SourceHealth(SOURCE), at=AT, changed=items)
    status = StoreReadModel(settings(tmp_path), store, lambda: AT).peer_status("Peer A")
    assert status is not None
    assert status.items == len(items)
    assert status.discounted == sum(discount(x) is not None for x in items)
    store.close()


def test_an_older_database_gets_its_discounts_filled_in(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "m.db")
    db.table("schema_version").create({"version": int, "at": str}, pk="version")
    for number, step in enumerate(MIGRATIONS[:2], start=1):
        step(db)
        db.table("schema_version").insert({"version": number, "at": "test"})
    db.table("items").insert_all(
        [{"source": SOURCE, "key": x.key, "data": json.dumps(x.to_dict()),
          "hash": listing_hash(x), "first_seen": AT.isoformat(), "changed_at": AT.isoformat()}
         for x in catalogue()], pk=("source", "key"))
    db.close()
    store = Store(tmp_path / "m.db")
    stored = {r["key"]: r["discount"] for r in store.query("select key, discount from items")}
    assert stored == pytest.approx({x.key: discount(x) for x in catalogue()})
    store.close()


def test_items_reused_from_a_read_equal_the_stored_ones(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    items = catalogue()
    store.record(kind="peer", name="Peer A", state=SourceHealth(SOURCE), at=AT, changed=items)
    # A fresh read: one item changed since, the others identical.
    fresh = {x.key: x for x in items}
    fresh["k1"] = replace(fresh["k1"], price=70.0)
    reuse = {k: (listing_hash(x), x) for k, x in fresh.items()}
    got = store.items(SOURCE, reuse=reuse)
    assert got == store.items(SOURCE)
    assert got["k1"].price == 100.0  # the stored version, not the fresh one
    assert got["k0"] is fresh["k0"]  # unchanged: not decoded again
    store.close()
