"""The common course of a fault case: a healthy baseline, a real change hidden by the fault,
a few failing checks, then the cure, and the change reported exactly once."""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.faults.table import Ledger, Sig
from tests.faults.world import Fault, World, check, send

DROP: Sig = ("price_drop", "Shopi", "Shirt 5")
OUTAGE: set[Sig] = {("source_failing", "Shopi", None), ("source_recovered", "Shopi", None)}


def answer(status: int, body: bytes | str = b"", headers: dict[str, str] | None = None,
           ctype: str = "application/json", times: int | None = None) -> Fault:
    """A fault answering `status` and `body` (only the first `times` requests, if given)."""
    data = body.encode() if isinstance(body, str) else body
    left = [times]

    def fault(h: BaseHTTPRequestHandler) -> bool:
        if left[0] is not None:
            if left[0] <= 0:
                return False
            left[0] -= 1
        send(h, status, data, headers, ctype)
        return True
    return fault


def stall(seconds: float) -> Fault:
    """Accept the request and say nothing for `seconds` (a read timeout)."""
    def fault(h: BaseHTTPRequestHandler) -> bool:
        time.sleep(seconds)
        h.close_connection = True
        return True
    return fault


def drip(every: float, length: int = 10_000, most: float = 10.0) -> Fault:
    """Slowloris: headers at once, then one byte every `every` seconds."""
    def fault(h: BaseHTTPRequestHandler) -> bool:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(length))
        h.end_headers()
        h.wfile.flush()
        h.close_connection = True
        end = time.monotonic() + most
        while time.monotonic() < end:  # OSError once the client hangs up ends it
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(every)
        return True
    return fault


def fault_case(world: World, case: str, fault: Fault | None, *, error: str,
               fault_checks: int = 3, needs_person: bool = False,
               inject: Callable[[World], None] | None = None,
               heal: Callable[[World], None] | None = None) -> list[dict[str, Any]]:
    """Run one case end to end, asserting what is stored and alerted; the events seen."""
    fails = fault_checks >= 3 or needs_person
    ledger = Ledger(case, {DROP} | (OUTAGE if fails else set()))
    seen: list[dict[str, Any]] = []

    def run(expect_code: int) -> list[dict[str, Any]]:
        code, events = check(world.config)
        ledger.add(events)
        seen.extend(events)
        assert code == expect_code, events
        return events

    assert run(0) == []  # the silent baseline, from a healthy store
    baseline = world.items()
    world.shop.catalogs["Shopi"].prices[5] = 50.0  # a real change the fault hides
    world.shop.fault = fault
    if inject:
        inject(world)
    for _ in range(fault_checks):
        run(1)
    # Stored: the catalogue exactly as before (no removal, no price), the source failing.
    assert world.items() == baseline
    state = world.state()
    assert state["state"] == "failing" and state["fails"] == fault_checks
    assert error in (state["last_error"] or ""), state["last_error"]
    assert bool(state["needs_person"]) is needs_person
    world.shop.fault = None
    if heal:
        heal(world)
    run(0)
    assert run(0) == []
    items = world.items()
    assert len(items) == 300 and items["5"].price == 50.0
    assert world.state()["state"] == "ok"
    failing = [e for e in seen if e["kind"] == "source_failing"]
    assert [e["details"]["needs_person"] for e in failing] == ([needs_person] if fails else [])
    ledger.assert_clean()
    return seen
