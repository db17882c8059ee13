"""The lastmod rule: a page is carried from the store only when it surely did not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchers.model import Listing
from watchers.reading.prior import Prior, lastmod_time

SINCE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
URL = "https://shop.example/products/a"
ITEM = Listing(key=URL, title="A", url=URL, price=10.0)


@pytest.mark.parametrize(("lastmod", "carried"), [
    ("2026-03-10T11:59:00+00:00", True),
    ("2026-03-10T12:00:00Z", False),  # not before the read began
    ("2026-03-10T19:00:00+08:00", True),  # 11:00 UTC
    ("2026-03-08", True),  # any time of that day anywhere is before the read
    ("2026-03-09", False),  # may mean 2026-03-10 in UTC-12
    ("2026-03", False), ("2026", False), ("yesterday", False), ("", False),
    ("2026-03-10T11:00:00", False),  # no zone: could be up to UTC-14
], ids=lambda v: str(v))
def test_a_page_is_carried_only_when_its_lastmod_is_surely_before_the_last_read(
        lastmod: str, carried: bool) -> None:
    prior = Prior.of([ITEM], SINCE)
    assert (prior.unchanged(URL, lastmod) is ITEM) is carried


def test_nothing_is_carried_without_a_complete_read_or_a_stored_item() -> None:
    assert Prior.of([ITEM], None).unchanged(URL, "2020-01-01") is None
    assert Prior.of([], SINCE).unchanged(URL, "2020-01-01") is None


def test_lastmod_of_a_date_is_the_latest_instant_it_may_mean() -> None:
    assert lastmod_time("2026-03-08") == datetime(2026, 3, 9, 12, tzinfo=UTC)
