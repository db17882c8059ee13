"""One deadline over a whole fetch: all its tries and the waits between them end within it
(by default three `timeout`s), and the read says so; time queued for a politeness slot is
our own pacing and is not counted. Real loopback servers; the assertions are on tries and
reasons, never on the clock."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import pytest

from monitor.fetch.http import PoliteFetcher
from tests.fakes.http import LoopbackServer, Reply
from tests.fakes.raw_http import InFlight, RawServer
from watchers.fetching import Document, FetchError


def polite(**kw: Any) -> PoliteFetcher:
    settings: dict[str, Any] = {"host_interval": 0.0, "backoff": 0.01, "respect_robots": False}
    settings.update(kw)
    return PoliteFetcher(**settings)


def fetch_error(fetcher: PoliteFetcher, url: str) -> FetchError:
    async def go() -> None:
        async with fetcher:
            await fetcher.fetch(url)
    with pytest.raises(FetchError) as caught:
        asyncio.run(go())
    return caught.value


class Stall:
    """Reads each request, then says nothing until the client hangs up; counts the tries."""

    def __init__(self) -> None:
        self.tries = 0
        self._lock = threading.Lock()

    def __call__(self, conn: socket.socket) -> None:
        with self._lock:
            self.tries += 1
        conn.recv(1)  # returns when the fetcher gives up on this try


def test_a_server_that_stalls_every_try_is_given_up_at_the_deadline() -> None:
    stall = Stall()
    with RawServer(stall) as srv:
        # Ten tries allowed, each cut at 0.5 s; the fetch as a whole may take 1.5 s.
        error = fetch_error(polite(timeout=0.5, retries=9), f"{srv.url}/")
    assert stall.tries <= 3  # never the ten tries (and five seconds) that retries allow
    tries = f" after {stall.tries} tries" if stall.tries > 1 else ""
    assert error.reason == f"timeout{tries}; no time left in the fetch's 1.5s deadline"


def test_a_deadline_shorter_than_the_timeout_cuts_the_first_try() -> None:
    stall = Stall()
    with RawServer(stall) as srv:
        error = fetch_error(polite(timeout=30.0, deadline=0.5, retries=3), f"{srv.url}/")
    assert stall.tries == 1
    assert error.reason == "timeout; no time left in the fetch's 0.5s deadline"


def test_a_retry_after_past_the_deadline_fails_at_once_and_says_so() -> None:
    with LoopbackServer({"/": Reply("busy", 503, headers={"Retry-After": "30"})}) as srv:
        error = fetch_error(polite(timeout=1.0, retries=3), f"{srv.url}/")
        assert len(srv.requests) == 1  # no thirty-second sleep, no second try
    assert error.reason == "HTTP 503 asks to retry after 30s, past the fetch's 3s deadline"


def test_time_queued_for_a_slot_does_not_count_against_the_deadline() -> None:
    hold = InFlight(hold=0.3)
    with LoopbackServer({"/": hold}) as srv:
        # One request at a time: the last of eight waits about 2.1 s for its slot, longer
        # than the whole 2 s deadline, and is still read.
        fetcher = polite(per_host=1, timeout=2.0, deadline=2.0, retries=0)

        async def go() -> list[Document | BaseException]:
            async with fetcher:
                return await asyncio.gather(*(fetcher.fetch(f"{srv.url}/") for _ in range(8)),
                                            return_exceptions=True)
        got = asyncio.run(go())
    assert all(isinstance(d, Document) for d in got), got
    assert hold.most == 1
