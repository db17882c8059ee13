"""Season advice over three dates: prepare -> wait -> launch, each change reported once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply

CONFIG = """
[monitor]
database = "m.db"
host_interval = "0s"
respect_robots = false
timezone = "Asia/Shanghai"

[season]
window = "21d"
min_peers = 2

[[peers]]
name = "Alpha"
url = "{root}/alpha"
catalog = "{root}/alpha/list"
platform = "html"
layout = "cards"

[[peers]]
name = "Beta"
url = "{root}/beta"
catalog = "{root}/beta/list"
platform = "html"
layout = "cards"

[[peers]]
name = "Gamma"
url = "{root}/gamma"
catalog = "{root}/gamma/list"
platform = "html"
layout = "cards"

[layouts.cards.listing]
item = "div.card"
title = "a"
url = "a"
price = "span.price"
sales = "span.sales"
"""

Shop = dict[str, tuple[str, int]]  # key -> (title, sales)


def page(shop: Shop) -> Reply:
    cards = "".join(f'<div class="card"><a href="/i/{k}">{title}</a><span class="price">¥99'
                    f'</span><span class="sales">{sales}人付款</span></div>'
                    for k, (title, sales) in shop.items())
    return Reply(f"<html><body>{cards}</body></html>")


@pytest.fixture
def shops(tmp_path: Path) -> Iterator[tuple[dict[str, Shop], Path]]:
    shops: dict[str, Shop] = {
        name: {f"{name}-w{i}": (f"冬季加厚羽绒服{i}号", 100) for i in range(3)}
        for name in ("alpha", "beta", "gamma")
    }

    def route(name: str) -> object:
        return lambda req: page(shops[name])

    routes = {f"/{n}/list": route(n) for n in shops}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        path = tmp_path / "config.toml"
        path.write_text(CONFIG.replace("{root}", server.url), encoding="utf-8")
        yield shops, path


def hints(path: Path, when: str, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    monkeypatch.setenv("MONITOR_NOW", when)
    main(["check", "--config", str(path), "--json", "--no-send"])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    return [e for e in events if e["kind"] == "season_hint"]


def test_advice_moves_prepare_wait_launch_and_repeats_nothing(
        shops: tuple[dict[str, Shop], Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    stores, path = shops
    # Winter only: the coming season is spring and nobody launched it (prepare: not reported).
    assert hints(path, "2027-01-10T10:00:00+08:00", monkeypatch, capsys) == []
    # Two peers launch spring items; nothing sells yet beside their other new items.
    for name in ("alpha", "beta"):
        stores[name][f"{name}-s1"] = ("2027春装新款衬衫女", 0)
        stores[name][f"{name}-s2"] = ("早春新款风衣外套", 0)
        stores[name][f"{name}-n1"] = ("四季百搭纯棉T恤", 0)
    (wait,) = hints(path, "2027-01-17T10:00:00+08:00", monkeypatch, capsys)
    assert wait["details"]["advice"] == "wait" and wait["details"]["season"] == "spring"
    assert {p["peer"] for p in wait["details"]["peers"]} == {"Alpha", "Beta"}
    assert wait["store"] is None and wait["product"] is None
    assert hints(path, "2027-01-17T16:00:00+08:00", monkeypatch, capsys) == []
    # A week later the spring items sell at least as well as the peers' other new items.
    for name in ("alpha", "beta"):
        stores[name][f"{name}-s1"] = ("2027春装新款衬衫女", 800)
        stores[name][f"{name}-s2"] = ("早春新款风衣外套", 500)
        stores[name][f"{name}-n1"] = ("四季百搭纯棉T恤", 50)
    (launch,) = hints(path, "2027-01-24T10:00:00+08:00", monkeypatch, capsys)
    assert launch["details"]["advice"] == "launch"
    assert hints(path, "2027-01-24T10:00:00+08:00", monkeypatch, capsys) == []
    assert main(["check", "--config", str(path), "--only", "season", "--no-send"]) == 0
