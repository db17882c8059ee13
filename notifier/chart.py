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
        for label in ax.bar_label(bars, labels=[str(v) if v else "" for v in values],
                                  fontsize=7):
            # Inside the axes (the top leaves room above the tallest bar): the margins
            # need not measure them. Measuring 49 labels was ~40 % of a digest's chart.
            label.set_in_layout(False)
    ax.set_xticks(range(days), [fmt.day(d, lang) for d in axis_days])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # no ticks at half an item
    ax.set_ylim(bottom=0, top=max([1, *(max(v) for v in series.values())]) * 1.2)
    ax.set_title(t(lang, "chart.title"))
    ax.set_ylabel(t(lang, "chart.ylabel"))
    if series:
        ax.legend(loc="upper left", fontsize=8).set_in_layout(False)  # inside the axes too
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    # tight_layout leaves a placeholder layout engine behind, for which savefig draws the
    # whole figure once more before drawing it (~a third of the chart's time): the margins
    # are set, so no engine is needed.
    fig.set_layout_engine(None)
    return fig


def season_counts(per_peer: dict[str, dict[str, int]], season: str) -> dict[str, int]:
    """Each peer's launches of `season` (peers without any left out)."""
    return {p: c.get(season, 0) for p, c in per_peer.items() if c.get(season)}


def season_caption(per_peer: dict[str, dict[str, int]], season: str, season_label: str,
                   lang: str) -> str:
    """The season chart's point: who launched the season and how many items."""
    counts = season_counts(per_peer, season)
    if not counts:
        return t(lang, "chart.season_none", season=season_label)
    names = fmt.join((f"{fmt.cut(p, fmt.NAME_MAX)} {n}" for p, n in
                      sorted(counts.items(), key=lambda i: (-i[1], i[0]))), lang)
    return t(lang, "chart.season_caption", season=season_label, peers=names,
             total=sum(counts.values()))


def season_chart(per_peer: dict[str, dict[str, int]], labels: dict[str, str],
                 lang: str = "en") -> bytes:
    """New launches per peer, a bar per season side by side, each labelled; PNG bytes.

    `labels` names each season in the chat's language (spring → 春季), in display order.
    """
    peers = sorted(per_peer, key=lambda p: (-sum(per_peer[p].values()), p))[:PEERS_MAX]
    seasons = [s for s in labels if any(per_peer[p].get(s) for p in peers)]
    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(seasons))
    for i, season in enumerate(seasons):
        values = [per_peer[p].get(season, 0) for p in peers]
        xs = [x + (i - (len(seasons) - 1) / 2) * width for x in range(len(peers))]
        bars = ax.bar(xs, values, width, label=labels[season])
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], fontsize=7)
    ax.set_xticks(range(len(peers)), [fmt.cut(p, 16) for p in peers])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max([1, *(per_peer[p].get(s, 0) for p in peers for s in seasons)])
    ax.set_ylim(bottom=0, top=top * 1.2)
    ax.set_title(t(lang, "chart.season_title"))
    ax.set_ylabel(t(lang, "chart.ylabel"))
    if seasons:
        ax.legend(loc="upper right", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.set_layout_engine(None)  # one draw in savefig, not two (see week_figure)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
