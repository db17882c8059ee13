"""`monitor check` end to end: what a loopback peer changed on its listings, what sells,
and where its prices sit in their history (issue 22)."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageDraw

from monitor.cli import main
from monitor.store.database import Store
from tests.fakes.http import LoopbackServer, Reply, Request
from watchers.peers.answers import history, top_items


def photo(seed: int) -> bytes:
    """A 'photo' of shapes: different seeds are different pictures to a perceptual hash."""
    rng = random.Random(seed)
    img = Image.new("RGB", (320, 320), (rng.randrange(256), 200, 180))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(280), rng.randrange(280)
        draw.ellipse((x, y, x + rng.randrange(30, 140), y + rng.randrange(30, 140)),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def recompressed(data: bytes) -> bytes:
    """The same photo resized and saved again as a low-quality JPEG."""
    img = Image.open(io.BytesIO(data)).convert("RGB").resize((250, 250))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=55)
    return out.getvalue()


@dataclass
class Peer:
    """A Shopify peer whose products (title, price, image file, sizes) tests change."""

    items: dict[int, dict[str, Any]] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)
    fail: bool = False

    def add(self, pid: int, title: str, price: float, image: str,
            sizes: tuple[str, ...] = ("S", "M", "L")) -> None:
        self.items[pid] = {"title": title, "price": price, "image": image, "sizes": sizes}


@dataclass
class Cards:
    """A Taobao-like card shop showing 月销 per item, two pages."""

    sales: dict[int, int] = field(default_factory=dict)
    fail_page: int | None = None


def routes(peer: Peer, cards: Cards, root: list[str]) -> dict[str, object]:
    def products(req: Request) -> Reply:
        page = int(parse_qs(urlsplit(req.path).query).get("page", ["1"])[0])
        if peer.fail:
            return Reply("upstream error", 503)
        chosen = sorted(peer.items.items()) if page == 1 else []
        data = [{
            "id": pid, "title": it["title"], "handle": f"h{pid}", "tags": [], "product_type": "",
            "images": [{"src": f"{root[0]}/img/{it['image']}"}],
            "variants": [{"id": pid * 100 + n, "title": size, "price": f"{it['price']:.2f}",
                          "compare_at_price": None, "available": True}
                         for n, size in enumerate(it["sizes"])],
        } for pid, it in chosen]
        return Reply(json.dumps({"products": data}), content_type="application/json")

    def image(req: Request) -> Reply:
        name = urlsplit(req.path).path.rsplit("/", 1)[-1]
        if name not in peer.images:
            return Reply("not found", 404)
        return Reply(peer.images[name], content_type="image/png")

    def listing(req: Request) -> Reply:
        page = int(parse_qs(urlsplit(req.path).query).get("page", ["1"])[0])
        if page == cards.fail_page:
            return Reply("oops", 500)
        chosen = sorted(cards.sales.items())[(page - 1) * 7: page * 7]
        body = "".join(
            f'<li class="card"><a class="t" href="/cards/item/{pid}">连衣裙 {pid} 号</a>'
            f'<b class="p">¥{100 + pid}.00</b><i class="s">月销 {sold}+</i></li>'
            for pid, sold in chosen)
        more = len(cards.sales) > page * 7
        nxt = f'<a class="next" href="/cards/list?page={page + 1}">下一页</a>' if more else ""
        return Reply(f"<html><body><ul>{body}</ul>{nxt}</body></html>")

    return {"/shop/products.json": products, "/cards/list": listing,
            **{f"/img/{name}": image for name in ("a.png", "b.png", "a2.jpg", "c.png",
                                                  "d.png", "e.png")}}


CONFIG = """
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
sales = "i.s"
next = "a.next@href"
"""


@dataclass
class World:
    peer: Peer
    cards: Cards
    config: Path


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("MONITOR_NOW", "2026-03-01T09:00:00+08:00")
    peer, cards = Peer(), Cards()
    peer.images = {"a.png": photo(1), "b.png": photo(2), "a2.jpg": recompressed(photo(1)),
                   "c.png": photo(3), "d.png": photo(4), "e.png": photo(5)}
    peer.add(1, "法式碎花连衣裙", 259.0, "c.png")
    peer.add(2, "Linen Shirt", 120.0, "a.png")
    peer.add(3, "Linen Trousers", 150.0, "a.png")
    peer.add(4, "Wool Coat", 600.0, "d.png")
    peer.add(5, "Silk Scarf", 129.0, "e.png")
    cards.sales = {pid: 100 + pid for pid in range(1, 13)} | {13: 30}
    root: list[str] = []
    with LoopbackServer(routes(peer, cards, root)) as server:  # type: ignore[arg-type]
        root.append(server.url)
        path = tmp_path / "config.toml"
        path.write_text(CONFIG.format(root=server.url), encoding="utf-8")
        yield World(peer, cards, path)


def check(world: World, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    main(["check", "--config", str(world.config), "--json", "--no-send", "--only", "peers"])
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def of(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["kind"] == kind]


def details(event: dict[str, Any]) -> dict[str, Any]:
    got = event["details"]
    assert isinstance(got, dict)
    return got


def test_title_picture_and_sizes_each_one_listing_changed(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == []
    world.peer.items[1]["title"] = "2026春季新款法式碎花连衣裙"          # title rewrite
    world.peer.items[2]["image"] = "b.png"                               # another photo
    world.peer.items[3]["image"] = "a2.jpg"                              # same photo, re-saved
    world.peer.items[4]["sizes"] = ("S", "M", "L", "XL", "XXL")          # two new sizes
    changed = {e["product"]["title"]: details(e)["changes"]
               for e in of(check(world, capsys), "listing_changed")}
    assert set(changed) == {"2026春季新款法式碎花连衣裙", "Linen Shirt", "Wool Coat"}
    title = changed["2026春季新款法式碎花连衣裙"]["title"]
    assert title["added"] == ["2026", "春季", "新款"] and title["removed"] == []
    image = changed["Linen Shirt"]["image"]
    assert image["old"].endswith("/img/a.png") and image["new"].endswith("/img/b.png")
    assert image["distance"] > 10
    assert changed["Wool Coat"] == {"variants": {"added": ["XL", "XXL"], "removed": []}}
    assert check(world, capsys) == []  # reported once


def test_a_failed_read_invents_no_change(world: World,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    world.peer.fail = True
    world.peer.items[4]["sizes"] = ("S",)
    assert of(check(world, capsys), "listing_changed") == []


def test_price_alternating_99_129_over_six_checks_is_told_at_most_twice(
        world: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    told = []
    for day, price in enumerate([99.0, 129.0, 99.0, 129.0, 99.0, 129.0]):
        monkeypatch.setenv("MONITOR_NOW", f"2026-03-{day + 1:02d}T09:00:00+08:00")
        world.peer.items[5]["price"] = price
        told += [e for e in check(world, capsys) if e["kind"] in ("price_drop", "price_rise")]
    assert len(told) == 2  # the first move, then once "it alternates"
    assert "alternates" in details(told[-1])


def test_a_drop_to_the_lowest_in_100_days_says_so(
        world: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    check(world, capsys)                                                  # Mar 1: 600
    monkeypatch.setenv("MONITOR_NOW", "2026-03-02T09:00:00+08:00")
    world.peer.items[4]["price"] = 640.0
    check(world, capsys)
    monkeypatch.setenv("MONITOR_NOW", "2026-06-09T09:00:00+08:00")         # 100 days on
    world.peer.items[4]["price"] = 450.0
    (drop,) = of(check(world, capsys), "price_drop")
    assert {k: details(drop)[k] for k in ("low", "high", "lowest_in_days")} == {
        "low": 450.0, "high": 640.0, "lowest_in_days": 100}
    assert "lowest in 100 days" in str(drop["summary"])


def test_monthly_sales_30_to_2000_is_one_bestseller_and_a_partial_read_none(
        world: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    check(world, capsys)
    monkeypatch.setenv("MONITOR_NOW", "2026-03-02T09:00:00+08:00")
    world.cards.sales[12] = 5000
    world.cards.fail_page = 1  # the page with the others fails: a partial read
    assert of(check(world, capsys), "bestseller") == []
    world.cards.fail_page = None
    world.cards.sales[12] = 112
    world.cards.sales[13] = 2000
    monkeypatch.setenv("MONITOR_NOW", "2026-03-03T09:00:00+08:00")
    (best,) = of(check(world, capsys), "bestseller")
    assert best["store"] == "Cards" and best["product"]["title"] == "连衣裙 13 号"
    assert details(best) | {"figure": None} == {
        "rank": 1, "previous_rank": None, "sales": 2000, "per_day": 66.67, "figure": None}
    monkeypatch.setenv("MONITOR_NOW", "2026-03-04T09:00:00+08:00")
    assert of(check(world, capsys), "bestseller") == []


def test_top_and_history_answer_from_what_was_stored(
        world: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    check(world, capsys)
    for day, price in [(2, 560.0), (3, 520.0)]:
        monkeypatch.setenv("MONITOR_NOW", f"2026-03-0{day}T09:00:00+08:00")
        world.peer.items[4]["price"] = price
        world.cards.sales[13] = 2000 * day
        check(world, capsys)
    store = Store(world.config.parent / "m.db")
    try:
        top = top_items(store, "peer:Cards", datetime(2026, 3, 3, 2, tzinfo=UTC))
        found = history(store, "wool coat", ["peer:Shopi", "peer:Cards"])
    finally:
        store.close()
    assert [t["title"] for t in top[:2]] == ["连衣裙 13 号", "连衣裙 12 号"]
    assert top[0]["per_day"] == 200.0 and top[0]["rank"] == 1
    assert found and found["item"]["title"] == "Wool Coat"
    assert [p["price"] for p in found["series"]] == [600.0, 560.0, 520.0]
