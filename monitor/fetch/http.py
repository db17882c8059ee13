"""The polite HTTP fetcher: one shared httpx client, slots and gaps per host, retries,
a body cap, robots.txt, conditional GETs and the operator's cookies.

Rules worth knowing:
- A try is cut after `timeout` seconds in all (connect, headers and body together).
- Network errors, timeouts, 5xx and 429 are retried with exponential backoff; a Retry-After
  beyond `max_retry_after` fails the read at once instead of sleeping.
- One fetch, all its tries and the waits between them, ends within `deadline` (by default
  DEADLINE_TIMEOUTS x `timeout`): the last try gets what is left, and a wait (backoff or
  Retry-After) that would reach past it gives up at once, saying so. Time queued for a
  politeness slot is our own pacing, not the site's slowness, and is not counted.
- A 304 to a conditional GET returns the cached body with status 200 (the Fetcher
  protocol promises a 2xx document); `stats.not_modified` counts them.
- A redirect that ends on a URL whose host or path holds "login", "signin", "sign-in",
  "sign_in" or "passport" is a login wall: FetchError(needs_person=True).
- Politeness (slots, gap, budget) applies to the requested host; redirect hops within one
  try are followed by httpx and not gated again.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import http.cookiejar
import logging
import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from monitor.fetch.addresses import AddressPolicy, AddressRefused, guarded_transport
from monitor.fetch.decoding import ACCEPT_ENCODING, BoundedDecoder, Undecodable
from monitor.fetch.http_cache import CachedResponse, HttpCache
from monitor.fetch.politeness import Politeness, SiteRule
from monitor.fetch.robots import MAX_ROBOTS_BYTES, RobotsCache
from watchers.encoding import decode
from watchers.extract.blocks import detect_block
from watchers.fetching import Document, FetchError
from watchers.limits import MAX_BODY, MAX_REDIRECTS

MAX_CRAWL_DELAY = 60.0  # a Crawl-delay above this would stall a watch; we cap what we honour
LOGIN_WORDS = ("login", "signin", "sign-in", "sign_in", "passport")
# Headers a 304 may update in the stored answer (RFC 9111 4.3.4); the rest stays as cached.
REVALIDATED = ("etag", "last-modified", "date", "expires", "cache-control")
RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError,
             TimeoutError)
DEFAULT_UA = "monitor/0.1 (+competitor price watch)"
# A fetch may take this many `timeout`s in all, tries and the waits between them: a
# stalling site gets up to three tries (the last one what is left after the backoffs), a
# failing one (5xx at once) all its tries; a page that needs longer fails with its reason.
# robots.txt is fetched under its own deadline before the page's.
DEADLINE_TIMEOUTS = 3

log = logging.getLogger(__name__)


BLOCK_STATUSES = frozenset({401, 403})  # refusals whose body may be a login or slider page
BLOCK_PEEK = 256_000


@dataclass
class FetchStats:
    """Counters since the fetcher was made (robots.txt reads included)."""

    requests: int = 0
    retries: int = 0
    bytes: int = 0
    not_modified: int = 0
    robots_denied: int = 0


@dataclass
class _Answer:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    redirected: bool = False


class _TooLarge(Exception):
    pass


@dataclass
class _Failure:
    reason: str
    retry_after: float | None = None


@dataclass
class _Spent:
    """Seconds one fetch spent in tries and waits (queueing for a slot not counted)."""

    seconds: float = 0.0


class PoliteFetcher:
    """Fetches pages politely for the watchers (implements watchers.fetching.Fetcher)."""

    def __init__(self, *, concurrency: int = 16, per_host: int = 2, host_interval: float = 1.0,
                 timeout: float = 20.0, user_agent: str = DEFAULT_UA,
                 respect_robots: bool = True, max_body: int = MAX_BODY, retries: int = 3,
                 backoff: float = 0.5, max_retry_after: float = 120.0,
                 cache: HttpCache | None = None,
                 cookies: http.cookiejar.CookieJar | None = None,
                 daily_budget: Mapping[str, int] | None = None,
                 clock: Callable[[], datetime] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 sites: Mapping[str, SiteRule] | None = None,
                 addresses: AddressPolicy | None = None,
                 deadline: float | None = None) -> None:
        self.timeout = timeout
        self.deadline = DEADLINE_TIMEOUTS * timeout if deadline is None else deadline
        self.respect_robots = respect_robots
        self.max_body = max_body
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.cache = cache
        self.stats = FetchStats()
        self.politeness = Politeness(concurrency=concurrency, per_host=per_host,
                                     host_interval=host_interval, daily_budget=daily_budget,
                                     clock=clock, sites=sites)
        self.robots = RobotsCache(self._get_robots, user_agent)
        self.addresses = addresses
        limits = httpx.Limits(max_connections=max(1, concurrency),
                              max_keepalive_connections=max(1, concurrency))
        if transport is None and addresses is not None:
            transport = guarded_transport(addresses, limits)
        self._client = httpx.AsyncClient(
            transport=transport,
            cookies=cookies,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0), pool=None),
            limits=limits,
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING,
                     "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,"
                               "*/*;q=0.8"},
        )

    async def __aenter__(self) -> PoliteFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the shared client and its connections."""
        await self._client.aclose()

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        """Return the document at `url` (a 2xx answer) or raise FetchError."""
        if not _fetchable(url):
            raise FetchError(url, "only well-formed http and https URLs are fetched")
        if self.addresses is not None:
            self.addresses.check_url(url)
        obey = self.respect_robots if respect_robots is None else respect_robots
        if obey:
            rules = await self.robots.rules_for(url)
            if not rules.allows(url, self.robots.token):
                self.stats.robots_denied += 1
                why = f" (robots.txt unreachable: {rules.unreachable})" if rules.unreachable else ""
                raise FetchError(url, f"disallowed by robots.txt{why}")
            delay = rules.crawl_delay(self.robots.token)
            if delay:
                self.politeness.widen_gap(url, min(delay, MAX_CRAWL_DELAY))
        cached = self.cache.get(url) if self.cache is not None else None
        headers = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        answer = await self._retrying(url, headers, truncate=False)
        if answer.redirected and _looks_like_login(answer.url):
            raise FetchError(url, f"redirected to a login page: {answer.url}", needs_person=True)
        if answer.status == 304 and cached is not None:
            self.stats.not_modified += 1
            return self._revalidated(url, answer, cached)
        if not 200 <= answer.status < 300:
            block = detect_block(decode(answer.body), answer.url) if answer.body else None
            if block in ("login", "captcha"):
                raise FetchError(url, f"HTTP {answer.status}: a {block} page", needs_person=True)
            raise FetchError(url, f"HTTP {answer.status}")
        self._remember(url, answer)
        return Document(url=answer.url, body=answer.body, status=answer.status,
                        headers=answer.headers)

    def _revalidated(self, url: str, answer: _Answer, cached: CachedResponse) -> Document:
        headers = dict(cached.headers)
        headers.update({k: v for k, v in answer.headers.items() if k in REVALIDATED})
        if self.cache is not None:
            self.cache.put(url, CachedResponse(headers.get("etag"), headers.get("last-modified"),
                                               cached.body, headers))
        return Document(url=answer.url, body=cached.body, status=200, headers=headers)

    def _remember(self, url: str, answer: _Answer) -> None:
        etag, modified = answer.headers.get("etag"), answer.headers.get("last-modified")
        if self.cache is None or not (etag or modified):
            return
        if "no-store" in answer.headers.get("cache-control", "").lower():
            return
        self.cache.put(url, CachedResponse(etag, modified, answer.body, answer.headers))

    async def _get_robots(self, url: str) -> tuple[int, bytes]:
        answer = await self._retrying(url, {}, truncate=True)
        return answer.status, answer.body

    async def _retrying(self, url: str, headers: dict[str, str], *, truncate: bool) -> _Answer:
        """Try up to 1 + retries times within the deadline; the answer of a status not worth
        retrying, or raise."""
        tries = self.retries + 1
        failure = _Failure("no try made")
        spent = _Spent()
        for attempt in range(1, tries + 1):
            if attempt > 1:
                self.stats.retries += 1
            try:
                answer = await self._attempt(url, headers, truncate=truncate, spent=spent)
            except RETRYABLE as exc:
                failure = _Failure(_network_reason(exc))
            except _TooLarge:
                raise FetchError(url, f"body larger than {self.max_body} bytes") from None
            except AddressRefused as exc:  # a hop to an address nobody configured
                raise AddressRefused(url, exc.reason) from None
            except Undecodable as exc:
                raise FetchError(url, str(exc)) from None
            except httpx.TooManyRedirects:
                raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise FetchError(url, _network_reason(exc)) from None
            else:
                if answer.status != 429 and answer.status < 500:
                    return answer
                failure = _Failure(f"HTTP {answer.status}", retry_after_seconds(answer.headers))
            if attempt == tries:
                break
            delay = self.backoff * 2 ** (attempt - 1) + random.uniform(0, self.backoff / 4)
            if failure.retry_after is not None:
                if failure.retry_after > self.max_retry_after:
                    raise FetchError(url, f"{failure.reason} asks to retry after "
                                          f"{failure.retry_after:.0f}s, beyond the "
                                          f"{self.max_retry_after:.0f}s cap")
                delay = max(delay, failure.retry_after)
                self.politeness.hold_off(url, failure.retry_after)
            if spent.seconds + delay >= self.deadline:
                if failure.retry_after is not None and delay == failure.retry_after:
                    raise FetchError(url, f"{failure.reason} asks to retry after "
                                          f"{failure.retry_after:.0f}s, past the fetch's "
                                          f"{self.deadline:g}s deadline")
                raise FetchError(url, f"{failure.reason}{_tries(attempt)}; no time left in "
                                      f"the fetch's {self.deadline:g}s deadline")
            log.debug("retrying %s in %.1fs: %s", url, delay, failure.reason)
            await asyncio.sleep(delay)
            spent.seconds += delay
        raise FetchError(url, failure.reason + _tries(tries))

    async def _attempt(self, url: str, headers: dict[str, str], *, truncate: bool,
                       spent: _Spent) -> _Answer:
        """One request, its redirects and its body, all within `timeout` seconds (or what is
        left of the fetch's deadline, when less)."""
        cap = MAX_ROBOTS_BYTES if truncate else self.max_body
        async with self.politeness.slot(url):
            self.stats.requests += 1
            loop = asyncio.get_running_loop()
            began = loop.time()
            limit = min(self.timeout, self.deadline - spent.seconds)
            try:
                async with asyncio.timeout(limit), \
                        self._client.stream("GET", url, headers=headers) as response:
                    return await self._answer(response, cap, truncate=truncate)
            finally:
                spent.seconds += loop.time() - began

    async def _answer(self, response: httpx.Response, cap: int, *, truncate: bool) -> _Answer:
        answer = _Answer(str(response.url), response.status_code,
                         {k.lower(): v for k, v in response.headers.items()},
                         redirected=bool(response.history))
        if response.status_code in BLOCK_STATUSES:
            # A refusal may be a login or slider page: keep a little to tell which.
            with contextlib.suppress(Undecodable):
                answer.body = await _read_body(response, BLOCK_PEEK, truncate=True)
            return answer
        if not 200 <= response.status_code < 300:
            return answer
        declared = response.headers.get("content-length", "")
        if not truncate and declared.isdigit() and int(declared) > cap:
            raise _TooLarge
        answer.body = await _read_body(response, cap, truncate=truncate)
        self.stats.bytes += len(answer.body)
        return answer


