"""JSON-LD blocks of a page: found (with or without a tree) and decoded within limits."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from bs4 import BeautifulSoup

from watchers.extract.support import orjson_reads_alike
from watchers.limits import MAX_LD_BLOCK_CHARS

_DECODER = json.JSONDecoder(strict=False)  # raw control characters in strings are common
# <script type="application/ld+json"> blocks found without building a tree: on a 30 KB
# product page the tree cost 55 % of the parse (cProfile, bench/crawl_bench.py). The body
# of a script element is raw text in HTML up to the first "</script", so that is the block
# exactly; `[^>]*` cannot run past the tag, and each close is found once (linear time).
_SCRIPT_OPEN = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script", re.IGNORECASE)
_LD_TYPE_ATTR = re.compile(
    r"""\btype\s*=\s*["']?\s*application/(?:ld\+json|json\+ld)\b""", re.IGNORECASE)


class TooDeep(Exception):
    """A JSON-LD block nested deeper than the parsers go, or larger than the limit."""


_LD_TYPES = ("application/ld+json", "application/json+ld")
_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")


def load_block(raw: str) -> Any:
    """One ld+json script body as JSON, None when it does not parse (or is too deep)."""
    try:
        return load_block_checked(raw)
    except TooDeep:
        return None


def load_block_checked(raw: str) -> Any:
    """One ld+json script body as JSON, None when it does not parse.

    Raises TooDeep when the block is nested past the parsers' limits or is larger than
    MAX_LD_BLOCK_CHARS: the page holds data that was not read, which the caller must say.
    """
    if len(raw) > MAX_LD_BLOCK_CHARS:
        raise TooDeep(f"a JSON-LD block of more than {MAX_LD_BLOCK_CHARS:,} characters")
    text = raw.strip().lstrip("\ufeff")
    text = _WRAPPERS.sub("", text).strip()
    if not text or text[0] not in "[{":
        return None
    raw_bytes = text.encode("utf-8", "surrogatepass")
    if orjson_reads_alike(raw_bytes):
        try:  # strict and ~5x faster; the lenient decoder is the fallback
            return orjson.loads(raw_bytes)
        except orjson.JSONDecodeError:
            pass
    try:
        return _DECODER.raw_decode(text)[0]  # trailing junk (";", a second value) is ignored
    except RecursionError:
        raise TooDeep("JSON-LD nested deeper than the parser goes") from None
    except ValueError:
        return None


def ld_blocks(soup: BeautifulSoup, cut: list[str] | None = None) -> list[Any]:
    """Every parseable JSON-LD block of a page, in order; broken blocks are skipped."""
    found: list[Any] = []
    for script in soup.find_all("script"):
        kind = script.get("type")
        if not isinstance(kind, str) or kind.strip().lower() not in _LD_TYPES:
            continue
        _add_block(script.get_text(), found, cut)
    return found


def ld_blocks_of_text(text: str, cut: list[str] | None = None) -> list[Any]:
    """ld_blocks of an HTML text without building its tree (the fast path of a page)."""
    found: list[Any] = []
    pos = 0
    while (opened := _SCRIPT_OPEN.search(text, pos)) is not None:
        closed = _SCRIPT_CLOSE.search(text, opened.end())
        if closed is None:
            break  # an unclosed script runs to the end of the page: nothing after it
        if _LD_TYPE_ATTR.search(opened.group(1)):
            _add_block(text[opened.end():closed.start()], found, cut)
        pos = closed.end()
    return found


def _add_block(raw: str, found: list[Any], cut: list[str] | None) -> None:
    try:
        data = load_block_checked(raw)
    except TooDeep as exc:
        if cut is not None:
            cut.append(str(exc))
        return
    if data is not None:
        found.append(data)
