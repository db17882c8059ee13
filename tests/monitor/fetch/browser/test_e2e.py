"""`fetch = "browser"` end to end: real headless Chromium reads a JS-only shop with the
operator's cookies, and a slider check becomes one alert with a screenshot."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from PIL import Image

from monitor.cli import main
from monitor.store.database import Store
from tests.fakes.botapi import FakeBotApi
from tests.fakes.http import LoopbackServer
from tests.monitor.fetch.browser.market import Market, write_cookies

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
CHROMIUM = "/usr/bin/chromium"
OPS = 4242
PEER = "Taobao Peer"


@dataclass
class World:
    market: Market
    server: LoopbackServer
    api: FakeBotApi
    config: Path


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The shop with two items, the fake Bot API, cookies.txt and a config reading through
    the browser."""
    assert shutil.which(CHROMIUM), "the project's set-up installs Debian's chromium"
    market = Market()
    market.add(720001234501, "法式碎花连衣裙 春季新款", 129.0, "1.5万+人付款")
    market.add(720001234502, "针织开衫 薄款", 99.0, "月销 2000+")
    server = market.serve()
    api = FakeBotApi().start()
    write_cookies(tmp_path / "cookies.txt")
    config = tmp_path / "config.toml"
    config.write_text(f"""
[monitor]
database = "m.db"
cookies = "cookies.txt"
browser = "{CHROMIUM}"
timeout = "10s"

[telegram]
chats = [{OPS}]
api_url = "{api.url}"

[[peers]]
name = "{PEER}"
url = "{server.url}/shop/items.htm"
platform = "taobao"
fetch = "browser"
respect_robots = false   # robots.txt would cost a request, and the site's gap, per check
""", encoding="utf-8")
    monkeypatch.setenv("MONITOR_TELEGRAM_TOKEN", api.token)
    monkeypatch.setenv("MONITOR_NOW", "2026-03-01T09:00:00+08:00")
    try:
        yield World(market, server, api, config)
    finally:
        api.stop()
        server.stop()


def check(world: World, capsys: pytest.CaptureFixture[str], *, send: bool = False,
          ) -> tuple[int, list[dict[str, object]]]:
    args = ["check", "--config", str(world.config), "--json"]
    code = main(args if send else [*args, "--no-send"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def stored(world: World) -> dict[str, tuple[str, float | None, int | None, str | None]]:
    store = Store(world.config.parent / "m.db")
    try:
        return {k: (x.title, x.price, x.sales, x.seller)
                for k, x in store.items(f"peer:{PEER}").items()}
    finally:
        store.close()


def test_js_only_shop_is_read_through_chromium_with_the_operators_cookies(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == (0, [])  # the first read is a silent baseline
    assert stored(world) == {
        "720001234501": ("法式碎花连衣裙 春季新款", 129.0, 15000, "优衣小铺"),
        "720001234502": ("针织开衫 薄款", 99.0, 2000, "优衣小铺"),
    }
    shop_requests = [r for r in world.server.requests if r.path == "/shop/items.htm"]
    assert "cookie2=s3ss10n" in shop_requests[0].headers["Cookie"]  # the session cookie

    world.market.add(720001234503, "真丝衬衫", 259.5, "300+人付款")
    world.market.items[720001234502]["price"] = 79.0
    code, events = check(world, capsys)
    assert code == 0
    # 300+人付款 is 300 buyers in 30 days: a new item that sells enters the peer's top 10.
    assert sorted((e["kind"], e["product"]["title"]) for e in events) == [  # type: ignore[index]
        ("bestseller", "真丝衬衫"), ("new_listing", "真丝衬衫"), ("price_drop", "针织开衫 薄款")]
    drop = next(e for e in events if e["kind"] == "price_drop")
    assert drop["details"]["old"] == 99.0 and drop["details"]["new"] == 79.0  # type: ignore[index]
    assert check(world, capsys) == (0, [])  # reported once


def test_slider_page_is_one_alert_with_a_screenshot_and_no_changes(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == (0, [])
    world.market.slider = True

    code, events = check(world, capsys, send=True)
    assert code == 1
    assert [e["kind"] for e in events] == ["source_failing"]
    details = events[0]["details"]
    assert isinstance(details, dict)
    assert details["needs_person"] is True
    shot = Path(details["screenshot"])
    with Image.open(shot) as image:
        assert image.format == "PNG"
        assert image.width > 100 and image.height > 100
        darkest, lightest = cast(tuple[int, int], image.convert("L").getextrema())
        assert lightest - darkest > 50  # the page was drawn (the slider), not a blank canvas
    assert len(stored(world)) == 2  # nothing removed

    texts = [m for m in world.api.sent_messages(OPS) if m["method"] == "sendMessage"]
    photos = [m for m in world.api.sent_messages(OPS) if m["method"] == "sendPhoto"]
    assert len(texts) == 1
    assert PEER in texts[0]["plain"]
    assert "monitor login" in texts[0]["plain"] and "cookies" in texts[0]["plain"]
    assert len(photos) == 1
    assert photos[0]["photo"] == shot.read_bytes()
    assert PEER in photos[0]["plain"]

    assert check(world, capsys, send=True) == (1, [])  # still blocked: not told again
    assert len(world.api.sent_messages(OPS)) == 2


def test_without_a_valid_session_the_login_page_needs_a_person(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    write_cookies(world.config.parent / "cookies.txt", session="expired")
    code, events = check(world, capsys)
    assert code == 1
    assert [e["kind"] for e in events] == ["source_failing"]
    assert events[0]["details"]["needs_person"] is True  # type: ignore[index]
    assert "login" in str(events[0]["details"]["error"])  # type: ignore[index]
    assert Path(events[0]["details"]["screenshot"]).is_file()  # type: ignore[index]
    assert "/shop/api/items.json" not in world.server.paths()
