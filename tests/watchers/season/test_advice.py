"""The launch advice: table-driven cases of peers' new items, and when it becomes an event."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from watchers.season.advice import Advice, SeasonItem, advise, hint_event

NOW = datetime(2027, 1, 24, 10, 0, tzinfo=UTC)
WINDOW = timedelta(days=21)
SPRING = frozenset({"spring"})
WINTER = frozenset({"winter"})
Counts = tuple[int | None, int | None]

_serial = iter(range(10**6))


def item(peer: str, seasons: frozenset[str] = SPRING, days: float = 7, *,
         sales: Counts = (None, None), reviews: Counts = (None, None),
         sold_out: bool = False, clearance: bool = False) -> SeasonItem:
    n = next(_serial)
    return SeasonItem(peer=peer, key=f"{peer}-{n}", title=f"{peer} item {n}",
                      first_seen=NOW - timedelta(days=days), seasons=seasons,
                      clearance=clearance, sales_first=sales[0], sales_now=sales[1],
                      reviews_first=reviews[0], reviews_now=reviews[1],
                      sold_out_since_first=sold_out)


def other(peer: str, days: float = 7, *, sales: Counts = (None, None),
          reviews: Counts = (None, None), sold_out: bool = False) -> SeasonItem:
    """A new item of no season: what the season's items are compared with."""
    return item(peer, frozenset(), days, sales=sales, reviews=reviews, sold_out=sold_out)


def launched(peer: str, season_sales: int, other_sales: int | None) -> list[SeasonItem]:
    """Two season items and (optionally) one other new item, all seen 7 days ago at 0."""
    out = [item(peer, sales=(0, season_sales)), item(peer, sales=(0, season_sales))]
    if other_sales is not None:
        out.append(other(peer, sales=(0, other_sales)))
    return out


