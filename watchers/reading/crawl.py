"""Reading one source: its start pages and `next` links, its sitemaps, the product pages
they name; every limit and every failure it meets is said in the result.

Roles decide what a failure means:
- a start or `next` page, a sitemap: the read cannot be complete without it;
- a linked page (a candidate product): one that never was a product and answers 404/410,
  redirects to a login or holds no Product is skipped and counted. One that *was* a
  product (the store has an item at that URL) and answers 404/410 is kept from the store
  the first time and left out (a removal, if the read is otherwise complete) when it
  still does at the next check; a page that was a product and now holds none, or any
  5xx, timeout or block, makes the read incomplete.
Paging stops at the last page, a repeated page (complete), a page with nothing new
(complete: the catalogue repeats itself), or `max_pages` (incomplete, says what to raise;
a marketplace search reads its first pages by design, so there the cap just ends paging).
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import Callable

from watchers.fetching import Document, Fetcher, FetchError
from watchers.limits import (
    MAX_PAGES,
    MAX_SITEMAP_URLS,
    MAX_SITEMAPS,
    SITEMAP_DEPTH,
    SOURCE_DEADLINE,
)
from watchers.model import Page
from watchers.reading.discover import sitemap_candidates
from watchers.reading.prior import Prior
from watchers.reading.result import PERSON_BLOCKS, ReadResult
from watchers.sources import adapter_for
from watchers.sources.base import Adapter, SourceSpec

_GONE = re.compile(r"^HTTP (404|410)\b")
# Candidate product pages fetched at once; the fetcher's own slots keep each host polite.
WORKERS = 32


class _Crawl:
    """The state of one read: what was seen, fetched, queued and what is left."""

    def __init__(self, fetcher: Fetcher, spec: SourceSpec, adapter: Adapter,
                 respect_robots: bool | None, max_pages: int, prior: Prior,
                 hint: str = "max_pages") -> None:
        self.fetcher, self.spec, self.adapter = fetcher, spec, adapter
        self.robots, self.max_pages, self.prior = respect_robots, max_pages, prior
        self.hint = hint  # where the operator raises max_pages
        self.result = ReadResult()
        self.seen: set[str] = set()
        self.fetched = 0  # product pages fetched
        self.structure = 0  # start, next and sitemap pages fetched
        self.unread = 0  # documents wanted but not fetched for the page limit
        self.products: deque[tuple[str, str | None]] = deque()
        self.queued = 0  # candidate products queued in all
        self.feeding = True  # start pages or sitemaps may still queue products
        self.wake = asyncio.Event()
        self.sitemap_urls = 0
        self.sitemaps = 0

    # -- fetching one document ------------------------------------------------------------

    async def get(self, url: str, role: str) -> Page | None:
        """Fetch and parse `url`; failures are recorded by `role`; None when nothing came."""
        # Product pages and the pages that lead to them (start, next, sitemaps) each have
        # `max_pages`: the products fetched are then the first ones queued, whatever the
        # timing, so a cut read covers the same items every time (no invented changes).
        if role == "product":
            if self.fetched >= self.max_pages:
                self.unread += 1
                return None
            self.fetched += 1
        else:
            if self.structure >= self.max_pages:
                if role != "probe":
                    self.result.cut(f"sitemaps and catalogue pages go on past max_pages = "
                                    f"{self.max_pages}: raise {self.hint}", limit=True)
                return None
            self.structure += 1
        result = self.result
        try:
            doc: Document = await self.fetcher.fetch(url, respect_robots=self.robots)
        except FetchError as exc:
            self._failed(url, role, exc)
            return None
        result.documents += 1
        try:
            page = self.adapter.parse(doc, self.spec)
        except Exception as exc:  # a parser bug is an incomplete read, not a crash
            result.cut(f"{url}: could not parse ({type(exc).__name__}: {exc})")
            return None
        if role == "probe":  # a guess: anything but a sitemap only means "not here"
            return page if page.follow or page.sitemaps else None
        if page.blocked in PERSON_BLOCKS:
            result.cut(f"{url}: {page.blocked} page instead of content")
            result.needs_person = True
            result.blocked_url = url
            return None
        if page.cut:
            result.cut(f"{url}: {page.cut} (not read)")
        if role == "product" and not page.listings:
            if url in self.prior.items:
                result.cut(f"{url}: was a product, now shows none")
            else:
                result.skipped["without a product"] += 1
            return None
        if page.blocked:
            result.cut(f"{url}: {page.blocked} page instead of content")
            return None
        return page

    def _failed(self, url: str, role: str, exc: FetchError) -> None:
        result = self.result
        reason = exc.reason if exc.url == url else str(exc)
        gone = _GONE.match(exc.reason)
        if role == "product" and gone:
            if url not in self.prior.items:
                result.skipped[f"answering {gone.group(0)}"] += 1
                return
            result.missing.append(url)
            if url not in self.prior.missing:
                # The first 404 of a still-listed product may be a deploy or a glitch.
                result.add(Page(listings=[self.prior.items[url]]))
                result.carried += 1
            return
        if role == "product" and exc.needs_person and url not in self.prior.items and (
                "redirected to a login" in exc.reason):
            result.skipped["redirecting to a login"] += 1
            return
        if role == "probe":
            return  # a guessed sitemap that is not there: read the catalogue instead
        result.cut(f"{url}: {reason}")
        if exc.needs_person:
            result.needs_person = True
            result.blocked_url = url
            result.screenshot = result.screenshot or exc.screenshot

    # -- what a page leads to -------------------------------------------------------------

    def queue(self, page: Page) -> int:
        """Queue a page's sitemaps and candidate products; how many were new."""
        new = 0
        sitemaps = set(page.sitemaps)
        for url in page.follow:
            if url in self.seen or url in sitemaps:
                continue
            self.seen.add(url)
            new += 1
            self.products.append((url, page.modified.get(url)))
        self.queued += new
        if new:
            self.wake.set()
        return new

    async def sitemap(self, url: str, depth: int, role: str = "sitemap") -> bool:
        """Read a sitemap and the sitemaps it names; True when it named anything."""
        if url in self.seen:
            return False
        self.seen.add(url)
        if self.sitemaps >= min(MAX_SITEMAPS, self.max_pages):
            self.result.cut(f"more than {min(MAX_SITEMAPS, self.max_pages)} sitemaps",
                            limit=True)
            return False
        self.sitemaps += 1
        page = await self.get(url, role)
        if page is None:
            return False
        children = [u for u in page.sitemaps if u not in self.seen]
        if children and depth >= SITEMAP_DEPTH:
            self.result.cut(f"{url}: sitemap indexes nested deeper than {SITEMAP_DEPTH}")
            children = []
        before = len(self.products)
        self.queue(page)
        self.sitemap_urls += len(self.products) - before
        if self.sitemap_urls > MAX_SITEMAP_URLS:
            self.result.cut(f"sitemaps list more than {MAX_SITEMAP_URLS:,} URLs", limit=True)
            while len(self.products) > MAX_SITEMAP_URLS:
                self.products.pop()
        found = bool(page.follow or page.sitemaps)
        for child in children:
            found = await self.sitemap(child, depth + 1) or found
        return found

    async def chain(self, url: str | None, stop_paging: Callable[[Page], bool] | None) -> None:
        """A start page and its `next` pages, by the paging rules of the module."""
        while url:
            if self.structure >= self.max_pages:
                self._paging_cut()
                return
            page = await self.get(url, "start")
            if page is None:
                return
            new = self.result.add(page) + self.queue(page)
            for child in page.sitemaps:
                await self.sitemap(child, 1)
            if stop_paging is not None and stop_paging(page):
                return
            nxt = page.next_url
            if not nxt:
                return
            if nxt in self.seen:
                self.result.ended = "a repeated page"
                return
            if not new:
                self.result.ended = "a page with nothing new"
                return
            self.seen.add(nxt)
            url = nxt

    def _paging_cut(self) -> None:
        if self.spec.purpose == "search":
            self.result.ended = f"the first {self.max_pages} pages of the search"
            return
        self.result.cut(f"catalogue pages go on past max_pages = {self.max_pages}: "
                        f"raise {self.hint}", limit=True)

    async def worker(self) -> None:
        """Fetch queued candidate products (those unchanged since are carried) until the
        start pages and sitemaps are done and the queue is empty."""
        while self.products or self.feeding:
            if not self.products:
                self.wake.clear()
                await self.wake.wait()
                continue
            url, lastmod = self.products.popleft()
            kept = self.prior.unchanged(url, lastmod)
            if kept is not None:
                self.result.add(Page(listings=[kept]))
                self.result.carried += 1
                continue
            page = await self.get(url, "product")
            if page is not None:
                self.result.add(page)

    def finish(self) -> None:
        """Say what the page limit left unread."""
        if self.unread:
            total = self.fetched + self.unread
            self.result.cut(f"{self.unread} of {total} product pages not read: max_pages = "
                            f"{self.max_pages} reached; raise {self.hint} to at least "
                            f"{total}", limit=True)


