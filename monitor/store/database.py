"""The one writer of state: SQLite through sqlite-utils, snapshots and the events outbox."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from monitor.store.migrations import migrate
from watchers.extract.support import json_loads
from watchers.health import SourceHealth
from watchers.model import URGENT_KINDS, Event, Listing, StoredEvent, listing_hash
from watchers.peers.diff import discount


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Store:
    """SQLite in WAL mode; every write of one check is one transaction."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.conn.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        self._depth = 0
        migrate(self.db)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; nested uses join the outer one (so a watch can add its rows)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        # An explicit BEGIN: sqlite-utils commits a write made outside an open transaction at
        # once, so `with conn:` alone would commit statement by statement. IMMEDIATE takes the
        # write lock up front (waiting busy_timeout), so no read snapshot goes stale mid-way.
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            self._depth = 0

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # --- sources -------------------------------------------------------------------------

    def source_state(self, source: str) -> SourceHealth:
        """The stored state of `source` (a fresh one if never seen)."""
        rows = list(self.db.query("select * from sources where source = ?", [source]))
        if not rows:
            return SourceHealth(source)
        r = rows[0]
        return SourceHealth(source, r["state"], r["fails"] or 0, r["last_ok"], r["last_error"],
                           bool(r["failing_reported"]), bool(r["baseline_done"]),
                           bool(r["needs_person"]), r["muted_until"])

    def sources(self) -> list[dict[str, Any]]:
        """Every source row."""
        return list(self.db.query("select * from sources order by source"))

    def _save_source(self, kind: str, name: str, st: SourceHealth, at: str) -> None:
        self.db.table("sources").upsert(
            {"source": st.source, "kind": kind, "name": name, "state": st.state,
             "fails": st.fails, "last_ok": st.last_ok, "last_try": at,
             "last_error": st.last_error, "failing_reported": int(st.failing_reported),
             "baseline_done": int(st.baseline_done), "needs_person": int(st.needs_person),
             "muted_until": st.muted_until},
            pk="source",
        )

    def mute(self, source: str, until: str) -> None:
        """Mute a source's alerts until `until` (ISO instant)."""
        with self.transaction():
            self.db.table("sources").upsert({"source": source, "muted_until": until}, pk="source")

    # --- items ---------------------------------------------------------------------------

    def items(self, source: str, *, present_only: bool = True,
              reuse: Mapping[str, tuple[str, Listing]] | None = None) -> dict[str, Listing]:
        """The current items of `source` (by key).

        `reuse` maps keys to (listing_hash, listing) of a fresh read: a stored item with the
        same hash is that listing, so it is not decoded again (most of a large catalogue).
        """
        sql = "select key, hash, data from items where source = ?"
        if present_only:
            sql += " and gone_at is null"
        reuse = reuse or {}
        out = {}
        for key, digest, data in self.db.execute(sql, [source]):  # tuples: 50k rows add up
            fresh = reuse.get(key)
            out[key] = (fresh[1] if fresh and fresh[0] == digest
                        else Listing.from_dict(json.loads(data)))
        return out

    def item_rows(self, source: str) -> list[dict[str, Any]]:
        """Current item rows of `source` with first_seen / changed_at / gone_at."""
        return list(self.db.query("select * from items where source = ?", [source]))

    # --- the one write of a check --------------------------------------------------------

    def record(
        self,
        *,
        kind: str,
        name: str,
        state: SourceHealth,
        at: datetime,
        changed: Iterable[Listing] = (),
        gone: Iterable[str] = (),
        events: Iterable[Event] = (),
        snapshot: tuple[int, str, bool] | None = None,
        hashes: Mapping[str, str] | None = None,
    ) -> list[StoredEvent]:
        """Write changed items, the snapshot row, the source state and its events at once.

        Items are written only when their content hash changed, so an unchanged check
        writes no snapshot rows. Events whose key was already recorded are dropped.
        `hashes` are the items' `listing_hash` by key when the caller has them already.
        """
        stamp = at.isoformat()
        source = state.source
        gone, changed = list(gone), list(changed)
        stored: list[StoredEvent] = []
        with self.transaction():
            # The stored hashes are read only when something changed: an unchanged check of
            # a 5,000-item peer skips reading them all (~10 ms of CPU).
            current = {key: (digest, gone_at) for key, digest, gone_at in self.db.execute(
                "select key, hash, gone_at from items where source = ?", [source])
                } if changed else {}
            item_rows, versions = [], []
            for listing in changed:
                digest = (hashes or {}).get(listing.key) or listing_hash(listing)
                old = current.get(listing.key)
                if old and old[0] == digest and old[1] is None:
                    continue
                data = _json(listing.to_dict())
                item_rows.append({"source": source, "key": listing.key, "data": data,
                                  "hash": digest, "changed_at": stamp, "gone_at": None,
                                  "discount": discount(listing)})
                if not old:
                    item_rows[-1]["first_seen"] = stamp
                versions.append({"source": source, "key": listing.key, "at": stamp,
                                 "data": data})
            if item_rows:
                self.db.table("items").upsert_all(item_rows, pk=("source", "key"),
                                            alter=False)
                self.db.table("item_versions").insert_all(versions)
            for key in gone:
                self.db.execute(
                    "update items set gone_at = ? where source = ? and key = ? "
                    "and gone_at is null", [stamp, source, key])
            if snapshot and (item_rows or gone or self._snapshot_differs(source, snapshot)):
                self.db.table("snapshots").insert({"source": source, "at": stamp,
                                             "items": snapshot[0], "hash": snapshot[1],
                                             "complete": int(snapshot[2])})
            self._save_source(kind, name, state, stamp)
            for event in events:
                record = self._insert_event(event, stamp, source)
                if record:
                    stored.append(record)
        return stored

    def _snapshot_differs(self, source: str, snapshot: tuple[int, str, bool]) -> bool:
        rows = list(self.db.query(
            "select hash from snapshots where source = ? order by id desc limit 1", [source]))
        return not rows or rows[0]["hash"] != snapshot[1]

    def _insert_event(self, event: Event, stamp: str, source: str | None) -> StoredEvent | None:
        exists = list(self.db.query("select 1 from events where key = ?", [event.key]))
        if exists:
            return None
        record = StoredEvent(
            id=uuid.uuid4().hex, kind=event.kind, at=stamp, store=event.store,
            product=event.product.to_dict() if event.product else None,
            summary=event.summary, details=event.details,
            urgent=event.kind in URGENT_KINDS, source=source,
        )
        self.db.table("events").insert({
            "id": record.id, "key": event.key, "kind": record.kind, "at": stamp,
            "store": record.store, "source": source,
            "product": _json(record.product) if record.product else None,
            "summary": record.summary, "details": _json(record.details),
            "urgent": int(record.urgent), "handled_at": None,
        })
        return record

    def add_events(self, events: Iterable[Event], at: datetime,
                   source: str | None = None) -> list[StoredEvent]:
        """Record events that come with no item snapshot (e.g. season hints)."""
        with self.transaction():
            out = [self._insert_event(e, at.isoformat(), source) for e in events]
        return [e for e in out if e]

    # --- reading events ------------------------------------------------------------------

    def events(self, where: str = "1", params: Iterable[Any] = (), limit: int | None = None,
               *, newest_first: bool = False) -> list[StoredEvent]:
        """Events matching a SQL condition, oldest first (or newest first)."""
        order = "at desc, rowid desc" if newest_first else "at, rowid"
        sql = f"select * from events where {where} order by {order}"
        if limit:
            sql += f" limit {int(limit)}"
        cursor = self.db.conn.cursor()
        cursor.row_factory = sqlite3.Row  # built in C: a digest reads thousands of events
        return [_stored(r) for r in cursor.execute(sql, list(params))]

    def undelivered(self, chat: int, *, urgent_only: bool) -> list[StoredEvent]:
        """Events not yet marked delivered to `chat`."""
        cond = "id not in (select event_id from deliveries where chat = ?)"
        if urgent_only:
            cond += " and urgent = 1"
        return self.events(cond, [chat])

    def mark_delivered(self, event_ids: Iterable[str], chat: int, at: datetime) -> None:
        """Mark events delivered to `chat` (idempotent)."""
        rows = [{"event_id": i, "chat": chat, "at": at.isoformat()} for i in event_ids]
        with self.transaction():
            self.db.table("deliveries").insert_all(rows, pk=("event_id", "chat"), ignore=True)

    def event(self, event_id: str) -> StoredEvent | None:
        """One event by id."""
        found = self.events("id = ?", [event_id])
        return found[0] if found else None

    def mark_handled(self, event_id: str, at: datetime) -> bool:
        """Mark an event handled; False if no such event."""
        with self.transaction():
            cur = self.db.execute("update events set handled_at = coalesce(handled_at, ?) "
                                  "where id = ?", [at.isoformat(), event_id])
            self.db.execute("update reviews set handled_at = coalesce(handled_at, ?) "
                            "where event_id = ?", [at.isoformat(), event_id])
        return cur.rowcount > 0

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """Read-only query helper for the read side (status, digest) and the watches."""
        return self.db.query(sql, list(params))

    # --- a watch's own tables (copies, reviews, images, season) -------------------------

    def upsert(self, table: str, rows: Iterable[dict[str, Any]], pk: str | tuple[str, ...]
               ) -> None:
        """Insert or update rows of a watch's table by its primary key."""
        with self.transaction():
            self.db.table(table).upsert_all(rows, pk=pk)

    def insert(self, table: str, row: dict[str, Any]) -> None:
        """Append one row to a watch's table."""
        with self.transaction():
            self.db.table(table).insert(row)

    def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement inside a transaction; the rows it touched."""
        with self.transaction():
            return self.db.execute(sql, list(params)).rowcount


def detected_platforms(path: Path) -> dict[str, str]:
    """Detected platforms by source, read without creating or migrating the database."""
    if not path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("select source, platform from platforms"))
        finally:
            conn.close()
    except sqlite3.Error:  # an older database without the table, or a locked one
        return {}


def _stored(r: Mapping[str, Any] | sqlite3.Row) -> StoredEvent:
    return StoredEvent(
        id=r["id"], kind=r["kind"], at=r["at"], store=r["store"],
        # orjson where it reads the same: a digest decodes 6,500 events' two objects
        product=json_loads(r["product"]) if r["product"] else None,
        summary=r["summary"], details=json_loads(r["details"] or "{}"),
        urgent=bool(r["urgent"]), source=r["source"], handled_at=r["handled_at"],
    )
