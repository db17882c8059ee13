"""BrowserFetcher against loopback pages through real headless Chromium: manners and failures."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest

from monitor.fetch.browser import BrowserFetcher
from monitor.fetch.http import PoliteFetcher
from monitor.fetch.politeness import SiteRule
from tests.fakes.http import InFlightCounter, LoopbackServer, Reply, Request
from tests.monitor.fetch.browser.market import SLIDER
from watchers.fetching import Document, FetchError

CHROMIUM = "/usr/bin/chromium"
T = TypeVar("T")


def browse(tmp_path: Path, http: PoliteFetcher | None = None,
           **kw: object) -> BrowserFetcher:
    options: dict[str, object] = {"executable": CHROMIUM, "screenshots": tmp_path / "shots",
                                  "settle": 0.0, **kw}
    if http is not None:
        options.update(politeness=http.politeness, robots=http.robots.allows,
                       respect_robots=http.respect_robots)
    return BrowserFetcher(**options)  # type: ignore[arg-type]


def run(tmp_path: Path, job: Callable[[BrowserFetcher], Awaitable[T]],
        http: PoliteFetcher | None = None, **kw: object) -> T:
    async def go() -> T:
        async with browse(tmp_path, http, **kw) as browser:
            try:
                return await job(browser)
            finally:
                if http is not None:
                    await http.aclose()
    return asyncio.run(go())


async def attempt(fetch: Awaitable[Document]) -> Document | FetchError:
    try:
        return await fetch
    except FetchError as exc:
        return exc


def test_browser_and_http_reads_of_a_marketplace_site_take_turns_and_share_its_budget(
        tmp_path: Path) -> None:
    counter = InFlightCounter()
    with LoopbackServer({"/p": counter}) as server:
        site = server.url.removeprefix("http://")
        http = PoliteFetcher(per_host=8, host_interval=0.0, respect_robots=False, sites={
            site: SiteRule(per_host=1, interval=0.05, jitter=0.05, daily_budget=3)})

        async def job(browser: BrowserFetcher) -> list[Document | FetchError]:
            reads = [browser.fetch(f"{server.url}/p?b{i}") for i in range(2)]
            reads += [http.fetch(f"{server.url}/p?h{i}") for i in range(2)]
            return list(await asyncio.gather(*(attempt(r) for r in reads)))

        results = run(tmp_path, job, http)
    assert counter.most == 1
    assert sum(isinstance(r, Document) for r in results) == 3
    assert [r.reason for r in results if isinstance(r, FetchError)] == [
        f"daily request budget of 3 for {site} used up"]


def test_after_a_slider_page_the_site_is_left_alone(tmp_path: Path) -> None:
    with LoopbackServer({"/s": Reply(SLIDER)}) as server:
        async def job(browser: BrowserFetcher) -> list[Document | FetchError]:
            return [await attempt(browser.fetch(f"{server.url}/s?q={q}")) for q in ("a", "b")]

        first, second = run(tmp_path, job)
        assert isinstance(first, FetchError) and isinstance(second, FetchError)
        assert first.needs_person and second.needs_person
        assert first.screenshot and Path(first.screenshot).is_file()
        assert second.screenshot == first.screenshot
        assert server.paths().count("/s?q=b") == 0


def test_images_and_fonts_are_not_downloaded_but_scripts_run(tmp_path: Path) -> None:
    page = """<html><head><style>@font-face{font-family:F;src:url(/f.woff2)}
    body{font-family:F}</style></head><body><img src="/a.png"><div id="out"></div>
    <script src="/app.js"></script></body></html>"""
    routes: dict[str, Reply | Callable[[Request], Reply]] = {
        "/": Reply(page),
        "/app.js": Reply('document.getElementById("out").textContent = "rendered";',
                         content_type="application/javascript"),
        "/a.png": Reply(b"\x89PNG", content_type="image/png"),
        "/f.woff2": Reply(b"wOF2", content_type="font/woff2"),
    }
    with LoopbackServer(routes) as server:
        doc = run(tmp_path, lambda b: b.fetch(server.url + "/"))
        assert '<div id="out">rendered</div>' in doc.text
        assert "/app.js" in server.paths()
        assert not {"/a.png", "/f.woff2"} & set(server.paths())


def test_a_page_that_never_finishes_is_cut_at_the_wall_clock_cap(tmp_path: Path) -> None:
    with LoopbackServer({"/slow": Reply("<html>late</html>", delay=5.0)}) as server:
        result = run(tmp_path, lambda b: attempt(b.fetch(server.url + "/slow")),
                     page_timeout=1.0)
    assert isinstance(result, FetchError)
    assert result.reason == "page took longer than 1s"
    assert not result.needs_person


def test_robots_txt_is_obeyed_like_for_http_reads(tmp_path: Path) -> None:
    routes: dict[str, Reply | Callable[[Request], Reply]] = {
        "/robots.txt": Reply("User-agent: *\nDisallow: /private\n", content_type="text/plain"),
        "/private/list": Reply("<html>secret</html>"),
        "/open": Reply("<html><body>open</body></html>")}
    with LoopbackServer(routes) as server:
        http = PoliteFetcher(host_interval=0.0, respect_robots=True)

        async def job(browser: BrowserFetcher) -> list[Document | FetchError]:
            return [await attempt(browser.fetch(server.url + "/private/list")),
                    await attempt(browser.fetch(server.url + "/open")),
                    await attempt(browser.fetch(server.url + "/private/list",
                                                respect_robots=False))]

        denied, allowed, overridden = run(tmp_path, job, http)
    assert isinstance(denied, FetchError) and denied.reason == "disallowed by robots.txt"
    assert isinstance(allowed, Document) and isinstance(overridden, Document)
    assert server.paths().count("/private/list") == 1  # only the overridden read


def test_a_browser_that_went_away_is_started_again(tmp_path: Path) -> None:
    with LoopbackServer({"/": Reply("<html><body>hi</body></html>")}) as server:
        async def job(browser: BrowserFetcher) -> Document:
            await browser.fetch(server.url + "/?1")
            await browser._browser.close()  # as if Chromium had crashed
            return await browser.fetch(server.url + "/?2")

        doc = run(tmp_path, job)
    assert "hi" in doc.text


def test_a_missing_browser_fails_the_read_with_a_clear_reason(tmp_path: Path) -> None:
    result = run(tmp_path, lambda b: attempt(b.fetch("http://127.0.0.1:9/")),
                 executable=str(tmp_path / "no-chromium"))
    assert isinstance(result, FetchError)
    assert result.reason.startswith(f"browser {tmp_path / 'no-chromium'} could not start")


@pytest.fixture(autouse=True)
def _chromium_is_installed() -> None:
    assert Path(CHROMIUM).exists(), "the project's set-up installs Debian's chromium"


def test_a_session_kept_in_the_profile_folder_is_used_by_later_reads(tmp_path: Path) -> None:
    def home(req: Request) -> Reply:
        if "sid=kept" in req.headers.get("Cookie", ""):
            return Reply("<html><body>welcome back</body></html>")
        return Reply("<html><body>hello</body></html>",
                     headers={"Set-Cookie": "sid=kept; Path=/; Max-Age=86400; HttpOnly"})

    with LoopbackServer({"/": home}) as server:
        profile = tmp_path / "profile"
        first = run(tmp_path, lambda b: b.fetch(server.url + "/"), profile=profile)
        again = run(tmp_path, lambda b: b.fetch(server.url + "/"), profile=profile)
    assert "hello" in first.text
    assert "welcome back" in again.text  # a new browser process, the same profile
