"""What a read knows from the last ones: stored items by URL, when the last complete read
began, and which product pages answered 404/410 then.

`<lastmod>` rule: a sitemap URL whose lastmod is before the start of the last complete
read is taken from the store instead of fetched. Sound by induction: that read saw (or
carried) every listed page, and the page has not changed since. A date without a time
counts as the end of that day anywhere on Earth (+1 day 12 h UTC), and a lastmod that
cannot be read is a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from watchers.model import Listing

_DAY_END = timedelta(days=1, hours=12)


@dataclass(frozen=True)
class Prior:
    """The stored side of a read (empty for a first read or a source without items)."""

    items: dict[str, Listing] = field(default_factory=dict)  # by URL and by key
    since: datetime | None = None  # when the last complete read began
    missing: frozenset[str] = frozenset()  # product URLs that answered 404/410 last time

    @classmethod
    def of(cls, listings: Iterable[Listing], since: datetime | None = None,
           missing: Iterable[str] = ()) -> Prior:
        """A Prior over stored listings, findable by their URL or key."""
        items: dict[str, Listing] = {}
        for item in listings:
            for ref in (item.key, item.url):
                if ref.startswith(("http://", "https://")):
                    items.setdefault(ref, item)
        return cls(items, since, frozenset(missing))

    def unchanged(self, url: str, lastmod: str | None) -> Listing | None:
        """The stored item of `url` when its lastmod says it has not changed since."""
        if self.since is None or not lastmod:
            return None
        item = self.items.get(url)
        when = lastmod_time(lastmod)
        if item is None or when is None:
            return None
        return item if when < self.since else None


def lastmod_time(text: str) -> datetime | None:
    """A sitemap <lastmod> (W3C datetime) as the latest instant it may mean, else None."""
    text = text.strip()
    try:
        if len(text) == 10:  # YYYY-MM-DD: any time of that day, in any time zone
            return datetime.fromisoformat(text).replace(tzinfo=UTC) + _DAY_END
        if len(text) < 10:
            return None  # a year or a month is too coarse to skip a page on
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC) + timedelta(hours=14)
