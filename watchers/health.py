"""A source's read health: failing after a few bad reads in a row, recovered once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from watchers.model import Event

FAILS_BEFORE_ALERT = 3


@dataclass(frozen=True)
class SourceHealth:
    """What is remembered of a source between checks."""

    source: str
    state: str = "new"  # new | ok | failing
    fails: int = 0
    last_ok: str | None = None
    last_error: str | None = None
    failing_reported: bool = False
    baseline_done: bool = False
    needs_person: bool = False
    muted_until: str | None = None


def after_read(
    health: SourceHealth,
    *,
    store: str | None,
    ok: bool,
    error: str | None,
    now: datetime,
    needs_person: bool = False,
    screenshot: str | None = None,
) -> tuple[SourceHealth, list[Event]]:
    """The new health after one read and the events it causes.

    `source_failing` is reported once per outage on the third failed read in a row, or at
    once when a person is needed (a login or slider check will not clear by itself);
    `source_recovered` once when a reported outage ends.
    """
    stamp = now.isoformat()
    if ok:
        events = []
        if health.failing_reported:
            events.append(Event(
                kind="source_recovered", key=f"source_recovered:{health.source}:{stamp}",
                summary=f"{store or health.source} reads again",
                store=store, details={"error": None, "after_fails": health.fails},
            ))
        return replace(health, state="ok", fails=0, last_ok=stamp, last_error=None,
                       failing_reported=False, needs_person=False), events
    fails = health.fails + 1
    new = replace(health, state="failing", fails=fails, last_error=error,
                  needs_person=needs_person)
    if health.failing_reported or (fails < FAILS_BEFORE_ALERT and not needs_person):
        return new, []
    details: dict[str, object] = {"error": error, "fails": fails, "needs_person": needs_person}
    if screenshot:
        details["screenshot"] = screenshot
    summary = (f"{store or health.source} needs a person: {error}" if needs_person
               else f"{store or health.source} fails to read ({fails} checks in a row): {error}")
    event = Event(kind="source_failing", key=f"source_failing:{health.source}:{stamp}",
                  summary=summary, store=store, details=details)
    return replace(new, failing_reported=True), [event]
