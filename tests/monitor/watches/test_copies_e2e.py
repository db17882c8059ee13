"""Copies of the hero product on a loopback marketplace, with their evidence."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PIL import Image, ImageDraw

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply, Request


def hero_image() -> Image.Image:
    img = Image.new("RGB", (600, 600), (240, 236, 228))
    draw = ImageDraw.Draw(img)
    draw.rectangle((150, 120, 450, 520), fill=(30, 60, 140))
    draw.ellipse((220, 60, 380, 200), fill=(200, 40, 40))
    draw.polygon([(150, 520), (300, 360), (450, 520)], fill=(250, 200, 30))
    return img


def other_image() -> Image.Image:
    img = Image.new("RGB", (500, 500), (20, 20, 20))
    draw = ImageDraw.Draw(img)
    for i in range(0, 500, 50):
        draw.line((i, 0, 500 - i, 500), fill=(0, 200, 120), width=12)
    return img


def jpeg(img: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


@dataclass
class Market:
    """Search results by query; tests add listings between checks."""

    results: list[dict[str, object]] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)

    def search(self, req: Request) -> Reply:
        query = unquote(parse_qs(urlsplit(req.path).query, keep_blank_values=True)["q"][0])
        self.queries.append(query)
        cards = "".join(
            f'<div class="item"><a class="t" href="/m/item/{r["id"]}">{r["title"]}</a>'
            f'<img src="/img/{r["img"]}.jpg"><span class="p">¥{r["price"]}</span>'
            f'<span class="shop">{r["seller"]}</span></div>' for r in self.results)
        return Reply(f"<html><body>{cards}</body></html>")


HERO_PAGE = """<html><head><script type="application/ld+json">{{
"@context": "https://schema.org", "@type": "Product", "name": "{title}",
"image": ["{root}/img/hero.jpg"], "sku": "H1",
"offers": {{"@type": "Offer", "price": "199.00", "priceCurrency": "CNY",
"availability": "https://schema.org/InStock"}}}}</script></head><body></body></html>"""

CONFIG = """
[monitor]
database = "m.db"
host_interval = "0s"
respect_robots = false

[[hero]]
name = "Wide Jeans"
url = "{root}/shop/jeans"
queries = ["阔腿牛仔裤 女"]

[[marketplaces]]
name = "Bazaar"
search = "{root}/search?q={query}"
platform = "html"
layout = "bazaar"

[layouts.bazaar.listing]
item = "div.item"
title = "a.t"
url = "a.t"
image = "img"
price = "span.p"
seller = "span.shop"
"""

HERO_TITLE = "高腰阔腿牛仔裤女宽松显瘦直筒拖地裤"


@dataclass
class World:
    market: Market
    config: Path
    images: dict[str, bytes]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    market = Market([{"id": 1, "title": "男士商务皮鞋真皮", "img": "other", "price": 299,
                      "seller": "鞋城"}])
    small = hero_image().resize((300, 300))
    images = {"hero": jpeg(hero_image()), "other": jpeg(other_image()),
              "stolen": jpeg(small, quality=50), "style": jpeg(other_image().rotate(90))}
    with LoopbackServer() as server:
        server.routes["/search"] = market.search
        server.routes["/shop/jeans"] = Reply(HERO_PAGE.format(title=HERO_TITLE,
                                                              root=server.url))
        for name, data in images.items():
            server.routes[f"/img/{name}.jpg"] = Reply(data, content_type="image/jpeg")
        path = tmp_path / "config.toml"
        path.write_text(CONFIG.replace("{root}", server.url), encoding="utf-8")
        yield World(market, path, images)


def check(world: World, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["check", "--config", str(world.config), "--json", "--no-send",
                 "--only", "copies"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def test_new_copies_raise_one_alert_each_with_evidence(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == []
    assert world.market.queries == ["阔腿牛仔裤 女"]
    world.market.results += [
        {"id": 2, "title": "爆款连衣裙", "img": "stolen", "price": 89, "seller": "盗图店"},
        {"id": 3, "title": "2026新款高腰阔腿牛仔裤女宽松显瘦直筒拖地裤 包邮", "img": "style",
         "price": 259, "seller": "同款店"},
        {"id": 4, "title": "儿童羽绒服加厚", "img": "other", "price": 199, "seller": "童装"},
    ]
    events = check(world, capsys)
    by_seller = {e["details"]["seller"]: e for e in events}
    assert sorted(by_seller) == ["同款店", "盗图店"]
    assert {e["kind"] for e in events} == {"copy_listing"}
    stolen = by_seller["盗图店"]["details"]
    assert stolen["kind"] == "stolen_photo" and stolen["undercut"] is True
    assert stolen["price"] == 89 and stolen["hero_price"] == 199
    assert stolen["image_distance"] <= 10
    evidence = stolen["evidence"]
    assert evidence["image_sha256"] == hashlib.sha256(world.images["stolen"]).hexdigest()
    assert evidence["image_url"].endswith("/img/stolen.jpg")
    assert evidence["hero_image_url"].endswith("/img/hero.jpg")
    assert evidence["first_seen"] and evidence["hero_image_first_seen"] and evidence["distances"]
    style = by_seller["同款店"]["details"]
    assert style["kind"] == "same_style" and style["title_similarity"] >= 0.8
    assert style["hero"] == "Wide Jeans"
    # Unchanged results: nothing new; a copy that disappears and comes back is the same copy.
    assert check(world, capsys) == []
    saved = world.market.results.pop(1)
    assert check(world, capsys) == []
    world.market.results.append(saved)
    assert check(world, capsys) == []
