"""Our own shop's events (target_missed, metric_swing, page_health) as localised lines.

The figures come from the shop's 生意参谋 exports; the names are the operators' words
(访客数, 转化率, 客单价, 跳失率 ...), the amounts in the shop's currency.
"""

from __future__ import annotations

from typing import Any

from notifier import fmt
from notifier.i18n import has, t
from watchers.model import StoredEvent

OWN_KINDS = ("target_missed", "metric_swing", "page_health")
RATES = frozenset({"conversion", "bounce"})
AMOUNTS = frozenset({"sales", "order_value"})
RATIOS = frozenset({"depth", "order_value_ratio", "pages_per_visit"})


def metric_name(metric: Any, lang: str) -> str:
    """visitors → 访客数 (an unknown metric as written)."""
    key = f"metric.{metric}"
    return t(lang, key) if has(lang, key) else fmt.cut(metric, fmt.NAME_MAX)


def figure(metric: Any, value: Any, lang: str, currency: str | None = None) -> str:
    """A figure as the operator reads it: 2.35%, ¥12,300, 3.10, 1,204."""
    if not isinstance(value, int | float):
        return "?"
    if metric in RATES:
        return f"{value:.2%}"
    if metric in AMOUNTS:
        return fmt.money(value, currency, lang)
    if metric in RATIOS:
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def own_lines(event: StoredEvent, lang: str) -> list[str]:
    """The event's lines; the first says what happened, the next ones why."""
    d = event.details
    cur = d.get("currency")
    day = fmt.day(fmt.parse_day(d.get("day")), lang)
    if event.kind == "target_missed":
        gap = d.get("gap")
        lines = [t(lang, "own.target_missed", day=day, sales=figure("sales", d.get("sales"), lang,
                                                                   cur),
                   target=figure("sales", d.get("target"), lang, cur),
                   gap=fmt.pct(gap) if isinstance(gap, int | float) else "?")]
        factor = d.get("factor")
        factors = _dict(d.get("factors"))
        found = factors.get(factor) if isinstance(factor, str) else None
        if isinstance(found, dict):
            lines.append(t(lang, "own.factor", factor=metric_name(factor, lang),
                           value=figure(factor, found.get("value"), lang, cur),
                           target=figure(factor, found.get("target"), lang, cur)))
        source = d.get("source")
        sources = _dict(d.get("sources"))
        traffic = sources.get(source) if isinstance(source, str) else None
        if isinstance(traffic, dict):
            lines.append(t(lang, "own.source", source=metric_name(f"traffic_{source}", lang),
                           value=figure("visitors", traffic.get("value"), lang),
                           usual=figure("visitors", traffic.get("usual"), lang)))
        return lines
    if event.kind == "metric_swing":
        metric = d.get("metric")
        usual = _dict(d.get("usual"))
        key = "own.swing_up" if d.get("direction") == "up" else "own.swing_down"
        return [t(lang, key, day=day, metric=metric_name(metric, lang),
                  value=figure(metric, d.get("value"), lang, cur),
                  low=figure(metric, usual.get("low"), lang, cur),
                  high=figure(metric, usual.get("high"), lang, cur))]
    rule = d.get("rule")
    state = "failing" if d.get("state") == "failing" else "recovered"
    bound = "own.rule_under" if rule == "bounce" else "own.rule_at_least"
    return [t(lang, f"own.page_{state}", week=fmt.cut(d.get("week"), 10),
              metric=metric_name(rule, lang), value=figure(rule, d.get("value"), lang, cur),
              rule=t(lang, bound, threshold=figure(rule, d.get("threshold"), lang, cur)))]
