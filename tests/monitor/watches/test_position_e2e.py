"""`monitor check` end to end: our hero's price among the peers' same-style items."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from monitor.cli import main
from monitor.store.database import Store
from tests.fakes.http import LoopbackServer, Reply, Request
from watchers.position.answers import hero_positions

HERO = "法式碎花连衣裙 女 夏季 收腰 中长款"


@dataclass
class World:
    prices: dict[int, float] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    hero_price: float = 200.0
    config: Path = Path()
    images: dict[str, bytes] = field(default_factory=dict)  # by file name, under /img/
    root: str = ""
    # Set when our page is asked for; with `hold_catalogue` the peer's catalogue is held
    # until then (at most 3 s, under the 5 s timeout): `catalogue_saw_hero` says if it was.
    hero_asked: threading.Event = field(default_factory=threading.Event)
    hold_catalogue: bool = False
    catalogue_saw_hero: bool | None = None


def routes(world: World) -> dict[str, object]:
    def products(req: Request) -> Reply:
        if world.hold_catalogue:
            world.catalogue_saw_hero = world.hero_asked.wait(timeout=3)
        data = [{"id": pid, "title": world.titles[pid], "handle": f"h{pid}",
                 "images": [{"src": f"{world.root}/img/{pid}.png"}],
                 "variants": [{"id": pid, "price": f"{price:.2f}", "available": True}]}
                for pid, price in sorted(world.prices.items())]
        if "page=1" not in req.path and "page=" in req.path:
            data = []
        return Reply(json.dumps({"products": data}), content_type="application/json")

    def hero(req: Request) -> Reply:
        world.hero_asked.set()
        ld = {"@context": "https://schema.org", "@type": "Product", "name": HERO,
              "image": f"{world.root}/img/hero.png",
              "offers": {"@type": "Offer", "price": f"{world.hero_price:.2f}",
                         "priceCurrency": "CNY"}}
        return Reply(f'<html><head><script type="application/ld+json">{json.dumps(ld)}'
                     f"</script></head><body><h1>{HERO}</h1></body></html>")

    def image(req: Request) -> Reply:
        name = req.path.rsplit("/", 1)[-1]
        return (Reply(world.images[name], content_type="image/png") if name in world.images
                else Reply("not found", 404))

    return {"/shop/products.json": products, "/ours/dress": hero,
            **{f"/img/{n}.png": image for n in ("hero", 1, 2, 3, 4, 5, 6)}}


CONFIG = """
[monitor]
database = "m.db"
host_interval = "0s"
respect_robots = false
timeout = "5s"

[alerts]
price_change = 0.05

[[hero]]
name = "碎花裙"
url = "{root}/ours/dress"
queries = ["碎花连衣裙"]

