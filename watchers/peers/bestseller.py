"""What sells at each peer: a ranking by recent sales rate, and `bestseller` events.

The rate (`per_day`) comes from what the store shows, best first: a monthly figure (月销,
N人付款: Taobao counts the buyers of the last 30 days) ÷ 30; else the growth of a running
total (已售, "N sold") or of the review count between two reads ÷ the days between them
(at least one day, so that two checks minutes apart do not make a rush). A running total
read once has no rate yet. Each item's figure and the one before it are kept in
`peer_sales`, written only when the figure changed; the rate of a total decays by itself
as days pass without growth (growth ÷ days since the figure before).

An item is told about when its figure moved and it enters the peer's top 10, or its rate
at least triples while in the top 10. Never on a peer's baseline, on the first ranking of
a peer (an older database meeting this feature), nor on a partial read (a missing page
would lift others).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watchers.model import Event, Listing, ProductRef

TOP = 10
JUMP = 3.0  # a rate at least this many times the one before is a jump
# Below one sale (or review) a day an item is ranked but not announced: in a shop where few
# items move, one new review would otherwise "enter the top 10" every day.
MIN_EVENT_RATE = 1.0
_MONTHLY = re.compile(r"月销|月售|人付款|近\s*30\s*天|30天|/\s*mo|per month|monthly", re.I)


@dataclass(frozen=True, slots=True)
class Figure:
    """One item's sales figure as kept: its kind, value, and the one before it."""

    kind: str  # "monthly" | "total" | "reviews"
    value: float
    at: datetime
    prev_value: float | None = None
    prev_at: datetime | None = None

    def per_day(self, now: datetime) -> float | None:
        """Units sold per day recently; None when not known yet."""
        if self.kind == "monthly":
            return self.value / 30
        if self.prev_value is None or self.prev_at is None:
            return None
        days = max((now - self.prev_at).total_seconds() / 86400, 1.0)
        return max(self.value - self.prev_value, 0.0) / days


def figure_of(item: Listing) -> tuple[str, float] | None:
    """(kind, value) of what the item shows about its sales, or None."""
    if item.sales is not None:
        monthly = bool(item.sales_text and _MONTHLY.search(item.sales_text))
        return ("monthly" if monthly else "total"), float(item.sales)
    if item.review_count is not None:
        return "reviews", float(item.review_count)
    return None


def advance(known: Mapping[str, Figure], current: Mapping[str, Listing], now: datetime
            ) -> dict[str, Figure]:
    """The figures after this read: only the items whose figure changed (or is new)."""
    out = {}
    for key, item in current.items():
        got = figure_of(item)
        if got is None:
            continue
        kind, value = got
        old = known.get(key)
        if old is None or old.kind != kind:
            out[key] = Figure(kind, value, now)
        elif old.value != value:
            out[key] = Figure(kind, value, now, old.value, old.at)
    return out


def ranking(figures: Mapping[str, Figure], now: datetime, keys: set[str] | None = None
            ) -> list[tuple[str, float]]:
    """(key, per_day) of the items that sell, fastest first (ties by key: stable)."""
    rated = [(key, rate) for key, fig in figures.items()
             if (keys is None or key in keys) and (rate := fig.per_day(now))]
    return sorted(rated, key=lambda kr: (-kr[1], kr[0]))


@dataclass
class SalesStep:
    """This read's new figures, the new top ranks, and the events."""

    figures: dict[str, Figure]
    ranks: dict[str, int | None]  # only the items whose stored rank changes
    events: list[Event]


def sales_step(store: str, source: str, known: Mapping[str, Figure],
               known_ranks: Mapping[str, int], current: Mapping[str, Listing], *,
               now: datetime, complete: bool, silent: bool) -> SalesStep:
    """Advance the figures, rank the peer's items, and tell who entered the top or jumped."""
    changed = advance(known, current, now)
    if not complete:  # a partial read updates what it saw, but ranks and tells nothing
        return SalesStep(changed, {}, [])
    merged = {**known, **changed}
    top = ranking(merged, now, set(current))[:TOP]
    new_ranks = {key: index for index, (key, _) in enumerate(top, start=1)}
    ranks: dict[str, int | None] = {k: r for k, r in new_ranks.items() if known_ranks.get(k) != r}
    ranks.update({k: None for k in known_ranks if k not in new_ranks})
    events = []
    stamp = now.isoformat()
    for key, rank in new_ranks.items():
        before = known_ranks.get(key)
        rate = merged[key].per_day(now) or 0.0
        old_rate = known[key].per_day(now) if key in known else None
        entered = before is None
        jumped = bool(old_rate and key in changed and rate >= JUMP * old_rate)
        # Only an item whose own figure moved in this read is news: a running total's rate
        # decays with time, so others can drift into the top 10 without selling anything.
        if silent or key not in changed or rate < MIN_EVENT_RATE or not (entered or jumped):
            continue
        item = current[key]
        sales = item.sales if item.sales is not None else item.review_count
        how = (f"enters its top {TOP} at #{rank}" if entered
               else f"sells {rate / (old_rate or rate):.0f}x faster")
        events.append(Event(
            kind="bestseller", key=f"bestseller:{source}:{key}:{stamp}",
            summary=f"{store}: {item.title} {how} ({rate:,.1f} a day)",
            store=store, product=ProductRef(item.title, item.url),
            details={"rank": rank, "previous_rank": before, "sales": sales,
                     "per_day": round(rate, 2), "figure": merged[key].kind}))
    return SalesStep(changed, ranks, events)


def load_figures(rows: list[dict[str, Any]]) -> tuple[dict[str, Figure], dict[str, int]]:
    """Stored `peer_sales` rows as figures and the stored top ranks."""
    figures, ranks = {}, {}
    for r in rows:
        figures[r["key"]] = Figure(
            r["figure"], float(r["value"]), datetime.fromisoformat(r["at"]),
            r["prev_value"], datetime.fromisoformat(r["prev_at"]) if r["prev_at"] else None)
        if r["rank"]:
            ranks[r["key"]] = int(r["rank"])
    return figures, ranks


def figure_rows(source: str, step: SalesStep, known: Mapping[str, Figure],
                known_ranks: Mapping[str, int]) -> list[dict[str, Any]]:
    """The whole `peer_sales` rows to upsert: items whose figure or rank changed.

    Whole rows, never a rank alone: a batch upsert fills the columns a row lacks with null.
    """
    figures = {**known, **step.figures}
    out = []
    for key in dict.fromkeys([*step.figures, *step.ranks]):
        fig = figures[key]
        out.append({"source": source, "key": key, "figure": fig.kind, "value": fig.value,
                    "at": fig.at.isoformat(), "prev_value": fig.prev_value,
                    "prev_at": fig.prev_at.isoformat() if fig.prev_at else None,
                    "rank": step.ranks[key] if key in step.ranks else known_ranks.get(key)})
    return out
