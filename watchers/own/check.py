"""The own watch: read our shop's new exports, judge each new day and week once, record.

The first read of the folder that finds a day is a silent baseline, like any source's
first read (an operator who sets the watch up and then drops months of history is not told
about each of its last days). After it, a day is judged the first time its row is read if
it is one of the last 7 days; an older day that arrives late only fills the history. A
file that cannot be read changes no figure and is one `source_failing` naming the file and
the column, failing until replaced or removed.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from watchers.health import after_read
from watchers.model import Event, StoredEvent
from watchers.own.exports import ExportError
from watchers.own.figures import DayFigures
from watchers.own.folder import list_exports, read_files
from watchers.own.judge import STORE, day_events, week_events
from watchers.own.pages import week_of
from watchers.settings import WatchSettings
from watchers.watch import CheckResult, Job, Watch, WatchContext, WatchStore

SOURCE = "own:exports"
RECENT = timedelta(days=7)  # a day (or a week's Sunday) older than this only fills history


def file_source(name: str) -> str:
    """The source id of one export file (its read health)."""
    return f"own:file:{name}"


def load_days(store: WatchStore) -> dict[date, DayFigures]:
    """Every day of our shop the exports gave so far."""
    return {f.day: f for f in (DayFigures.from_row(r) for r in
                               store.query("select * from own_days"))}


async def check_own(ctx: WatchContext) -> CheckResult:
    """Read the new or changed exports, store their days, judge what is new, alert."""
    own = ctx.settings.own
    if own is None:
        return CheckResult()
    now, store = ctx.clock(), ctx.store
    folder = store.source_state(SOURCE)
    try:
        present = list_exports(own.exports)
    except OSError as exc:
        state, events = after_read(folder, store=STORE, ok=False, now=now,
                                   error=f"exports folder {own.exports}: {exc.strerror or exc}")
        return CheckResult(store.record(kind="own", name="our shop's exports", state=state, at=now,
                                        events=events), [SOURCE])
    known = {r["name"]: r for r in store.query("select * from own_files")}
    changed = sorted((n for n, (mtime, size) in present.items()
                      if n not in known or (known[n]["mtime"], known[n]["size"]) != (mtime, size)),
                     key=lambda n: present[n][0])  # the file modified last is merged last
    reads = await asyncio.to_thread(read_files, own.exports, changed, own.columns)
    with store.transaction():
        stored = _record_files(store, present, known, reads, now)
        _merge_days(store, reads, present, now.date())
        events = _judge(ctx, now, baseline=not folder.baseline_done)
        state, more = after_read(folder, store=STORE, ok=True, error=None, now=now)
        had_days = any(store.query("select 1 from own_days limit 1"))
        stored += store.record(
            kind="own", name="our shop's exports", at=now, events=events + more,
            state=replace(state, baseline_done=folder.baseline_done or had_days))
    failed = [file_source(r["name"]) for r in store.query(
        "select name from own_files where error is not null")]
    return CheckResult(stored, failed)


def _record_files(store: WatchStore, present: dict[str, tuple[float, int]],
                  known: dict[str, dict[str, Any]],
                  reads: dict[str, list[DayFigures] | ExportError], now: datetime
                  ) -> list[StoredEvent]:
    """Remember each file read; a refused one fails at once (once per outage).

    Its events are the file's source's, so that an alert's "last good read" is the file's.
    """
    stored: list[StoredEvent] = []
    stamp = now.isoformat()
    for name, read in reads.items():
        events: list[Event] = []
        mtime, size = present[name]
        error = read if isinstance(read, ExportError) else None
        count = len(read) if isinstance(read, list) else 0
        store.upsert("own_files", [{
            "name": name, "mtime": mtime, "size": size, "read_at": stamp,
            "days": count, "error": error.message if error else None,
            "column_name": error.column if error else None}], pk="name")
        health = store.source_state(file_source(name))
        if error is not None:
            new = replace(health, state="failing", fails=health.fails + 1,
                          last_error=str(error), failing_reported=True)
            if not health.failing_reported:
                events.append(Event(
                    kind="source_failing", key=f"source_failing:{health.source}:{stamp}",
                    summary=f"Our shop's export {name} cannot be read: {error.message}"
                            + (f" (column {error.column})" if error.column else "")
                            + "; none of its figures were taken",
                    store=STORE, details={"error": error.message, "file": name,
                                          "column": error.column, "fails": new.fails,
                                          "needs_person": False, "watch": "own"}))
        else:
            new, back = after_read(health, store=STORE, ok=True, error=None, now=now)
            for event in back:
                events.append(replace(event, summary=f"Our shop's export {name} reads again",
                                      details={**event.details, "file": name}))
        if error is not None or health.state != "new":
            stored += store.record(kind="own", name=name, state=new, at=now, events=events)
    for name in set(present) - set(reads):  # unchanged: a refused one is still failing
        if known[name]["error"] is not None:
            health = store.source_state(file_source(name))
            store.record(kind="own", name=name, at=now, state=replace(
                health, fails=health.fails + 1))
    for name in set(known) - set(present):  # removed: it no longer fails, nothing to say
        store.execute("delete from own_files where name = ?", [name])
        health = store.source_state(file_source(name))
        if health.state == "failing":
            store.record(kind="own", name=name, at=now, state=replace(
                health, state="ok", fails=0, last_error=None, failing_reported=False))
    return stored


def _merge_days(store: WatchStore, reads: dict[str, list[DayFigures] | ExportError],
                present: dict[str, tuple[float, int]], today: date) -> None:
    """Store the days of the files read; the same day in two files: the later file wins.

    Today's row of an export made during the day is a day still going on: it is not kept,
    so that it is never judged as if the day had ended there.
    """
    stored = {r["day"]: r["mtime"] for r in store.query("select day, mtime from own_days")}
    for name, read in reads.items():
        if isinstance(read, ExportError):
            continue
        mtime = present[name][0]
        rows = [{**f.to_row(), "file": name, "mtime": mtime} for f in read
                if f.day < today and stored.get(f.day.isoformat(), mtime) <= mtime]
        if rows:
            store.upsert("own_days", rows, pk="day")
            stored.update({r["day"]: mtime for r in rows})


def _judge(ctx: WatchContext, now: datetime, baseline: bool) -> list[Event]:
    """Judge the days and weeks not judged yet: the recent ones aloud, others silently."""
    store, settings = ctx.store, ctx.settings
    today = now.date()
    recent = (today - RECENT).isoformat()
    days = load_days(store)
    events: list[Event] = []
    pending = [r["day"] for r in store.query(
        "select day from own_days where judged = 0 and day < ? order by day",
        [today.isoformat()])]
    for day in pending:
        if not baseline and day >= recent:
            events += day_events(date.fromisoformat(day), days, settings.targets)
        store.execute("update own_days set judged = 1 where day = ?", [day])
    weeks = {r["week"] for r in store.query("select week from own_weeks")}
    states = {r["rule"]: r["state"] for r in store.query("select rule, state from own_health")}
    hero = settings.own.hero_order_value if settings.own else 0.0
    for sunday in sorted(d for d in days if d.weekday() == 6 and d < today):
        week = week_of(sunday)
        if week in weeks:
            continue
        announce = not baseline and sunday.isoformat() >= recent
        events += week_events(sunday, days, hero, states, announce)
        store.insert("own_weeks", {"week": week, "at": now.isoformat()})
        store.upsert("own_health", [{"rule": rule, "state": state, "week": week}
                                    for rule, state in states.items()], pk="rule")
    return events


def _jobs(settings: WatchSettings) -> list[Job]:
    return [Job("own", check_own)] if settings.own is not None else []


WATCH = Watch("own", _jobs)
