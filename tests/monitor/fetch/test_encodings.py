"""Content-Encoding undone under the body cap: bombs stop at the cap, odd codings are refused."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib

import pytest

from monitor.fetch.decoding import BoundedDecoder, Undecodable
from monitor.fetch.http import PoliteFetcher
from tests.fakes.http import LoopbackServer, Reply
from tests.faults.pages.bombs import MIB, gzip_gzip_bomb, gzip_of_zeros
from watchers.fetching import Document, FetchError

PAGE = ("<html><body>" + "<p>Shirt ¥129</p>" * 2000 + "</body></html>").encode()


def fetch(reply: Reply, *, max_body: int = 10_000_000) -> Document | FetchError:
    with LoopbackServer({"/p": reply, "/robots.txt": reply}) as server:
        async def go() -> Document | FetchError:
            async with PoliteFetcher(host_interval=0.0, backoff=0.01, timeout=20.0,
                                     max_body=max_body, respect_robots=False) as f:
                try:
                    return await f.fetch(server.url + "/p")
                except FetchError as exc:
                    return exc
        return asyncio.run(go())


@pytest.mark.parametrize("coding,body", [
    ("gzip", gzip.compress(PAGE)),
    ("x-gzip", gzip.compress(PAGE)),
    ("deflate", zlib.compress(PAGE)),  # zlib-wrapped, as the RFC says
    ("deflate", zlib.compress(PAGE, wbits=-15)),  # raw, as some servers send it
    ("identity", PAGE),
    ("gzip, identity", gzip.compress(PAGE)),
    ("deflate, gzip", gzip.compress(zlib.compress(PAGE))),
], ids=["gzip", "x-gzip", "deflate", "raw deflate", "identity", "gzip+identity",
        "deflate then gzip"])
def test_real_codings_are_undone(coding: str, body: bytes) -> None:
    got = fetch(Reply(body, headers={"Content-Encoding": coding}))
    assert isinstance(got, Document), got
    assert got.body == PAGE


@pytest.mark.parametrize("coding,body", [
    ("gzip", gzip_of_zeros(1024)),  # 1 MB on the wire, 1 GiB inflated
    ("gzip, gzip", gzip_gzip_bomb(1536)),  # 4 KB on the wire, 1.5 GiB inflated
], ids=["gzip 1 GiB", "gzip,gzip 1.5 GiB"])
def test_a_compression_bomb_stops_at_the_cap_without_inflating(coding: str,
                                                               body: bytes) -> None:
    tracemalloc.start()
    try:
        got = fetch(Reply(body, headers={"Content-Encoding": coding},
                          content_type="application/json"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(got, FetchError) and "larger than 10000000 bytes" in got.reason
    # The cap is 10 MB; what was held at once stays near it, never near the 1.5 GiB.
    assert peak < 40 * MIB, peak / MIB


@pytest.mark.parametrize("coding,why", [
    ("br", "unsupported"),
    ("gzip, compress", "unsupported"),
    ("gzip, gzip, gzip", "stacked"),
], ids=["br (not asked for)", "compress", "three layers"])
def test_codings_we_did_not_ask_for_or_stack_too_deep_are_refused(coding: str,
                                                                  why: str) -> None:
    got = fetch(Reply(b"whatever", headers={"Content-Encoding": coding}))
    assert isinstance(got, FetchError) and why in got.reason, got


def test_a_corrupt_gzip_body_is_a_failed_read() -> None:
    got = fetch(Reply(b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"}))
    assert isinstance(got, FetchError) and "corrupt gzip" in got.reason, got


def test_the_decoder_hands_out_small_chunks_of_a_bomb() -> None:
    decoder = BoundedDecoder("gzip, gzip")
    pieces = decoder.feed(gzip_gzip_bomb(1536))
    sizes = [len(next(pieces)) for _ in range(50)]  # pulled lazily: only 50 chunks are made
    assert max(sizes) <= 64 * 1024 and sum(sizes) > 0


def test_unknown_coding_is_refused_before_any_byte() -> None:
    with pytest.raises(Undecodable):
        BoundedDecoder("zstd")
