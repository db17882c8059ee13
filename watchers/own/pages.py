"""Page health, looked at weekly: the trade's rules of thumb for our pages.

Bounce under 70 % (good: under 60 %), pages per visit at least 2.5 (good: over 3.5), and
the whole store's order value at least 1.3x the hero product's: below these, the pages
need fixing before more traffic is bought.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from watchers.own.figures import DayFigures

# rule -> (threshold, good, failing when the value is above the threshold)
RULES: dict[str, tuple[float, float, bool]] = {
    "bounce": (0.70, 0.60, True),
    "depth": (2.5, 3.5, False),
    "order_value_ratio": (1.3, 1.3, False),
}


@dataclass(frozen=True)
class WeekHealth:
    """One rule over one week (Monday to Sunday)."""

    week: str
    rule: str
    value: float

    @property
    def failing(self) -> bool:
        threshold, _, above = RULES[self.rule]
        return self.value >= threshold if above else self.value < threshold

    def to_dict(self, state: str) -> dict[str, object]:
        """The `page_health` details (CONTRACT.md)."""
        threshold, good, _ = RULES[self.rule]
        return {"week": self.week, "rule": self.rule, "value": round(self.value, 4),
                "threshold": threshold, "good": good, "state": state}


def week_of(day: date) -> str:
    """The ISO week `YYYY-Www` of a day."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(sunday: date) -> list[date]:
    """Monday to Sunday of the week that `sunday` ends."""
    return [sunday - timedelta(days=n) for n in range(6, -1, -1)]


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    weight = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / weight if weight else None


def week_health(sunday: date, days: Mapping[date, DayFigures],
                hero_order_value: float = 0.0) -> list[WeekHealth]:
    """Each rule the week's figures allow judging; bounce and depth weighted by visitors."""
    week = [days[d] for d in week_days(sunday) if d in days]
    name = week_of(sunday)
    out = []
    bounce = _weighted([(b, f.visitors) for f in week
                        if (b := f.get("bounce")) is not None and f.visitors])
    if bounce is not None:
        out.append(WeekHealth(name, "bounce", bounce))
    depth = _weighted([(p, f.visitors) for f in week
                       if (p := f.get("pages_per_visit")) is not None and f.visitors])
    if depth is not None:
        out.append(WeekHealth(name, "depth", depth))
    spent = [(f.sales, f.sales / value) for f in week if (value := f.get("order_value"))]
    orders = sum(n for _, n in spent)
    store_value = sum(s for s, _ in spent) / orders if orders else None
    hero = hero_order_value or _weighted([(h, f.buyers or 1.0) for f in week
                                          if (h := f.hero_order_value)])
    if store_value is not None and hero:
        out.append(WeekHealth(name, "order_value_ratio", store_value / hero))
    return out
