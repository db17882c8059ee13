"""What sells: rates from monthly figures, running totals and reviews; top-10 entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watchers.model import Listing
from watchers.peers.bestseller import Figure, advance, figure_of, ranking, sales_step

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def item(key: str, sales: int | None = None, text: str | None = None,
         reviews: int | None = None) -> Listing:
    return Listing(key=key, title=f"Item {key}", sales=sales, sales_text=text,
                   review_count=reviews)


def test_figures_by_what_the_store_shows() -> None:
    assert figure_of(item("a", 1200, "月销 1200+")) == ("monthly", 1200.0)
    assert figure_of(item("a", 8, "8人付款")) == ("monthly", 8.0)
    assert figure_of(item("a", 5000, "已售5000")) == ("total", 5000.0)
    assert figure_of(item("a", reviews=40)) == ("reviews", 40.0)
    assert figure_of(item("a")) is None


def test_a_running_total_has_a_rate_from_its_second_reading_and_it_decays() -> None:
    first = advance({}, {"a": item("a", 100, "已售100")}, NOW - timedelta(days=10))
    assert first["a"].per_day(NOW) is None
    later = advance(first, {"a": item("a", 300, "已售300")}, NOW)
    assert later["a"].per_day(NOW) == 20.0
    assert later["a"].per_day(NOW + timedelta(days=10)) == 10.0


def test_ranking_is_fastest_first() -> None:
    figs = {k: Figure("monthly", v, NOW) for k, v in {"a": 30.0, "b": 300.0, "c": 0.0}.items()}
    assert [k for k, _ in ranking(figs, NOW)] == ["b", "a"]


def catalogue(sales: dict[str, int]) -> dict[str, Listing]:
    return {k: item(k, v, f"月销{v}") for k, v in sales.items()}


def test_a_jump_from_30_to_2000_a_month_is_one_bestseller() -> None:
    base = {f"i{n}": 100 for n in range(12)} | {"hot": 30}
    start = sales_step("Peer", "peer:P", {}, {}, catalogue(base), now=NOW, complete=True,
                       silent=True)
    assert start.events == []
    known = start.figures
    ranks = {k: r for k, r in start.ranks.items() if r}
    later = NOW + timedelta(days=1)
    step = sales_step("Peer", "peer:P", known, ranks, catalogue(base | {"hot": 2000}),
                      now=later, complete=True, silent=False)
    (event,) = step.events
    assert event.details["rank"] == 1 and event.details["previous_rank"] is None
    assert event.details["sales"] == 2000 and event.details["per_day"] == round(2000 / 30, 2)
    known = {**known, **step.figures}
    ranks = {k: r for k, r in {**ranks, **step.ranks}.items() if r}
    again = sales_step("Peer", "peer:P", known, ranks, catalogue(base | {"hot": 2000}),
                       now=later + timedelta(days=1), complete=True, silent=False)
    assert again.events == []


def test_a_partial_read_ranks_and_tells_nothing() -> None:
    step = sales_step("Peer", "peer:P", {"a": Figure("monthly", 30.0, NOW)}, {"a": 1},
                      catalogue({"a": 3000}), now=NOW, complete=False, silent=False)
    assert step.events == [] and step.ranks == {} and "a" in step.figures


def test_an_item_drifting_into_the_top_as_others_decay_is_not_news() -> None:
    # Ten fast sellers of long ago and one slow, steady item: time alone reorders them.
    past = NOW - timedelta(days=60)
    known = {f"i{n}": Figure("total", 1000.0, past, 100.0, past - timedelta(days=1))
             for n in range(10)}
    known["slow"] = Figure("total", 50.0, NOW - timedelta(days=1), 10.0,
                           NOW - timedelta(days=2))
    ranks = {f"i{n}": n + 1 for n in range(10)}
    current = {k: item(k, int(f.value), f"已售{int(f.value)}") for k, f in known.items()}
    step = sales_step("Peer", "peer:P", known, ranks, current, now=NOW, complete=True,
                      silent=False)
    assert step.ranks.get("slow") == 1 and step.events == []
