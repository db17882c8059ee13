"""`monitor check` end to end against loopback peer stores on four platforms."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply, Request


@dataclass
class Shop:
    """A peer store whose catalogue tests change between checks."""

    items: dict[int, dict[str, object]] = field(default_factory=dict)
    fail_pages: set[int] = field(default_factory=set)

    def add(self, pid: int, title: str, price: float, **extra: object) -> None:
        self.items[pid] = {"title": title, "price": price, "regular": None,
                           "available": True, **extra}

    def page_items(self, page: int, size: int) -> list[tuple[int, dict[str, object]]]:
        ordered = sorted(self.items.items())
        return ordered[(page - 1) * size: page * size]


def _page(req: Request) -> int:
    return int(parse_qs(urlsplit(req.path).query).get("page", ["1"])[0])


def shopify_routes(shop: Shop) -> dict[str, object]:
    def products(req: Request) -> Reply:
        page = _page(req)
        if page in shop.fail_pages:
            return Reply("upstream error", 503)
        products = [{
            "id": pid, "title": it["title"], "handle": f"h{pid}", "tags": [],
            "product_type": "", "images": [{"src": f"https://img.example/{pid}.jpg"}],
            "variants": [{"id": pid * 10, "price": f"{it['price']:.2f}",
                          "compare_at_price": f"{it['regular']:.2f}" if it["regular"] else None,
                          "available": it["available"]}],
        } for pid, it in shop.page_items(page, 250)]
        return Reply(json.dumps({"products": products}), content_type="application/json")

    return {"/shop/products.json": products}


def woo_routes(shop: Shop) -> dict[str, object]:
    def products(req: Request) -> Reply:
        page = _page(req)
        per = int(parse_qs(urlsplit(req.path).query).get("per_page", ["100"])[0])
        if page in shop.fail_pages:
            return Reply("bad gateway", 502)
        pages = max(1, -(-len(shop.items) // per))
        data = [{
            "id": pid, "name": it["title"], "permalink": f"http://woo.example/p/{pid}",
            "is_in_stock": it["available"], "on_sale": bool(it["regular"]),
            "images": [{"src": f"https://img.example/w{pid}.jpg"}],
            "prices": {"price": str(int(float(str(it["price"])) * 100)),
                       "regular_price": str(int(float(str(it["regular"] or it["price"])) * 100)),
                       "sale_price": str(int(float(str(it["price"])) * 100)),
                       "currency_code": "CNY", "currency_minor_unit": 2},
        } for pid, it in shop.page_items(page, per)]
        return Reply(json.dumps(data), content_type="application/json",
                     headers={"X-WP-TotalPages": str(pages), "X-WP-Total": str(len(shop.items))})

    return {"/woo/wp-json/wc/store/v1/products": products}


def html_routes(shop: Shop) -> dict[str, object]:
    def listing(req: Request) -> Reply:
        page = _page(req)
        if page in shop.fail_pages:
            return Reply("oops", 500)
        chosen = shop.page_items(page, 2)
        cards = "".join(
            f'<li class="card"><a class="t" href="/cards/item/{pid}">{it["title"]}</a>'
            f'<b class="p">¥{float(str(it["price"])):,.2f}</b>'
            f'<img data-src="//img.example/c{pid}.jpg"><i class="s">月销 {it.get("sales", 0)}+</i>'
            "</li>" for pid, it in chosen)
        more = len(shop.items) > page * 2
        nxt = f'<a class="next" href="/cards/list?page={page + 1}">下一页</a>' if more else ""
        return Reply(f"<html><body><ul>{cards}</ul>{nxt}</body></html>")

    return {"/cards/list": listing}


def config(root: str) -> str:
    return f"""
[monitor]
database = "m.db"
host_interval = "0s"
per_host = 4
respect_robots = false
timeout = "5s"

[[peers]]
name = "Shopi"
url = "{root}/shop"
platform = "shopify"

[[peers]]
name = "Woo"
url = "{root}/woo"
platform = "woocommerce"

[[peers]]
name = "Cards"
url = "{root}/cards"
catalog = "{root}/cards/list"
platform = "html"
layout = "cards"