def _tries(count: int) -> str:
    return f" after {count} tries" if count > 1 else ""


async def _read_body(response: httpx.Response, cap: int, *, truncate: bool) -> bytes:
    """The decoded body, counted while decoding: over `cap` it is cut (`truncate`) or refused."""
    decoder = BoundedDecoder(response.headers.get("content-encoding", ""))
    body = bytearray()

    def full(pieces: Iterator[bytes]) -> bool:
        for piece in pieces:  # pulled one at a time: a bomb is never inflated past the cap
            body.extend(piece[: cap + 1 - len(body)])
            if len(body) > cap:
                if not truncate:
                    raise _TooLarge
                del body[cap:]
                return True
        return False

    async for raw in response.aiter_raw():
        if full(decoder.feed(raw)):
            return bytes(body)
    full(decoder.flush())
    return bytes(body)


def _fetchable(url: str) -> bool:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _looks_like_login(url: str) -> bool:
    parts = urlsplit(url)
    where = f"{parts.hostname or ''}{parts.path}".lower()
    return any(word in where for word in LOGIN_WORDS)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds asked by a Retry-After header (delta seconds or an HTTP date), if any."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    # The server's date is wall-clock time, so compare with the real clock, not the injected one.
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _network_reason(exc: BaseException) -> str:
    """A short human reason for a transport failure."""
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return "timeout"
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return "connection refused"
        seen = seen.__cause__ or seen.__context__
    text = str(exc) or type(exc).__name__
    return f"connection failed: {text}" if isinstance(exc, httpx.ConnectError) else text

