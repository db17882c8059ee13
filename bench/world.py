"""A loopback world for benchmarks: N Shopify-like peers, each on its own port, in a subprocess."""

from __future__ import annotations

import json
import multiprocessing as mp
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE = 250


def product(peer: int, i: int) -> dict[str, Any]:
    """One realistic-size products.json entry."""
    pid = 7_000_000_000_000 + peer * 100_000 + i
    price = 50 + (i * 37) % 900
    return {
        "id": pid, "title": f"Peer {peer} product {i} cotton blend shirt", "handle": f"p-{pid}",
        "body_html": "<p>" + "Soft cotton blend, regular fit. " * 6 + "</p>",
        "published_at": "2026-01-05T10:00:00+08:00", "vendor": f"Peer {peer}",
        "product_type": "Shirts", "tags": ["cotton", "shirt", f"peer{peer}"],
        "variants": [{"id": pid * 10 + v, "title": size, "price": f"{price}.00",
                      "compare_at_price": None, "available": True, "sku": f"S{pid}{v}"}
                     for v, size in enumerate(["S", "M", "L", "XL"])],
        "images": [{"src": f"https://cdn.example.invalid/{pid}/{k}.jpg", "width": 1000,
                    "height": 1000} for k in range(3)],
        "options": [{"name": "Size", "values": ["S", "M", "L", "XL"]}],
    }


def pages(peer: int, items: int) -> list[bytes]:
    """The products.json pages of one peer (the last one empty, as Shopify ends paging)."""
    all_items = [product(peer, i) for i in range(items)]
    chunks = [all_items[i:i + PAGE] for i in range(0, items, PAGE)]
    return [json.dumps({"products": c}).encode() for c in chunks]


def _serve(peer: int, items: int, latency: float, ports: Any, ready: Any) -> None:
    data = pages(peer, items)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            page = int(parse_qs(url.query).get("page", ["1"])[0])
            time.sleep(latency)  # a real store's answer time; the same for floor and cycle
            if url.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            else:
                body = data[page - 1] if 0 < page <= len(data) else b'{"products": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    ports[peer] = httpd.server_address[1]
    ready.release()
    httpd.serve_forever()


def _world(peers: int, items: int, latency: float, ports: Any, ready: Any) -> None:
    for p in range(peers):
        threading.Thread(target=_serve, args=(p, items, latency, ports, ready),
                         daemon=True).start()
    threading.Event().wait()


class BenchWorld:
    """Starts the peers in a child process so their memory is not counted as ours."""

    def __init__(self, peers: int, items: int, latency: float = 0.2) -> None:
        self.peers, self.items, self.latency = peers, items, latency
        self.manager = mp.Manager()
        self.ports = self.manager.dict()
        self.ready = self.manager.Semaphore(0)
        self.proc = mp.Process(target=_world, args=(peers, items, latency, self.ports,
                                                    self.ready), daemon=True)

    def __enter__(self) -> BenchWorld:
        self.proc.start()
        for _ in range(self.peers):
            self.ready.acquire()
        return self

    def urls(self) -> list[str]:
        """Each peer's root."""
        return [f"http://127.0.0.1:{self.ports[p]}" for p in range(self.peers)]

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.join()
        self.manager.shutdown()
