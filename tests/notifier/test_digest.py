"""The digest reads in 30 seconds on a phone: a length budget on a busy day, merged lines."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import date

import pytest
from PIL import Image

from notifier.chart import chart_caption, new_listings_chart, week_figure
from notifier.commands import Commands
from notifier.digest import digest_html, digest_text
from notifier.render import plain, split_lines
from notifier.views import CheckOutcome, DigestData
from tests.notifier.test_zh import Actions, Model, busy_day, stored
from watchers.model import StoredEvent

# About two phone screens: what an operator reads over the first coffee.
BUDGET = 1200


def visible(data: DigestData, lang: str) -> str:
    """The digest as the chat shows it (links as their text)."""
    return "\n".join(plain(piece) for piece in split_lines(digest_html(data, lang)))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_busy_day_fits_the_budget(lang: str) -> None:
    data = busy_day()
    assert len([e for e in data.events if e.kind == "promo_started"]) == 60
    text = visible(data, lang)
    assert len(text) <= BUDGET, text
    assert len(split_lines(digest_html(data, lang))) == 1  # one message


def test_what_needs_us_comes_before_the_peers() -> None:
    text = visible(busy_day(), "en")
    first, peers = text.index("Needs us first"), text.index("Peers")
    assert first < text.index("cannot be read") < text.index("copies of") < \
        text.index("Our shop sold ¥8,200") < text.index("2★") < text.index("Spring:") < peers


def test_a_store_wide_sale_is_one_line_that_takes_in_its_items() -> None:
    text = visible(busy_day(), "en")
    assert "甲家旗舰店: store-wide sale, 63 of 122 items −20%, e.g. " in text
    # The 60 sale starts and the 60 cuts of the same items add no line of their own.
    assert not re.search(r"甲家旗舰店: \d+ (price cuts|items on sale)", text)
    assert text.count("甲家旗舰店:") == 4  # the sale, the launches, a bestseller, the sell-out


def test_a_cut_and_a_sale_start_on_one_item_are_one_change() -> None:
    events = [stored("promo_started", 1), stored("price_drop", 1), stored("price_drop", 2)]
    events[2] = StoredEvent(**{**events[2].__dict__,
                               "product": {"title": "Other", "url": "https://item.example/2"}})
    data = DigestData(day="2026-03-01", since="2026-02-28T09:00:00+08:00", events=events,
                      peers=[], failing=[], currency="CNY")
    text = visible(data, "en")
    assert "甲家旗舰店: 1 item on sale, e.g. 【新品】2026春季法式碎花连衣裙 ¥160 (−20%)" in text
    assert "甲家旗舰店: 1 price cut, e.g. Other ¥259 → ¥207.20" in text


def test_items_carry_currency_and_a_link() -> None:
    html = "\n".join(digest_html(busy_day(), "en"))
    assert '<a href="https://item.example/1">' in html
    assert "¥229" in html and "¥259 → ¥207.20" in html


@pytest.mark.parametrize("count, line", [(1, "甲家旗舰店: 1 new item, e.g."),
                                         (2, "甲家旗舰店: 2 new items, e.g.")])
def test_counts_have_their_plural_right(count: int, line: str) -> None:
    data = DigestData(day="2026-03-01", since="2026-02-28T09:00:00+08:00",
                      events=[stored("new_listing", i) for i in range(count)], peers=[],
                      failing=[])
    assert line in digest_text(data, "en")


def test_the_checks_answer_counts_in_the_singular_too() -> None:
    class One(Actions):
        async def check(self) -> CheckOutcome:
            return CheckOutcome(1, 1, [])

    async def answer() -> list[str]:
        return [r.text async for r in Commands(Model(), One(), "en").answer("check", [])]

    assert asyncio.run(answer())[-1] == \
        "Check done: 1 new event, 1 alert delivered; the rest waits for the digest."


def test_the_chart_has_bars_per_peer_whole_numbers_and_a_caption_with_its_point() -> None:
    per_day = {"Peer A": {"2026-03-01": 3, "2026-02-27": 1}, "Peer B": {"2026-02-28": 12},
               "Peer C": {"2026-01-01": 50}}  # outside the week: not counted
    caption = chart_caption(per_day, date(2026, 3, 1), "en")
    assert caption == ("New items per peer, last 7 days\n"
                       "Peer B launched the most this week: 12 new items (16 at all peers).")
    ax = week_figure(per_day, date(2026, 3, 1), "en").axes[0]
    assert [b.get_label() for b in ax.containers] == ["Peer B", "Peer A"]  # no line hides
    assert all(tick == int(tick) for tick in ax.get_yticks())  # no half items
    labels = [text.get_text() for text in ax.texts if text.get_text()]
    assert sorted(labels) == ["1", "12", "3"]
    png = new_listings_chart(per_day, date(2026, 3, 1), "en")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    assert chart_caption({}, date(2026, 3, 1), "zh").endswith("本周同行都没有上新。")
