"""A real-looking JSON-LD store on loopback: ~30 KB product pages, a site header, sitemaps.

1,000 product pages (schema.org Product in JSON-LD, a long description and a header of
account, cart, help and category links, some of which answer 404), a catalogue page that
links them all, robots.txt with a `Sitemap:` line, a sitemap index naming a product
sitemap (with `<lastmod>`) and a pages sitemap. Served from a child process so that its
memory and CPU are not counted as the monitor's.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

PRODUCTS = 1000
STAMP = "2026-01-05T10:00:00+00:00"
# Header links every page carries; /help and /account/orders answer 404 like a broken shop.
HEADER = ("/account/login", "/account/orders", "/cart", "/help", "/pages/shipping",
          "/collections/shirts", "/collections/trousers", "/collections/sale", "/search")
MISSING = frozenset({"/help", "/account/orders"})


def product_path(i: int) -> str:
    """The path of product `i`."""
    return f"/products/linen-shirt-{i}"


def product_page(root: str, i: int, price: float) -> bytes:
    """One ~30 KB product page like a Shopify theme's."""
    url = root + product_path(i)
    data = {
        "@context": "https://schema.org", "@type": "Product", "name": f"Linen shirt {i}",
        "sku": f"LS-{i:05d}", "url": url, "brand": {"@type": "Brand", "name": "Bench"},
        "description": "Washed linen, relaxed fit, mother-of-pearl buttons. " * 12,
        "image": [f"https://cdn.example.invalid/{i}/{k}.jpg" for k in range(4)],
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.6",
                            "reviewCount": 37},
        "offers": [{"@type": "Offer", "sku": f"LS-{i:05d}-{size}", "price": f"{price:.2f}",
                    "priceCurrency": "USD", "url": f"{url}?variant={k}",
                    "availability": "https://schema.org/InStock"}
                   for k, size in enumerate(("XS", "S", "M", "L", "XL", "XXL"))],
    }
    header = "".join(f'<li><a href="{h}">{h.strip("/").title()}</a></li>' for h in HEADER)
    body = ('<div class="description"><p>' + "Cut from breathable European flax, "
            "garment-washed for softness and pre-shrunk. " * 8 + "</p></div>") * 42
    related = "".join(f'<a class="card" href="{product_path((i + k) % PRODUCTS)}">'
                      f"Linen shirt {(i + k) % PRODUCTS}</a>" for k in range(1, 9))
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Linen shirt {i} - Bench store</title>"
        f'<link rel="canonical" href="{url}"><meta name="description" content="Linen shirt">'
        f'<link rel="stylesheet" href="/assets/theme.css"><script src="/assets/theme.js" defer>'
        f"</script><script>window.ShopifyAnalytics = {{\"meta\": {{\"page\": {i}}}}};</script>"
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        f'<body><header><nav><ul class="site-nav">{header}</ul></nav></header>'
        f'<main><h1>Linen shirt {i}</h1><span class="price">${price:.2f}</span>{body}'
        f'<section class="related">{related}</section></main>'
        f"<footer><p>© Bench store</p></footer></body></html>"
    )
    return page.encode()


def catalogue(root: str) -> bytes:
    """The catalogue page linking every product, under the same site header."""
    header = "".join(f'<li><a href="{h}">{h}</a></li>' for h in HEADER)
    cards = "".join(f'<li><a href="{product_path(i)}">Linen shirt {i}</a></li>'
                    for i in range(PRODUCTS))
    return (f"<html><head><title>All</title></head><body><header><ul>{header}</ul></header>"
            f"<ul class='grid'>{cards}</ul></body></html>").encode()


def sitemaps(root: str, stamps: Any) -> dict[str, bytes]:
    """robots.txt, the sitemap index, its product sitemap and a pages sitemap."""
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    urls = "".join(f"<url><loc>{root}{product_path(i)}</loc>"
                   f"<lastmod>{stamps.get(i, STAMP)}</lastmod></url>" for i in range(PRODUCTS))
    return {
        "/robots.txt": f"User-agent: *\nDisallow: /cart\nSitemap: {root}/sitemap.xml\n".encode(),
        "/sitemap.xml": (f'<?xml version="1.0"?><sitemapindex {ns}>'
                         f"<sitemap><loc>{root}/sitemap_products_1.xml?from=1&amp;to=1000</loc>"
                         f"</sitemap><sitemap><loc>{root}/sitemap_pages_1.xml</loc></sitemap>"
                         "</sitemapindex>").encode(),
        "/sitemap_products_1.xml": f'<?xml version="1.0"?><urlset {ns}>{urls}</urlset>'.encode(),
        "/sitemap_pages_1.xml": (f'<?xml version="1.0"?><urlset {ns}><url><loc>{root}'
                                 "/pages/shipping</loc></url></urlset>").encode(),
    }


def _serve(latency: float, shared: Any, ready: Any) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            root = f"http://{self.headers.get('Host')}"
            path = urlsplit(self.path).path
            time.sleep(latency)  # the same for the floor and the monitor
            with lock:
                shared["requests"] = shared.get("requests", 0) + 1
            body, kind = b"not found", "text/plain"
            if path.startswith("/products/linen-shirt-"):
                i = int(path.rsplit("-", 1)[1])
                if 0 <= i < PRODUCTS:
                    body = product_page(root, i, shared.get("prices", {}).get(i, 49.0))
                    kind = "text/html; charset=utf-8"
            elif path in ("/collections/all", "/"):
                body, kind = catalogue(root), "text/html; charset=utf-8"
            elif path in ("/robots.txt", "/sitemap.xml", "/sitemap_products_1.xml",
                          "/sitemap_pages_1.xml"):
                body = sitemaps(root, shared.get("stamps", {}))[path]
                kind = "text/plain" if path == "/robots.txt" else "application/xml"
            status = 404 if body == b"not found" else 200
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    lock = threading.Lock()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    shared["port"] = httpd.server_address[1]
    ready.release()
    httpd.serve_forever()


class StoreWorld:
    """The store in a child process; `change()` moves prices and lastmods between cycles."""

    def __init__(self, latency: float = 0.05) -> None:
        self.manager = mp.Manager()
        self.shared = self.manager.dict()
        self.ready = self.manager.Semaphore(0)
        self.proc = mp.Process(target=_serve, args=(latency, self.shared, self.ready),
                               daemon=True)

    def __enter__(self) -> StoreWorld:
        self.proc.start()
        self.ready.acquire()
        return self

    @property
    def root(self) -> str:
        """The store's home."""
        return f"http://127.0.0.1:{self.shared['port']}"

    @property
    def requests(self) -> int:
        """Requests served so far."""
        return int(self.shared.get("requests", 0))

    def change(self, items: range, price: float, stamp: str) -> None:
        """New prices and lastmod for `items`."""
        self.shared["prices"] = {**self.shared.get("prices", {}), **dict.fromkeys(items, price)}
        self.shared["stamps"] = {**self.shared.get("stamps", {}), **dict.fromkeys(items, stamp)}

    def urls(self) -> list[str]:
        """What a reader of the sitemaps fetches: robots, sitemaps and every product."""
        root = self.root
        return [f"{root}/robots.txt", f"{root}/sitemap.xml",
                f"{root}/sitemap_products_1.xml?from=1&to=1000",
                *(root + product_path(i) for i in range(PRODUCTS))]

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.join()
        self.manager.shutdown()
