"""Targets, swings and page health over our shop's days (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.watchers.own.shop import Day, change, days
from watchers.own.figures import DayFigures
from watchers.own.judge import day_events, week_events
from watchers.own.pages import week_health
from watchers.own.swings import swings, usual_band
from watchers.own.targets import day_target, judge_day, month_shares
from watchers.own.today import today_report
from watchers.settings import TargetSettings

MONDAY = date(2026, 11, 23)
YEAR = TargetSettings(year=1_825_000)  # 5,000 a day in 2026, shared by days


def figures(rows: list[Day]) -> dict[date, DayFigures]:
    return {r.day: DayFigures(day=r.day, sales=r.sales, visitors=r.visitors,
                              pageviews=r.visitors * r.depth, buyers=r.buyers,
                              conversion=r.conversion, order_value=r.order_value,
                              bounce=r.bounce, pages_per_visit=r.depth,
                              repeat_buyers=r.repeat) for r in rows}


HISTORY = days(MONDAY - timedelta(days=35), 35)


@pytest.mark.parametrize(("figure", "value", "factor"), [
    ("conversion", 0.04, "conversion"),
    ("visitors", 800, "visitors"),
    ("order_value", 80.0, "order_value"),
])
def test_a_day_20_percent_below_target_names_the_factor_that_fell(
        figure: str, value: float, factor: str) -> None:
    shop = figures([*HISTORY, Day(MONDAY, **{figure: value})])  # type: ignore[arg-type]
    verdict = judge_day(shop[MONDAY], YEAR, shop)
    assert verdict is not None and verdict.missed
    assert verdict.target == pytest.approx(5000)
    assert verdict.sales == pytest.approx(4000)
    assert verdict.factor == factor
    assert verdict.factors[factor]["value"] == pytest.approx(value)


def test_a_day_on_target_misses_nothing_and_no_year_judges_nothing() -> None:
    shop = figures([*HISTORY, Day(MONDAY)])
    assert [e.kind for e in day_events(MONDAY, shop, YEAR)] == []
    low = figures([*HISTORY, Day(MONDAY, conversion=0.04)])
    assert judge_day(low[MONDAY], TargetSettings(), low) is None


def test_factor_targets_multiply_to_the_day_target() -> None:
    shop = figures([*HISTORY, Day(MONDAY, conversion=0.04)])
    ten_more = TargetSettings(year=1_825_000 * 1.1)
    verdict = judge_day(shop[MONDAY], ten_more, shop)
    assert verdict is not None
    product = 1.0
    for f in verdict.factors.values():
        product *= f["target"]
    assert product == pytest.approx(verdict.target, rel=1e-3)


def test_months_and_weekdays_share_the_year() -> None:
    months = TargetSettings(year=1_200_000, months=tuple([0.1] * 2 + [0.08] * 10))
    assert day_target(date(2026, 1, 15), months, {}) == pytest.approx(120_000 / 31)
    weekends = TargetSettings(year=1_825_000, weekdays=(1, 1, 1, 1, 1, 2, 2))
    saturday, monday = date(2026, 11, 21), MONDAY
    assert day_target(saturday, weekends, {}) == pytest.approx(2 * day_target(monday,
                                                                               weekends, {}))
    month = sum(day_target(date(2026, 11, d), weekends, {}) for d in range(1, 31))
    assert month == pytest.approx(1_825_000 * 30 / 365)


def test_last_years_months_share_the_year_when_the_exports_hold_them() -> None:
    shop = figures(days(date(2025, 1, 1), 365))
    for d in (date(2025, 12, n) for n in range(1, 32)):  # December sold twice as much
        shop[d] = DayFigures(day=d, sales=10_000.0)
    shares = month_shares(2026, TargetSettings(year=1), shop)
    assert shares[11] == pytest.approx(2 * 31 / (365 + 31))
    assert sum(shares) == pytest.approx(1.0)


def test_a_normal_monday_after_a_big_saturday_is_no_swing() -> None:
    rows = change(HISTORY, MONDAY - timedelta(days=2), visitors=5000, conversion=0.09)
    shop = figures([*rows, Day(MONDAY)])
    assert swings(MONDAY, shop) == []
    saturday = swings(MONDAY - timedelta(days=2), shop)
    assert {(s.metric, s.direction) for s in saturday} == {("visitors", "up"),
                                                           ("conversion", "up")}


def test_a_big_sale_monday_in_the_four_weeks_neither_flags_a_normal_monday_nor_hides_a_drop(
        ) -> None:
    rows = change(HISTORY, MONDAY - timedelta(weeks=2), visitors=6000)
    assert swings(MONDAY, figures([*rows, Day(MONDAY, visitors=900)])) == []
    dropped = swings(MONDAY, figures([*rows, Day(MONDAY, visitors=400)]))
    assert [(s.metric, s.direction) for s in dropped] == [("visitors", "down")]
    # Mean and standard deviation would miss that drop: the sale widens their band past 0.
    values = [1000.0, 6000.0, 1000.0, 1000.0]
    mean = sum(values) / 4
    sd = (sum((v - mean) ** 2 for v in values) / 3) ** 0.5
    assert mean - 2 * sd < 400


def test_a_monday_with_half_the_visitors_swings_down() -> None:
    shop = figures([*HISTORY, Day(MONDAY, visitors=500, conversion=0.1)])
    found = {s.metric: s for s in swings(MONDAY, shop)}
    assert set(found) == {"visitors", "conversion"}
    assert found["visitors"].direction == "down" and found["conversion"].direction == "up"
    assert found["visitors"].to_dict()["usual"]["high"] > 1000  # type: ignore[index]


def test_too_few_weeks_give_no_band() -> None:
    assert usual_band([1.0, 1.0]) is None
    low, high = usual_band([100.0, 100.0, 100.0]) or (0, 0)
    assert low < 100 < high  # identical weeks still leave room for a normal day


def test_a_week_with_bounce_74_percent_fails_once_and_recovers_once() -> None:
    week = days(date(2026, 11, 16), 7, bounce=0.74)
    shop = figures([*HISTORY[:-7], *week, *days(date(2026, 11, 23), 7)])
    states: dict[str, str] = {}
    first = week_events(date(2026, 11, 22), shop, 0.0, states, announce=True)
    assert [(e.kind, e.details["rule"], e.details["state"]) for e in first] == [
        ("page_health", "bounce", "failing")]
    assert week_events(date(2026, 11, 22), shop, 0.0, states, announce=True) == []
    back = week_events(date(2026, 11, 29), shop, 0.0, states, announce=True)
    assert [(e.details["rule"], e.details["state"]) for e in back] == [("bounce", "recovered")]


def test_page_rules_weigh_days_by_visitors_and_compare_with_the_hero() -> None:
    week = [Day(date(2026, 11, 16) + timedelta(days=n), visitors=v, bounce=b, depth=p)
            for n, (v, b, p) in enumerate([(3000, 0.8, 2.0)] + [(500, 0.5, 4.0)] * 6)]
    health = {h.rule: h for h in week_health(date(2026, 11, 22), figures(week), 90.0)}
    assert health["bounce"].value == pytest.approx((3000 * 0.8 + 3000 * 0.5) / 6000)
    assert health["bounce"].failing is False
    assert health["depth"].value == pytest.approx(3.0)
    assert health["order_value_ratio"].value == pytest.approx(100 / 90)
    assert health["order_value_ratio"].failing is True


def test_today_report_gives_yesterday_the_month_and_what_moved() -> None:
    rows = [*days(date(2026, 11, 1), 22), Day(MONDAY, visitors=500)]
    report = today_report(figures([*HISTORY, *rows]), YEAR, MONDAY + timedelta(days=1))
    assert report is not None
    data = report.to_dict()
    assert data["day"] == "2026-11-23" and data["on_target"] is False
    assert data["factor"] == "visitors"
    assert data["month_sales"] == pytest.approx(22 * 5000 + 2500)
    assert data["month_to_date_target"] == pytest.approx(23 * 5000)
    assert data["month_target"] == pytest.approx(30 * 5000)
    assert [m["metric"] for m in data["moved"]] == ["visitors"]
    assert len(data["chart"]) == 23 and data["chart"][-1]["month_sales"] == data["month_sales"]
    assert [(p["rule"], p["week"], p["state"]) for p in data["pages"]] == [
        ("bounce", "2026-W47", "ok"), ("depth", "2026-W47", "ok")]
    assert today_report({}, YEAR, MONDAY) is None


def test_a_weekday_is_not_blamed_on_visitors_because_weekends_bring_more() -> None:
    weekly = [Day(d.day, visitors=1300 if d.day.weekday() >= 5 else 1000) for d in HISTORY]
    shop = figures([*weekly, Day(MONDAY, conversion=0.048)])  # a usual Monday's visitors
    verdict = judge_day(shop[MONDAY], YEAR, shop)
    assert verdict is not None and verdict.missed
    assert verdict.factor == "conversion"
    assert verdict.factors["visitors"]["value"] >= verdict.factors["visitors"]["target"] * 0.95
