"""The digest's chart: each peer's new listings per day over the last weeks, as PNG bytes."""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")  # no screen on a server

from matplotlib.figure import Figure

from notifier.i18n import t

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]
matplotlib.rcParams["font.sans-serif"] = CJK_FONTS
matplotlib.rcParams["axes.unicode_minus"] = False


def new_listings_chart(per_day: dict[str, dict[str, int]], today: date, lang: str = "en",
                       days: int = 28) -> bytes:
    """A line per peer of new listings per day; a real PNG even with no data."""
    axis_days = [today - timedelta(days=days - 1 - i) for i in range(days)]
    # A Figure without pyplot (no global state across digests) and plain day numbers on the
    # x axis with a label a week: date axes cost more than the rest of the chart.
    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.add_subplot()
    x = list(range(days))
    for peer in sorted(per_day):
        ax.plot(x, [per_day[peer].get(d.isoformat(), 0) for d in axis_days], marker="o",
                markersize=3, label=peer)
    ticks = x[::-7][::-1]
    ax.set_xticks(ticks, [axis_days[i].strftime("%m-%d") for i in ticks])
    ax.set_title(t(lang, "chart.title"))
    ax.set_ylabel(t(lang, "chart.ylabel"))
    if per_day:
        ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
