"""`monitor demo` tells the whole story: every watch alerts, and the season is the next one."""

from __future__ import annotations

import pytest

from monitor.cli import main

KINDS = ("new_listing", "price_drop", "copy_listing", "negative_review", "season_hint")


def _demo(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["demo", *args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("now", [None, "2026-12-02T09:30:00+08:00"], ids=["today", "dec_2"])
def test_demo_shows_every_watch_and_advises_on_spring_in_december(
        now: str | None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    if now:
        monkeypatch.setenv("MONITOR_NOW", now)
    else:
        monkeypatch.delenv("MONITOR_NOW", raising=False)
    code, out = _demo(capsys)
    assert code == 0
    lines = out.splitlines()
    for kind in KINDS:
        assert any(f" {kind} " in line for line in lines), kind
    hints = [line for line in lines if " season_hint " in line]
    if now:  # a December morning: winter has begun, the question is spring
        assert all("spring" in h and "winter" not in h for h in hints)
    # the copy's evidence picture is written where the operator can open it
    evidence = [line.rsplit(": ", 1)[1] for line in lines if line.startswith("Evidence")]
    assert evidence and all(path.endswith(".png") for path in evidence)


def test_demo_in_chinese_runs_the_same_story(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MONITOR_NOW", "2026-12-02T09:30:00+08:00")
    code, out = _demo(capsys, "--language", "zh")
    assert code == 0
    for kind in KINDS:
        assert f" {kind} " in out, kind
