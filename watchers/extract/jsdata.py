"""Reading data that pages keep in inline scripts: JSON and lenient JS object literals."""

from __future__ import annotations

import json
import re
from typing import Any

_DECODER = json.JSONDecoder()
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_MAX_DEPTH = 60


class _Bad(Exception):
    """The literal cannot be read from here on."""


def js_unescape(s: str) -> str:
    """The value of a JS string body: \\uXXXX, \\xXX and the one-letter escapes."""
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch != "\\" or i + 1 >= len(s):
            out.append(ch)
            i += 1
            continue
        nxt = s[i + 1]
        if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", s[i + 2:i + 6]):
            out.append(chr(int(s[i + 2:i + 6], 16)))
            i += 6
        elif nxt == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", s[i + 2:i + 4]):
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        else:
            out.append(_SIMPLE_ESCAPES.get(nxt, nxt))
            i += 2
    text = "".join(out)
    # "\ud83d\ude00" pairs come out as two surrogates; join them into one character.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class _Reader:
    """A recursive-descent reader of a JS value; what it cannot evaluate becomes None."""

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.pos = pos

    def _space(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            if text[self.pos].isspace():
                self.pos += 1
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                self.pos = n if end < 0 else end + 2
            else:
                return

    def _peek(self) -> str:
        self._space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise _Bad
        ch = self._peek()
        if ch == "{":
            return self._object(depth)
        if ch == "[":
            return self._array(depth)
        if ch in "'\"`":
            return self._string(ch)
        number = _NUMBER.match(self.text, self.pos)
        if number and ch in "-.0123456789":
            self.pos = number.end()
            self._skip_expression()
            raw = number.group()
            try:
                return int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw)
            except ValueError:
                return None
        ident = _IDENT.match(self.text, self.pos)
        if ident and ident.group() in ("true", "false", "null", "undefined"):
            self.pos = ident.end()
            if self._peek() in (",", "}", "]", ""):
                return {"true": True, "false": False}.get(ident.group())
        self._skip_expression()
        return None

    def _skip_expression(self) -> None:
        """Step over an expression we do not evaluate (`+new Date`, `!true`, calls)."""
        depth = 0
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            if ch in "'\"`":
                self._string(ch)
                continue
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    return
                depth -= 1
            elif ch == "," and depth == 0:
                return
            self.pos += 1

    def _string(self, quote: str) -> str:
        start = self.pos + 1
        i = start
        text, n = self.text, len(self.text)
        while i < n:
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                self.pos = i + 1
                return js_unescape(text[start:i])
            i += 1
        raise _Bad

    def _key(self) -> str:
        ch = self._peek()
        if ch in "'\"":
            return self._string(ch)
        ident = re.compile(r"[\w$.-]+").match(self.text, self.pos)
        if not ident:
            raise _Bad
        self.pos = ident.end()
        return ident.group()

    def _object(self, depth: int) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        while True:
            ch = self._peek()
            if ch == "}":
                self.pos += 1
                return out
            if ch == ",":
                self.pos += 1
                continue
            if not ch:
                raise _Bad
            key = self._key()
            if self._peek() != ":":
                raise _Bad
            self.pos += 1
            out[key] = self.value(depth + 1)

    def _array(self, depth: int) -> list[Any]:
        self.pos += 1
        out: list[Any] = []
        while True:
            ch = self._peek()
            if ch == "]":
                self.pos += 1
                return out
            if ch == ",":
                self.pos += 1
                continue
            if not ch:
                raise _Bad
            before = self.pos
            out.append(self.value(depth + 1))
            if self.pos == before:  # a stray "}" or ")" inside an array: give up
                raise _Bad


def value_at(text: str, pos: int) -> Any:
    """The JSON or JS literal starting at the first "{"/"[" at or after `pos`; None if none."""
    try:
        match = re.compile(r"\s*([\[{])").match(text, pos)
        if not match:
            return None
        start = match.start(1)
        try:
            return _DECODER.raw_decode(text, start)[0]
        except ValueError:
            return _Reader(text, start).value()
    except (_Bad, RecursionError, ValueError, IndexError):
        return None


def value_after(text: str, pattern: str | re.Pattern[str]) -> Any:
    """The first literal that follows a match of `pattern` and reads as an object or list."""
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    for match in regex.finditer(text):
        found = value_at(text, match.end())
        if isinstance(found, dict | list) and found:
            return found
    return None


def js_string(text: str, key: str) -> str | None:
    """The first `key: '...'` / `"key": "..."` string value in `text`, unescaped; None if absent."""
    pattern = re.compile(
        r"""(?:^|[\s,{"'])""" + re.escape(key)
        + r"""["']?\s*:\s*(["'])((?:\\.|(?!\1)[^\\\n])*)\1"""
    )
    match = pattern.search(text)
    return js_unescape(match.group(2)) if match else None
