"""Where a new price sits in the item's own history: its 90-day range, how long since it was
this low, and whether it only alternates between values it had lately (A/B tests, day and
night prices), read from the stored item versions.

The rules are CONTRACT.md's: `low`/`high` span the 90 days ending now, the new price
included; `lowest_in_days` counts whole days since the item last had a price at or below the
new one (or since it was first seen) and is null under 30; a price that only alternates
between values of the last 30 days is reported at most twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

RANGE_DAYS = 90
ALTERNATION_DAYS = 30
LOWEST_FROM_DAYS = 30  # lowest_in_days is null below this
SAY_LOWEST_FROM_DAYS = 90  # the summary says "lowest in N days" from here on
_CHUNK = 400  # keys per query: under SQLite's variable limit


@dataclass(frozen=True, slots=True)
class PricePoint:
    """The item's price from `at` until the next point (the last one: until now)."""

    at: datetime
    price: float | None


class Reader(Protocol):
    """The store's read side (WatchStore.query)."""

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterable[dict[str, Any]]:
        """Read rows."""
        ...


def load_histories(store: Reader, source: str, keys: Iterable[str]
                   ) -> dict[str, list[PricePoint]]:
    """Every stored version's price of the given items, oldest first.

    Only the items whose price moved in this check are asked for; (source, key) is indexed.
    """
    out: dict[str, list[PricePoint]] = {}
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.query(
            "select key, at, json_extract(data, '$.price') as price from item_versions "
            f"where source = ? and key in ({marks}) order by id", [source, *chunk])
        for row in rows:
            price = row["price"]
            out.setdefault(row["key"], []).append(PricePoint(
                datetime.fromisoformat(row["at"]),
                float(price) if isinstance(price, (int, float)) and price > 0 else None))
    return out


def _since(points: Sequence[PricePoint], start: datetime) -> list[PricePoint]:
    """The points in effect at some time from `start` on (the one in effect at `start` too)."""
    later = [p for p in points if p.at >= start]
    before = [p for p in points if p.at < start]
    return ([before[-1]] if before else []) + later


def price_range(points: Sequence[PricePoint], new: float, now: datetime
                ) -> tuple[float, float]:
    """(low, high) of the item's prices over the 90 days ending now, `new` included."""
    prices = [p.price for p in _since(points, now - timedelta(days=RANGE_DAYS))
              if p.price is not None] + [new]
    return min(prices), max(prices)


def lowest_in_days(points: Sequence[PricePoint], new: float, now: datetime) -> int | None:
    """Whole days since the item last had a price at or below `new` (or since first seen).

    A version's price held until the next version was written, so "last had" is the end of
    the latest period at or below `new`. Null under 30 days: only a long low is news.
    """
    if not points:
        return None
    end = points[0].at  # never that low: since it was first seen
    for index, point in enumerate(points):
        if point.price is not None and point.price <= new:
            end = points[index + 1].at if index + 1 < len(points) else now
    days = (now - end).days
    return days if days >= LOWEST_FROM_DAYS else None


def alternation(points: Sequence[PricePoint], new: float, now: datetime) -> str | None:
    """Whether a move to `new` only returns to a value of the last 30 days.

    None: a move to a price not seen lately (report it). "first": the first return to such a
    value (report it once, saying the price alternates). "again": the prices already went
    back and forth in the window (say nothing: it was said).
    """
    seq: list[float] = []
    for point in _since(points, now - timedelta(days=ALTERNATION_DAYS)):
        if point.price is not None and (not seq or seq[-1] != point.price):
            seq.append(point.price)
    if new not in seq[:-1]:
        return None
    return "again" if len(set(seq)) < len(seq) else "first"


def history_details(points: Sequence[PricePoint] | None, new: float, now: datetime
                    ) -> dict[str, Any]:
    """The details every price event carries: low, high, lowest_in_days."""
    points = points or []
    low, high = price_range(points, new, now)
    return {"low": low, "high": high, "lowest_in_days": lowest_in_days(points, new, now)}


def lowest_note(days: int | None) -> str:
    """The summary's words for a long low, from 90 days on (else nothing)."""
    return f", lowest in {days} days" if days and days >= SAY_LOWEST_FROM_DAYS else ""


def item_series(store: Reader, source: str, key: str) -> list[dict[str, Any]]:
    """Every stored version of one item as (at, price, available): the /history series."""
    rows = store.query("select at, data from item_versions where source = ? and key = ? "
                       "order by id", [source, key])
    out = []
    for row in rows:
        data: Mapping[str, Any] = json.loads(row["data"])
        out.append({"at": row["at"], "price": data.get("price"),
                    "available": data.get("available")})
    return out
