"""Sudden swings: a daily figure outside the band of the same weekday over four weeks.

Median and MAD, not mean and standard deviation: one big sale day among the four weeks
moves neither, so it does not make every later day look low (or its own weekday high).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from watchers.own.figures import DayFigures

METRICS = ("visitors", "conversion", "order_value", "repeat_buyers")
WEEKS = 4
MIN_WEEKS = 3  # fewer same weekdays than this: no usual band yet
# The modified z-score rule (Iglewicz & Hoaglin): beyond 3.5 robust deviations is an outlier.
Z = 3.5
MAD_TO_SD = 1.4826  # the MAD of normal data times this is its standard deviation
# Four same weekdays can agree closely by chance: the band is never narrower than ±8 % of
# the median per deviation (±28 % in all), the day-to-day noise of a small shop's figures.
MIN_SPREAD = 0.08


@dataclass(frozen=True)
class Swing:
    """One figure of one day outside its usual band."""

    day: date
    metric: str
    value: float
    low: float
    high: float

    @property
    def direction(self) -> str:
        return "up" if self.value > self.high else "down"

    def to_dict(self) -> dict[str, object]:
        """The `metric_swing` details (CONTRACT.md)."""
        return {"day": self.day.isoformat(), "metric": self.metric,
                "value": round(self.value, 4),
                "usual": {"low": round(self.low, 4), "high": round(self.high, 4)},
                "direction": self.direction}


def usual_band(values: list[float]) -> tuple[float, float] | None:
    """(low, high) of the usual values, or None with too few of them."""
    if len(values) < MIN_WEEKS:
        return None
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    spread = max(MAD_TO_SD * mad, MIN_SPREAD * abs(median))
    return max(0.0, median - Z * spread), median + Z * spread


def swings(day: date, days: Mapping[date, DayFigures]) -> list[Swing]:
    """The figures of `day` outside their band over the same weekday of the last 4 weeks."""
    figures = days.get(day)
    if figures is None:
        return []
    out = []
    for metric in METRICS:
        value = figures.get(metric)
        if value is None:
            continue
        history = [v for v in (days[d].get(metric) for d in
                               (day - timedelta(weeks=n) for n in range(1, WEEKS + 1))
                               if d in days) if v is not None]
        band = usual_band(history)
        if band and not band[0] <= value <= band[1]:
            out.append(Swing(day, metric, value, *band))
    return out
