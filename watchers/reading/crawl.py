"""Reading one source: follow an adapter's pages and links through the fetcher."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from watchers.fetching import Document, Fetcher, FetchError
from watchers.model import Listing, Page, Review
from watchers.sources import adapter_for
from watchers.sources.base import SourceSpec

FOLLOW_DEPTH = 2  # start page -> sitemap -> product pages

# Blocks that only a person can clear (log in again, solve a slider).
PERSON_BLOCKS = frozenset({"login", "captcha"})


@dataclass
class ReadResult:
    """Everything one read of a source gave, and whether it was complete."""

    listings: dict[str, Listing] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    documents: int = 0
    needs_person: bool = False
    blocked_url: str | None = None
    screenshot: str | None = None
    review_count: int | None = None
    rating: float | None = None

    @property
    def complete(self) -> bool:
        """True when every document was read and understood."""
        return not self.errors

    @property
    def failed(self) -> bool:
        """True when the read gave nothing usable at all."""
        return bool(self.errors) and not self.listings and not self.reviews

    def add(self, page: Page) -> None:
        for listing in page.listings:
            self.listings.setdefault(listing.key, listing)
        for review in page.reviews:
            self.reviews.setdefault(review.key, review)
        if page.review_count is not None and self.review_count is None:
            self.review_count = page.review_count
        if page.rating is not None and self.rating is None:
            self.rating = page.rating


async def read_source(
    fetcher: Fetcher,
    spec: SourceSpec,
    *,
    respect_robots: bool | None = None,
    max_pages: int = 500,
    stop_paging: Callable[[Page], bool] | None = None,
) -> ReadResult:
    """Fetch and parse a source: its start documents, their `follow` links and `next` pages.

    Any fetch error or blocked page makes the read incomplete; parsing never raises here
    because adapters are pure and defensive, but a bug in one is caught as an error too.
    `stop_paging` ends paging early when it says so of a page (reviews: a page holding
    only known reviews).
    """
    adapter = adapter_for(spec.platform)
    result = ReadResult()
    seen: set[str] = set()
    budget = [max_pages]

    async def one(url: str) -> Page | None:
        if url in seen or budget[0] <= 0:
            return None
        seen.add(url)
        budget[0] -= 1
        try:
            doc: Document = await fetcher.fetch(url, respect_robots=respect_robots)
        except FetchError as exc:
            result.errors.append(exc.reason if exc.url == url else str(exc))
            if exc.needs_person:
                result.needs_person = True
                result.blocked_url = url
                result.screenshot = result.screenshot or exc.screenshot
            return None
        result.documents += 1
        try:
            page = adapter.parse(doc, spec)
        except Exception as exc:  # a parser bug is an incomplete read, not a crash
            result.errors.append(f"{url}: could not parse ({type(exc).__name__}: {exc})")
            return None
        if page.blocked:
            result.errors.append(f"{url}: {page.blocked} page instead of content")
            if page.blocked in PERSON_BLOCKS:
                result.needs_person = True
                result.blocked_url = url
            return None
        result.add(page)
        return page

    async def linked(url: str, depth: int) -> None:
        # A sitemap index links sitemaps that link pages: follow a bounded number of levels.
        page = await one(url)
        if page and page.follow and depth > 1:
            await asyncio.gather(*(linked(u, depth - 1) for u in page.follow))

    async def chain(url: str | None) -> None:
        while url:
            page = await one(url)
            if page is None:
                return
            if page.follow:
                await asyncio.gather(*(linked(u, FOLLOW_DEPTH) for u in page.follow))
            if stop_paging is not None and stop_paging(page):
                return
            url = page.next_url

    await asyncio.gather(*(chain(u) for u in adapter.start_urls(spec)))
    if not result.errors and not result.listings and not result.reviews and (
        spec.purpose in ("catalog", "product")
    ):
        result.errors.append(f"{spec.url}: no items found (has the page layout changed?)")
    return result
