"""The digest's chart: each peer's new items per day over the last week, as bars, as PNG bytes.

Bars side by side (no line hides another), whole numbers on the axis, each bar labelled
with its count, and a caption that says the point ("B launched the most this week").
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")  # no screen on a server

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from notifier import fmt
from notifier.i18n import t

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]
matplotlib.rcParams["font.sans-serif"] = CJK_FONTS
matplotlib.rcParams["axes.unicode_minus"] = False
DAYS = 7
PEERS_MAX = 6  # more bars per day than this cannot be read on a phone: the rest is summed


def week_totals(per_day: dict[str, dict[str, int]], today: date,
                days: int = DAYS) -> dict[str, int]:
    """New items per peer over the last `days` days."""
    wanted = {(today - timedelta(days=i)).isoformat() for i in range(days)}
    return {peer: sum(n for d, n in counts.items() if d in wanted)
            for peer, counts in per_day.items()}


def chart_caption(per_day: dict[str, dict[str, int]], today: date, lang: str) -> str:
    """The chart's point in a sentence: who launched the most this week."""
    totals = week_totals(per_day, today)
    title = t(lang, "chart.title")
    if not any(totals.values()):
        return t(lang, "chart.caption_none", title=title)
    leader = max(sorted(totals), key=lambda p: totals[p])
    return t(lang, "chart.caption", title=title, leader=fmt.cut(leader, fmt.NAME_MAX),
             count=totals[leader], total=sum(totals.values()))


def new_listings_chart(per_day: dict[str, dict[str, int]], today: date, lang: str = "en",
                       days: int = DAYS) -> bytes:
    """Bars per peer per day with their counts, as PNG; a real PNG even with no data."""
    out = io.BytesIO()
    week_figure(per_day, today, lang, days).savefig(out, format="png")
    return out.getvalue()


def week_figure(per_day: dict[str, dict[str, int]], today: date, lang: str = "en",
                days: int = DAYS) -> Figure:
    """The chart's figure: a group of bars a day, a bar a peer, each labelled with its count."""
    axis_days = [today - timedelta(days=days - 1 - i) for i in range(days)]
    totals = week_totals(per_day, today, days)
    peers = sorted((p for p in totals if totals[p]), key=lambda p: (-totals[p], p))
    shown, rest = peers[:PEERS_MAX], peers[PEERS_MAX:]
    series = {p: [per_day[p].get(d.isoformat(), 0) for d in axis_days] for p in shown}
    if rest:
        series[t(lang, "chart.others")] = [sum(per_day[p].get(d.isoformat(), 0) for p in rest)
                                           for d in axis_days]
    # A Figure without pyplot: no global state shared between digests.
    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(series))
    for i, (peer, values) in enumerate(series.items()):
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(days)]
        bars = ax.bar(xs, values, width, label=fmt.cut(peer, 20))
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], fontsize=7)
    ax.set_xticks(range(days), [fmt.day(d, lang) for d in axis_days])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # no ticks at half an item
    ax.set_ylim(bottom=0, top=max([1, *(max(v) for v in series.values())]) * 1.2)
    ax.set_title(t(lang, "chart.title"))
    ax.set_ylabel(t(lang, "chart.ylabel"))
    if series:
        ax.legend(loc="upper left", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig
