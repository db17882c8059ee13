"""The digest's chart: each peer's new listings per day over the last weeks, as PNG bytes."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen on a server

import matplotlib.pyplot as plt

from notifier.i18n import t

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]


def new_listings_chart(per_day: dict[str, dict[str, int]], today: date, lang: str = "en",
                       days: int = 28) -> bytes:
    """A line per peer of new listings per day; a real PNG even with no data."""
    plt.rcParams["font.sans-serif"] = CJK_FONTS
    plt.rcParams["axes.unicode_minus"] = False
    axis_days: list[Any] = [today - timedelta(days=days - 1 - i) for i in range(days)]
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    try:
        for peer in sorted(per_day):
            counts = [per_day[peer].get(d.isoformat(), 0) for d in axis_days]
            ax.plot(axis_days, counts, marker="o", markersize=3, label=peer)
        ax.set_title(t(lang, "chart.title"))
        ax.set_ylabel(t(lang, "chart.ylabel"))
        if per_day:
            ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)
        fig.autofmt_xdate()
        fig.tight_layout()  # cheaper than bbox_inches="tight", which renders twice
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)
