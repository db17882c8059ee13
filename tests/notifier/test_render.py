"""Rendering: both catalogues agree, every fetched value is escaped, messages split right."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image

from notifier.chart import new_listings_chart
from notifier.i18n import catalogue
from notifier.render import MESSAGE_LIMIT, batch_html, event_html, event_text, split_lines
from watchers.model import EVENT_KINDS, StoredEvent


def stored(kind: str, title: str = "Shirt", **details: object) -> StoredEvent:
    return StoredEvent(id=f"id-{kind}", kind=kind, at="2026-03-01T09:00:00+08:00",
                       store="Peer <A> & Co", product={"title": title,
                                                       "url": "https://p.example/x?a=1&b=2"},
                       summary=f"{kind} summary", details=details, urgent=True,
                       source="peer:Peer A")


def test_both_catalogues_have_the_same_keys() -> None:
    # Plural forms (KEY.one) are English's own: a Chinese counter does not change.
    def keys(lang: str) -> set[str]:
        return {k for k in catalogue(lang) if not k.endswith(".one")}

    assert keys("en") == keys("zh")


@pytest.mark.parametrize("kind", EVENT_KINDS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kind_has_a_label_and_renders(kind: str, lang: str) -> None:
    assert f"kind.{kind}" in catalogue(lang)
    assert event_text(stored(kind, price=10, old=10, new=8, change=-0.2, share=0.4,
                             median_discount=0.3, rating=2, text="差", author="a",
                             advice="wait", season="spring", peers=[], error="x"), lang)


def test_html_escapes_titles_with_markup_and_emoji() -> None:
    text = event_html(stored("price_drop", title="<b>Tee</b> & 🔥 春装", old=100, new=80,
                             change=-0.2), "en")
    assert "<b>Tee</b>" not in text
    assert "&lt;b&gt;Tee&lt;/b&gt; &amp; 🔥 春装" in text
    assert "Peer &lt;A&gt; &amp; Co" in text
    tags = re.findall(r"</?([a-z]+)", text)
    assert set(tags) <= {"b", "a"}


def test_chinese_alert_reads_chinese() -> None:
    text = event_text(stored("price_drop", old=100, new=80, change=-0.2), "zh")
    assert "降价" in text and "降 20%" in text


def test_split_keeps_messages_under_the_limit_on_line_boundaries() -> None:
    lines = [f"line {i} " + "x" * 90 for i in range(200)]
    parts = split_lines(lines)
    assert len(parts) > 1
    assert all(len(p) <= MESSAGE_LIMIT for p in parts)
    assert "\n".join(parts).split("\n") == lines


def test_a_burst_is_batched_into_few_messages() -> None:
    events = [stored("new_listing", title=f"Item {i}", price=i) for i in range(300)]
    events = [StoredEvent(**{**e.__dict__, "id": f"e{i}"}) for i, e in enumerate(events)]
    messages = batch_html(events, "en")
    assert 1 <= len(messages) <= 10
    assert sum(m.count("• ") for m in messages) == 300


def test_chart_is_a_real_png() -> None:
    png = new_listings_chart({"Peer A": {"2026-03-01": 3}, "同行 B": {"2026-02-27": 1}},
                             date(2026, 3, 1), "zh")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.width > 100
