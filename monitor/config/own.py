"""[own] and [targets] of config.toml -> OwnSettings, TargetSettings (monitor.config calls it).

Apart from monitor.config so that the one TOML module stays within its size; it gets that
module's reader (which collects the problems) through the small protocol below.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Protocol, TypeVar

from watchers.own.figures import FIGURES
from watchers.settings import OwnSettings, TargetSettings

T = TypeVar("T")


class Reader(Protocol):
    """The part of monitor.config's reader used here."""

    def problem(self, key: str, message: str) -> None: ...

    def table(self, data: Any, key: str) -> dict[str, Any]: ...

    def unknown(self, data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None: ...

    def get(self, data: dict[str, Any], key: str, name: str, kind: type[T], default: T
            ) -> T: ...

    def strings(self, data: dict[str, Any], key: str, name: str) -> tuple[str, ...]: ...


def own_settings(r: Reader, raw: dict[str, Any], base: Path) -> OwnSettings | None:
    """The [own] table, None when absent (the own watch then does not run)."""
    if "own" not in raw:
        return None
    k = "own"
    t = r.table(raw.get("own"), k)
    r.unknown(t, k, ("exports", "hero_order_value", "columns"))
    exports = r.get(t, k, "exports", str, "exports")
    if not exports.strip():
        r.problem(f"{k}.exports", "must name the folder the exports are dropped in")
    hero = r.get(t, k, "hero_order_value", float, 0.0)
    if hero < 0:
        r.problem(f"{k}.hero_order_value", "must be 0 (read from the exports) or more")
    names = r.table(t.get("columns"), f"{k}.columns")
    r.unknown(names, f"{k}.columns", FIGURES)
    columns = {figure: r.strings(names, f"{k}.columns", figure) for figure in FIGURES
               if figure in names}
    return OwnSettings(exports=base / exports, hero_order_value=hero, columns=columns)


def target_settings(r: Reader, raw: dict[str, Any]) -> TargetSettings:
    """The [targets] table; without it no day has a target (no `target_missed`)."""
    k = "targets"
    t = r.table(raw.get("targets"), k)
    r.unknown(t, k, ("year", "months", "weekdays"))
    year = r.get(t, k, "year", float, 0.0)
    if year < 0:
        r.problem(f"{k}.year", "must be 0 (no target) or more")
    months = _numbers(r, t, k, "months", 12)
    if months and not math.isclose(sum(months), 1.0, abs_tol=0.005):
        r.problem(f"{k}.months", f"the 12 shares add up to {sum(months):g}, not 1")
    weekdays = _numbers(r, t, k, "weekdays", 7)
    if weekdays and not sum(weekdays) > 0:
        r.problem(f"{k}.weekdays", "at least one weight must be above 0")
    return TargetSettings(year=year, months=months, weekdays=weekdays)


def _numbers(r: Reader, t: dict[str, Any], k: str, name: str, count: int
             ) -> tuple[float, ...]:
    value = t.get(name, [])
    ok = isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in value)
    if not ok or (value and len(value) != count):
        r.problem(f"{k}.{name}", f"must be empty or {count} numbers of 0 or more")
        return ()
    return tuple(float(v) for v in value)
