"""The polite fetcher against real loopback servers: limits, retries, robots, caching."""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from monitor.fetch.cookies import load_cookies_txt
from monitor.fetch.http import PoliteFetcher, retry_after_seconds
from monitor.fetch.http_cache import MemoryHttpCache
from tests.fakes.http import LoopbackServer, Reply, Request
from tests.fakes.raw_http import InFlight, RawServer, replies
from watchers.fetching import Document, FetchError


def polite(**kw: Any) -> PoliteFetcher:
    """A fetcher with fast defaults; each test turns on what it is about."""
    settings: dict[str, Any] = {"host_interval": 0.0, "backoff": 0.01, "respect_robots": False,
                                "timeout": 5.0}
    settings.update(kw)
    return PoliteFetcher(**settings)


def fetch_all(fetcher: PoliteFetcher, urls: list[str]) -> list[Document | BaseException]:
    async def go() -> list[Document | BaseException]:
        async with fetcher:
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls),
                                        return_exceptions=True)
    return asyncio.run(go())


def fetch_one(fetcher: PoliteFetcher, url: str, **kw: Any) -> Document:
    async def go() -> Document:
        async with fetcher:
            return await fetcher.fetch(url, **kw)
    return asyncio.run(go())


def fetch_error(fetcher: PoliteFetcher, url: str, **kw: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch_one(fetcher, url, **kw)
    return caught.value


@pytest.fixture
def servers() -> Iterator[list[LoopbackServer]]:
    """Three loopback servers: three hosts, since a host includes the port."""
    started = [LoopbackServer().start() for _ in range(3)]
    yield started
    for srv in started:
        srv.stop()


# --- limits ---------------------------------------------------------------------------

def test_requests_in_flight_to_one_host_never_exceed_per_host(server: LoopbackServer) -> None:
    route = InFlight()
    server.routes["/slow"] = route
    results = fetch_all(polite(per_host=2), [f"{server.url}/slow?{i}" for i in range(8)])
    assert all(isinstance(r, Document) for r in results)
    assert len(route.starts) == 8
    assert route.most <= 2


def test_requests_in_flight_overall_never_exceed_concurrency(
        servers: list[LoopbackServer]) -> None:
    route = InFlight()
    for srv in servers:
        srv.routes["/slow"] = route
    urls = [f"{srv.url}/slow?{i}" for srv in servers for i in range(4)]
    results = fetch_all(polite(concurrency=2, per_host=4), urls)
    assert all(isinstance(r, Document) for r in results)
    assert len(route.starts) == 12
    assert route.most <= 2


def test_starts_to_one_host_keep_the_host_interval(server: LoopbackServer) -> None:
    route = InFlight(hold=0.0)
    server.routes["/page"] = route
    fetch_all(polite(per_host=4, host_interval=0.3), [f"{server.url}/page?{i}" for i in range(4)])
    starts = sorted(route.starts)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 3
    assert min(gaps) >= 0.2  # 0.3 asked; lenient for the loopback's own delays


def test_daily_budget_stops_requests_until_the_next_day(server: LoopbackServer) -> None:
    server.routes["/p"] = Reply("ok")
    today = [datetime(2026, 3, 1, 9, 0)]
    fetcher = polite(daily_budget={"127.0.0.1": 2}, clock=lambda: today[0])

    async def go() -> tuple[list[Document | BaseException], Document]:
        async with fetcher:
            first = [await _try(fetcher, f"{server.url}/p?{i}") for i in range(3)]
            today[0] += timedelta(days=1)
            return first, await fetcher.fetch(f"{server.url}/p?next-day")

    first, next_day = asyncio.run(go())
    assert [isinstance(r, Document) for r in first] == [True, True, False]
    assert isinstance(first[2], FetchError)
    assert first[2].reason == "daily request budget of 2 for 127.0.0.1 used up"
    assert next_day.body == b"ok"
    assert len(server.requests) == 3


async def _try(fetcher: PoliteFetcher, url: str) -> Document | BaseException:
    try:
        return await fetcher.fetch(url)
    except FetchError as exc:
        return exc


# --- retries and failures ---------------------------------------------------------------

def test_503_is_retried_until_the_page_answers(server: LoopbackServer) -> None:
    server.routes["/flaky"] = replies(Reply("busy", 503), Reply("busy", 503), Reply("fine"))
    fetcher = polite(retries=3)
    doc = fetch_one(fetcher, f"{server.url}/flaky")
    assert doc.body == b"fine"
    assert len(server.requests) == 3
    assert fetcher.stats.retries == 2


def test_lasting_503_fails_with_the_number_of_tries(server: LoopbackServer) -> None:
    server.routes["/down"] = Reply("down", 503)
    error = fetch_error(polite(retries=3), f"{server.url}/down")
    assert error.reason == "HTTP 503 after 4 tries"
    assert len(server.requests) == 4


def test_429_retry_after_is_honoured(server: LoopbackServer) -> None:
    seen: list[float] = []
    answers = replies(Reply("slow down", 429, headers={"Retry-After": "1"}), Reply("fine"))

    def route(request: Request) -> Reply:
        seen.append(time.monotonic())
        return answers(request)
    server.routes["/limited"] = route
    doc = fetch_one(polite(retries=2), f"{server.url}/limited")
    assert doc.body == b"fine"
    assert len(seen) == 2
    assert seen[1] - seen[0] >= 0.9


def test_retry_after_beyond_the_cap_fails_at_once(server: LoopbackServer) -> None:
    server.routes["/limited"] = Reply("come back tomorrow", 429, headers={"Retry-After": "86400"})
    error = fetch_error(polite(retries=3, max_retry_after=60), f"{server.url}/limited")
    assert "HTTP 429" in error.reason
    assert "cap" in error.reason
    assert len(server.requests) == 1


def test_404_is_not_retried(server: LoopbackServer) -> None:
    error = fetch_error(polite(retries=3), f"{server.url}/gone")
    assert error.reason == "HTTP 404"
    assert len(server.requests) == 1
    assert not error.needs_person


def test_closed_port_is_connection_refused() -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    error = fetch_error(polite(retries=1), f"http://127.0.0.1:{port}/")
    assert error.reason == "connection refused after 2 tries"


def test_slow_drip_is_cut_by_the_timeout() -> None:
    def drip(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(200):  # one byte every 0.3 s: a minute, unless the client hangs up
            conn.sendall(b"x")
            time.sleep(0.3)

    with RawServer(drip) as srv:
        error = fetch_error(polite(timeout=1.0, retries=0), f"{srv.url}/drip")
    assert error.reason == "timeout"


def test_body_over_the_cap_is_refused(server: LoopbackServer) -> None:
    server.routes["/big"] = Reply(b"x" * 5000)
    error = fetch_error(polite(max_body=1000), f"{server.url}/big")
    assert error.reason == "body larger than 1000 bytes"


def test_streamed_body_without_length_is_cut_at_the_cap() -> None:
    def endless(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        for _ in range(100):
            conn.sendall(b"y" * 1000)

    with RawServer(endless) as srv:
        fetcher = polite(max_body=10_000)
        error = fetch_error(fetcher, f"{srv.url}/stream")
    assert error.reason == "body larger than 10000 bytes"
    assert fetcher.stats.bytes == 0


def test_redirect_loop_fails(server: LoopbackServer) -> None:
    server.routes["/a"] = Reply(status=302, headers={"Location": "/b"})
    server.routes["/b"] = Reply(status=302, headers={"Location": "/a"})
    error = fetch_error(polite(), f"{server.url}/a")
    assert "redirects" in error.reason
    assert len(server.requests) == 11


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "file:///etc/passwd",
                                 "javascript:alert(1)", "http:///no-host", "http://[::1",
                                 "http://127.0.0.1:99999/"],
                         ids=["ftp", "file", "javascript", "no-host", "broken-ipv6",
                              "port-out-of-range"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    fetcher = polite()
    error = fetch_error(fetcher, url)
    assert "http" in error.reason
    assert fetcher.stats.requests == 0


def test_redirect_to_a_login_page_needs_a_person(server: LoopbackServer) -> None:
    server.routes["/shop"] = Reply(status=302, headers={"Location": "/member/login.jhtml?r=1"})
    server.routes["/member/login.jhtml"] = Reply("<form>password</form>")
    error = fetch_error(polite(), f"{server.url}/shop")
    assert error.needs_person
    assert "login" in error.reason


def test_ordinary_redirect_gives_final_url_and_lower_case_headers(
        server: LoopbackServer) -> None:
    server.routes["/old"] = Reply(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Reply("moved here", headers={"X-Shop-Thing": "yes"})
    doc = fetch_one(polite(), f"{server.url}/old")
    assert doc.url == f"{server.url}/new"
    assert doc.body == b"moved here"
    assert doc.headers["x-shop-thing"] == "yes"
    assert doc.content_type == "text/html"
    assert all(name == name.lower() for name in doc.headers)


@pytest.mark.parametrize("offset, low, high", [
    (None, 120.0, 120.0),
    (timedelta(hours=2), 7000.0, 7300.0),
    (timedelta(hours=-2), 0.0, 0.0),
], ids=["seconds", "future-date", "past-date"])
def test_retry_after_reads_seconds_and_http_dates(offset: timedelta | None, low: float,
                                                  high: float) -> None:
    # The date is made when the test runs: made at collection, it ages with the suite.
    value = "120" if offset is None else format_datetime(datetime.now(UTC) + offset,
                                                         usegmt=True)
    seconds = retry_after_seconds({"retry-after": value})
    assert seconds is not None
    assert low <= seconds <= high


@pytest.mark.parametrize("value", ["", "soon", "-5"], ids=["empty", "word", "negative"])
def test_unreadable_retry_after_is_ignored(value: str) -> None:
    assert retry_after_seconds({"retry-after": value}) is None


# --- robots.txt -------------------------------------------------------------------------

ROBOTS = "User-agent: otherbot\nDisallow: /\n\nUser-agent: monitor\nDisallow: /private\n"


def test_robots_disallow_is_obeyed_and_robots_is_read_once(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = Reply(ROBOTS, content_type="text/plain")
    server.routes["/private/a"] = Reply("secret")
    server.routes["/public"] = Reply("open")
    fetcher = polite(respect_robots=True, user_agent="monitor/0.1 (+test)")
    results = fetch_all(fetcher, [f"{server.url}/private/a", f"{server.url}/public",
                                  f"{server.url}/public?again"])
    denied, *allowed = results
    assert isinstance(denied, FetchError)
    assert denied.reason == "disallowed by robots.txt"
    assert [d.body for d in allowed if isinstance(d, Document)] == [b"open", b"open"]
    assert server.paths().count("/robots.txt") == 1
    assert "/private/a" not in server.paths()
    assert fetcher.stats.robots_denied == 1


def test_per_call_override_ignores_robots(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = Reply("User-agent: *\nDisallow: /\n")
    server.routes["/page"] = Reply("page")
    fetcher = polite(respect_robots=True)
    assert fetch_one(fetcher, f"{server.url}/page", respect_robots=False).body == b"page"
    assert "/robots.txt" not in server.paths()


def test_per_call_override_obeys_robots_when_default_is_off(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = Reply("User-agent: *\nDisallow: /\n")
    server.routes["/page"] = Reply("page")
    error = fetch_error(polite(respect_robots=False), f"{server.url}/page", respect_robots=True)
    assert error.reason == "disallowed by robots.txt"


def test_missing_robots_allows_all(server: LoopbackServer) -> None:
    server.routes["/page"] = Reply("page")
    assert fetch_one(polite(respect_robots=True), f"{server.url}/page").body == b"page"
    assert server.paths() == ["/robots.txt", "/page"]


def test_robots_crawl_delay_widens_the_gap(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = Reply("User-agent: *\nCrawl-delay: 0.5\n")
    route = InFlight(hold=0.0)
    server.routes["/page"] = route
    fetcher = polite(respect_robots=True, per_host=4, host_interval=0.0)
    results = fetch_all(fetcher, [f"{server.url}/page?{i}" for i in range(3)])
    assert all(isinstance(r, Document) for r in results)
    gaps = [b - a for a, b in itertools.pairwise(sorted(route.starts))]
    assert len(gaps) == 2
    assert min(gaps) >= 0.4


def test_robots_answering_5xx_disallows_for_a_while(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = Reply("oops", 503)
    server.routes["/page"] = Reply("page")
    error = fetch_error(polite(respect_robots=True, retries=0), f"{server.url}/page")
    assert error.reason.startswith("disallowed by robots.txt")
    assert "HTTP 503" in error.reason
    assert "/page" not in server.paths()


# --- conditional GET and cookies --------------------------------------------------------

def header(request: Request, name: str) -> str | None:
    return next((v for k, v in request.headers.items() if k.lower() == name.lower()), None)


def test_conditional_get_returns_the_cached_body_on_304(server: LoopbackServer) -> None:
    def route(request: Request) -> Reply:
        if header(request, "If-None-Match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'})
        return Reply("catalogue v1", headers={"ETag": '"v1"', "X-Shop": "a"})
    server.routes["/products.json"] = route
    cache = MemoryHttpCache()
    fetcher = polite(cache=cache)

    async def go() -> tuple[Document, Document]:
        async with fetcher:
            url = f"{server.url}/products.json"
            return await fetcher.fetch(url), await fetcher.fetch(url)

    first, second = asyncio.run(go())
    assert header(server.requests[0], "If-None-Match") is None
    assert header(server.requests[1], "If-None-Match") == '"v1"'
    assert (second.status, second.body) == (200, b"catalogue v1")
    assert second.headers["x-shop"] == "a"
    assert first.body == second.body
    assert fetcher.stats.not_modified == 1


def test_last_modified_is_sent_back_and_answers_without_validators_are_not_kept(
        server: LoopbackServer) -> None:
    stamp = "Sun, 01 Mar 2026 09:00:00 GMT"
    server.routes["/dated"] = Reply("dated", headers={"Last-Modified": stamp})
    server.routes["/plain"] = Reply("plain")
    cache = MemoryHttpCache()
    fetch_all(polite(cache=cache), [f"{server.url}/dated", f"{server.url}/plain"])
    fetch_all(polite(cache=cache), [f"{server.url}/dated", f"{server.url}/plain"])
    again = {r.path: r for r in server.requests[2:]}
    assert header(again["/dated"], "If-Modified-Since") == stamp
    assert header(again["/plain"], "If-Modified-Since") is None
    assert len(cache) == 1


def test_cookies_from_cookies_txt_are_sent_including_session_cookies(
        server: LoopbackServer, tmp_path: Path) -> None:
    server.routes["/account"] = Reply("hello")
    path = tmp_path / "cookies.txt"
    path.write_text("# Netscape HTTP Cookie File\n"
                    "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\ts1\n"
                    "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t2000000000\ttoken\tt2\n"
                    "127.0.0.1\tFALSE\t/\tFALSE\t1000\told\tgone\n"
                    "other.example\tFALSE\t/\tFALSE\t0\tforeign\tno\n", encoding="utf-8")
    fetch_one(polite(cookies=load_cookies_txt(path)), f"{server.url}/account")
    sent = header(server.requests[0], "Cookie") or ""
    assert sorted(sent.split("; ")) == ["session=s1", "token=t2"]
