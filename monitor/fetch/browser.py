"""`fetch = "browser"`: pages read through a real headless Chromium driven by Playwright.

A read waits for what it came for before it takes the DOM: after the load event, until the
listing's cards (a Taobao/JD card, a configured layout's `item`) have appeared and held still
for `quiet` seconds with the DOM unchanged, or, on a page without cards, until neither the
DOM nor the network has moved for twice that; at most BROWSER_WAIT seconds, within the page's
wall-clock cap. Module scripts that build the list after DOMContentLoaded are thus read whole.

Given an address policy, Chromium's only way out is a SOCKS5 proxy on loopback that applies
it to every connection (monitor/fetch/proxy.py): a redirect hop, a worker's request or a
script's navigation to an address nobody configured never leaves the machine. The page's
own navigation refused that way fails the read (AddressRefused); a refused subresource is
done without, counted and logged by the policy.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from monitor.fetch.addresses import AddressPolicy, AddressRefused, origin_of
from monitor.fetch.politeness import Politeness
from monitor.fetch.proxy import PolicyProxy
from monitor.settings import Settings
from watchers.extract.blocks import detect_block
from watchers.fetching import Document, FetchError
from watchers.limits import BROWSER_WAIT
from watchers.sources.jd import CARD_SELECTOR as JD_CARD
from watchers.sources.taobao import CARD_SELECTORS as TAOBAO_CARDS

log = logging.getLogger(__name__)

# Flags this machine needs: no sandbox as root, and no background calls home that a closed
# network refuses by the dozen. The basic password store keeps a profile's cookies readable
# on another machine: `monitor login` runs where there is a screen (and perhaps a desktop
# keyring), and the profile folder is then copied to the server.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--password-store=basic", "--use-mock-keychain",
    # WebRTC's UDP would pass beside the proxy (and so beside the address policy).
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
]
SKIPPED = frozenset({"image", "font", "media"})  # what a page needs no bytes of to be read
# After a login or slider page a site is left alone: every page more would meet the same
# check and mark the operator's session further. 1 h, doubling while it lasts, at most a day.
HOLD_FIRST = 3600.0
HOLD_MAX = 86400.0
# What a listing read comes for: the platforms' cards. Configured layouts add their `item`.
READY = (*TAOBAO_CARDS, JD_CARD)
POLL = 0.1  # seconds between two looks at the page while waiting
# Counts the ready selectors' matches and the ms since the DOM last changed (an observer is
# installed on the first look). A selector the browser cannot parse counts nothing.
_LOOK = """(selectors) => {
  let w = window.__monitorWatch;
  if (!w) {
    w = window.__monitorWatch = {last: performance.now()};
    new MutationObserver(() => { w.last = performance.now(); }).observe(
      document, {subtree: true, childList: true, characterData: true});
  }
  let n = 0;
  for (const s of selectors) { try { n += document.querySelectorAll(s).length; } catch (e) {} }
  return [n, performance.now() - w.last];
}"""


def ready_selectors(settings: Settings) -> tuple[str, ...]:
    """The platforms' card selectors and the `item` of every configured listing layout."""
    items = [layout.listing.get("item", "") for layout in settings.layouts.values()]
    return READY + tuple(dict.fromkeys(i for i in items if i))


@dataclass
class _Hold:
    until: float  # loop time
    error: FetchError
    times: int = 1


