"""/today, /top and /history answers: localised lines from plain data, outsiders' text cut."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from monitor.config import load
from monitor.store.database import Store
from monitor.store.queries import StoreReadModel
from notifier.answers import history_chart, history_text, today_text, top_text

REPORT = {
    "day": "2026-12-02", "latest": "2026-12-02", "sales": 3300.0, "target": 4950.0,
    "on_target": False, "factor": "conversion",
    "factors": {"conversion": {"value": 0.031, "target": 0.0494}},
    "month_sales": 6600.0, "month_to_date_target": 9900.0, "month_target": 150000.0,
    "moved": [{"metric": "visitors", "value": 500, "usual": {"low": 720, "high": 1280},
               "direction": "down"}],
    "pages": [{"rule": "bounce", "value": 0.74, "threshold": 0.7}],
}
TOP = {"peer": "A家旗舰店", "items": [
    {"rank": 1, "title": "连衣裙" * 30, "url": "https://a.example/1", "price": 113.0,
     "sales": 2000, "sales_text": "月销 2000", "per_day": 66.67, "figure": "monthly"}]}
FOUND = {"item": {"store": "A家旗舰店", "title": "羊毛大衣", "url": "https://a.example/7"},
         "series": [{"at": "2026-11-01T09:00:00+08:00", "price": 899.0, "available": True},
                    {"at": "2026-11-20T09:00:00+08:00", "price": 699.0, "available": False},
                    {"at": "2026-12-01T09:00:00+08:00", "price": 799.0, "available": True}],
         "others": [{"store": "B家", "title": "羊毛大衣女"}]}
LATIN = re.compile(r"[A-Za-z]{3,}")


def test_today_names_the_day_the_gap_and_the_factor_that_fell_short() -> None:
    text = today_text(REPORT, "en")
    assert "below target" in text and "33%" in text and "conversion" in text
    assert "3.10%" in text and "visitors fell to 500" in text and "bounce" in text


@pytest.mark.parametrize("answer", [
    today_text(REPORT, "zh"), today_text(None, "zh"), top_text(TOP, "A家旗舰店", "zh"),
    top_text(None, "C家", "zh"), history_text(FOUND, "大衣", "zh"), history_text(None, "x", "zh"),
], ids=["today", "no_export", "top", "unknown_peer", "history", "no_match"])
def test_chinese_answers_hold_no_english_words(answer: str) -> None:
    words = set(LATIN.findall(re.sub(r"https?://\S+|/\w+|\[own\]", "", answer)))
    assert not words, words


def test_top_cuts_an_outsiders_long_title() -> None:
    line = top_text(TOP, "A家旗舰店", "en").splitlines()[1]
    assert "…" in line and len(line) < 120 and "66.67/day" in line


def test_history_gives_range_and_a_chart_with_a_sold_out_span() -> None:
    text = history_text(FOUND, "大衣", "en")
    assert "lowest" in text and "699" in text and "899" in text and "羊毛大衣女" in text
    png = history_chart(FOUND)
    assert png is not None and png.startswith(b"\x89PNG")
    assert history_chart({"series": FOUND["series"][:1]}) is None


def test_the_read_model_answers_before_any_export_or_sales(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[monitor]\ndatabase = "m.db"\n[[peers]]\nname = "A"\n'
                      'url = "https://a.example"\nplatform = "shopify"\n', encoding="utf-8")
    settings = load(config)
    store = Store(settings.monitor.database)
    try:
        model = StoreReadModel(settings, store, datetime.now)
        assert model.today() is None
        assert model.top("nobody") is None
        assert model.top("a") == {"peer": "A", "items": []}
        assert model.history("coat") is None
    finally:
        store.close()
