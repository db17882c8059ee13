"""Pages written against us, through the real `monitor check`: a compression bomb stays
bounded in memory, and a redirect to an address nobody configured is never followed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.http import LoopbackServer, Reply
from tests.faults.pages.bombs import gzip_gzip_bomb
from tests.faults.proc import cli
from tests.faults.scenario import DROP, answer, fault_case
from tests.faults.table import Ledger
from tests.faults.world import World, check, world_at

PEAK_MB = 300  # the bound for the whole check, measured in the child


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path, timeout="4s") as w:
        yield w


@pytest.fixture
def inside() -> Iterator[LoopbackServer]:
    """Another service on our own host that no config names (an admin page, a database)."""
    with LoopbackServer({"/admin": Reply("secrets"), "/robots.txt": Reply("")}) as server:
        yield server


def test_a_gzip_gzip_bomb_is_a_failed_read_in_bounded_memory(world: World) -> None:
    bomb = gzip_gzip_bomb(1536)  # ~4 KB sent, 1.5 GiB once undone
    assert len(bomb) < 8192
    ledger = Ledger("Content-Encoding: gzip, gzip (4 KB -> 1.5 GiB)", {DROP})
    args = ("check", "--config", str(world.config), "--json", "--no-send")

    def run(code: int) -> float:
        done = cli(*args)
        events = [json.loads(x) for x in done.out.splitlines() if x.strip()]
        ledger.add(events)
        assert done.code == code, done.err
        assert "listing_removed" not in {e["kind"] for e in events}
        return done.peak_mb

    run(0)
    baseline = world.items()
    world.shop.catalogs["Shopi"].prices[5] = 50.0
    world.shop.fault = answer(200, bomb, headers={"Content-Encoding": "gzip, gzip"})
    peak = run(1)
    assert world.items() == baseline
    assert "larger than" in (world.state()["last_error"] or "")
    assert peak < PEAK_MB, peak
    world.shop.fault = None
    run(0)
    assert world.items()["5"].price == 50.0
    ledger.assert_clean()


def test_a_redirect_to_an_unconfigured_loopback_port_is_never_followed(
        world: World, inside: LoopbackServer) -> None:
    fault_case(world, "redirect to another port of our own host",
               answer(302, headers={"Location": inside.url + "/admin"}),
               error="address refused")
    assert inside.requests == []  # neither /admin nor its robots.txt


def test_a_redirect_to_cloud_metadata_is_never_followed(world: World) -> None:
    fault_case(world, "redirect to 169.254.169.254",
               answer(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
               error="address refused")


def test_a_configured_name_is_read_and_allow_hosts_is_checked(world: World,
                                                              ) -> None:
    # The shop configured by a name that resolves to loopback: the operator chose it.
    port = world.shop.url.rsplit(":", 1)[1]
    text = world.config.read_text(encoding="utf-8").replace("127.0.0.1", "localhost")
    world.config.write_text(text, encoding="utf-8")
    done = cli("check", "--config", str(world.config), "--json", "--no-send")
    assert done.code == 0, done.err  # a configured origin is reached, whatever its address
    text = text.replace("[monitor]\n", f'[monitor]\nallow_hosts = ["localhost:{port}"]\n')
    world.config.write_text(text, encoding="utf-8")
    assert cli("config", "--config", str(world.config)).code == 0
    bad = text.replace(f'"localhost:{port}"', '"http://x/path"')
    world.config.write_text(bad, encoding="utf-8")
    done = cli("config", "--config", str(world.config))
    assert done.code == 2 and "monitor.allow_hosts" in done.err


def test_a_negative_or_zero_price_is_no_price_not_a_drop(world: World) -> None:
    ledger = Ledger("price -5.00 and 0.00", set())
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    world.shop.catalogs["Shopi"].prices[5] = -5.0
    world.shop.catalogs["Shopi"].prices[6] = 0.0
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])  # no price_drop 105 -> 5 (-95 %), nothing removed
    items = world.items()
    assert len(items) == 300 and items["5"].price is None and items["6"].price is None
    world.shop.catalogs["Shopi"].prices[5] = 105.0
    code, events = check(world.config)
    ledger.add(events)
    assert (code, events) == (0, [])
    assert world.items()["5"].price == 105.0
    ledger.assert_clean()


HERO = """<html><head><script type="application/ld+json">{"@context": "https://schema.org",
"@type": "Product", "name": "阔腿牛仔裤", "image": ["/img/hero.jpg"], "sku": "H1",
"offers": {"@type": "Offer", "price": "199.00", "priceCurrency": "CNY"}}</script></head></html>"""


def test_a_search_result_whose_image_is_on_another_port_of_our_host_is_never_fetched(
        tmp_path: Path, inside: LoopbackServer) -> None:
    cards = "".join(f'<div class="item"><a class="t" href="/m/{i}">阔腿牛仔裤 {i}</a>'
                    f'<img src="{inside.url}/admin?{i}"><span class="p">¥{99 + i}</span></div>'
                    for i in range(3))
    routes = {"/search": Reply(f"<html><body>{cards}</body></html>"), "/hero": Reply(HERO),
              "/img/hero.jpg": Reply(b"not even an image", content_type="image/jpeg")}
    with LoopbackServer(routes) as market:  # type: ignore[arg-type]
        config = tmp_path / "config.toml"
        config.write_text(f"""[monitor]
database = "m.db"
host_interval = "0s"
respect_robots = false

[[hero]]
name = "Jeans"
url = "{market.url}/hero"
queries = ["阔腿牛仔裤"]

[[marketplaces]]
name = "Bazaar"
search = "{market.url}/search?q={{query}}"
platform = "html"
layout = "bazaar"

[layouts.bazaar.listing]
item = "div.item"
title = "a.t"
url = "a.t"
image = "img"
price = "span.p"
""", encoding="utf-8")
        code, events = check(config)
    assert inside.requests == []  # neither the "images" nor the port's robots.txt
    assert code in (0, 1) and "listing_removed" not in {e["kind"] for e in events}