class BrowserFetcher:
    """One Chromium, one page at a time per site, a wall-clock cap per page.

    Given the HTTP fetcher's `politeness`, each page takes a slot there too, so the gap and
    the daily budget of a site hold whichever way it is read; given `robots`, robots.txt is
    obeyed as for HTTP reads. After a login or slider page the site is left alone (HOLD_*):
    its reads fail at once with the same error until the hold ends or a page reads again.
    A browser that crashed is started again on the next page.
    """

    def __init__(self, *, executable: str, profile: Path | None = None,
                 cookies: http.cookiejar.CookieJar | None = None, page_timeout: float = 45.0,
                 user_agent: str | None = None, screenshots: Path | None = None,
                 settle: float = 0.0, politeness: Politeness | None = None,
                 robots: Callable[[str], Awaitable[bool]] | None = None,
                 respect_robots: bool = True, ready: Sequence[str] = READY,
                 quiet: float = 0.5, wait: float = BROWSER_WAIT,
                 addresses: AddressPolicy | None = None) -> None:
        self.executable = executable
        self.profile = profile
        self.cookies = cookies
        self.page_timeout = page_timeout
        self.user_agent = user_agent
        self.screenshots = screenshots or Path("screenshots")
        self.settle = settle  # an extra pause after the wait (tests of slow machines)
        self.ready = list(ready)
        self.quiet = quiet
        self.wait = wait
        self.addresses = addresses
        self.politeness = politeness
        self.robots = robots
        self.respect_robots = respect_robots
        self._pw: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._proxy: PolicyProxy | None = None
        self._lost = False
        self._sites: dict[str, asyncio.Lock] = {}
        self._holds: dict[str, _Hold] = {}
        self._start_lock = asyncio.Lock()
        self.pages = 0

    async def __aenter__(self) -> BrowserFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _ensure(self, url: str) -> Any:
        async with self._start_lock:
            if self._context is not None and not self._lost:
                return self._context
            await self.aclose()  # what is left of a crashed browser
            try:
                return await self._launch()
            except Exception as exc:  # a browser that cannot start fails the read, not the run
                await self.aclose()
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise FetchError(url, f"browser {self.executable} could not start: {first}"
                                 ) from None

    async def _launch(self) -> Any:
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        chromium = self._pw.chromium
        options: dict[str, Any] = {"executable_path": self.executable, "headless": True,
                                   "args": CHROMIUM_ARGS}
        if self.user_agent:
            options["user_agent"] = self.user_agent
        if self.addresses is not None:  # every connection Chromium makes passes the policy
            self._proxy = PolicyProxy(self.addresses,
                                      connect_timeout=min(10.0, self.page_timeout))
            options["proxy"] = {"server": await self._proxy.start()}
        if self.profile:
            self.profile.mkdir(parents=True, exist_ok=True)
            self._context = await chromium.launch_persistent_context(str(self.profile),
                                                                     **options)
        else:
            ua = options.pop("user_agent", None)
            self._browser = await chromium.launch(**options)
            self._browser.on("disconnected", self._on_lost)
            self._context = await self._browser.new_context(user_agent=ua)
        self._context.on("close", self._on_lost)
        self._lost = False
        if self.cookies is not None:
            await self._context.add_cookies(playwright_cookies(self.cookies))
        await self._context.route("**/*", self._route)
        return self._context

    def _on_lost(self, *_: object) -> None:
        self._lost = True

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        """Render `url` and return its DOM as HTML; a login or slider page needs a person."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "only well-formed http and https URLs are fetched")
        if self.addresses is not None:  # a literal inside address spends no slot or robots
            self.addresses.check_url(url)
        obey = self.respect_robots if respect_robots is None else respect_robots
        if obey and self.robots is not None and not await self.robots(url):
            raise FetchError(url, "disallowed by robots.txt")
        site = (self.politeness.site_of(url) if self.politeness else None) or parts.netloc
        async with self._sites.setdefault(site, asyncio.Lock()):
            self._held(site, url)
            async with self._slot(url):
                try:
                    document = await self._page(url)
                except FetchError as exc:
                    if exc.needs_person:
                        self._hold(site, exc)
                    raise
            self._holds.pop(site, None)
            return document

    async def _page(self, url: str) -> Document:
        context = await self._ensure(url)
        page = await context.new_page()
        try:
            return await asyncio.wait_for(self._read(page, url), self.page_timeout)
        except TimeoutError:
            raise FetchError(url, f"page took longer than {self.page_timeout:g}s") from None
        finally:
            with contextlib.suppress(Exception):  # a crashed browser has no page to close
                await page.close()

    def _held(self, site: str, url: str) -> None:
        hold = self._holds.get(site)
        if hold is not None and asyncio.get_running_loop().time() < hold.until:
            raise FetchError(url, f"left alone until a person clears it: {hold.error.reason}",
                             needs_person=True, screenshot=hold.error.screenshot)

    def _hold(self, site: str, error: FetchError) -> None:
        times = self._holds[site].times + 1 if site in self._holds else 1
        wait = min(HOLD_MAX, HOLD_FIRST * 2 ** (times - 1))
        self._holds[site] = _Hold(asyncio.get_running_loop().time() + wait, error, times)

    def _slot(self, url: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self.politeness.slot(url) if self.politeness else contextlib.nullcontext()

    async def _read(self, page: Any, url: str) -> Document:
        from playwright.async_api import Error as PlaywrightError

        network = _Network(page)
        try:
            response = await page.goto(url, wait_until="load")
            await self._wait_for_content(page, network)
            if self.settle:
                await asyncio.sleep(self.settle)
            content = await page.content()
        except PlaywrightError as exc:
            self._raise_refused(url, network)
            raise FetchError(url, f"browser: {str(exc).splitlines()[0]}") from None
        self.pages += 1
        if page.url.startswith("chrome-error:"):  # a script sent the page where it failed
            self._raise_refused(url, network)
            raise FetchError(url, "browser: the page navigated to an address that failed")
        status = response.status if response is not None else 200
        block = detect_block(content, page.url)
        if block in ("login", "captcha"):
            shot = await self._screenshot(page, urlsplit(url).netloc)
            what = "a login page" if block == "login" else "a slider check"
            raise FetchError(url, f"{what} at {page.url}", needs_person=True, screenshot=shot)
        if status >= 400:
            raise FetchError(url, f"HTTP {status}")
        return Document(url=page.url, body=content.encode("utf-8"), status=status,
                        headers={"content-type": "text/html; charset=utf-8"})

    def _raise_refused(self, url: str, network: _Network) -> None:
        """AddressRefused when the page's own navigation (a redirect hop included) failed
        because the proxy refused its address; a refused subresource only goes without."""
        proxy = self._proxy
        for hop in network.failed_navigations:
            if proxy is not None and origin_of(hop) in proxy.refused:
                raise AddressRefused(url, f"address refused: the page or its redirect goes to "
                                          f"{hop}, not a configured origin (see [monitor] "
                                          f"allow_hosts)")

    async def _wait_for_content(self, page: Any, network: _Network) -> str:
        """Wait until the cards came and hold still, or the page went quiet, or the time is
        up; say which. What rendered by then is read either way."""
        from playwright.async_api import Error as PlaywrightError

        loop = asyncio.get_running_loop()
        start = loop.time()
        # Leave the page cap room to take the DOM: a cut read is worse than an early one.
        deadline = start + max(0.0, min(self.wait, self.page_timeout * 0.8))
        seen, seen_since = -1, start
        while True:
            try:
                cards, dom_still_ms = await page.evaluate(_LOOK, self.ready)
            except PlaywrightError:  # navigating (a script redirect): look again
                cards, dom_still_ms = -1, 0.0
            now = loop.time()
            if cards != seen:
                seen, seen_since = cards, now
            dom_still = dom_still_ms / 1000 >= self.quiet
            if cards > 0 and dom_still and now - seen_since >= self.quiet:
                return "content"
            if (cards == 0 and dom_still_ms / 1000 >= 2 * self.quiet
                    and network.idle_for(now) >= 2 * self.quiet):
                return "quiet"
            if now >= deadline:
                return "time"
            await asyncio.sleep(POLL)

    async def _route(self, route: Any) -> None:
        # Only what to skip: where a request may go is the proxy's to decide, as it alone
        # also sees the redirect hops.
        if route.request.resource_type in SKIPPED:
            await route.abort()
        else:
            await route.continue_()

    async def _screenshot(self, page: Any, site: str) -> str | None:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.screenshots / f"{site.replace(':', '_')}-{stamp}-{self.pages}.png"
        try:
            await page.screenshot(path=str(path), full_page=False)
        except Exception:  # a screenshot is evidence, not a reason to fail differently
            log.exception("screenshot of %s failed", site)
            return None
        return str(path.resolve())

    async def aclose(self) -> None:
        """Close the browser (what is left of it after a crash, too)."""
        context, browser, pw, proxy = self._context, self._browser, self._pw, self._proxy
        self._context = self._browser = self._pw = self._proxy = None
        for closing in (context, browser):
            if closing is not None:
                with contextlib.suppress(Exception):
                    await closing.close()
        if pw is not None:
            with contextlib.suppress(Exception):
                await pw.stop()
        if proxy is not None:
            await proxy.aclose()


class _Network:
    """Requests in flight on one page and when the last one started or ended."""

    def __init__(self, page: Any) -> None:
        self.inflight: set[Any] = set()
        self.last = asyncio.get_running_loop().time()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._failed)
        self.failed_navigations: list[str] = []

    def _started(self, request: Any) -> None:
        self.inflight.add(request)
        self.last = asyncio.get_running_loop().time()

    def _ended(self, request: Any) -> None:
        self.inflight.discard(request)
        self.last = asyncio.get_running_loop().time()

    def _failed(self, request: Any) -> None:
        self._ended(request)
        with contextlib.suppress(Exception):  # a worker's request has no frame to ask
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self.failed_navigations.append(request.url)

    def idle_for(self, now: float) -> float:
        """Seconds without a request in flight (0 while one is)."""
        return 0.0 if self.inflight else now - self.last


def playwright_cookies(jar: http.cookiejar.CookieJar) -> list[dict[str, Any]]:
    """A cookie jar in Playwright's shape; session cookies (no expiry) stay session cookies."""
    out = []
    for c in jar:
        cookie: dict[str, Any] = {"name": c.name, "value": c.value or "",
                                  "domain": c.domain, "path": c.path or "/",
                                  "secure": bool(c.secure),
                                  "httpOnly": c.has_nonstandard_attr("HttpOnly")}
        if c.expires:
            cookie["expires"] = float(c.expires)
        out.append(cookie)
    return out
