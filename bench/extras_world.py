"""A loopback world for the scale benchmark's other watches: our shop, marketplaces, a CDN.

Our shop serves each top product's review page and each hero's JSON-LD page; each
marketplace serves search results as HTML cards; the CDN serves their JPEG images. What
they show depends on a shared `day`, so a benchmark can move the world forward a day.
"""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import random
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from PIL import Image, ImageDraw

HOSTS = ("shop", "reviews", "market0", "market1", "cdn")  # "reviews": a second review host
POOL = 60  # listings a marketplace holds per day; each search shows RESULTS of them
RESULTS = 10
REVIEWS_SHOWN = 20
WORDS = ["高腰", "阔腿", "牛仔裤", "女", "宽松", "显瘦", "直筒", "春季", "新款", "连衣裙", "外套",
         "衬衫", "纯棉", "休闲", "百搭", "韩版"]
REVIEW_TEXTS = [(5, "质量很好，没有色差，会回购"), (4, "款式不错，就是有点起球"),
                (5, "Great fit, fast delivery"), (2, "尺码偏小，不太满意"),
                (1, "Fell apart after one wash")]


def image_jpeg(name: str) -> bytes:
    """A deterministic picture per name (shapes seeded by it), 400 px square."""
    rng = random.Random(zlib.crc32(name.encode()))
    img = Image.new("RGB", (400, 400), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randrange(300), rng.randrange(300)
        box = (x, y, x + rng.randrange(40, 160), y + rng.randrange(40, 160))
        fill = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=fill)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def hero_title(hero: int) -> str:
    """Our hero product's title."""
    return f"高腰阔腿牛仔裤女宽松显瘦直筒 款{hero}"


def hero_page(hero: int, cdn: str) -> str:
    """Our hero's own listing as a JSON-LD Product page."""
    product = {"@context": "https://schema.org", "@type": "Product", "name": hero_title(hero),
               "image": [f"{cdn}/img/hero{hero}.jpg"], "sku": f"H{hero}",
               "offers": {"@type": "Offer", "price": "199.00", "priceCurrency": "CNY",
                          "availability": "https://schema.org/InStock"}}
    return ('<html><head><script type="application/ld+json">' + json.dumps(product)
            + "</script></head><body></body></html>")


def review_page(top: int, day: int) -> str:
    """A top product's newest reviews: 12 at first, one more every 3 days, newest first."""
    count = 12 + day // 3 + (top % 3 == 0 and day > 0) * day // 2
    rows = []
    for k in reversed(range(max(0, count - REVIEWS_SHOWN), count)):
        stars, text = REVIEW_TEXTS[(top + k) % len(REVIEW_TEXTS)]
        rows.append(f'<div class="rev" data-id="t{top}r{k}"><span class="stars">{stars}/5</span>'
                    f'<p class="body">{text} #{k}</p><em class="who">buyer{k}</em>'
                    f'<time>2026-03-{1 + k % 28:02d}</time></div>')
    return f"<html><body><h1>Top {top}</h1>{''.join(rows)}</body></html>"


def search_page(market: int, query: str, day: int, cdn: str) -> str:
    """Ten result cards out of the marketplace's pool; the pool turns over 2 items a day.

    Every day one listing reuses hero 0's photo (a stolen photo), so the copy watch finds
    something new to judge on each simulated day.
    """
    seed = zlib.crc32(f"{market}:{query}".encode())
    first = day * 2
    ids = [first + (seed + j * 7) % POOL for j in range(RESULTS)]
    cards = []
    for n, item in enumerate(ids):
        rng = random.Random(item * 31 + market)
        title = "".join(rng.sample(WORDS, 6))
        image = f"m{market}i{item}"
        if n == 0 and day > 0:
            image, title = "hero0", f"爆款{day}连衣裙"
        cards.append(f'<div class="item"><a class="t" href="/m/item/{item}">{title}</a>'
                     f'<img src="{cdn}/img/{image}.jpg"><span class="p">¥{59 + item % 200}'
                     f'</span><span class="shop">店铺{item % 17}</span></div>')
    return f"<html><body>{''.join(cards)}</body></html>"


def _route(host: str, path: str, day: int, roots: dict[str, str],
           images: dict[str, bytes]) -> tuple[bytes, str, int]:
    url = urlsplit(path)
    parts = url.path.strip("/").split("/")
    html = "text/html; charset=utf-8"
    if host in ("shop", "reviews") and len(parts) == 3 and parts[0] == "top":
        return review_page(int(parts[1]), day).encode(), html, 200
    if host == "shop" and len(parts) == 2 and parts[0] == "hero":
        return hero_page(int(parts[1]), roots["cdn"]).encode(), html, 200
    if host.startswith("market") and parts == ["search"]:
        query = unquote(parse_qs(url.query).get("q", [""])[0])
        return search_page(int(host[-1]), query, day, roots["cdn"]).encode(), html, 200
    if host == "cdn" and len(parts) == 2 and parts[0] == "img":
        name = parts[1].removesuffix(".jpg")
        if name not in images:
            images[name] = image_jpeg(name)
        return images[name], "image/jpeg", 200
    return b"not found", "text/plain", 404


def _serve(host: str, state: Any, ports: Any, ready: Any,
           delay: Callable[[str], float]) -> None:
    images: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            time.sleep(delay(host))
            roots = {h: f"http://127.0.0.1:{ports[h]}" for h in HOSTS}
            body, ctype, status = _route(host, self.path, state["day"], roots, images)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    ports[host] = httpd.server_address[1]
    ready.release()
    httpd.serve_forever()


def _world(state: Any, ports: Any, ready: Any) -> None:
    # Real stores answer in ~200 ms, a CDN in ~50 ms; a simulated day needs no wait at all.
    def delay(host: str) -> float:
        return float(state["latency"]) * (0.25 if host == "cdn" else 1.0)

    for host in HOSTS:
        threading.Thread(target=_serve, args=(host, state, ports, ready, delay),
                         daemon=True).start()
    threading.Event().wait()


class ExtrasWorld:
    """Our shop (two hosts), two marketplaces and a CDN, in a child process (not our memory)."""

    def __init__(self, latency: float = 0.2) -> None:
        self.manager = mp.Manager()
        self.ports = self.manager.dict()
        self.state = self.manager.dict(day=0, latency=latency)
        self.ready = self.manager.Semaphore(0)
        self.proc = mp.Process(target=_world, args=(self.state, self.ports, self.ready),
                               daemon=True)

    def __enter__(self) -> ExtrasWorld:
        self.proc.start()
        for _ in HOSTS:
            self.ready.acquire()
        return self

    def root(self, host: str) -> str:
        """The root URL of one of HOSTS."""
        return f"http://127.0.0.1:{self.ports[host]}"

    def set_day(self, day: int, latency: float | None = None) -> None:
        """Move the world to `day` (and change its answer time, when given)."""
        self.state["day"] = day
        if latency is not None:
            self.state["latency"] = latency

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.join()
        self.manager.shutdown()
