"""`monitor check --only own` over a folder of our shop's exports, end to end."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from monitor.cli import main
from tests.watchers.own.shop import change, days, jd_csv, sycm_csv, sycm_xls, sycm_xlsx, write

# 1,825,000 a year, shared by days: 5,000 a day (2026 has 365 days).
CONFIG = """
[monitor]
database = "m.db"
timezone = "Asia/Shanghai"

[own]
exports = "exports"

[targets]
year = 1825000
"""
MONDAY = date(2026, 11, 23)
TUESDAY_MORNING = "2026-11-24T09:00:00+08:00"
HISTORY = days(date(2026, 10, 19), 35)  # Mon 19 Oct .. Sun 22 Nov, every day on target


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("MONITOR_NOW", TUESDAY_MORNING)
    monkeypatch.delenv("MONITOR_TELEGRAM_TOKEN", raising=False)
    return tmp_path


def check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = main(["check", "--config", str(folder / "config.toml"), "--only", "own", "--json"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def test_a_day_below_target_because_conversion_fell_is_one_target_missed(
        shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(shop / "exports", "店铺整体_10月-11月.csv", sycm_csv(HISTORY), mtime=1_000)
    assert check(shop, capsys) == (0, [])  # the first read is a silent baseline
    write(shop / "exports", "店铺整体_1123.xlsx",
          sycm_xlsx(days(MONDAY, 1, conversion=0.04)), mtime=2_000)

    code, events = check(shop, capsys)

    assert code == 0
    assert [e["kind"] for e in events] == ["target_missed"]
    missed = events[0]
    assert missed["store"] == "own" and missed["product"] is None
    d = missed["details"]
    assert d["day"] == "2026-11-23" and d["factor"] == "conversion"
    assert d["sales"] == 4000 and d["target"] == pytest.approx(5000)
    assert d["factors"]["conversion"]["value"] == pytest.approx(0.04)
    assert d["factors"]["visitors"]["value"] == pytest.approx(1000)
    assert check(shop, capsys) == (0, [])  # run twice: nothing new


def test_a_file_added_later_is_read_once(shop: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    later = write(shop / "exports", "jd_1123.csv", jd_csv(days(MONDAY, 1, visitors=600)),
                  mtime=2_000)
    code, events = check(shop, capsys)
    assert code == 0
    assert [(e["kind"], e["details"].get("metric") or e["details"].get("factor"))
            for e in events] == [("target_missed", "visitors"), ("metric_swing", "visitors")]
    # The same bytes, size and time: the file is not read again, so even a file that now
    # holds garbage of the same size and time reports nothing.
    size = later.stat().st_size
    write(shop / "exports", "jd_1123.csv", b"x" * size, mtime=2_000)
    assert check(shop, capsys) == (0, [])
    monkeypatch.setenv("MONITOR_NOW", "2026-11-25T09:00:00+08:00")
    assert check(shop, capsys) == (0, [])


@pytest.mark.parametrize("broken", [
    pytest.param(lambda: sycm_csv(days(MONDAY, 1, conversion=0.03))[:-40], id="half-written-csv"),
    pytest.param(lambda: sycm_xlsx(days(MONDAY, 1, conversion=0.03))[:3000], id="cut-xlsx"),
    # calamine panics on this one: read in the monitor's own process it ended the check
    pytest.param(lambda: sycm_xls(days(MONDAY, 1, conversion=0.03))[:4101], id="cut-xls"),
])
def test_a_corrupt_file_changes_nothing_and_is_reported_once(
        shop: Path, capsys: pytest.CaptureFixture[str], broken: object) -> None:
    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    assert callable(broken)
    write(shop / "exports", "店铺整体_1123.csv", broken(), mtime=2_000)

    code, events = check(shop, capsys)

    assert code == 1
    assert [e["kind"] for e in events] == ["source_failing"]  # no figure of it was taken
    d = events[0]["details"]
    assert d["file"] == "店铺整体_1123.csv"
    assert "column" in d
    assert check(shop, capsys) == (1, [])  # reported once, failing until replaced
    write(shop / "exports", "店铺整体_1123.csv", sycm_csv(days(MONDAY, 1, conversion=0.04)),
          mtime=3_000)
    code, events = check(shop, capsys)
    assert code == 0
    assert sorted(e["kind"] for e in events) == ["source_recovered", "target_missed"]


def test_a_cut_row_names_its_column(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    text = sycm_csv(days(MONDAY, 2)).decode("gbk").splitlines()
    cut = "\r\n".join([*text[:5], text[5][:10]])  # the second day stops after its date
    write(shop / "exports", "cut.csv", cut.encode("gbk"), mtime=2_000)
    code, events = check(shop, capsys)
    assert code == 1
    assert events[0]["details"]["column"] == "访客数"


def test_a_week_with_bounce_74_percent_is_one_page_health(
        shop: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_NOW", "2026-11-23T09:00:00+08:00")
    write(shop / "exports", "history.csv", sycm_csv(HISTORY[:-7]), mtime=1_000)
    check(shop, capsys)
    write(shop / "exports", "week.csv", sycm_csv(days(date(2026, 11, 16), 7, bounce=0.74)),
          mtime=2_000)

    code, events = check(shop, capsys)

    assert code == 0
    assert [e["kind"] for e in events] == ["page_health"]
    assert events[0]["details"] == {"week": "2026-W47", "rule": "bounce", "value": 0.74,
                                    "threshold": 0.7, "good": 0.6, "state": "failing"}
    assert check(shop, capsys) == (0, [])


def test_the_same_day_in_two_files_counts_once_the_later_file_wins(
        shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    write(shop / "exports", "newer.csv", sycm_csv(days(MONDAY, 1)), mtime=3_000)
    write(shop / "exports", "older.csv", sycm_csv(days(MONDAY, 1, conversion=0.03)),
          mtime=2_000)
    assert check(shop, capsys) == (0, [])


def test_old_days_arriving_late_only_fill_the_history(
        shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(shop / "exports", "recent.csv", sycm_csv(HISTORY[-3:]), mtime=1_000)
    check(shop, capsys)
    late = change(HISTORY[:-3], date(2026, 11, 2), conversion=0.01)
    write(shop / "exports", "late.csv", sycm_csv(late), mtime=2_000)
    assert check(shop, capsys) == (0, [])


def test_own_alone_is_enough_to_watch_and_its_settings_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG + "months = [0.5, 0.5]\nweekdays = [1, 1, 1, 1, 1, 2, 2]\n",
                      encoding="utf-8")
    assert main(["config", "--config", str(config)]) == 2
    config.write_text(CONFIG + "weekdays = [1, 1, 1, 1, 1, 2, 2]\n", encoding="utf-8")
    assert main(["config", "--config", str(config)]) == 0


@pytest.mark.parametrize("today", [date(2026, 11, 23) + timedelta(days=n) for n in range(7)],
                         ids=lambda d: d.strftime("%a"))
def test_the_demo_shop_misses_yesterday_and_fails_a_page_rule_on_any_weekday(
        today: date, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor.demo.shop import CONFIG as SHOP
    from monitor.demo.shop import write_exports

    (tmp_path / "config.toml").write_text('[monitor]\ndatabase = "m.db"\n' + SHOP)
    monkeypatch.setenv("MONITOR_NOW", f"{today - timedelta(days=7)}T09:00:00+08:00")
    write_exports(tmp_path / "exports", today, latest=False, mtime=1_000)
    assert check(tmp_path, capsys) == (0, [])
    monkeypatch.setenv("MONITOR_NOW", f"{today}T09:00:00+08:00")
    write_exports(tmp_path / "exports", today, latest=True, mtime=2_000)
    code, events = check(tmp_path, capsys)
    assert code == 0
    kinds = [e["kind"] for e in events]
    assert kinds.count("target_missed") == 1 and kinds.count("page_health") == 1
    missed = next(e for e in events if e["kind"] == "target_missed")
    assert missed["details"]["factor"] == "conversion"


def test_a_refused_file_is_named_on_stderr_at_every_check_until_removed(
        shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    write(shop / "exports", "broken.xlsx", b"PK\x03\x04 half a workbook", mtime=2_000)
    for _ in range(2):
        code = main(["check", "--config", str(shop / "config.toml"), "--only", "own"])
        assert code == 1
        assert "broken.xlsx" in capsys.readouterr().err
    (shop / "exports" / "broken.xlsx").unlink()
    assert check(shop, capsys) == (0, [])


def test_a_missing_exports_folder_fails_on_the_third_check(
        shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = [check(shop, capsys) for _ in range(3)]
    assert [code for code, _ in results] == [1, 1, 1]
    assert [[e["kind"] for e in events] for _, events in results] == [[], [], ["source_failing"]]
    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    code, events = check(shop, capsys)
    assert code == 0 and [e["kind"] for e in events] == ["source_recovered"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_our_shops_events_render_for_the_chats(shop: Path, capsys: pytest.CaptureFixture[str],
                                               lang: str) -> None:
    from notifier.render import batch_html, event_html
    from watchers.model import StoredEvent

    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    write(shop / "exports", "1123.csv", sycm_csv(days(MONDAY, 1, visitors=500)), mtime=2_000)
    _, events = check(shop, capsys)
    stored = [StoredEvent(id=e["id"], kind=e["kind"], at=e["at"], store=e["store"],
                          product=e["product"], summary=e["summary"], details=e["details"],
                          urgent=False) for e in events]
    assert {e.kind for e in stored} == {"target_missed", "metric_swing"}
    for event in stored:
        assert event_html(event, lang)
    assert sum(m.count("• ") for m in batch_html(stored, lang)) == len(stored)


def test_todays_row_of_a_morning_export_is_not_judged_as_a_whole_day(
        shop: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(shop / "exports", "history.csv", sycm_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    # At 09:00 on Tuesday the export holds Monday and Tuesday's first hours.
    morning = [*days(MONDAY, 1), *days(date(2026, 11, 24), 1, visitors=90)]
    write(shop / "exports", "1124-morning.csv", sycm_csv(morning), mtime=2_000)
    assert check(shop, capsys) == (0, [])
    monkeypatch.setenv("MONITOR_NOW", "2026-11-25T00:30:00+08:00")
    assert check(shop, capsys) == (0, [])


def test_a_miss_for_want_of_visitors_names_the_traffic_source_that_fell(
        shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.watchers.own.shop import sycm_sources_csv

    write(shop / "exports", "history.csv", sycm_sources_csv(HISTORY), mtime=1_000)
    check(shop, capsys)
    # 直通车 stopped: paid visitors fall from 300 to 100, search and campaigns as usual.
    write(shop / "exports", "1123.csv",
          sycm_sources_csv(days(MONDAY, 1, visitors=800), paid={MONDAY: 100}), mtime=2_000)
    code, events = check(shop, capsys)
    assert code == 0
    missed = next(e for e in events if e["kind"] == "target_missed")
    assert missed["details"]["factor"] == "visitors"
    assert missed["details"]["source"] == "paid"
    assert missed["details"]["sources"]["paid"] == {"value": 100, "usual": 300}
    assert missed["details"]["sources"]["search"]["value"] == 620


def test_history_dropped_into_an_empty_folder_is_the_silent_baseline(
        shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop / "exports").mkdir()
    assert check(shop, capsys) == (0, [])
    rows = change(HISTORY, date(2026, 11, 22), conversion=0.02, bounce=0.8)
    write(shop / "exports", "history.csv", sycm_csv(rows), mtime=1_000)
    assert check(shop, capsys) == (0, [])
    write(shop / "exports", "1123.csv", sycm_csv(days(MONDAY, 1, conversion=0.04)), mtime=2_000)
    assert [e["kind"] for e in check(shop, capsys)[1]] == ["target_missed"]
