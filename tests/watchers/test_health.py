"""Source health: failing once per outage on the third bad read, recovered once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watchers.health import SourceHealth, after_read

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def run(outcomes: list[bool], needs_person: bool = False) -> list[str]:
    health = SourceHealth("peer:A", state="ok")
    kinds = []
    for i, ok in enumerate(outcomes):
        health, events = after_read(health, store="A", ok=ok, error=None if ok else "HTTP 503",
                                    now=T0 + timedelta(hours=i), needs_person=needs_person)
        kinds += [f"{i}:{e.kind}" for e in events]
    return kinds


def test_failing_is_reported_on_the_third_failure_in_a_row_once() -> None:
    assert run([False] * 6) == ["2:source_failing"]


def test_two_failures_then_success_report_nothing() -> None:
    assert run([False, False, True, False, False, True]) == []


def test_recovery_is_reported_once_after_a_reported_outage() -> None:
    assert run([False, False, False, True, True]) == ["2:source_failing", "3:source_recovered"]


def test_a_login_wall_needs_a_person_at_once() -> None:
    _, events = after_read(SourceHealth("peer:A"), store="A", ok=False, error="login page",
                           now=T0, needs_person=True, screenshot="/tmp/s.png")
    assert [e.kind for e in events] == ["source_failing"]
    assert events[0].details["needs_person"] is True
    assert events[0].details["screenshot"] == "/tmp/s.png"
