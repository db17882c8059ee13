"""Telegram's HTML parse mode, as the Bot API server checks it: plain text and entities out."""

from __future__ import annotations

import re
from typing import Any

# Tag name -> entity type; `span` and `tg-emoji` need an attribute (checked below).
_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link",
    "code": "code", "pre": "pre", "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_TAG_WORD = re.compile(r"[^\s>]*")
_ATTR = re.compile(r"""\s*([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


class HtmlError(ValueError):
    """The text does not parse; the message is Telegram's reason, without the prefix."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, i: int, strict: bool) -> tuple[str, int]:
    """The character an `&...;` at `i` stands for, and where the text resumes."""
    m = _ENTITY.match(text, i)
    char: str | None = None
    if m and m.group(3):
        char = _NAMED.get(m.group(3).lower())
    elif m:
        code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        char = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None
    if (m is None or char is None) and not strict:
        return "&", i + 1  # what the real server does with a stray "&"
    if m is None or char is None:
        # Strict by default: an unescaped value in our messages fails the tests instead of
        # slipping through because Telegram happens to tolerate it.
        raise HtmlError(f"Unsupported HTML entity at byte offset {_byte_offset(text, i)}")
    return char, m.end()


def _attributes(raw: str, strict: bool) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        attrs[m.group(1).lower()] = _unescape(value, strict)
    return attrs


def _unescape(value: str, strict: bool) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "&":
            char, i = _decode_entity(value, i, strict)
            out.append(char)
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _entity(name: str, attrs: dict[str, str], where: int) -> dict[str, Any]:
    kind = _TAGS[name]
    entity: dict[str, Any] = {"type": kind}
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
    if name == "a":
        href = attrs.get("href", "")
        if not href:
            # Telegram drops a link without a target but keeps its text.
            entity["type"] = ""
        entity["url"] = href
    if name == "tg-emoji":
        if not attrs.get("emoji-id", "").isdigit():
            raise HtmlError(f"Custom emoji identifier expected at byte offset {where}")
        entity["custom_emoji_id"] = attrs["emoji-id"]
    if name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def parse_html(text: str, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and entities Telegram makes of `text`; HtmlError when it refuses it.

    `strict` also refuses a bare "&" (the real server keeps it as text).
    """
    out: list[str] = []
    length = 0  # UTF-16 units written to `out`
    stack: list[tuple[str, dict[str, Any], int]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "&":
            char, i = _decode_entity(text, i, strict)
            out.append(char)
            length += utf16_len(char)
            continue
        if ch != "<":
            out.append(ch)
            length += utf16_len(ch)
            i += 1
            continue
        where = _byte_offset(text, i)
        # Like the server: the tag name runs to a space or ">", the tag itself to ">".
        m = _TAG_WORD.match(text, i + 1)
        assert m is not None  # the pattern also matches an empty word
        word = m.group(0).lower()
        kind = "end" if word.startswith("/") else "start"
        if m.end() >= len(text):
            raise HtmlError(f"Unclosed {kind} tag at byte offset {where}")
        if kind == "start" and word not in _TAGS:
            raise HtmlError(f'Unsupported start tag "{word}" at byte offset {where}')
        close = text.find(">", m.end())
        if close < 0:
            raise HtmlError(f"Unclosed {kind} tag at byte offset {where}")
        if kind == "end":
            if text[m.end():close].strip():
                raise HtmlError(f"Unclosed end tag at byte offset {where}")
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {where}")
            open_name, entity, start = stack.pop()
            if word[1:] != open_name:
                raise HtmlError(f'Unmatched end tag at byte offset {where}, expected '
                                f'"</{open_name}>", found "<{word}>"')
            if entity["type"] and length > start:
                entity.update(offset=start, length=length - start)
                entities.append(entity)
        else:
            attrs = _attributes(text[m.end():close].rstrip("/"), strict)
            entity = _entity(word, attrs, where)
            if word == "code" and stack and stack[-1][0] == "pre" and "class" in attrs:
                # <pre><code class="language-x"> sets the language of the enclosing block.
                stack[-1][1]["language"] = attrs["class"].removeprefix("language-")
                entity["type"] = ""
            stack.append((word, entity, length))
        i = close + 1
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def plain_text(text: str, parse_mode: str | None,
               strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """What a message's text becomes under `parse_mode` (only HTML is checked)."""
    if (parse_mode or "").lower() == "html":
        return parse_html(text, strict)
    return text, []