async def read_source(
    fetcher: Fetcher,
    spec: SourceSpec,
    *,
    respect_robots: bool | None = None,
    max_pages: int = MAX_PAGES,
    stop_paging: Callable[[Page], bool] | None = None,
    prior: Prior | None = None,
    discover: bool = False,
    deadline: float = SOURCE_DEADLINE,
    hint: str = "max_pages",
) -> ReadResult:
    """Fetch and parse a source: its sitemaps (with `discover`: robots.txt's `Sitemap:`
    lines or /sitemap.xml, falling back to the configured page), start pages, their
    linked product pages and `next` pages. See the module for what makes it incomplete.

    `stop_paging` ends paging early when it says so of a page (reviews: a page holding
    only known reviews). `prior` is what the store knows (carry-over and 404 rules);
    `hint` names where the operator raises max_pages.
    """
    crawl = _Crawl(fetcher, spec, adapter_for(spec.platform), respect_robots, max_pages,
                   prior or Prior(), hint)
    result = crawl.result
    try:
        async with asyncio.timeout(deadline):
            workers = asyncio.gather(*(crawl.worker() for _ in range(WORKERS)))
            try:
                await _discover_and_page(crawl, spec, discover, respect_robots, stop_paging)
            finally:
                crawl.feeding = False
                crawl.wake.set()
            await workers
    except TimeoutError:
        result.cut(f"the read took longer than {deadline:g} s, the per-source limit",
                   limit=True)
    crawl.finish()
    if not result.errors and not result.listings and not result.reviews and (
        spec.purpose in ("catalog", "product")
    ):
        result.errors.append(f"{spec.url}: no items found (has the page layout changed?)")
    return result


async def _discover_and_page(crawl: _Crawl, spec: SourceSpec, discover: bool,
                             respect_robots: bool | None,
                             stop_paging: Callable[[Page], bool] | None) -> None:
    """The store's sitemaps when asked to discover them, else (or when they name no
    product) the configured page and its `next` pages."""
    if discover:
        for url, declared in await sitemap_candidates(crawl.fetcher, spec, respect_robots):
            await crawl.sitemap(url, 1, "sitemap" if declared else "probe")
        if crawl.queued:
            return
    starts = [u for u in crawl.adapter.start_urls(spec) if u not in crawl.seen]
    crawl.seen.update(starts)
    await asyncio.gather(*(crawl.chain(u, stop_paging) for u in starts))
