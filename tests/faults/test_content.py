"""Peers answering cut, garbled, huge or re-shaped bodies: a failure, never a change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.faults.proc import cli
from tests.faults.scenario import DROP, answer, fault_case
from tests.faults.table import Ledger, sig
from tests.faults.world import Fault, World, check, world_at

MB = 1024 * 1024


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as w:
        yield w


def page_one(world: World) -> bytes:
    return world.shop.catalogs["Shopi"].page(1, 250)


def cut_connection(h: BaseHTTPRequestHandler) -> bool:
    """Promise 5,000 bytes, send 100, hang up."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "5000")
    h.end_headers()
    h.wfile.write(b'{"products": [{"id": 1, "title": "Shirt 1", "variants": [{"price": "1')
    h.close_connection = True
    return True


def on_page_one(fault: Fault) -> Fault:
    """`fault` for page 1 only; the other pages answer normally."""
    def only(h: BaseHTTPRequestHandler) -> bool:
        return "page=1" in h.path and fault(h)
    return only


def huge(size: int, *, declared: bool) -> Fault:
    """A JSON-looking body of `size` bytes, its length declared or chunked."""
    def fault(h: BaseHTTPRequestHandler) -> bool:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header(*(("Content-Length", str(size)) if declared
                        else ("Transfer-Encoding", "chunked")))
        h.end_headers()
        h.close_connection = True
        chunk = b'{"products": [' + b" " * (256 * 1024 - 14)
        for _ in range(size // len(chunk)):
            h.wfile.write(chunk if declared else b"%x\r\n%s\r\n" % (len(chunk), chunk))
        if not declared:
            h.wfile.write(b"0\r\n\r\n")
        return True
    return fault


def test_a_truncated_json_document_is_a_failure(world: World) -> None:
    body = page_one(world)
    fault_case(world, "truncated JSON (HTTP complete)", answer(200, body[: len(body) // 2]),
               error="not_json")


def test_a_connection_cut_mid_body_is_a_failure(world: World) -> None:
    fault_case(world, "connection cut mid-body", cut_connection,
               error="without sending complete message body")


def test_binary_garbage_instead_of_json_is_a_failure(world: World) -> None:
    fault_case(world, "binary garbage (invalid UTF-8)",
               answer(200, bytes(range(128, 256)) * 40), error="not_json")


def test_invalid_utf8_inside_one_title_still_reads_the_catalogue(world: World) -> None:
    ledger = Ledger("invalid UTF-8 in one title", {DROP})
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    world.shop.catalogs["Shopi"].prices[5] = 50.0
    body = page_one(world).replace(b'"Shirt 7"', b'"Shirt \xff\xfe\xc3 7"')
    world.shop.fault = on_page_one(answer(200, body))
    code, events = check(world.config)
    ledger.add(events)
    assert code == 0 and [sig(e) for e in events] == [DROP]
    items = world.items()
    assert len(items) == 300 and items["7"].title.startswith("Shirt ")
    world.shop.fault = None
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    assert world.items()["7"].title == "Shirt 7"
    ledger.assert_clean()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_50_mb_body_is_cut_at_the_cap_without_memory_blowing_up(
        world: World, declared: bool) -> None:
    case = f"50 MB body ({'declared' if declared else 'chunked'})"
    ledger = Ledger(case, {DROP})
    args = ("check", "--config", str(world.config), "--json", "--no-send")

    def run(code: int) -> float:
        done = cli(*args)
        events = [json.loads(x) for x in done.out.splitlines() if x.strip()]
        ledger.add(events)
        assert done.code == code, done.err
        return done.peak_mb

    healthy = run(0)
    baseline = world.items()
    world.shop.catalogs["Shopi"].prices[5] = 50.0
    world.shop.fault = huge(50 * MB, declared=declared)
    faulty = run(1)
    assert world.items() == baseline
    assert "larger than" in (world.state()["last_error"] or "")
    # The cap is 10 MB: far less than the 50 MB body ever sits in memory.
    assert faulty < healthy + 40, (healthy, faulty)
    world.shop.fault = None
    run(0)
    assert world.items()["5"].price == 50.0
    ledger.assert_clean()


LAYOUTS: dict[str, tuple[dict[str, object], str]] = {
    "empty list": ({"products": []}, "no items found"),
    "renamed key": ({"data": {"products": []}}, "unexpected_json"),
    "items without ids": ({"products": [{"handle": "no-id", "variants": []}]},
                          "no items found"),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_a_layout_change_that_parses_to_nothing_is_not_a_mass_removal(
        world: World, name: str) -> None:
    fault_case(world, f"layout change to nothing: {name}",
               answer(200, json.dumps(LAYOUTS[name][0])), error=LAYOUTS[name][1])
