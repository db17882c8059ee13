"""Stores of pages built to hurt: a read stays bounded in memory and time, says why it is
incomplete and never invents a removal (the real CLI in a child process, measured)."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.fakes.http import LoopbackServer, Reply, Request
from tests.faults.proc import Done, cli
from tests.watchers.crawl_shop import NS, product_page

TIMEOUT = 4.0  # the config's timeout: a check must end within four of them
MAX_MB = 300


class _All(dict[str, object]):
    """Every path answered by one function."""

    def __init__(self, answer: Callable[[Request], Reply]) -> None:
        super().__init__()
        self.answer = answer

    def get(self, key: str, default: object = None) -> object:
        return self.answer


@pytest.fixture
def store() -> Iterator[tuple[LoopbackServer, dict[str, Callable[[str], Reply]]]]:
    """A loopback store: paths a test sets, else product pages /products/pN."""
    special: dict[str, Callable[[str], Reply]] = {}
    server = LoopbackServer()

    def answer(req: Request) -> Reply:
        path = urlsplit(req.path).path
        if path in special:
            return special[path](server.url)
        if path.startswith("/products/p") and path[11:].isdigit():
            return Reply(product_page(server.url, int(path[11:]), 20.0))
        return Reply("not found", 404)

    server.routes = _All(answer)
    with server:
        yield server, special


def run(tmp_path: Path, root: str, *, max_pages: int = 200) -> tuple[Done, float]:
    config = tmp_path / "config.toml"
    config.write_text(f"""
[monitor]
database = "m.db"
host_interval = "0s"
per_host = 8
respect_robots = false
timeout = "{TIMEOUT:.0f}s"

[[peers]]
name = "Hostile"
url = "{root}/"
platform = "jsonld"
max_pages = {max_pages}
""", encoding="utf-8")
    start = time.monotonic()
    done = cli("check", "--config", str(config), "--json", "--no-send")
    return done, time.monotonic() - start


def events(done: Done) -> list[dict[str, object]]:
    return [json.loads(line) for line in done.out.splitlines() if line.strip()]


def invented(done: Done) -> list[object]:
    return [e["kind"] for e in events(done) if e["kind"] in ("listing_removed", "new_listing")]


def test_a_catalogue_linking_100000_pages_is_cut_aloud_and_invents_nothing(
        tmp_path: Path, store: tuple[LoopbackServer, dict[str, Callable[[str], Reply]]]) -> None:
    server, special = store
    links = "".join(f'<a href="/products/p{i}">{i}</a>' for i in range(100_000))
    special["/"] = lambda root: Reply(f"<html><body>{links}</body></html>")
    for _ in range(2):
        done, took = run(tmp_path, server.url)
        assert done.code == 1, done.err[-2000:]
        assert invented(done) == [] and took < 4 * TIMEOUT * 2 and done.peak_mb < MAX_MB
    assert "10,000 links" in done.err or "max_pages = 200" in done.err


def test_a_product_nested_50000_deep_is_an_incomplete_read_not_a_removal(
        tmp_path: Path, store: tuple[LoopbackServer, dict[str, Callable[[str], Reply]]]) -> None:
    server, special = store
    special["/"] = lambda root: Reply('<a href="/products/p1">1</a><a href="/products/p2">2</a>')
    assert run(tmp_path, server.url)[0].code == 0
    deep = '{"a":' * 50_000 + '{"@type": "Product", "name": "Deep"}' + "}" * 50_000
    special["/products/p2"] = lambda root: Reply(
        f'<script type="application/ld+json">{deep}</script>')
    done, took = run(tmp_path, server.url)
    assert took < 4 * TIMEOUT * 2
    assert done.code == 1
    assert [e["kind"] for e in events(done)] == []
    assert "nested deeper" in done.err and done.peak_mb < MAX_MB


def _urlset(root: str, n: int) -> bytes:
    entries = "".join(f"<url><loc>{root}/products/p{i}</loc></url>" for i in range(n))
    return f'<?xml version="1.0"?><urlset {NS}>{entries}</urlset>'.encode()


@pytest.mark.parametrize(("name", "count", "packed", "reason"), [
    ("sitemap.xml", 150_000, False, "149900 of 150000 product pages not read"),
    ("sitemap.xml.gz", 1_000_000, True, "more than 150,000 URLs"),
], ids=["plain_150000", "gzip_1000000"])
def test_a_huge_sitemap_is_read_in_bounded_time_and_memory_and_said_cut(
        tmp_path: Path, store: tuple[LoopbackServer, dict[str, Callable[[str], Reply]]],
        name: str, count: int, packed: bool, reason: str) -> None:
    server, special = store
    body = _urlset(server.url, count)
    data = gzip.compress(body, 1) if packed else body
    special[f"/{name}"] = lambda root: Reply(data, content_type="application/xml")
    special["/robots.txt"] = lambda root: Reply(f"Sitemap: {root}/{name}\n",
                                                content_type="text/plain")
    done, took = run(tmp_path, server.url, max_pages=100)
    assert done.code == 1, done.err[-2000:]
    assert reason in done.err
    assert invented(done) == [] and took < 4 * TIMEOUT * 2 and done.peak_mb < MAX_MB
