"""Peers that refuse, stall, drip, fail, rate-limit, block or redirect: nothing invented,
nothing lost, nothing repeated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.scenario import DROP, answer, drip, fault_case, stall
from tests.faults.table import Ledger
from tests.faults.world import World, check, world_at

CAPTCHA = ("<html><head><title>Security check</title></head><body>"
           "<div id='nc_1_n1z'>请拖动下方滑块完成验证</div></body></html>")
LOGIN = ("<html><head><title>Log in</title></head><body><form class='login-form'>"
         "<input name='user'><input type='password' name='pw'></form></body></html>")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as w:
        yield w


def test_refused_connections_are_an_outage_not_removals(world: World) -> None:
    fault_case(world, "connect refused (closed port)", None, error="connection refused",
               inject=lambda w: w.shop.down(), heal=lambda w: w.shop.up())


def test_a_read_timeout_fails_the_check_and_loses_the_change_to_no_one(world: World) -> None:
    fault_case(world, "read timeout", stall(6.0), error="timeout", fault_checks=1)


def test_a_slow_drip_is_cut_by_the_timeout(world: World) -> None:
    fault_case(world, "slow drip (1 byte / 0.5 s)", drip(0.5), error="timeout", fault_checks=1)


def test_server_errors_are_retried_then_reported_once(world: World) -> None:
    fault_case(world, "5xx (503)", answer(503, "upstream error", ctype="text/plain"),
               error="HTTP 503")


def test_a_long_retry_after_fails_at_once_instead_of_sleeping(world: World) -> None:
    fault_case(world, "429 Retry-After 3600", answer(429, "slow down",
                                                     headers={"Retry-After": "3600"}),
               error="retry after 3600s")


def test_a_short_retry_after_is_waited_and_the_check_succeeds(world: World) -> None:
    ledger = Ledger("429 Retry-After 1, then 200", {DROP})
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    world.shop.catalogs["Shopi"].prices[5] = 50.0
    world.shop.fault = answer(429, "slow down", headers={"Retry-After": "1"}, times=2)
    hits = world.shop.hits
    code, events = check(world.config)
    ledger.add(events)
    assert code == 0
    assert world.shop.hits - hits == 4  # page 1 asked three times, page 2 once
    assert world.items()["5"].price == 50.0 and world.state()["state"] == "ok"
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    ledger.assert_clean()


def test_a_403_captcha_page_needs_a_person(world: World) -> None:
    fault_case(world, "403 captcha page", answer(403, CAPTCHA, ctype="text/html"),
               error="HTTP 403: a captcha page", fault_checks=2, needs_person=True)


def test_a_plain_403_is_a_failure(world: World) -> None:
    fault_case(world, "403 forbidden", answer(403, "<h1>Forbidden</h1>", ctype="text/html"),
               error="HTTP 403")


def test_a_captcha_page_instead_of_the_catalogue_needs_a_person(world: World) -> None:
    fault_case(world, "200 slider-check page", answer(200, CAPTCHA, ctype="text/html"),
               error="captcha", fault_checks=2, needs_person=True)


def test_a_redirect_to_a_login_page_needs_a_person(world: World) -> None:
    world.shop.pages["/account/login"] = LOGIN.encode()
    fault_case(world, "login redirect", answer(302, headers={"Location": "/account/login"}),
               error="login", fault_checks=2, needs_person=True)


def test_a_redirect_loop_is_a_failure(world: World) -> None:
    fault_case(world, "redirect loop",
               answer(302, headers={"Location": "/Shopi/products.json?limit=250&page=1"}),
               error="redirects")
