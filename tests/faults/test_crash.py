"""`kill -9` of `monitor run` in the middle of a check and in the middle of delivery: after a
restart every alert arrives exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.faults.proc import child_env, spawn
from tests.faults.slow_botapi import SlowBotApi
from tests.faults.table import Ledger, Sig
from tests.faults.world import Catalog, World, check, stored_events, stored_items, world_at

CHAT = 4242
PEERS = ("Alpha", "Beta", "Gamma", "Delta")
CAMPAIGNS: set[Sig] = {("store_promotion", p, None) for p in PEERS}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path, {p: Catalog.of(10, f"{p} dress") for p in PEERS}) as w:
        yield w


def wait(what: Callable[[], object], timeout: float = 120.0) -> None:
    """Poll until `what()` is truthy."""
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def campaign(world: World) -> None:
    """Every peer discounts its whole catalogue by 30 %: one urgent store_promotion each."""
    for catalog in world.shop.catalogs.values():
        for i, price in catalog.prices.items():
            catalog.regular[i] = price
            catalog.prices[i] = round(price * 0.7, 2)


def with_bot(world: World, api: SlowBotApi | str) -> None:
    """Point the config at the (fake) Bot API; the digest hour far from now."""
    url = api if isinstance(api, str) else api.url
    digest = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(hours=12)).strftime("%H:%M")
    with world.config.open("a", encoding="utf-8") as f:
        f.write(f'\n[telegram]\nchats = [{CHAT}]\napi_url = "{url}"\n'
                f'digest_at = "{digest}"\n')


def start(world: World, api: SlowBotApi) -> subprocess.Popen[bytes]:
    return spawn("run", "--config", str(world.config), log=world.config.parent / "run.log",
                 env=child_env(MONITOR_TELEGRAM_TOKEN=api.token))


def kill9(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL


def stop(proc: subprocess.Popen[bytes], world: World) -> None:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=120)
    assert code == 0, (world.config.parent / "run.log").read_text(errors="replace")[-3000:]


def marked(world: World) -> int:
    events = {e["id"] for e in stored_events(world.db) if e["urgent"]}
    return sum(1 for e in marks(world) if e in events)


def marks(world: World) -> list[str]:
    import sqlite3

    with sqlite3.connect(world.db) as conn:
        return [r[0] for r in conn.execute("select event_id from deliveries where chat = ?",
                                           [CHAT])]


def account(world: World, api: SlowBotApi, ledger: Ledger) -> None:
    """Every message that reached the chat, by event id: each urgent event exactly once."""
    rows = {e["id"]: e for e in stored_events(world.db)}
    ids = api.delivered_ids(CHAT)
    ledger.add({"kind": rows[i]["kind"], "store": rows[i]["store"], "product": None}
               for i in ids)
    urgent = {i for i, e in rows.items() if e["urgent"]}
    assert Counter(ids) == Counter(urgent), ids
    # Stored once too: one outbox row per alert, whatever the crash.
    stored = Counter((e["kind"], e["store"]) for e in rows.values())
    assert all(stored[("store_promotion", p)] == 1 for p in PEERS)
    assert all(n <= 10 for n in stored.values())  # at most one event per item and kind
    ledger.assert_clean()


def test_kill_in_the_middle_of_a_check_loses_and_repeats_nothing(world: World) -> None:
    ledger = Ledger("kill -9 of monitor run mid-check", CAMPAIGNS)
    code, events = check(world.config)
    assert (code, events) == (0, [])
    baseline = {p: stored_items(world.db, p) for p in PEERS}
    campaign(world)

    def slow(h: BaseHTTPRequestHandler) -> bool:
        time.sleep(4)  # every catalogue answers late: the check is under way for a while
        return False

    world.shop.fault = slow
    with SlowBotApi(delay=0.0) as api:
        with_bot(world, api)
        hits = world.shop.hits
        proc = start(world, api)
        try:
            wait(lambda: world.shop.hits > hits)
        finally:
            kill9(proc)
        # Nothing half-written: no event, no item of the check that was cut.
        assert stored_events(world.db) == []
        assert {p: stored_items(world.db, p) for p in PEERS} == baseline
        assert api.calls_to("sendMessage") == []
        world.shop.fault = None
        proc = start(world, api)
        try:
            wait(lambda: marked(world) == len(PEERS))
        finally:
            stop(proc, world)
        account(world, api, ledger)


def test_kill_in_the_middle_of_delivery_loses_and_repeats_nothing(world: World) -> None:
    ledger = Ledger("kill -9 of monitor run mid-delivery", CAMPAIGNS)
    code, events = check(world.config)
    assert (code, events) == (0, [])
    campaign(world)
    with SlowBotApi(delay=2.0) as api:
        with_bot(world, api)
        proc = start(world, api)
        try:
            wait(lambda: api.received >= 2)  # one message taken and marked, one in flight
        finally:
            kill9(proc)
        assert len(marks(world)) == 1
        wait(lambda: api.dropped == 1)  # the one in flight was never taken
        assert len(api.delivered_ids(CHAT)) == 1
        api.delay = 0.0
        proc = start(world, api)
        try:
            wait(lambda: marked(world) == len(PEERS))
        finally:
            stop(proc, world)
        account(world, api, ledger)


def test_a_bot_api_down_keeps_the_alerts_for_the_next_delivery(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = Ledger("Bot API down during delivery", CAMPAIGNS)
    code, events = check(world.config)
    assert (code, events) == (0, [])
    campaign(world)
    with SlowBotApi(delay=0.0) as api:
        monkeypatch.setenv("MONITOR_TELEGRAM_TOKEN", api.token)
        down = "http://127.0.0.1:9"  # the discard port: nothing listens there
        with_bot(world, down)
        code, events = check(world.config)
        assert code == 0 and len(events) > len(PEERS)
        for _ in range(2):
            code, _ = check(world.config, send=True)
            assert code == 1 and marks(world) == []  # delivery failed, nothing marked
        world.config.write_text(world.config.read_text().replace(down, api.url))
        assert check(world.config, send=True) == (0, [])  # nothing new, the outbox goes out
        assert check(world.config, send=True) == (0, [])
        account(world, api, ledger)

