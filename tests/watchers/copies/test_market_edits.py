"""A loopback marketplace whose sellers crop, banner and turn our real photo (issue 13).

Our listing shows a real clothing photo; the search returns a cropped, a bannered and a
rotated copy of it beside two other garments of the same category. Exactly the three
copies are reported, each naming how its photo was matched and where ours sits in it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import load
from monitor.service.app import open_app
from tests.fakes.http import LoopbackServer, Reply
from tests.monitor.watches.test_copies_e2e import CONFIG, HERO_PAGE, HERO_TITLE, Market
from tests.watchers.copies import realworld

pytestmark = [
    pytest.mark.realworld,
    pytest.mark.skipif(not realworld.available(),
                       reason=f"the real photos are not there: {realworld.ROOT}"),
]

# Titles that share nothing with our hero's: only the photo can tell.
COPIES = {"crop_30": "夏季短袖T恤女", "banner_25": "纯棉圆领上衣 特价",
          "rotate_10": "百搭宽松体恤"}


@pytest.fixture
def market(tmp_path: Path) -> Iterator[tuple[Market, Path]]:
    shirts = realworld.photos()["t-shirt"]
    hero = realworld.load(shirts[0])
    images = {"hero": shirts[0].read_bytes(), "other1": shirts[1].read_bytes(),
              "other2": shirts[2].read_bytes()}
    images |= {name: realworld.EDITS[name](hero) for name in COPIES}
    results: list[dict[str, object]] = [
        {"id": 1, "title": "男士商务皮鞋真皮", "img": "other1", "price": 299, "seller": "鞋城"}]
    with LoopbackServer() as server:
        server.routes["/search"] = (found := Market(results)).search
        server.routes["/shop/jeans"] = Reply(HERO_PAGE.format(title=HERO_TITLE,
                                                              root=server.url))
        for name, data in images.items():
            server.routes[f"/img/{name}.jpg"] = Reply(data, content_type="image/jpeg")
        path = tmp_path / "config.toml"
        path.write_text(CONFIG.replace("{root}", server.url), encoding="utf-8")
        yield found, path


def _check(config: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["check", "--config", str(config), "--json", "--no-send",
                 "--only", "copies"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def test_cropped_bannered_and_rotated_copies_are_reported_with_their_evidence(
        market: tuple[Market, Path], capsys: pytest.CaptureFixture[str]) -> None:
    found, config = market
    assert _check(config, capsys) == []  # the baseline
    found.results += [
        {"id": 10 + i, "title": title, "img": name, "price": 59, "seller": f"店{name}"}
        for i, (name, title) in enumerate(COPIES.items())]
    found.results.append({"id": 20, "title": "短袖T恤 新款", "img": "other2", "price": 79,
                          "seller": "别家"})
    events = _check(config, capsys)
    by_seller = {e["details"]["seller"]: e["details"] for e in events}  # type: ignore[index]
    assert sorted(by_seller) == sorted(f"店{name}" for name in COPIES)
    assert {e["kind"] for e in events} == {"copy_listing"}
    for details in by_seller.values():
        assert details["kind"] == "stolen_photo"
        evidence = details["evidence"]
        assert evidence["hero_image_url"].endswith("/img/hero.jpg")
        photo = evidence["photo"]
        assert photo["method"] == "features", photo
        assert photo["features"]["inliers"] >= 15
        left, top, right, bottom = photo["features"]["box"]
        assert 0 <= left < right <= 1.0 and 0 <= top < bottom <= 1.0
    # The banner hides the bottom quarter: our photo is matched above it.
    assert by_seller["店banner_25"]["evidence"]["photo"]["features"]["box"][3] <= 0.8
    assert abs(by_seller["店rotate_10"]["evidence"]["photo"]["features"]["turn"]) >= 5
    assert _check(config, capsys) == []  # reported once


async def _hashed_by_a_check(config: Path) -> int:
    async with open_app(load(config)) as app:
        return (await app.runner.check(["copies"])).counters["images_hashed"]


def test_an_unchanged_search_hashes_no_image_again(market: tuple[Market, Path]) -> None:
    """Hashes and local features are stored: our photo (with its mirror) and theirs."""
    found, config = market
    found.results += [{"id": 10 + i, "title": title, "img": name, "price": 59,
                       "seller": f"店{name}"} for i, (name, title) in enumerate(COPIES.items())]
    assert asyncio.run(_hashed_by_a_check(config)) == 5  # ours, a shoe and three copies
    assert asyncio.run(_hashed_by_a_check(config)) == 0