# (id, items, min_peers, advice, launched peers, unknown_sell_through)
CASES: list[tuple[str, list[SeasonItem], int, str, set[str], bool]] = [
    ("no_peer_launched", [other("A", sales=(0, 50)), other("B", sales=(0, 9))], 2,
     "prepare", set(), False),
    ("nothing_at_all", [], 2, "prepare", set(), False),
    ("one_peer_launched_min_two", launched("A", 700, 10), 2, "prepare", {"A"}, False),
    ("two_launched_flat_sales", launched("A", 0, 30) + launched("B", 0, 30), 2,
     "wait", {"A", "B"}, False),
    ("two_launched_flat_nothing_else_sells", launched("A", 0, 0) + launched("B", 0, 0), 2,
     "wait", {"A", "B"}, False),
    ("two_launched_flat_no_other_items", launched("A", 0, None) + launched("B", 0, None), 2,
     "wait", {"A", "B"}, False),
    ("selling_faster_than_other_new_items", launched("A", 700, 70) + launched("B", 500, 50),
     2, "launch", {"A", "B"}, False),
    ("selling_as_fast_as_other_new_items", launched("A", 70, 70) + launched("B", 50, 50), 2,
     "launch", {"A", "B"}, False),
    ("selling_slower_than_other_new_items", launched("A", 20, 70) + launched("B", 10, 50), 2,
     "wait", {"A", "B"}, False),
    ("growing_with_no_other_items", launched("A", 30, None) + launched("B", 40, None), 2,
     "launch", {"A", "B"}, False),
    ("only_one_of_two_sells", launched("A", 700, 70) + launched("B", 0, 50), 2,
     "wait", {"A", "B"}, False),
    ("two_of_three_sell", launched("A", 700, 70) + launched("B", 500, 50)
     + launched("C", 0, 50), 2, "launch", {"A", "B", "C"}, False),
    ("one_of_three_sells", launched("A", 700, 70) + launched("B", 0, 50)
     + launched("C", 0, 50), 2, "wait", {"A", "B", "C"}, False),
    ("min_peers_one", launched("A", 700, 70), 1, "launch", {"A"}, False),
    ("launches_outside_window_do_not_count",
     [item("A", days=21.5, sales=(0, 900)), item("B", days=21.1, sales=(0, 900))], 2,
     "prepare", set(), False),
    ("launch_at_window_edge_counts",
     [item("A", days=21, sales=(0, 900)), item("B", days=20, sales=(0, 900))], 2,
     "launch", {"A", "B"}, False),
    ("items_seen_after_now_do_not_count",
     [item("A", days=-1, sales=(0, 9)), item("B", days=-2, sales=(0, 9))], 2,
     "prepare", set(), False),
    ("clearance_items_do_not_count",
     [item("A", sales=(0, 900), clearance=True), item("B", sales=(0, 900), clearance=True)],
     2, "prepare", set(), False),
    ("other_season_items_do_not_count",
     [item("A", WINTER, sales=(0, 900)), item("B", WINTER, sales=(0, 900))], 2,
     "prepare", set(), False),
    ("other_season_items_are_the_comparison",
     [item("A", sales=(0, 70)), item("A", WINTER, sales=(0, 700)),
      item("B", sales=(0, 70)), item("B", WINTER, sales=(0, 700))], 2,
     "wait", {"A", "B"}, False),
    ("clearance_items_are_not_the_comparison",
     [item("A", sales=(0, 70)), item("A", WINTER, sales=(0, 700), clearance=True),
      item("B", sales=(0, 70)), item("B", WINTER, sales=(0, 700), clearance=True)], 2,
     "launch", {"A", "B"}, False),
    ("peer_without_signal_is_unknown_and_does_not_block",
     [*launched("A", 700, 70), item("B"), other("B")], 2, "launch", {"A", "B"}, True),
    ("no_peer_shows_a_signal", [item("A"), item("B"), other("B")], 2,
     "wait", {"A", "B"}, True),
    ("unknown_peer_does_not_carry_a_launch",
     [*launched("A", 0, 70), item("B")], 2, "wait", {"A", "B"}, True),
    ("reviews_when_no_sales",
     [item("A", reviews=(0, 30)), other("A", reviews=(0, 3)),
      item("B", reviews=(1, 20)), other("B", reviews=(0, 2))], 2,
     "launch", {"A", "B"}, False),
    ("stock_flips_when_no_counts",
     [item("A", sold_out=True), other("A"), item("B", sold_out=True), other("B")], 2,
     "launch", {"A", "B"}, False),
    ("no_flip_beside_others_flipping",
     [item("A"), other("A", sold_out=True), item("B"), other("B", sold_out=True)], 2,
     "wait", {"A", "B"}, False),
    ("sales_dip_is_not_selling",
     [item("A", sales=(1200, 1000)), item("B", sales=(1200, 1000))], 2,
     "wait", {"A", "B"}, False),
    ("sales_text_appearing_counts_from_zero",
     [item("A", sales=(None, 300)), other("A", sales=(0, 0)),
      item("B", sales=(None, 300)), other("B", sales=(0, 0))], 2,
     "launch", {"A", "B"}, False),
    ("season_item_without_sales_text_beside_selling_others",
     [item("A"), other("A", sales=(0, 300)), item("B"), other("B", sales=(0, 300))], 2,
     "wait", {"A", "B"}, False),
]


