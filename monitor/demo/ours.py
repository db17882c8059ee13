"""Our side of the sample world: the hero listing, a marketplace that copies it, our reviews.

Served by the same loopback server as the sample peers (see `monitor.demo.peers`).
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

HERO_TITLE = "高腰阔腿牛仔裤女宽松显瘦直筒拖地裤"


def _hero_picture() -> Image.Image:
    img = Image.new("RGB", (600, 600), (240, 236, 228))
    draw = ImageDraw.Draw(img)
    draw.rectangle((150, 120, 450, 520), fill=(30, 60, 140))
    draw.ellipse((220, 60, 380, 200), fill=(200, 40, 40))
    draw.polygon([(150, 520), (300, 360), (450, 520)], fill=(250, 200, 30))
    return img


def _other_picture(seed: int) -> Image.Image:
    img = Image.new("RGB", (500, 500), (20 + seed * 30, 20, 20))
    draw = ImageDraw.Draw(img)
    for i in range(0, 500, 40 + seed * 10):
        draw.line((i, 0, 500 - i, 500), fill=(0, 200, 120), width=12)
    return img


def jpeg(img: Image.Image, quality: int = 90) -> bytes:
    """The picture as JPEG bytes."""
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


@dataclass
class Review:
    """One review on our product page; `stars` None: the page shows no stars for it."""

    id: str
    text: str
    author: str
    date: str
    stars: int | None = None


@dataclass
class OurWorld:
    """Our hero and top product, and a marketplace; `change()` brings a copy and new reviews."""

    root: str = ""
    images: dict[str, bytes] = field(default_factory=lambda: {
        "hero": jpeg(_hero_picture()), "belt": jpeg(_other_picture(1)),
        "shoes": jpeg(_other_picture(2)),
        # A thief's copy: our photo made smaller and re-compressed.
        "stolen": jpeg(_hero_picture().resize((320, 320)), quality=55),
    })
    results: list[dict[str, object]] = field(default_factory=lambda: [
        {"id": 1, "title": "男士商务真皮腰带", "img": "belt", "price": 89, "seller": "皮具城"},
        {"id": 2, "title": "休闲板鞋男", "img": "shoes", "price": 159, "seller": "鞋铺"},
    ])
    reviews: list[Review] = field(default_factory=lambda: [
        Review("r1", "很好看，尺码合适，会回购", "小林", "2026-11-20", 5),
        Review("r2", "裤型好，显瘦", "阿May", "2026-11-22", 5),
    ])

    def change(self, day: str) -> None:
        """A copy of the hero appears; one medium, one bad (no stars) and one good review."""
        self.results.insert(0, {"id": 3, "title": "2026新款高腰阔腿牛仔裤女宽松显瘦直筒",
                                "img": "stolen", "price": 99, "seller": "低价女装店"})
        self.reviews[:0] = [
            Review("r5", "很喜欢，面料舒服，尺码标准", "小李", day),
            Review("r4", "穿了一次就起球，做工太差，退货了", "小王", day),
            Review("r3", "一般吧，颜色和图片有色差", "小张", day, 3),
        ]

    def route(self, path: str, query: dict[str, list[str]]) -> tuple[bytes, str] | None:
        """The body and content type for `path`, or None when it is not ours."""
        if path == "/ours/jeans":
            return self._hero_page().encode(), "text/html; charset=utf-8"
        if path == "/ours/reviews":
            return self._reviews_page().encode(), "text/html; charset=utf-8"
        if path == "/bazaar/search":
            return self._search_page().encode(), "text/html; charset=utf-8"
        if path.startswith("/img/") and path[5:-4] in self.images:
            return self.images[path[5:-4]], "image/jpeg"
        return None

    def _hero_page(self) -> str:
        product = {"@context": "https://schema.org", "@type": "Product", "name": HERO_TITLE,
                   "image": [f"{self.root}/img/hero.jpg"], "sku": "H1",
                   "offers": {"@type": "Offer", "price": "199.00", "priceCurrency": "CNY",
                              "availability": "https://schema.org/InStock"}}
        script = json.dumps(product, ensure_ascii=False)
        return (f'<html><head><script type="application/ld+json">{script}</script></head>'
                "<body></body></html>")

    def _search_page(self) -> str:
        cards = "".join(
            f'<div class="item"><a class="t" href="/bazaar/item/{r["id"]}">{r["title"]}</a>'
            f'<img src="/img/{r["img"]}.jpg"><span class="p">¥{r["price"]}</span>'
            f'<span class="shop">{r["seller"]}</span></div>' for r in self.results)
        return f"<html><body>{cards}</body></html>"

    def _reviews_page(self) -> str:
        items = "".join(
            f'<div class="rev" data-id="{r.id}">'
            + (f'<span class="stars">{r.stars}/5</span>' if r.stars else "")
            + f'<p class="body">{html.escape(r.text)}</p><em class="who">{r.author}</em>'
            f"<time>{r.date}</time></div>" for r in self.reviews)
        return f"<html><body>{items}</body></html>"


CONFIG = """
[[hero]]
name = "Wide Jeans"
url = "{root}/ours/jeans"
queries = ["阔腿牛仔裤 女"]

[[marketplaces]]
name = "Bazaar"
search = "{root}/bazaar/search?q={query}"
platform = "html"
layout = "bazaar"

[layouts.bazaar.listing]
item = "div.item"
title = "a.t"
url = "a.t"
image = "img"
price = "span.p"
seller = "span.shop"

[[top]]
name = "Wide Jeans"
url = "{root}/ours/jeans"
reviews = "{root}/ours/reviews"
platform = "html"
layout = "rev"

[layouts.rev.reviews]
item = "div.rev"
id = "@data-id"
rating = "span.stars"
text = "p.body"
author = "em.who"
date = "time"
"""
