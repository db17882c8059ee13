"""The digest chart's margins: its bar labels and legend sit inside the axes, so leaving
them out of the tight layout (cheaper) gives the margins measuring them would."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from notifier.chart import week_figure

TODAY = date(2026, 3, 1)


def _days(*counts: int) -> dict[str, int]:
    return {(TODAY - timedelta(days=i)).isoformat(): n for i, n in enumerate(counts)}


CASES = {
    "ten_peers": {f"Peer {p}": _days(*(50 + p * 7 + i for i in range(7))) for p in range(10)},
    "one_tall_bar": {"Peer A": _days(1234, 0, 0, 7)},
    "tall_bars_at_both_ends": {"P": _days(999, 0, 0, 0, 0, 0, 999)},
    "long_chinese_names": {"同行 B": _days(3), "优衣库旗舰店超长的名字啊啊啊啊啊啊": _days(0, 12)},
    "nothing": {},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("per_day", list(CASES.values()), ids=list(CASES))
def test_margins_are_those_that_measure_every_text(per_day: dict[str, dict[str, int]],
                                                   lang: str) -> None:
    fig = week_figure(per_day, TODAY, lang)
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text()]
    assert all(not t.get_in_layout() for t in labels)  # the cheaper layout is in force
    cheap = fig.subplotpars
    got = (cheap.left, cheap.right, cheap.bottom, cheap.top)
    for artist in [*ax.texts, *([ax.get_legend()] if ax.get_legend() else [])]:
        artist.set_in_layout(True)
    fig.tight_layout()
    full = fig.subplotpars
    assert got == pytest.approx((full.left, full.right, full.bottom, full.top), abs=1e-9)


def test_saving_the_chart_draws_it_once() -> None:
    # tight_layout used to leave a layout engine behind, and savefig then drew the whole
    # figure twice (the first time only to lay it out again).
    fig = week_figure(CASES["ten_peers"], TODAY, "en")
    assert fig.get_layout_engine() is None
    draws: list[object] = []
    fig.canvas.mpl_connect("draw_event", draws.append)
    fig.savefig(io.BytesIO(), format="png")
    assert len(draws) == 1