@pytest.mark.parametrize(("items", "min_peers", "advice", "peers", "unknown"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_advise(items: list[SeasonItem], min_peers: int, advice: str, peers: set[str],
                unknown: bool) -> None:
    result = advise(items, "spring", NOW, WINDOW, min_peers)
    assert result.advice == advice
    assert {p.peer for p in result.peers} == peers
    assert result.unknown_sell_through is unknown
    assert result.season == "spring"


def test_evidence_counts_items_since_and_median_velocity() -> None:
    items = [item("A", days=7, sales=(0, 700)), item("A", days=2, sales=(0, 100)),
             item("A", days=7, sales=(10, 10)), other("A", days=5, sales=(5, 55)),
             other("A", days=5, sales=(0, 0))]
    (peer,) = advise(items, "spring", NOW, WINDOW, 1).peers
    assert peer.items == 3 and peer.other_items == 2
    assert peer.since == NOW - timedelta(days=7)
    assert peer.signal == "sales"
    assert peer.season_velocity == pytest.approx(50.0)  # median of 100, 50, 0 a day
    assert peer.other_velocity == pytest.approx(5.0)  # median of 10, 0 a day
    assert peer.selling is True
    assert len(peer.sample) == 3


def test_velocity_counts_at_least_one_day() -> None:
    items = [item("A", days=0.1, sales=(0, 12))]
    (peer,) = advise(items, "spring", NOW, WINDOW, 1).peers
    assert peer.season_velocity == pytest.approx(12.0)


def test_peer_without_signal_has_no_velocity_and_unknown_selling() -> None:
    (peer,) = advise([item("A"), other("A")], "spring", NOW, WINDOW, 1).peers
    assert peer.signal == "none"
    assert peer.season_velocity is None and peer.other_velocity is None
    assert peer.selling is None


def test_peers_are_listed_first_launcher_first() -> None:
    items = [item("Z", days=3, sales=(0, 9)), item("A", days=1, sales=(0, 9)),
             item("M", days=10, sales=(0, 9))]
    assert [p.peer for p in advise(items, "spring", NOW, WINDOW, 2).peers] == ["M", "Z", "A"]


def test_naive_first_seen_beside_aware_now_is_read() -> None:
    naive = SeasonItem(peer="A", key="k", title="t", first_seen=datetime(2027, 1, 20),
                       seasons=SPRING, clearance=False, sales_first=0, sales_now=40)
    (peer,) = advise([naive], "spring", NOW, WINDOW, 1).peers
    assert peer.selling is True


@pytest.mark.parametrize(("items", "words"), [
    ([], ["No peer", "spring", "prepare"]),
    (launched("A", 700, 70), ["Only 1 peer", "A", "2 needed", "prepare"]),
    (launched("A", 0, 70) + launched("B", 0, 70), ["2 peers", "A, B", "wait"]),
    (launched("A", 700, 70) + launched("B", 700, 70), ["2 peers", "launch now"]),
    ([*launched("A", 700, 70), item("Gamma")], ["unknown for Gamma", "launch now"]),
    ([item("A"), item("B")], ["unknown", "wait"]),
], ids=["none", "one", "wait", "launch", "launch_unknown", "wait_all_unknown"])
def test_summary_is_one_sentence_naming_the_evidence(items: list[SeasonItem],
                                                     words: list[str]) -> None:
    summary = advise(items, "spring", NOW, WINDOW, 2).summary
    assert summary.endswith(".") and summary.count(".") == 1
    for word in words:
        assert word in summary


def advice_of(kind: str) -> Advice:
    items = {"prepare": [],
             "wait": launched("A", 0, 70) + launched("B", 0, 70),
             "launch": launched("A", 700, 70) + launched("B", 500, 50)}[kind]
    result = advise(items, "spring", NOW, WINDOW, 2)
    assert result.advice == kind
    return result


HINTS = [
    ("first_prepare_is_silent", None, "prepare", False),
    ("first_wait_is_told", None, "wait", True),
    ("first_launch_is_told", None, "launch", True),
    ("prepare_to_wait", "prepare", "wait", True),
    ("wait_to_wait", "wait", "wait", False),
    ("wait_to_launch", "wait", "launch", True),
    ("launch_to_launch", "launch", "launch", False),
    ("launch_back_to_prepare", "launch", "prepare", True),
    ("prepare_to_prepare", "prepare", "prepare", False),
]


@pytest.mark.parametrize(("previous", "current", "told"), [c[1:] for c in HINTS],
                         ids=[c[0] for c in HINTS])
def test_hint_event_only_when_advice_changes(previous: str | None, current: str,
                                             told: bool) -> None:
    event = hint_event(previous, advice_of(current), NOW)
    assert (event is not None) is told
    if event is not None:
        assert event.details["advice"] == current
        assert event.details["previous"] == previous


def test_hint_event_carries_complete_json_ready_evidence() -> None:
    event = hint_event("prepare", advice_of("wait"), NOW)
    assert event is not None
    assert event.kind == "season_hint"
    assert event.key == f"season_hint:spring:wait:{NOW.isoformat()}"
    assert event.store is None and event.product is None
    assert event.summary == advice_of("wait").summary
    details = json.loads(json.dumps(event.details))
    assert details["season"] == "spring" and details["unknown_sell_through"] is False
    assert {p["peer"] for p in details["peers"]} == {"A", "B"}
    first = details["peers"][0]
    assert first["items"] == 2 and first["signal"] == "sales" and first["selling"] is False
    assert first["since"] == (NOW - timedelta(days=7)).isoformat()
    assert first["season_velocity"] == 0 and first["other_velocity"] == 10


def test_advice_that_comes_back_the_same_day_is_a_new_event() -> None:
    from datetime import timedelta

    first = hint_event("prepare", advice_of("wait"), NOW)
    again = hint_event("launch", advice_of("wait"), NOW + timedelta(hours=6))
    assert first is not None and again is not None
    assert first.key != again.key
