"""From figures to events: a day against its target and its usual band, a week's pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from watchers.model import Event
from watchers.own.figures import DayFigures
from watchers.own.pages import RULES, week_health
from watchers.own.swings import swings
from watchers.own.targets import judge_day
from watchers.settings import TargetSettings

STORE = "own"  # the `store` of our own shop's events (CONTRACT.md)
LABELS = {"visitors": "visitors", "conversion": "conversion", "order_value": "order value",
          "repeat_buyers": "repeat buyers", "bounce": "bounce rate",
          "depth": "pages per visit", "order_value_ratio": "order value against the hero's"}
RATES = frozenset({"conversion", "bounce"})


def shown(metric: str, value: float) -> str:
    """A figure as a summary shows it: rates in %, amounts with thousands separators."""
    if metric in RATES:
        return f"{value:.2%}"
    if metric in ("depth", "order_value_ratio", "pages_per_visit"):
        return f"{value:.2f}"
    if metric in ("visitors", "repeat_buyers", "buyers"):
        return f"{value:,.0f}"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def day_events(day: date, days: Mapping[date, DayFigures],
               targets: TargetSettings) -> list[Event]:
    """`target_missed` and `metric_swing` of one day (judged once, when first read)."""
    figures = days.get(day)
    if figures is None:
        return []
    out = []
    verdict = judge_day(figures, targets, days)
    if verdict and verdict.missed:
        gap = verdict.sales / verdict.target - 1 if verdict.target else 0.0
        why = ""
        if verdict.factor:
            f = verdict.factors[verdict.factor]
            why = (f"; {LABELS[verdict.factor]} fell short: "
                   f"{shown(verdict.factor, f['value'])} against "
                   f"{shown(verdict.factor, f['target'])}")
            if verdict.sources and verdict.source:
                s = verdict.sources[verdict.source]
                why += (f", most of all {verdict.source} traffic ({s['value']:,.0f} visitors, "
                        f"usually {s['usual']:,.0f})")
        out.append(Event(
            kind="target_missed", key=f"target_missed:{day.isoformat()}",
            summary=f"Our shop sold {shown('sales', verdict.sales)} on {day.isoformat()}, "
                    f"{-gap:.0%} below the day's target of {shown('sales', verdict.target)}{why}",
            store=STORE, details=verdict.to_dict()))
    for swing in swings(day, days):
        out.append(Event(
            kind="metric_swing", key=f"metric_swing:{day.isoformat()}:{swing.metric}",
            summary=f"Our shop's {LABELS[swing.metric]} on {day.isoformat()} "
                    f"{'jumped' if swing.direction == 'up' else 'fell'} to "
                    f"{shown(swing.metric, swing.value)} (usual for the weekday: "
                    f"{shown(swing.metric, swing.low)}–{shown(swing.metric, swing.high)})",
            store=STORE, details=swing.to_dict()))
    return out


def week_events(sunday: date, days: Mapping[date, DayFigures], hero_order_value: float,
                states: dict[str, str], announce: bool) -> list[Event]:
    """`page_health` of the week that `sunday` ends, when a rule starts or stops failing.

    `states` (rule -> "failing"/"ok") is updated in place; with `announce` false the week
    only moves the states (the baseline, or a late week that only fills the history).
    """
    out = []
    for health in week_health(sunday, days, hero_order_value):
        before = states.get(health.rule, "ok")
        now = "failing" if health.failing else "ok"
        states[health.rule] = now
        if now == before or not announce:
            continue
        state = "failing" if now == "failing" else "recovered"
        threshold = RULES[health.rule][0]
        verb = "fail a rule" if state == "failing" else "pass again"
        out.append(Event(
            kind="page_health", key=f"page_health:{health.week}:{health.rule}:{state}",
            summary=f"Our pages {verb} in {health.week}: {LABELS[health.rule]} "
                    f"{shown(health.rule, health.value)} (rule: "
                    f"{'under' if health.rule == 'bounce' else 'at least'} "
                    f"{shown(health.rule, threshold)})",
            store=STORE, details=health.to_dict(state)))
    return out
