"""Versioned schema migrations of the SQLite store: append, never edit a released step."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1(db: sqlite_utils.Database) -> None:
    # One row per source (a peer, a marketplace search, a top product): its read health.
    db.table("sources").create(
        {"source": str, "kind": str, "name": str, "state": str, "fails": int,
         "last_ok": str, "last_try": str, "last_error": str, "failing_reported": int,
         "baseline_done": int, "needs_person": int, "muted_until": str},
        pk="source", not_null={"source"}, defaults={"state": "new", "fails": 0,
                                                    "failing_reported": 0, "baseline_done": 0,
                                                    "needs_person": 0},
    )
    # The current state of every item; rewritten only when the item changed.
    db.table("items").create(
        {"source": str, "key": str, "data": str, "hash": str, "first_seen": str,
         "changed_at": str, "gone_at": str},
        pk=("source", "key"),
    )
    # History: one row per item version (only when something changed).
    db.table("item_versions").create(
        {"id": int, "source": str, "key": str, "at": str, "data": str}, pk="id",
    )
    db.table("item_versions").create_index(["source", "key"])
    # One row per catalogue read whose content differed from the previous one.
    db.table("snapshots").create(
        {"id": int, "source": str, "at": str, "items": int, "hash": str, "complete": int},
        pk="id",
    )
    db.table("snapshots").create_index(["source", "at"])
    # The outbox: written in the same transaction as the snapshot it came from.
    db.table("events").create(
        {"id": str, "key": str, "kind": str, "at": str, "store": str, "source": str,
         "product": str, "summary": str, "details": str, "urgent": int, "handled_at": str},
        pk="id",
    )
    db.table("events").create_index(["key"], unique=True)
    db.table("events").create_index(["at"])
    # Idempotent delivery marks: one per event and chat (0 = the console).
    db.table("deliveries").create({"event_id": str, "chat": int, "at": str},
                            pk=("event_id", "chat"))
    db.table("http_cache").create({"url": str, "etag": str, "last_modified": str, "body": bytes,
                             "headers": str}, pk="url")


def _v2(db: sqlite_utils.Database) -> None:
    # Reviews of our top products, and their count / average over time.
    db.table("reviews").create(
        {"product": str, "key": str, "data": str, "rating": float, "negative": int,
         "first_seen": str, "posted": str, "event_id": str, "handled_at": str},
        pk=("product", "key"),
    )
    db.table("review_stats").create({"id": int, "product": str, "at": str, "count": int,
                               "rating": float}, pk="id")
    # Image evidence: hashes by URL and by content, so an unchanged image is hashed once.
    db.table("images").create({"url": str, "sha256": str, "hashes": str, "first_seen": str,
                         "etag": str}, pk="url")
    db.table("copies").create(
        {"hero": str, "market": str, "key": str, "data": str, "first_seen": str,
         "last_seen": str, "online": int, "event_id": str},
        pk=("hero", "market", "key"),
    )
    db.table("season_state").create({"season": str, "advice": str, "at": str, "details": str},
                              pk="season")
    db.table("digests").create({"day": str, "chat": int, "at": str}, pk=("day", "chat"))


def _v3(db: sqlite_utils.Database) -> None:
    # Each item's discount (the fraction off its regular price, null when not on sale) beside
    # its data, so that /status and the digest count discounted items without decoding every
    # item: at 50,000 items that decoding alone took ~0.8 s.
    db.table("items").add_column("discount", float)
    db.execute(
        "update items set discount = (json_extract(data, '$.regular_price') - "
        "json_extract(data, '$.price')) / json_extract(data, '$.regular_price') "
        "where json_extract(data, '$.price') is not null "
        "and json_extract(data, '$.regular_price') > json_extract(data, '$.price')")
    # Covering indexes of the read side's counts: items and discounts per peer (/status),
    # new listings per peer per day (the digest's chart).
    db.table("items").create_index(["source", "gone_at", "discount"])
    db.table("events").create_index(["kind", "at", "store"])


def _v4(db: sqlite_utils.Database) -> None:
    # The platform detected for a peer configured by its address alone.
    db.table("platforms").create({"source": str, "platform": str, "at": str}, pk="source")


def _v5(db: sqlite_utils.Database) -> None:
    # Who pressed "Handled" (the alert is edited to say who and when). Buttons carry only
    # the event's id; what a press needs (its source, to mute) is looked up by that id.
    db.table("events").add_column("handled_by", str)


def _v6(db: sqlite_utils.Database) -> None:
    # What the peer watch keeps beside the items (issue 22). A main image's 64-bit perceptual
    # hash by URL: hashed only when an item's main image URL changes, so a photo that comes
    # back (A/B tests of main images) is not fetched again.
    db.table("peer_images").create({"url": str, "hash": str, "at": str}, pk="url")
    # Each peer item's sales figure (monthly, running total or review count) with the one
    # before it and when each was read: the recent sales rate without scanning versions.
    db.table("peer_sales").create(
        {"source": str, "key": str, "figure": str, "value": float, "at": str,
         "prev_value": float, "prev_at": str, "rank": int},
        pk=("source", "key"))
    # Our hero's same-style items in the peers' catalogues and their last judged price.
    db.table("positions").create(
        {"hero": str, "source": str, "key": str, "price": float, "hero_price": float,
         "below": int, "at": str},
        pk=("hero", "source", "key"))


def _v7(db: sqlite_utils.Database) -> None:
    # Our own shop (watchers/own): each export file as last read (a file unchanged since is
    # not read again; `error` keeps a refused one failing until it is replaced or removed),
    # each day's figures with the file they came from (the one modified last wins), and
    # whether the day and the week were judged (each is judged once).
    db.table("own_files").create(
        {"name": str, "mtime": float, "size": int, "read_at": str, "days": int,
         "error": str, "column_name": str}, pk="name")
    db.table("own_days").create(
        {"day": str, "sales": float, "visitors": float, "pageviews": float, "buyers": float,
         "conversion": float, "order_value": float, "bounce": float,
         "pages_per_visit": float, "repeat_buyers": float, "hero_order_value": float,
         "file": str, "mtime": float, "judged": int}, pk="day",
        defaults={"judged": 0})
    db.table("own_weeks").create({"week": str, "at": str}, pk="week")
    db.table("own_health").create({"rule": str, "state": str, "week": str}, pk="rule")


def _v8(db: sqlite_utils.Database) -> None:
    # How each peer's last read went beside its items (watchers/peers/reads.py): when the
    # last complete read began (sitemap <lastmod> before it: the page is not fetched
    # again), product pages that answered 404/410 (removed if they still do next time),
    # links skipped and the limit that cut the read, for /status.
    db.table("peer_reads").create(
        {"source": str, "started": str, "missing": str, "note": str, "limit_hit": str,
         "at": str}, pk="source")


def _v9(db: sqlite_utils.Database) -> None:
    # Our shop's visitors by where they came from (paid, search, campaigns), when an export
    # splits them: a miss for want of visitors is traced to the source that fell.
    for column in ("paid_visitors", "search_visitors", "campaign_visitors"):
        db.table("own_days").add_column(column, float)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6,
                                                             _v7, _v8, _v9]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the steps not applied yet, each in its own transaction; return the version."""
    if "schema_version" not in db.table_names():
        db.table("schema_version").create({"version": int, "at": str}, pk="version")
    done = {row["version"] for row in db.table("schema_version").rows}
    for number, step in enumerate(MIGRATIONS, start=1):
        if number in done:
            continue
        with db.conn:
            step(db)
            db.table("schema_version").insert({"version": number, "at": "migrate"})
    return len(MIGRATIONS)
