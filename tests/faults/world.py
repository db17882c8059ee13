"""Shopify-like peer stores on one loopback server whose answers a test can break."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from monitor.cli import main
from monitor.store.database import Store
from watchers.model import Listing

# A fault answers a catalogue request itself (True) or lets the shop answer (False).
Fault = Callable[[BaseHTTPRequestHandler], bool]
PAGE = 250  # what the Shopify adapter asks per page: 300 items make two pages


@dataclass
class Catalog:
    """One peer's items: prices and compare-at prices by product id."""

    title: str = "Shirt"
    prices: dict[int, float] = field(default_factory=dict)
    regular: dict[int, float] = field(default_factory=dict)

    @classmethod
    def of(cls, n: int, title: str = "Shirt") -> Catalog:
        return cls(title, {i: 100.0 + i for i in range(1, n + 1)})

    def page(self, number: int, limit: int) -> bytes:
        ids = sorted(self.prices)[(number - 1) * limit: number * limit]
        return json.dumps({"products": [{
            "id": i, "title": f"{self.title} {i}", "handle": f"h{i}", "tags": [],
            "product_type": "", "images": [],
            "variants": [{"id": i * 10, "price": f"{self.prices[i]:.2f}",
                          "compare_at_price": (f"{self.regular[i]:.2f}" if i in self.regular
                                               else None),
                          "available": True}],
        } for i in ids]}).encode()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None, ctype: str = "application/json") -> None:
    """A whole answer with a correct Content-Length."""
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    h.wfile.write(body)


class FaultyShop:
    """Serves `/{name}/products.json` for each catalogue; `fault` may answer instead."""

    def __init__(self, catalogs: dict[str, Catalog]) -> None:
        self.catalogs = catalogs
        self.fault: Fault | None = None
        self.pages: dict[str, bytes] = {}  # other paths: body served as text/html
        self.hits = 0  # catalogue requests seen, faulty or not
        self._lock = threading.Lock()
        self._port = 0
        self._httpd: ThreadingHTTPServer | None = None
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def up(self) -> None:
        """Listen (again, on the same port once it was given)."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self._port), self._handler())
        self._httpd.daemon_threads = True
        self._port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()

    def down(self) -> None:
        """Stop listening: connecting is refused until `up()`."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def wait_hits(self, n: int, timeout: float = 60.0) -> None:
        """Block until `n` catalogue requests arrived."""
        deadline = time.monotonic() + timeout
        while self.hits < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {self.hits} of {n} requests arrived")
            time.sleep(0.02)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        shop = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                name = path.strip("/").split("/")[0]
                with contextlib.suppress(OSError):  # a client that gave up
                    if path.endswith("/products.json") and name in shop.catalogs:
                        with shop._lock:
                            shop.hits += 1
                        fault = shop.fault
                        if fault is not None and fault(self):
                            return
                        q = parse_qs(query)
                        number = int(q.get("page", ["1"])[0])
                        limit = int(q.get("limit", [str(PAGE)])[0])
                        send(self, 200, shop.catalogs[name].page(number, limit))
                    elif path in shop.pages:
                        send(self, 200, shop.pages[path], ctype="text/html; charset=utf-8")
                    else:
                        send(self, 404, b"not found", ctype="text/plain")

        return Handler


def config_text(root: str, peers: list[str], *, timeout: str = "2s", extra: str = "") -> str:
    """A config reading each named catalogue as a Shopify peer."""
    blocks = "".join(f'\n[[peers]]\nname = "{n}"\nurl = "{root}/{n}"\nplatform = "shopify"\n'
                     for n in peers)
    return (f'[monitor]\ndatabase = "m.db"\nhost_interval = "0s"\nrespect_robots = false\n'
            f'timeout = "{timeout}"\nevery = "1h"\n{extra}{blocks}')


@dataclass
class World:
    """One peer, "Shopi", with 300 items, and its config."""

    shop: FaultyShop
    config: Path

    @property
    def db(self) -> Path:
        return self.config.parent / "m.db"

    def items(self, peer: str = "Shopi") -> dict[str, Listing]:
        """The items stored as present for `peer`."""
        return stored_items(self.db, peer)

    def state(self, peer: str = "Shopi") -> dict[str, Any]:
        """The stored source row of `peer`."""
        store = Store(self.db)
        try:
            return next(r for r in store.sources() if r["source"] == f"peer:{peer}")
        finally:
            store.close()


def stored_items(db: Path, peer: str) -> dict[str, Listing]:
    """The items stored as present for `peer`."""
    store = Store(db)
    try:
        return store.items(f"peer:{peer}")
    finally:
        store.close()


def stored_events(db: Path) -> list[dict[str, Any]]:
    """Every event row of the store's outbox."""
    store = Store(db)
    try:
        return list(store.query("select id, kind, store, urgent from events order by rowid"))
    finally:
        store.close()


@contextlib.contextmanager
def world_at(tmp_path: Path, peers: dict[str, Catalog] | None = None,
             timeout: str = "2s") -> Iterator[World]:
    """A running shop and a config pointing at it."""
    catalogs = peers or {"Shopi": Catalog.of(300)}
    shop = FaultyShop(catalogs)
    try:
        path = tmp_path / "config.toml"
        path.write_text(config_text(shop.url, list(catalogs), timeout=timeout), encoding="utf-8")
        yield World(shop, path)
    finally:
        shop.down()


def check(config: Path, *extra: str, send: bool = False) -> tuple[int, list[dict[str, Any]]]:
    """`monitor check --json [--no-send]` in this process: the exit code and the events."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", "--config", str(config), "--json",
                     *([] if send else ["--no-send"]), *extra])
    return code, [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
