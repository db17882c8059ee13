"""Where a new price sits in the item's history: range, long lows, alternation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watchers.model import Listing
from watchers.peers.diff import diff
from watchers.peers.extras import Extras
from watchers.peers.history import (
    PricePoint,
    alternation,
    history_details,
    lowest_in_days,
    price_range,
)

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def points(*pairs: tuple[int, float | None]) -> list[PricePoint]:
    """(days ago, price) pairs, oldest first."""
    return [PricePoint(NOW - timedelta(days=d), p) for d, p in pairs]


def test_range_spans_the_last_90_days_and_the_new_price() -> None:
    # 200 days ago it cost 10: outside the window; the 120 in force at the window's start
    # counts (it held until 60 days ago).
    history = points((200, 10.0), (120, 120.0), (60, 100.0))
    assert price_range(history, 90.0, NOW) == (90.0, 120.0)


LOWEST = [
    ("never_this_low_since_first_seen", points((120, 100.0), (10, 110.0)), 80.0, 120),
    ("last_this_low_ended_40_days_ago", points((200, 70.0), (40, 100.0)), 80.0, 40),
    ("under_30_days_is_null", points((200, 70.0), (20, 100.0)), 80.0, None),
    ("a_rise_is_never_a_low", points((100, 100.0)), 120.0, None),
    ("unpriced_periods_do_not_count", points((100, None), (50, 100.0)), 80.0, 100),
    ("equal_counts_as_at_or_below", points((300, 80.0), (95, 100.0)), 80.0, 95),
]


@pytest.mark.parametrize(("history", "new", "expected"), [c[1:] for c in LOWEST],
                         ids=[c[0] for c in LOWEST])
def test_lowest_in_days(history: list[PricePoint], new: float, expected: int | None) -> None:
    assert lowest_in_days(history, new, NOW) == expected


ALTERNATION = [
    ("new_value", points((3, 99.0)), 129.0, None),
    ("first_return", points((3, 99.0), (2, 129.0)), 99.0, "first"),
    ("back_and_forth_again", points((4, 99.0), (3, 129.0), (2, 99.0)), 129.0, "again"),
    ("value_older_than_30_days_is_new", points((60, 99.0), (40, 129.0)), 99.0, None),
    ("other_fields_changing_between", points((5, 99.0), (4, 99.0), (3, 129.0)), 99.0, "first"),
]


@pytest.mark.parametrize(("history", "new", "expected"), [c[1:] for c in ALTERNATION],
                         ids=[c[0] for c in ALTERNATION])
def test_alternation(history: list[PricePoint], new: float, expected: str | None) -> None:
    assert alternation(history, new, NOW) == expected


def test_details_have_the_contract_keys() -> None:
    assert history_details(points((100, 150.0), (5, 120.0)), 100.0, NOW) == {
        "low": 100.0, "high": 150.0, "lowest_in_days": 100}


def item(price: float) -> Listing:
    return Listing(key="a", title="Linen dress", url="https://p.example/a", price=price)


def test_a_drop_to_the_lowest_in_100_days_says_so() -> None:
    history = {"a": points((100, 150.0), (5, 120.0))}
    result = diff("Peer", "peer:Peer", {"a": item(120)}, {"a": item(100)}, complete=True,
                  baseline=False, now=NOW, extras=Extras(histories=history))
    (event,) = result.events
    assert event.details["lowest_in_days"] == 100
    assert "lowest in 100 days" in event.summary


def test_a_price_alternating_is_said_once_then_not_again() -> None:
    first = diff("Peer", "peer:Peer", {"a": item(129)}, {"a": item(99)}, complete=True,
                 baseline=False, now=NOW,
                 extras=Extras(histories={"a": points((3, 99.0), (2, 129.0))}))
    (event,) = first.events
    assert event.details["alternates"] == [99, 129] and "alternates" in event.summary
    again = diff("Peer", "peer:Peer", {"a": item(99)}, {"a": item(129)}, complete=True,
                 baseline=False, now=NOW,
                 extras=Extras(histories={"a": points((4, 99.0), (3, 129.0), (2, 99.0))}))
    assert again.events == []
