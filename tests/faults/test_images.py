"""Copies watch: an image that is not an image hides nothing for good and invents nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply
from tests.faults.table import Ledger
from tests.monitor.watches.test_copies_e2e import (
    CONFIG,
    HERO_PAGE,
    HERO_TITLE,
    Market,
    hero_image,
    jpeg,
    other_image,
)

NOT_AN_IMAGE = b"\xff\xd8\xff\xe0<html>an error page, served as image/jpeg</html>" * 20


@dataclass
class Copies:
    market: Market
    server: LoopbackServer
    config: Path

    def image(self, name: str, data: bytes) -> None:
        self.server.routes[f"/img/{name}.jpg"] = Reply(data, content_type="image/jpeg")

    def hero_photo(self, name: str) -> None:
        """Our listing now shows /img/{name}.jpg."""
        page = HERO_PAGE.format(title=HERO_TITLE, root=self.server.url)
        self.server.routes["/shop/jeans"] = Reply(page.replace("/img/hero.jpg",
                                                               f"/img/{name}.jpg"))


@pytest.fixture
def copies(tmp_path: Path) -> Iterator[Copies]:
    market = Market([{"id": 1, "title": "男士商务皮鞋真皮", "img": "other", "price": 299,
                      "seller": "鞋城"}])
    with LoopbackServer() as server:
        server.routes["/search"] = market.search
        world = Copies(market, server, tmp_path / "config.toml")
        world.hero_photo("hero")
        world.image("hero", jpeg(hero_image()))
        world.image("other", jpeg(other_image()))
        world.config.write_text(CONFIG.replace("{root}", server.url), encoding="utf-8")
        yield world


def check(copies: Copies) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        code = main(["check", "--config", str(copies.config), "--json", "--no-send",
                     "--only", "copies"])
    return code, [json.loads(x) for x in out.getvalue().splitlines() if x.strip()]


def stolen(seller: str, img: str, pid: int) -> dict[str, object]:
    """A listing with an unrelated title: only its photo can give it away."""
    return {"id": pid, "title": "爆款连衣裙", "img": img, "price": 89, "seller": seller}


@pytest.mark.parametrize("broken", ["listing image", "hero image"])
def test_an_image_that_is_not_an_image_neither_crashes_nor_hides_a_copy_for_good(
        copies: Copies, broken: str) -> None:
    ledger = Ledger(f"not an image: {broken}",
                    {("copy_listing", "Bazaar", "爆款连衣裙")})
    code, events = check(copies)
    ledger.add(events)
    assert (code, events) == (0, [])
    copies.image("stolen", jpeg(hero_image().resize((300, 300)), quality=50))
    if broken == "listing image":
        copies.image("broken", NOT_AN_IMAGE)
        copies.market.results.append(stolen("假图店", "broken", 2))
    else:
        copies.image("hero2", NOT_AN_IMAGE)
        copies.hero_photo("hero2")
        copies.market.results.append(stolen("盗图店", "stolen", 2))
    code, events = check(copies)  # nothing to compare: no alert, and no crash
    ledger.add(events)
    assert (code, events) == (0, [])
    copies.image("broken" if broken == "listing image" else "hero2",
                 jpeg(hero_image().resize((300, 300)), quality=50))
    code, events = check(copies)  # the picture reads now: the copy is found once
    ledger.add(events)
    assert code == 0 and [e["kind"] for e in events] == ["copy_listing"]
    code, events = check(copies)
    ledger.add(events)
    assert (code, events) == (0, [])
    ledger.assert_clean()