[layouts.cards.listing]
item = "li.card"
title = "a.t"
url = "a.t"
price = "b.p"
image = "img"
sales = "i.s"
next = "a.next@href"
"""


@dataclass
class World:
    shopify: Shop
    woo: Shop
    cards: Shop
    server: LoopbackServer
    config: Path


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    # June: the season in question is autumn, which none of these items is. On the real
    # date (in December the question is spring) the spring items below made a season_hint.
    monkeypatch.setenv("MONITOR_NOW", "2026-06-15T09:00:00+08:00")
    shops = Shop(), Shop(), Shop()
    for i in range(1, 301):
        shops[0].add(i, f"Shirt {i}", 100.0 + i)
    for i in range(1, 151):
        shops[1].add(i, f"Dress {i}", 200.0)
    for i in range(1, 6):
        shops[2].add(i, f"春装衬衫 {i}", 89.0, sales=100)
    routes = {**shopify_routes(shops[0]), **woo_routes(shops[1]), **html_routes(shops[2])}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        path = tmp_path / "config.toml"
        path.write_text(config(server.url), encoding="utf-8")
        yield World(*shops, server, path)


def check(world: World, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]]]:
    code = main(["check", "--config", str(world.config), "--json", "--no-send"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def kinds(events: list[dict[str, object]]) -> list[tuple[object, object]]:
    return sorted((e["store"], e["kind"]) for e in events)


def test_first_check_is_silent_and_second_reports_each_change_once(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == (0, [])
    world.shopify.items[5]["price"] = 50.0                      # price drop
    world.shopify.items[6]["regular"] = 200.0                   # promotion
    world.shopify.items[7]["available"] = False                 # sold out
    del world.shopify.items[8]                                  # removed (page 1)
    world.shopify.add(1000, "Spring Linen Shirt", 99.0)         # new (lands on page 2)
    world.woo.items[3]["price"] = 230.0                         # price rise
    world.cards.add(6, "2026春装新款风衣", 199.0)               # new on page 3 via next
    code, events = check(world, capsys)
    assert code == 0
    assert kinds(events) == sorted([
        ("Shopi", "price_drop"), ("Shopi", "promo_started"), ("Shopi", "out_of_stock"),
        ("Shopi", "listing_removed"), ("Shopi", "new_listing"), ("Woo", "price_rise"),
        ("Cards", "new_listing"),
    ])
    drop = next(e for e in events if e["kind"] == "price_drop")
    assert drop["details"] == {"old": 105.0, "new": 50.0, "change": -0.5238, "currency": None,
                               "low": 50.0, "high": 105.0, "lowest_in_days": None}
    assert set(drop) == {"id", "kind", "at", "store", "product", "summary", "details"}
    assert check(world, capsys) == (0, [])


def test_failed_page_two_never_reports_its_items_removed_nor_new_again(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    world.shopify.fail_pages.add(2)
    world.woo.fail_pages.add(2)
    world.cards.fail_pages.add(2)
    code, events = check(world, capsys)
    assert code == 1
    assert [e for e in events if e["kind"] == "listing_removed"] == []
    world.shopify.fail_pages.clear()
    world.woo.fail_pages.clear()
    world.cards.fail_pages.clear()
    assert check(world, capsys) == (0, [])


def test_a_source_failing_three_times_is_reported_once_then_recovers_once(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    world.woo.fail_pages.add(1)
    reported = []
    for _ in range(4):
        code, events = check(world, capsys)
        assert code == 1
        reported += [(e["store"], e["kind"]) for e in events]
    assert reported == [("Woo", "source_failing")]
    world.woo.fail_pages.clear()
    code, events = check(world, capsys)
    assert (code, kinds(events)) == (0, [("Woo", "source_recovered")])


def test_a_layout_change_that_parses_to_nothing_is_a_failure_not_removals(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    world.server.routes["/cards/list"] = Reply("<html><body><div>新版页面</div></body></html>")
    code, events = check(world, capsys)
    assert code == 1
    assert [e["kind"] for e in events] == []


def test_status_shows_each_peer(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    assert main(["status", "--config", str(world.config)]) == 0
    out = capsys.readouterr().out
    assert "Shopi: 300 items" in out and "Woo: 150 items" in out
    assert main(["status", "Woo", "--config", str(world.config)]) == 0
    assert "150 items listed" in capsys.readouterr().out
