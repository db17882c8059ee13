"""The store: WAL, migrations, snapshots only on change, events as an outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.store.database import Store
from watchers.health import SourceHealth
from watchers.model import Event, Listing

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def rows(store: Store, table: str) -> int:
    return int(store.db[table].count)


def test_database_is_in_wal_mode_and_migrated(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    assert store.db.journal_mode == "wal"
    versions = [r["version"] for r in store.db["schema_version"].rows]
    store.close()
    again = Store(tmp_path / "m.db")  # opening twice applies nothing twice
    assert [r["version"] for r in again.db["schema_version"].rows] == versions


def test_unchanged_items_write_no_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    items = [Listing(key=str(i), title=f"T{i}", price=float(i)) for i in range(50)]
    health = SourceHealth("peer:A")
    store.record(kind="peer", name="A", state=health, at=T0, changed=items,
                 snapshot=(50, "h1", True))
    before = (rows(store, "items"), rows(store, "item_versions"), rows(store, "snapshots"))
    store.record(kind="peer", name="A", state=health, at=T0 + timedelta(hours=1),
                 changed=items, snapshot=(50, "h1", True))
    assert (rows(store, "items"), rows(store, "item_versions"),
            rows(store, "snapshots")) == before == (50, 50, 1)
    changed = [Listing(key="3", title="T3", price=2.0)]
    store.record(kind="peer", name="A", state=health, at=T0 + timedelta(hours=2),
                 changed=changed, snapshot=(50, "h2", True))
    assert rows(store, "item_versions") == 51 and rows(store, "snapshots") == 2
    assert store.items("peer:A")["3"].price == 2.0


def test_an_event_is_recorded_once_by_key(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    event = Event(kind="price_drop", key="k1", summary="cut", store="A")
    first = store.add_events([event], T0)
    second = store.add_events([event], T0)
    assert len(first) == 1 and second == []


def test_delivery_marks_are_per_chat_and_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    (stored,) = store.add_events([Event(kind="source_failing", key="k", summary="down")], T0)
    assert [e.id for e in store.undelivered(1, urgent_only=True)] == [stored.id]
    store.mark_delivered([stored.id], 1, T0)
    store.mark_delivered([stored.id], 1, T0)
    assert store.undelivered(1, urgent_only=True) == []
    assert [e.id for e in store.undelivered(2, urgent_only=True)] == [stored.id]


def test_gone_items_leave_the_current_catalogue(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    health = SourceHealth("peer:A")
    store.record(kind="peer", name="A", state=health, at=T0,
                 changed=[Listing(key="a", title="A"), Listing(key="b", title="B")])
    store.record(kind="peer", name="A", state=health, at=T0, gone=["b"])
    assert set(store.items("peer:A")) == {"a"}


def test_a_sources_currency_is_found_past_its_unpriced_items(tmp_path: Path) -> None:
    # Taobao cards name CNY only where a price shows: 300 unpriced items stored first must
    # not hide it (the currency is read from a sample of priced items, not the first rows).
    from types import SimpleNamespace

    from monitor.store.context import CURRENCY_SAMPLE, EventContext

    store = Store(tmp_path / "m.db")
    items = [Listing(key=f"u{i}", title=f"U{i}") for i in range(CURRENCY_SAMPLE + 100)]
    items += [Listing(key="p1", title="P1", price=99.0, currency="CNY")]
    store.record(kind="peer", name="A", state=SourceHealth("peer:A"), at=T0, changed=items,
                 snapshot=(len(items), "h1", True))
    settings = SimpleNamespace(peers=[SimpleNamespace(source="peer:A")])
    context = EventContext(settings, store)  # type: ignore[arg-type]
    assert context.currency("peer:A") == "CNY"
    assert context.main_currency() == "CNY"
    assert context.currency("peer:B") is None
