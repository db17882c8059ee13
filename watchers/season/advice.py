"""The launch advice for the coming season, read from the peers' new items and how they sell.

Pure: items and the time in, advice and at most one event out. The rules:

- A peer *launched* the season when at least one of its items first seen within the window
  is of that season and not a clearance.
- Sell-through of an item is the growth since first seen, per day (at least one day):
  of the sales count, else the review count, else a flip to sold out (one unit). A peer's
  *signal* is the best of these that any of its new items shows; its items without that
  figure count as no growth (a platform that shows sales shows nothing when none sold).
  A peer whose new items show none of them has signal "none": launched, sell-through unknown.
- A launched peer is *selling* the season when the median velocity of its season items is
  above zero and at least the median velocity of its other new items (first seen in the
  window, not of the season, not clearance); with no other new items, growth above zero
  is enough.
- Advice: fewer than `min_peers` launched -> prepare. Otherwise launch when at least one
  peer sells it and the selling peers number `min_peers`, or all peers with a signal when
  fewer than that show one; else wait. Peers without a signal never block nor carry a
  launch; `unknown_sell_through` says they exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any, Literal

from watchers.model import Event

Signal = Literal["sales", "reviews", "stock", "none"]
AdviceKind = Literal["prepare", "wait", "launch"]

_SIGNALS: tuple[Signal, ...] = ("sales", "reviews", "stock")
_DAY = timedelta(days=1)
SAMPLE_TITLES = 3


@dataclass(frozen=True, slots=True)
class SeasonItem:
    """One peer item first seen recently, with its season and its first and latest signals."""

    peer: str
    key: str
    title: str
    first_seen: datetime
    seasons: frozenset[str]
    clearance: bool
    sales_first: int | None = None
    sales_now: int | None = None
    reviews_first: int | None = None
    reviews_now: int | None = None
    sold_out_since_first: bool = False


@dataclass(frozen=True, slots=True)
class PeerEvidence:
    """What one peer launched of the season and how it sells beside its other new items.

    Velocities are median per-item growth per day in the unit of `signal`; None when the
    peer shows no signal (season) or has no other new items (other). `selling` is None
    when unknown.
    """

    peer: str
    items: int
    since: datetime
    season_velocity: float | None
    other_velocity: float | None
    signal: Signal
    other_items: int = 0
    selling: bool | None = None
    sample: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (velocities rounded to 0.01 a day)."""
        return {
            "peer": self.peer, "items": self.items, "since": self.since.isoformat(),
            "season_velocity": _round(self.season_velocity),
            "other_velocity": _round(self.other_velocity), "signal": self.signal,
            "other_items": self.other_items, "selling": self.selling,
            "sample": list(self.sample),
        }