[[peers]]
name = "Shopi"
url = "{root}/shop"
platform = "shopify"
"""


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("MONITOR_NOW", "2026-03-01T09:00:00+08:00")
    w = World()
    w.titles = {1: "2026新款法式碎花连衣裙女夏季收腰中长款",
                2: "法式碎花连衣裙 女 夏 收腰中长款 显瘦",
                3: "男士纯棉短袖T恤", 4: "Linen Shirt"}
    w.prices = {1: 219.0, 2: 199.0, 3: 59.0, 4: 120.0}
    with LoopbackServer(routes(w)) as server:  # type: ignore[arg-type]
        w.root = server.url
        w.config = tmp_path / "config.toml"
        w.config.write_text(CONFIG.format(root=server.url), encoding="utf-8")
        yield w


def check(world: World, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    main(["check", "--config", str(world.config), "--json", "--no-send"])
    out = capsys.readouterr().out
    return [e for line in out.splitlines() if line.strip()
            for e in [json.loads(line)] if e["kind"] == "price_position"]


def test_a_same_style_item_going_20_percent_below_ours_is_told_once(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == []                       # baseline
    world.prices[1] = 160.0                                  # 20 % below our 200
    world.prices[3] = 29.0                                   # another style: never told
    (event,) = check(world, capsys)
    assert event["store"] == "Shopi" and event["product"]["title"] == world.titles[1]
    assert event["details"] == {"hero": "碎花裙", "hero_price": 200.0, "price": 160.0,
                                "gap": -0.2, "position": "dearest"}  # of 160, 199 and 200
    assert check(world, capsys) == []                       # once per item and price
    world.prices[1] = 150.0
    assert len(check(world, capsys)) == 1                   # a new price is told again


def test_the_digest_gets_our_position_among_the_same_style_items(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    store = Store(world.config.parent / "m.db")
    try:
        (found,) = hero_positions(store, ["碎花裙"])
    finally:
        store.close()
    assert found["hero_price"] == 200.0 and found["position"] == "median"
    assert sorted(i["price"] for i in found["items"]) == [199.0, 219.0]
    capsys.readouterr()
    assert main(["digest", "--config", str(world.config)]) == 0
    digest = capsys.readouterr().out
    assert "Where our hero stands" in digest
    assert "碎花裙 200 sits among 2 same-style items" in digest and "199" in digest


def test_our_listing_unreadable_tells_no_position(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    world.hero_price = 0.0  # a page with no price: nothing to set the peers against
    world.prices[1] = 100.0
    assert check(world, capsys) == []


def test_a_change_after_unchanged_checks_is_still_seen(
        world: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Unchanged checks skip the matching; the first change after them must not be missed.
    for day in (1, 2, 3):
        monkeypatch.setenv("MONITOR_NOW", f"2026-03-0{day}T09:00:00+08:00")
        assert check(world, capsys) == []
    monkeypatch.setenv("MONITOR_NOW", "2026-03-04T09:00:00+08:00")
    world.prices[2] = 170.0
    assert [e["details"]["price"] for e in check(world, capsys)] == [170.0]
    monkeypatch.setenv("MONITOR_NOW", "2026-03-05T09:00:00+08:00")
    world.hero_price = 160.0  # ours cut below theirs: nothing below us any more
    assert check(world, capsys) == []
    monkeypatch.setenv("MONITOR_NOW", "2026-03-06T09:00:00+08:00")
    world.hero_price = 230.0  # ours raised: 170 is 26 % below, but that item and price were told
    assert check(world, capsys) == []


def test_the_read_side_answers_by_configured_names(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from monitor.config import load
    from monitor.store.answers import Answers

    check(world, capsys)
    settings = load(world.config)
    store = Store(world.config.parent / "m.db")
    try:
        answers = Answers(settings, store, lambda: datetime(2026, 3, 1, tzinfo=UTC))
        (found,) = answers.positions()
        ours = answers.history(HERO)  # our own listing is searched too
        assert answers.top("  shopi ") == {"peer": "Shopi", "items": []}  # no sales figures
        assert answers.top("nobody") is None
    finally:
        store.close()
    assert found["hero"] == "碎花裙" and found["position"] == "median"
    assert ours and ours["item"]["source"] == "position:碎花裙"
    assert [p["price"] for p in ours["series"]] == [200.0]


def test_a_close_title_with_our_photo_is_our_style(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.monitor.watches.test_peer_changes_e2e import photo, recompressed

    world.images = {"hero.png": photo(11), "5.png": recompressed(photo(11)),
                    "6.png": photo(12)}
    world.titles |= {5: "法式复古碎花长裙女", 6: "法式复古碎花长裙女 度假"}
    world.prices |= {5: 210.0, 6: 210.0}
    check(world, capsys)
    world.prices[5] = world.prices[6] = 150.0           # both 25 % below ours
    assert [e["product"]["title"] for e in check(world, capsys)] == ["法式复古碎花长裙女"]


def test_our_page_is_read_while_the_peers_are_and_matched_on_what_they_stored(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    # The position's own read overlaps the peers' reads (its network wait no longer follows
    # theirs); its matching still waits for what they store in the same check.
    assert check(world, capsys) == []
    world.hero_asked.clear()
    world.hold_catalogue = True
    world.prices[1] = 160.0
    events = check(world, capsys)
    assert world.catalogue_saw_hero is True
    assert [e["details"]["price"] for e in events] == [160.0]
