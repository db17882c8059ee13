"""What "on target" means for a day: the year broken into months and days, and the three
factors (visitors × conversion × order value) the day's sales target asks of the shop."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from watchers.own.figures import SOURCES, DayFigures
from watchers.settings import TargetSettings

FACTORS = ("visitors", "conversion", "order_value")
RECENT_DAYS = 28  # the factor targets come from the shop's own last four weeks
FULL_MONTH_DAYS = 28  # a month of last year counts for the shares when this many days are in


def month_shares(year: int, targets: TargetSettings,
                 days: Mapping[date, DayFigures]) -> tuple[float, ...]:
    """Each month's share of `year`'s target: as configured, else last year's months when
    the exports hold all twelve, else by the number of days."""
    if targets.months:
        return targets.months
    last = year - 1
    sums = [0.0] * 12
    counts = [0] * 12
    for day, figures in days.items():
        if day.year == last:
            sums[day.month - 1] += figures.sales
            counts[day.month - 1] += 1
    if all(c >= FULL_MONTH_DAYS for c in counts) and sum(sums) > 0:
        total = sum(sums)
        return tuple(s / total for s in sums)
    length = 366 if calendar.isleap(year) else 365
    return tuple(calendar.monthrange(year, m)[1] / length for m in range(1, 13))


def _weight(targets: TargetSettings, day: date) -> float:
    return targets.weekdays[day.weekday()] if targets.weekdays else 1.0


def day_target(day: date, targets: TargetSettings, days: Mapping[date, DayFigures]) -> float:
    """The day's share of the month's target, by the weekday weights."""
    month = targets.year * month_shares(day.year, targets, days)[day.month - 1]
    length = calendar.monthrange(day.year, day.month)[1]
    weights = sum(_weight(targets, day.replace(day=d)) for d in range(1, length + 1))
    return month * _weight(targets, day) / weights if weights else 0.0


def month_target(day: date, targets: TargetSettings, days: Mapping[date, DayFigures]) -> float:
    """The whole month's sales target."""
    return targets.year * month_shares(day.year, targets, days)[day.month - 1]


def month_to_date_target(day: date, targets: TargetSettings,
                         days: Mapping[date, DayFigures]) -> float:
    """The targets of the month's days from the 1st to `day`, inclusive."""
    return sum(day_target(day.replace(day=d), targets, days) for d in range(1, day.day + 1))


@dataclass(frozen=True)
class Verdict:
    """A day against its target: which factor fell short the most, each factor's target."""

    day: date
    sales: float
    target: float
    factor: str | None
    factors: dict[str, dict[str, float]]
    # When visitors fell short and the export splits them: each source's visitors against
    # its usual (the mean of the last 28 days), and the one that fell the most.
    sources: dict[str, dict[str, float]] | None = None
    source: str | None = None

    @property
    def missed(self) -> bool:
        return self.sales < self.target

    def to_dict(self) -> dict[str, object]:
        """The `target_missed` details (CONTRACT.md)."""
        out: dict[str, object] = {
            "day": self.day.isoformat(), "sales": round(self.sales, 2),
            "target": round(self.target, 2), "factor": self.factor, "factors": self.factors,
            "gap": round(self.sales / self.target - 1, 4) if self.target else None}
        if self.sources:
            out.update(sources=self.sources, source=self.source)
        return out


def factor_levels(day: date, days: Mapping[date, DayFigures]) -> dict[str, float] | None:
    """The shop's usual visitors, conversion and order value before `day`; None when the
    exports do not hold them.

    Visitors come from the same weekday of the last four weeks when there are two or more
    (weekends bring more: a usual Monday must not look short of visitors), else from the
    28 days; conversion and order value from the 28 days, weighted by visitors and buyers.
    """
    recent = [days[d] for d in (day - timedelta(n) for n in range(1, RECENT_DAYS + 1))
              if d in days]
    full = [f for f in recent if f.visitors and f.get("conversion") is not None
            and f.get("order_value") is not None]
    if not full:
        return None
    visitors = sum(f.visitors or 0.0 for f in full)
    buyers = sum((f.visitors or 0.0) * (f.get("conversion") or 0.0) for f in full)
    sales = sum(f.sales for f in full)
    if not buyers:
        return None
    same = [f.visitors or 0.0 for f in full if f.day.weekday() == day.weekday()]
    usual = sum(same) / len(same) if len(same) >= 2 else visitors / len(full)
    return {"visitors": usual, "conversion": buyers / visitors, "order_value": sales / buyers}


def judge_day(figures: DayFigures, targets: TargetSettings,
              days: Mapping[date, DayFigures]) -> Verdict | None:
    """The day against its target; None without a year's target.

    The factor targets spread the gap between the usual sales (the product of the usual
    levels) and the target evenly over the three factors (each its usual level ×
    (target ÷ usual sales)^⅓), so their product is the day's target; the factor furthest
    below its target is the one that fell short.
    """
    if targets.year <= 0:
        return None
    target = day_target(figures.day, targets, days)
    levels = factor_levels(figures.day, days)
    values = {f: figures.get(f) for f in FACTORS}
    if not levels or any(v is None for v in values.values()) or target <= 0:
        return Verdict(figures.day, figures.sales, target, None, {})
    usual = levels["visitors"] * levels["conversion"] * levels["order_value"]
    scale = (target / usual) ** (1 / 3) if usual > 0 else 1.0
    factors = {f: {"value": round(values[f] or 0.0, 4), "target": round(levels[f] * scale, 4)}
               for f in FACTORS}
    short = min(FACTORS, key=lambda f: (values[f] or 0.0) / (levels[f] * scale))
    sources = traffic_sources(figures, days) if short == "visitors" else {}
    fell = min(sources, key=lambda s: sources[s]["value"] - sources[s]["usual"], default=None)
    return Verdict(figures.day, figures.sales, target, short, factors, sources or None,
                   fell if fell and sources[fell]["value"] < sources[fell]["usual"] else None)


def traffic_sources(figures: DayFigures, days: Mapping[date, DayFigures]
                    ) -> dict[str, dict[str, float]]:
    """The day's visitors by source against each source's mean of the 28 days before."""
    out = {}
    for source, figure in SOURCES.items():
        value = getattr(figures, figure)
        recent = [v for v in (getattr(days[d], figure) for d in
                              (figures.day - timedelta(n) for n in range(1, RECENT_DAYS + 1))
                              if d in days) if v is not None]
        if value is not None and recent:
            out[source] = {"value": value, "usual": round(sum(recent) / len(recent), 2)}
    return out
