"""Built-in sample peer stores served on loopback, for `monitor demo` (no internet needed)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from monitor.demo.ours import OurWorld


@dataclass
class Item:
    """One sample product."""

    id: int
    title: str
    price: float
    regular: float | None = None
    available: bool = True
    sales: int = 0


@dataclass
class SampleWorld:
    """Three peers on three platforms; `change()` moves them on like a real week would."""

    shopify: list[Item] = field(default_factory=lambda: [
        Item(101, "Wool Blend Winter Coat", 899.0), Item(102, "Cable Knit Sweater", 329.0),
        Item(103, "Down Puffer Jacket", 1299.0), Item(104, "Fleece Lined Leggings", 159.0),
        Item(105, "Cashmere Scarf", 259.0),
    ])
    woo: list[Item] = field(default_factory=lambda: [
        Item(201 + i, name, price) for i, (name, price) in enumerate([
            ("Thermal Hoodie", 199.0), ("Corduroy Trousers", 249.0), ("Knitted Beanie", 79.0),
            ("Sherpa Vest", 299.0), ("Flannel Shirt", 189.0), ("Quilted Boots", 459.0)])
    ])
    cards: list[Item] = field(default_factory=lambda: [
        Item(301, "秋冬加厚羊羔毛外套女", 389.0, sales=1200),
        Item(302, "冬季加绒保暖卫衣", 159.0, sales=860),
        Item(303, "羽绒服女短款2026新款", 699.0, sales=300),
    ])

    def change(self) -> None:
        """New spring items, a price cut, a promotion, a sold-out item, a removal, a sale."""
        self.shopify[1].price = 279.0                      # price cut
        self.shopify[2].regular, self.shopify[2].price = 1299.0, 999.0  # promotion
        self.shopify[3].available = False                  # sold out
        del self.shopify[4]                                # removed
        self.shopify.append(Item(106, "Spring Linen Shirt SS26", 299.0))
        self.shopify.append(Item(107, "Spring Floral Midi Dress", 459.0))
        for item in self.woo[:4]:                          # store-wide sale: 4 of 6 items
            item.regular, item.price = item.price, round(item.price * 0.7)
        self.cards.append(Item(304, "2026春装新款韩版宽松衬衫女", 129.0, sales=50))
        self.cards[0].sales = 1500


class _Handler(BaseHTTPRequestHandler):
    world: SampleWorld
    ours: OurWorld

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        page = int(query.get("page", ["1"])[0])
        path = url.path
        if path == "/robots.txt":
            self._send(b"User-agent: *\nAllow: /\n", "text/plain")
        elif path == "/mode/products.json":
            self._send(json.dumps(_shopify_page(self.world.shopify, page)).encode(),
                       "application/json")
        elif path == "/tide/wp-json/wc/store/v1/products":
            body = json.dumps([_woo(i) for i in self.world.woo] if page == 1 else [])
            self._send(body.encode(), "application/json", {"X-WP-TotalPages": "1"})
        elif path == "/lane/shop":
            self._send(_cards_html(self.world.cards).encode(), "text/html; charset=utf-8")
        elif found := self.ours.route(path, query):
            self._send(*found)
        else:
            self._send(b"not found", "text/plain", status=404)

    def _send(self, body: bytes, ctype: str, headers: dict[str, str] | None = None,
              status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _shopify_page(items: list[Item], page: int) -> dict[str, Any]:
    chosen = items if page == 1 else []
    return {"products": [{
        "id": i.id, "title": i.title, "handle": f"item-{i.id}", "tags": [],
        "product_type": "Apparel", "published_at": "2026-01-05T10:00:00+08:00",
        "images": [{"src": f"https://cdn.example.invalid/{i.id}.jpg"}],
        "variants": [{"id": i.id * 10, "price": f"{i.price:.2f}", "available": i.available,
                      "compare_at_price": f"{i.regular:.2f}" if i.regular else None}],
    } for i in chosen]}


def _woo(i: Item) -> dict[str, Any]:
    regular = i.regular or i.price
    return {"id": i.id, "name": i.title, "permalink": f"http://tide.example/p/{i.id}",
            "is_in_stock": i.available, "on_sale": i.regular is not None,
            "images": [{"src": f"https://cdn.example.invalid/{i.id}.jpg"}],
            "prices": {"price": str(int(i.price * 100)), "regular_price": str(int(regular * 100)),
                       "sale_price": str(int(i.price * 100)), "currency_code": "CNY",
                       "currency_minor_unit": 2}}


def _cards_html(items: list[Item]) -> str:
    cards = "".join(
        f'<div class="card"><a class="name" href="/lane/item/{i.id}">{i.title}</a>'
        f'<img data-src="/img/{i.id}.jpg"><span class="price">¥{i.price:,.2f}</span>'
        f'<span class="sales">月销 {i.sales}+</span></div>' for i in items)
    head = "<head><meta charset='utf-8'><title>小巷女装</title></head>"
    return f"<html>{head}<body>{cards}</body></html>"


class DemoServer:
    """Serves a SampleWorld on 127.0.0.1 in a background thread."""

    def __init__(self, world: SampleWorld, ours: OurWorld) -> None:
        handler = type("Handler", (_Handler,), {"world": world, "ours": ours})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's root URL."""
        port = self.httpd.server_address[1]
        return f"http://127.0.0.1:{port}"

    def __enter__(self) -> DemoServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
