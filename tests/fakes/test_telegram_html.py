"""Telegram's HTML parse mode as the fake server checks it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.telegram_html import HtmlError, parse_html, plain_text, utf16_len


def spans(entities: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Entities as (type, offset, length) plus their extra field, if any."""
    out = []
    for e in entities:
        extra = [v for k, v in e.items() if k not in ("type", "offset", "length")]
        out.append((e["type"], e["offset"], e["length"], *extra))
    return out


@pytest.mark.parametrize("html, text, entities", [
    ("plain > text", "plain > text", []),
    ("<b>a</b><I>b</I>", "ab", [("bold", 0, 1), ("italic", 1, 1)]),
    ("<b>x <i>y</i></b>", "x y", [("bold", 0, 3), ("italic", 2, 1)]),
    ("&lt;&gt;&amp;&quot;&#65;&#x42;", "<>&\"AB", []),
    ('<a href="https://a.test/?q=1&amp;r=2">go</a>', "go",
     [("text_link", 0, 2, "https://a.test/?q=1&r=2")]),
    ("😀<b>x</b>", "😀x", [("bold", 2, 1)]),
    ('<pre><code class="language-python">x = 1</code></pre>', "x = 1",
     [("pre", 0, 5, "python")]),
    ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st",
     [("spoiler", 0, 1), ("spoiler", 1, 1)]),
    ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
    ("<b></b>x", "x", []),
], ids=["no_tags", "sibling_tags_any_case", "nested", "entities", "link_with_escaped_href",
        "utf16_offsets", "pre_with_language", "spoilers", "expandable_quote", "empty_tag_dropped"])
def test_html_becomes_plain_text_and_entities(html: str, text: str,
                                              entities: list[tuple[Any, ...]]) -> None:
    got_text, got_entities = parse_html(html)
    assert (got_text, spans(got_entities)) == (text, entities)


@pytest.mark.parametrize("html, reason", [
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("é<x>", 'Unsupported start tag "x" at byte offset 2'),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("<b>x</b", "Unclosed end tag at byte offset 4"),
    ("<i>", 'Can\'t find end tag corresponding to start tag "i"'),
    ("&nbsp;", "Unsupported HTML entity at byte offset 0"),
    ("<tg-emoji emoji-id=x>e</tg-emoji>", "Custom emoji identifier expected at byte offset 0"),
], ids=["lt_before_space", "unknown_tag_byte_offset", "unmatched_end", "unclosed_end",
        "never_closed", "unknown_named_entity", "emoji_without_id"])
def test_bad_html_is_refused_with_telegrams_reason(html: str, reason: str) -> None:
    with pytest.raises(HtmlError) as err:
        parse_html(html)
    assert str(err.value) == reason


def test_lenient_mode_keeps_a_stray_ampersand_like_the_real_server() -> None:
    assert parse_html("Tom & Jerry &copy", strict=False) == ("Tom & Jerry &copy", [])
    with pytest.raises(HtmlError):
        parse_html("Tom & Jerry")


def test_only_html_parse_mode_is_parsed() -> None:
    assert plain_text("<b>x</b> & y", None) == ("<b>x</b> & y", [])
    assert plain_text("<b>x</b>", "HTML") == ("x", [{"type": "bold", "offset": 0, "length": 1}])
    assert utf16_len("a😀") == 3
