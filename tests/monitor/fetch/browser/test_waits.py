"""Browser reads that wait for what they came for, through real headless Chromium: cards
built by a module script after DOMContentLoaded are read whole, and a card that turns
已售罄 is one `out_of_stock` (and `back_in_stock` when it sells again)."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.fetch.addresses import AddressPolicy, origin_of
from monitor.fetch.browser import BrowserFetcher
from tests.fakes.http import LoopbackServer, Reply, Request
from watchers.fetching import Document

CHROMIUM = "/usr/bin/chromium"
PEER = "Module Shop"

# Taobao's 2024 card markup, built the way its module loader does: a module script that
# waits ~250 ms after DOMContentLoaded, then adds the cards in batches.
SHOP = """<!doctype html><html><head><meta charset="utf-8"><title>小店 - 淘宝网</title>
<script type="module">
const items = %s;
const card = it => `<a class="Card--doubleCardWrapper--L2XFE73"
    href="//item.taobao.com/item.htm?id=${it.id}" data-stock="${it.stock}">
  <div class="Title--title--jCOPvpf"><span>${it.title}</span></div>
  <span class="Price--priceInt--ZlsSi_M">${it.price}</span>
  ${it.stock === 0 ? '<span class="Card--stock">已售罄</span>' : ''}</a>`;
const wait = ms => new Promise(done => setTimeout(done, ms));
await wait(250);
const list = document.querySelector("#list");
for (let i = 0; i < items.length; i += %d) {
  list.insertAdjacentHTML("beforeend", items.slice(i, i + %d).map(card).join(""));
  await wait(%d);
}
</script></head><body><div id="list"></div></body></html>"""


def shop_page(items: list[dict[str, object]], batch: int = 5, gap_ms: int = 150) -> str:
    return SHOP % (json.dumps(items, ensure_ascii=False), batch, batch, gap_ms)


def items(n: int) -> list[dict[str, object]]:
    return [{"id": 730000000000 + i, "title": f"连衣裙 {i}", "price": 100 + i, "stock": 9}
            for i in range(n)]


@pytest.fixture(autouse=True)
def _chromium() -> None:
    assert shutil.which(CHROMIUM), "the project's set-up installs Debian's chromium"


def read(url: str, **kw: object) -> Document:
    async def go() -> Document:
        options: dict[str, object] = {"executable": CHROMIUM, **kw}
        async with BrowserFetcher(**options) as browser:  # type: ignore[arg-type]
            return await browser.fetch(url)
    return asyncio.run(go())


def test_cards_added_in_batches_after_domcontentloaded_are_all_read(tmp_path: Path) -> None:
    twenty = items(20)
    with LoopbackServer({"/shop": Reply(shop_page(twenty, batch=5, gap_ms=200))}) as server:
        doc = read(server.url + "/shop", screenshots=tmp_path)
    assert doc.text.count('data-stock="9"') == 20  # the script itself holds none


def test_a_page_without_cards_that_never_settles_is_read_when_the_wait_runs_out(
        tmp_path: Path) -> None:
    ticking = ("<html><body><p id='t'>0</p><script>let n = 0; setInterval(() => "
               "{ document.getElementById('t').textContent = ++n; }, 50);</script>"
               "</body></html>")
    with LoopbackServer({"/ads": Reply(ticking)}) as server:
        doc = read(server.url + "/ads", screenshots=tmp_path, wait=1.5, page_timeout=20.0)
    assert "<p id=\"t\">" in doc.text  # read as it stood, not a failed read


def test_the_browser_asks_nothing_of_an_address_nobody_configured(tmp_path: Path) -> None:
    with LoopbackServer({"/x.js": Reply("window.x = 1;", content_type="text/javascript"),
                         "/api": Reply("{}", content_type="application/json")}) as inside:
        page = (f"<html><body><script src='{inside.url}/x.js'></script><script>"
                f"fetch('{inside.url}/api').catch(() => 0);</script><p>shop</p></body></html>")
        with LoopbackServer({"/": Reply(page)}) as shop:
            origin = origin_of(shop.url)
            assert origin is not None
            policy = AddressPolicy(frozenset({origin}))
            doc = read(shop.url + "/", screenshots=tmp_path, addresses=policy)
    assert "<p>shop</p>" in doc.text
    assert inside.requests == [] and policy.refused >= 1


class ModuleShop:
    """A Taobao-like shop whose list only exists once its module script has run."""

    def __init__(self) -> None:
        self.items = items(12)

    def page(self, req: Request) -> Reply:
        return Reply(shop_page(self.items, batch=4, gap_ms=150))


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ModuleShop, Path]]:
    shop = ModuleShop()
    with LoopbackServer({"/shop/items.htm": shop.page}) as server:
        config = tmp_path / "config.toml"
        config.write_text(f"""
[monitor]
database = "m.db"
browser = "{CHROMIUM}"
timeout = "10s"

[[peers]]
name = "{PEER}"
url = "{server.url}/shop/items.htm"
platform = "taobao"
fetch = "browser"
respect_robots = false
""", encoding="utf-8")
        monkeypatch.setenv("MONITOR_NOW", "2026-03-01T09:00:00+08:00")
        yield shop, config


def check(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[tuple[str, str]]]:
    code = main(["check", "--config", str(config), "--json", "--no-send"])
    events = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    return code, sorted((e["kind"], (e["product"] or {}).get("title")) for e in events)


def test_a_card_that_turns_sold_out_is_one_out_of_stock_then_back_in_stock(
        world: tuple[ModuleShop, Path], capsys: pytest.CaptureFixture[str]) -> None:
    shop, config = world
    assert check(config, capsys) == (0, [])  # every card read: a silent baseline
    shop.items[3]["stock"] = 0
    assert check(config, capsys) == (0, [("out_of_stock", "连衣裙 3")])
    assert check(config, capsys) == (0, [])  # reported once
    shop.items[3]["stock"] = 5
    assert check(config, capsys) == (0, [("back_in_stock", "连衣裙 3")])