@dataclass(frozen=True, slots=True)
class Advice:
    """The advice for one season, with the evidence of every peer that launched it."""

    season: str
    advice: AdviceKind
    peers: list[PeerEvidence]
    unknown_sell_through: bool
    summary: str
    min_peers: int = 1
    window_days: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: what is stored as the current advice and shown as evidence."""
        return {
            "season": self.season, "advice": self.advice,
            "peers": [p.to_dict() for p in self.peers],
            "unknown_sell_through": self.unknown_sell_through, "summary": self.summary,
            "min_peers": self.min_peers, "window_days": self.window_days,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _align(moment: datetime, now: datetime) -> datetime:
    # Stored times may lack an offset; comparing naive with aware would raise.
    if (moment.tzinfo is None) == (now.tzinfo is None):
        return moment
    return moment.replace(tzinfo=now.tzinfo)


def _figures(item: SeasonItem, signal: Signal) -> tuple[int | None, int | None]:
    if signal == "sales":
        return item.sales_first, item.sales_now
    return item.reviews_first, item.reviews_now


def _shows(item: SeasonItem, signal: Signal) -> bool:
    if signal == "stock":
        return item.sold_out_since_first
    first, now = _figures(item, signal)
    return first is not None or now is not None


def _velocity(item: SeasonItem, signal: Signal, now: datetime) -> float:
    if signal == "stock":
        growth = 1.0 if item.sold_out_since_first else 0.0
    else:
        first, last = _figures(item, signal)
        # Sales texts are rounded ("1200+") and monthly: a dip is noise, not negative sales.
        growth = float(max(0, (last or 0) - (first or 0)))
    days = max((now - _align(item.first_seen, now)) / _DAY, 1.0)
    return growth / days


def _evidence(peer: str, season_items: list[SeasonItem], others: list[SeasonItem],
              now: datetime) -> PeerEvidence:
    everything = season_items + others
    signal: Signal = next((s for s in _SIGNALS if any(_shows(i, s) for i in everything)),
                          "none")
    season_v = other_v = None
    selling = None
    if signal != "none":
        season_v = median(_velocity(i, signal, now) for i in season_items)
        if others:
            other_v = median(_velocity(i, signal, now) for i in others)
        selling = season_v > 0 and (other_v is None or season_v >= other_v)
    ordered = sorted(season_items, key=lambda i: _align(i.first_seen, now))
    return PeerEvidence(
        peer=peer, items=len(season_items), since=ordered[0].first_seen,
        season_velocity=season_v, other_velocity=other_v, signal=signal,
        other_items=len(others), selling=selling,
        sample=tuple(i.title for i in ordered[:SAMPLE_TITLES]),
    )


def advise(items: Sequence[SeasonItem], season: str, now: datetime, window: timedelta,
           min_peers: int) -> Advice:
    """The advice for `season` from the peers' items first seen within `window` before now."""
    min_peers = max(1, min_peers)
    start = now - window
    by_peer: dict[str, tuple[list[SeasonItem], list[SeasonItem]]] = {}
    for item in items:
        if item.clearance or not start <= _align(item.first_seen, now) <= now:
            continue
        ours, others = by_peer.setdefault(item.peer, ([], []))
        (ours if season in item.seasons else others).append(item)
    peers = [_evidence(peer, ours, others, now)
             for peer, (ours, others) in by_peer.items() if ours]
    peers.sort(key=lambda p: (_align(p.since, now), p.peer))
    known = [p for p in peers if p.selling is not None]
    selling = sum(1 for p in known if p.selling)
    advice: AdviceKind
    if len(peers) < min_peers:
        advice = "prepare"
    elif selling >= 1 and selling >= min(min_peers, len(known)):
        advice = "launch"
    else:
        advice = "wait"
    unknown = any(p.signal == "none" for p in peers)
    days = window / _DAY
    return Advice(season=season, advice=advice, peers=peers, unknown_sell_through=unknown,
                  summary=_summary(season, advice, peers, selling, min_peers, days),
                  min_peers=min_peers, window_days=days)


def _names(peers: Sequence[PeerEvidence]) -> str:
    return ", ".join(p.peer for p in peers)


def _summary(season: str, advice: AdviceKind, peers: list[PeerEvidence], selling: int,
             min_peers: int, days: float) -> str:
    span = f"in the last {days:g} days"
    n = len(peers)
    if advice == "prepare" and not peers:
        text = f"No peer has launched {season} items {span}: prepare the launch"
    elif advice == "prepare":
        text = (f"Only {n} peer{'s' if n > 1 else ''} ({_names(peers)}) launched {season} "
                f"items {span}, {min_peers} needed: prepare the launch")
    elif advice == "wait" and all(p.signal == "none" for p in peers):
        return (f"{n} peers ({_names(peers)}) launched {season} items {span} but none shows "
                f"a sales signal, so sell-through is unknown: wait and watch.")
    elif advice == "wait":
        text = (f"{n} peers ({_names(peers)}) launched {season} items {span} but they do not "
                f"sell as well as their other new items yet: wait and watch")
    else:
        text = (f"{n} peers ({_names(peers)}) launched {season} items {span} and on {selling} "
                f"of them they sell at least as well as their other new items: launch now")
    blind = [p for p in peers if p.signal == "none"]
    if blind:
        text += f"; sell-through is unknown for {_names(blind)} (no sales signal)"
    return text + "."


def hint_event(previous: str | None, current: Advice, now: datetime) -> Event | None:
    """A `season_hint` event when the advice changed; a first advice only when not prepare."""
    if previous == current.advice or (previous is None and current.advice == "prepare"):
        return None
    return Event(
        kind="season_hint",
        key=f"season_hint:{current.season}:{current.advice}:{now.isoformat()}",
        summary=current.summary,
        store=None,
        product=None,
        details={**{k: v for k, v in current.to_dict().items() if k != "summary"},
                 "previous": previous},
    )
