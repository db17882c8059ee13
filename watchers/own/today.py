"""Our shop this morning as plain data: yesterday and the month to date against target, and
what moved. The digest opens with it and `/today` answers it (the notifier renders it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from watchers.own.figures import DayFigures
from watchers.own.pages import week_health
from watchers.own.swings import swings
from watchers.own.targets import day_target, judge_day, month_target
from watchers.settings import TargetSettings


@dataclass(frozen=True)
class TodayReport:
    """Yesterday (`day`) and its month up to it.

    `sales` is None when the exports do not hold yesterday yet (then `latest` says which
    day they reach); targets are None without a `[targets] year`. `chart` has one entry per
    day of the month so far: the day, its sales (None: not exported), and the running sales
    and target, for a month-to-date chart.
    """

    day: date
    latest: date | None
    sales: float | None
    target: float | None
    factor: str | None
    factors: dict[str, dict[str, float]]
    month_sales: float
    month_to_date_target: float | None
    month_target: float | None
    moved: list[dict[str, object]] = field(default_factory=list)
    chart: list[dict[str, object]] = field(default_factory=list)
    pages: list[dict[str, object]] = field(default_factory=list)

    @property
    def on_target(self) -> bool | None:
        """Yesterday reached its target (None: no target or no figures)."""
        if self.sales is None or self.target is None:
            return None
        return self.sales >= self.target

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (days as YYYY-MM-DD)."""
        return {"day": self.day.isoformat(),
                "latest": self.latest.isoformat() if self.latest else None,
                "sales": self.sales, "target": self.target, "on_target": self.on_target,
                "factor": self.factor, "factors": self.factors,
                "month": self.day.strftime("%Y-%m"), "month_sales": self.month_sales,
                "month_to_date_target": self.month_to_date_target,
                "month_target": self.month_target, "moved": self.moved, "chart": self.chart,
                "pages": self.pages}


def today_report(days: Mapping[date, DayFigures], targets: TargetSettings,
                 today: date, hero_order_value: float = 0.0) -> TodayReport | None:
    """Our shop on the morning of `today`; None when no export was read yet."""
    if not days:
        return None
    day = today - timedelta(days=1)
    has_target = targets.year > 0
    figures = days.get(day)
    verdict = judge_day(figures, targets, days) if figures else None
    running_sales = running_target = 0.0
    chart: list[dict[str, object]] = []
    for n in range(1, day.day + 1):
        current = day.replace(day=n)
        sales = days[current].sales if current in days else None
        running_sales += sales or 0.0
        running_target += day_target(current, targets, days) if has_target else 0.0
        chart.append({"day": current.isoformat(), "sales": sales,
                      "month_sales": round(running_sales, 2),
                      "month_target": round(running_target, 2) if has_target else None})
    return TodayReport(
        day=day, latest=max(days), sales=figures.sales if figures else None,
        target=round(day_target(day, targets, days), 2) if has_target else None,
        factor=verdict.factor if verdict and verdict.missed else None,
        factors=verdict.factors if verdict else {},
        month_sales=round(running_sales, 2),
        month_to_date_target=round(running_target, 2) if has_target else None,
        month_target=round(month_target(day, targets, days), 2) if has_target else None,
        moved=[s.to_dict() for s in swings(day, days)], chart=chart,
        pages=_pages(days, today, hero_order_value))


def _pages(days: Mapping[date, DayFigures], today: date, hero: float) -> list[dict[str, object]]:
    sundays = [d for d in days if d.weekday() == 6 and d < today]
    if not sundays:
        return []
    return [h.to_dict("failing" if h.failing else "ok")
            for h in week_health(max(sundays), days, hero)]
