"""The SQLite file locked by another process, and a full disk: wait or fail cleanly, and
report the same events once the store can be written again."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.store.database import Store
from tests.faults.scenario import DROP
from tests.faults.table import Ledger, Sig
from tests.faults.world import World, check, stored_events, world_at

# Another process takes the write lock, says so, holds it, then lets go.
HOLDER = ("import sqlite3, sys, time\n"
          "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
          "c.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\n"
          "time.sleep(float(sys.argv[2]))\nc.execute('COMMIT')\n")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as w:
        yield w


def hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """A child process holding an exclusive write lock on `db` for `seconds`."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_short_lock_is_waited_out(world: World) -> None:
    ledger = Ledger("SQLite locked 3 s by another process", {DROP})
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    world.shop.catalogs["Shopi"].prices[5] = 50.0
    holder = hold_lock(world.db, 3)
    try:
        code, events = check(world.config)  # busy_timeout: the write waits for the lock
        ledger.add(events)
    finally:
        holder.wait(timeout=120)
    assert code == 0 and world.items()["5"].price == 50.0
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    ledger.assert_clean()


def test_a_lock_held_too_long_fails_cleanly_and_loses_nothing(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = Ledger("SQLite locked 40 s by another process", {DROP})
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    baseline = world.items()
    before = stored_events(world.db)
    world.shop.catalogs["Shopi"].prices[5] = 50.0
    holder = hold_lock(world.db, 40)
    try:
        capsys.readouterr()
        code, events = check(world.config)  # must not raise
        ledger.add(events)
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert code not in (0, 2) and events == []
    assert "locked" in err and "Traceback" not in err
    assert world.items() == baseline and stored_events(world.db) == before
    code, events = check(world.config)
    ledger.add(events)
    assert code == 0 and world.items()["5"].price == 50.0
    ledger.assert_clean()


def _cap_pages(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Every Store opened from now on may not grow past `pages`: SQLite's own disk-full."""
    # max_page_count belongs to a connection, so it is set on the monitor's own one.
    opened = Store.__init__

    def capped(self: Store, path: Path | str) -> None:
        opened(self, path)
        self.db.conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Store, "__init__", capped)


def test_a_full_disk_fails_cleanly_and_the_next_check_reports_the_same_events(
        world: World, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    cut = range(1, 41)  # enough rows that they cannot fit in the pages already there
    expected: set[Sig] = {("price_drop", "Shopi", f"Shirt {i}") for i in cut}
    ledger = Ledger("disk full (SQLite max_page_count)", expected)
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    baseline = world.items()
    before = stored_events(world.db)
    with sqlite3.connect(world.db) as conn:
        conn.execute("VACUUM")  # no free pages left to reuse
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    for i in cut:
        world.shop.catalogs["Shopi"].prices[i] = 10.0
    with monkeypatch.context() as patch:
        _cap_pages(patch, pages)
        capsys.readouterr()
        code, events = check(world.config)  # must not raise
        ledger.add(events)
        err = capsys.readouterr().err
    assert code not in (0, 2) and events == []
    assert "full" in err and "Traceback" not in err
    assert world.items() == baseline and stored_events(world.db) == before
    code, events = check(world.config)  # space freed
    ledger.add(events)
    assert code == 0 and len(events) == len(cut)
    assert all(world.items()[str(i)].price == 10.0 for i in cut)
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    ledger.assert_clean()
