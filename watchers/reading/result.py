"""What one read of a source gave, and the one place that decides whether it is complete."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from watchers.model import Listing, Page, Review

# Blocks that only a person can clear (log in again, solve a slider).
PERSON_BLOCKS = frozenset({"login", "captcha"})


@dataclass
class ReadResult:
    """Everything one read of a source gave, and whether it was complete.

    A read is complete only when every document it needed was fetched and understood and
    no limit cut it: every such reason is in `errors` (so `complete` is `not errors`), and
    an incomplete read never reports removals. What is *not* a reason: a linked page that
    never was a product and answered 404/410, redirected to a login or holds no Product
    (`skipped`, by why), and a page unchanged since the last complete read (`carried`).
    """

    listings: dict[str, Listing] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    documents: int = 0
    needs_person: bool = False
    blocked_url: str | None = None
    screenshot: str | None = None
    review_count: int | None = None
    rating: float | None = None
    skipped: Counter[str] = field(default_factory=Counter)
    carried: int = 0
    missing: list[str] = field(default_factory=list)  # known products answering 404/410
    limit: str | None = None  # the limit that cut the read, and what to raise
    ended: str | None = None  # how paging ended when it was not the last page
    started: str | None = None  # when the read began (ISO 8601), for lastmod next time

    @property
    def complete(self) -> bool:
        """True when every document was read and understood and no limit was reached."""
        return not self.errors

    @property
    def failed(self) -> bool:
        """True when the read gave nothing usable at all."""
        return bool(self.errors) and not self.listings and not self.reviews

    def add(self, page: Page) -> int:
        """Take a page's records (the first copy of a key wins); how many were new."""
        before = len(self.listings) + len(self.reviews)
        for listing in page.listings:
            self.listings.setdefault(listing.key, listing)
        for review in page.reviews:
            self.reviews.setdefault(review.key, review)
        if page.review_count is not None and self.review_count is None:
            self.review_count = page.review_count
        if page.rating is not None and self.rating is None:
            self.rating = page.rating
        return len(self.listings) + len(self.reviews) - before

    def cut(self, reason: str, *, limit: bool = False) -> None:
        """The read is incomplete for `reason` (a limit when `limit`: say what to raise)."""
        if reason in self.errors:
            return
        if limit:
            # First, so that the alert (which quotes the first reasons) says what to raise.
            self.errors.insert(0, reason)
            self.limit = self.limit or reason
        else:
            self.errors.append(reason)

    def note(self) -> str:
        """One line on links skipped and items carried, for `monitor status` ("" if none)."""
        parts = [f"{n} {why}" for why, n in sorted(self.skipped.items())]
        text = f"skipped links: {', '.join(parts)}" if parts else ""
        if self.carried:
            text += ("; " if text else "") + f"{self.carried} unchanged pages not fetched"
        return text
