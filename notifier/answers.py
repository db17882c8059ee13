"""The bot's answers about our shop and one peer's items: /today, /top PEER, /history WORDS.

Plain data in (from the read model), localised lines out; outsiders' titles cut.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from matplotlib.dates import date2num
from matplotlib.figure import Figure

from notifier import fmt
from notifier.i18n import t

TITLE_MAX = 40
TOP_LINES = 10


def _money(value: Any, lang: str) -> str:
    return fmt.money(value, None, lang)


def today_text(report: dict[str, Any] | None, lang: str) -> str:
    """Yesterday and the month to date against target, what moved, failing page rules."""
    if report is None:
        return t(lang, "answer.today.none")
    if report.get("sales") is None:
        return t(lang, "answer.today.not_yet", day=report["day"], latest=report.get("latest"))
    lines = []
    target = report.get("target")
    if target:
        key = "answer.today.on" if report.get("on_target") else "answer.today.below"
        factor = report.get("factor")
        lines.append(t(lang, key, day=report["day"], sales=_money(report["sales"], lang),
                       target=_money(target, lang),
                       gap=fmt.pct((report["sales"] - target) / target)))
        if factor:
            shown = report.get("factors", {}).get(factor, {})
            lines.append(t(lang, "answer.today.factor", factor=t(lang, f"metric.{factor}"),
                           value=_figure(factor, shown.get("value")),
                           target=_figure(factor, shown.get("target"))))
    else:
        lines.append(t(lang, "answer.today.sales", day=report["day"],
                       sales=_money(report["sales"], lang)))
    if report.get("month_to_date_target"):
        lines.append(t(lang, "answer.today.month", sales=_money(report["month_sales"], lang),
                       due=_money(report["month_to_date_target"], lang),
                       target=_money(report.get("month_target"), lang)))
    for swing in report.get("moved") or []:
        usual = swing.get("usual") or {}
        metric = str(swing.get("metric", ""))
        lines.append(t(lang, f"answer.today.moved.{swing.get('direction', 'down')}",
                       metric=t(lang, f"metric.{metric}"),
                       value=_figure(metric, swing.get("value")),
                       low=_figure(metric, usual.get("low")),
                       high=_figure(metric, usual.get("high"))))
    for page in report.get("pages") or []:
        rule = str(page.get("rule", ""))
        lines.append(t(lang, "answer.today.page", metric=t(lang, f"metric.{rule}"),
                       value=_figure(rule, page.get("value")),
                       threshold=_figure(rule, page.get("threshold"))))
    return "\n".join(lines)


def _figure(metric: str, value: Any) -> str:
    if not isinstance(value, int | float):
        return "?"
    if metric in ("conversion", "bounce"):
        return f"{value:.2%}"
    if metric in ("order_value", "sales"):
        return fmt.number(round(value, 2))
    return fmt.number(round(value, 2))


def top_text(top: dict[str, Any] | None, name: str, lang: str) -> str:
    """A peer's items by recent sales, fastest first."""
    if top is None:
        return t(lang, "answer.top.unknown", name=fmt.cut(name, fmt.NAME_MAX))
    items = top.get("items") or []
    if not items:
        return t(lang, "answer.top.none", peer=top["peer"])
    lines = [t(lang, "answer.top.head", peer=top["peer"])]
    for item in items[:TOP_LINES]:
        lines.append(t(lang, "answer.top.line", rank=item["rank"],
                       title=fmt.cut(item.get("title"), TITLE_MAX),
                       per_day=f"{item.get('per_day') or 0:g}",
                       price=_money(item.get("price"), lang),
                       sales=fmt.cut(item.get("sales_text") or item.get("sales") or "", 20),
                       url=item.get("url") or ""))
    return "\n".join(lines)


def history_text(found: dict[str, Any] | None, words: str, lang: str) -> str:
    """The item that matches best: its prices and stock over time, and the next matches."""
    if found is None:
        return t(lang, "answer.history.none", words=fmt.cut(words, fmt.NAME_MAX))
    item = found["item"]
    series = found.get("series") or []
    prices = [p["price"] for p in series if isinstance(p.get("price"), int | float)]
    lines = [t(lang, "answer.history.head", store=item.get("store"),
               title=fmt.cut(item.get("title"), TITLE_MAX), url=item.get("url") or "")]
    if prices:
        lines.append(t(lang, "answer.history.range", now=_money(prices[-1], lang),
                       low=_money(min(prices), lang), high=_money(max(prices), lang),
                       points=len(series)))
    others = [t(lang, "answer.history.other", store=o.get("store"),
                title=fmt.cut(o.get("title"), TITLE_MAX)) for o in found.get("others") or []]
    if others:
        lines.append(t(lang, "answer.history.others", others=fmt.join(others[:3], lang)))
    return "\n".join(lines)


def history_chart(found: dict[str, Any] | None) -> bytes | None:
    """The item's price as steps over time, out-of-stock spans shaded; None without prices."""
    series = [p for p in (found or {}).get("series") or []
              if isinstance(p.get("price"), int | float)]
    if len(series) < 2:
        return None
    times = [float(date2num(datetime.fromisoformat(p["at"]))) for p in series]
    figure = Figure(figsize=(6, 2.6), dpi=100)
    axes = figure.add_subplot()
    axes.step(times, [p["price"] for p in series], where="post", color="#1f5fa8")
    axes.xaxis_date()
    for start, end, point in zip(times, [*times[1:], times[-1]], series, strict=True):
        if point.get("available") is False:  # sold out until the next reading
            axes.axvspan(start, end, color="#d33", alpha=0.08)
    axes.spines[["top", "right"]].set_visible(False)
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
