"""The peer diff: table-driven cases of two snapshots and the events between them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchers.model import Listing
from watchers.peers.diff import Thresholds, diff

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def item(key: str, price: float | None = 100.0, regular: float | None = None,
         available: bool | None = True, title: str | None = None) -> Listing:
    return Listing(key=key, title=title or f"Item {key}", url=f"https://p.example/{key}",
                   price=price, regular_price=regular, available=available)


def kinds(previous: list[Listing], current: list[Listing], *, complete: bool = True,
          baseline: bool = False) -> list[str]:
    result = diff("Peer", "peer:Peer", {i.key: i for i in previous},
                  {i.key: i for i in current}, complete=complete, baseline=baseline, now=NOW)
    return sorted(e.kind for e in result.events)


CASES = [
    ("unchanged", [item("a")], [item("a")], []),
    ("new_item", [item("a")], [item("a"), item("b")], ["new_listing"]),
    ("removed_after_complete_read", [item("a"), item("b")], [item("a")], ["listing_removed"]),
    ("price_drop_over_threshold", [item("a", 100)], [item("a", 80)], ["price_drop"]),
    ("price_rise_over_threshold", [item("a", 100)], [item("a", 120)], ["price_rise"]),
    ("price_move_below_threshold", [item("a", 100)], [item("a", 97)], []),
    ("price_move_at_threshold", [item("a", 100)], [item("a", 95)], ["price_drop"]),
    ("promo_started", [item("a", 100)], [item("a", 100, regular=130)], ["promo_started"]),
    ("promo_with_price_cut", [item("a", 100)], [item("a", 70, regular=100)],
     ["price_drop", "promo_started"]),
    ("promo_ended", [item("a", 70, regular=100)], [item("a", 70)], ["promo_ended"]),
    ("compare_at_equal_is_no_promo", [item("a", 100)], [item("a", 100, regular=100)], []),
    ("sold_out", [item("a")], [item("a", available=False)], ["out_of_stock"]),
    ("back_in_stock", [item("a", available=False)], [item("a")], ["back_in_stock"]),
    ("unknown_availability_is_no_flip", [item("a")], [item("a", available=None)], []),
    ("missing_price_is_no_move", [item("a", 100)], [item("a", None)], []),
]


@pytest.mark.parametrize(("previous", "current", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_diff_events(previous: list[Listing], current: list[Listing],
                     expected: list[str]) -> None:
    assert kinds(previous, current) == sorted(expected)


def test_first_read_is_a_silent_baseline() -> None:
    assert kinds([], [item("a"), item("b")], baseline=True) == []


def test_partial_read_never_reports_removals() -> None:
    assert kinds([item("a"), item("b")], [item("a")], complete=False) == []


def test_catalogue_that_shrank_by_more_than_half_is_suspect() -> None:
    previous = [item(str(i)) for i in range(10)]
    result = diff("Peer", "peer:Peer", {i.key: i for i in previous},
                  {i.key: i for i in previous[:4]}, complete=True, baseline=False, now=NOW)
    assert result.suspect and not result.gone
    assert not [e for e in result.events if e.kind == "listing_removed"]


def test_price_drop_details_are_signed_fractions() -> None:
    result = diff("Peer", "peer:Peer", {"a": item("a", 100)}, {"a": item("a", 80)},
                  complete=True, baseline=False, now=NOW)
    (event,) = result.events
    # No stored history: the range is the old and the new price, no long low to tell.
    assert event.details == {"old": 100, "new": 80, "change": -0.2, "currency": None,
                             "low": 80, "high": 100, "lowest_in_days": None}
    assert event.store == "Peer" and event.product and event.product.url.endswith("/a")


def test_store_wide_sale_is_one_store_promotion_beside_item_promotions() -> None:
    previous = [item(str(i), 100) for i in range(10)]
    current = [item(str(i), 60 if i < 4 else 100, regular=100 if i < 4 else None)
               for i in range(10)]
    result = diff("Peer", "peer:Peer", {i.key: i for i in previous},
                  {i.key: i for i in current}, complete=True, baseline=False, now=NOW)
    promos = [e for e in result.events if e.kind == "store_promotion"]
    assert len(promos) == 1
    assert promos[0].details["share"] == 0.4
    assert promos[0].details["median_discount"] == 0.4
    assert sum(e.kind == "promo_started" for e in result.events) == 4


def test_a_running_sale_is_not_reported_again() -> None:
    on_sale = [item(str(i), 60, regular=100) for i in range(10)]
    result = diff("Peer", "peer:Peer", {i.key: i for i in on_sale},
                  {i.key: i for i in on_sale}, complete=True, baseline=False, now=NOW)
    assert result.events == []


def test_a_few_item_promotions_are_not_a_campaign() -> None:
    previous = [item(str(i), 100) for i in range(20)]
    current = [item(str(i), 80 if i < 2 else 100, regular=100 if i < 2 else None)
               for i in range(20)]
    assert "store_promotion" not in kinds(previous, current)


def test_price_threshold_is_configurable() -> None:
    result = diff("Peer", "peer:Peer", {"a": item("a", 100)}, {"a": item("a", 97)},
                  complete=True, baseline=False, now=NOW,
                  thresholds=Thresholds(price_change=0.02))
    assert [e.kind for e in result.events] == ["price_drop"]


def test_new_listing_carries_price_and_season() -> None:
    result = diff("Peer", "peer:Peer", {}, {"a": item("a", 59)}, complete=True,
                  baseline=False, now=NOW, season_of=lambda _: "spring")
    (event,) = result.events
    assert event.details["price"] == 59 and event.details["season"] == "spring"
