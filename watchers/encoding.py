"""Decoding of page bytes to text, trusting the bytes over any declared charset."""

from __future__ import annotations

import codecs
import re

# Pages declare GBK/GB2312 but routinely hold characters only GB18030 (their superset) has.
_ALIASES = {
    "gbk": "gb18030", "gb2312": "gb18030", "gb_2312": "gb18030", "gb-2312": "gb18030",
    "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "gb18030",
    "big5-hkscs": "big5hkscs", "x-big5": "big5", "utf8": "utf-8",
    # Browsers treat these labels as windows-1252 (WHATWG encoding standard).
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_SNIFF_BYTES = 2048
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset label, None when unknown or unusable."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return codec


def sniff_charset(body: bytes) -> str | None:
    """The charset named in the first ~2 KB by <meta charset>, http-equiv or <?xml?>."""
    head = body[:_SNIFF_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            return match.group(1).decode("ascii", "ignore") or None
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def decode(body: bytes, declared: str | None = None) -> str:
    """The text of `body`: BOM, valid UTF-8, a declared charset that fits, GB18030, Big5."""
    try:
        return _decode(bytes(body or b""), declared)
    except Exception:  # never raise: a page that cannot be read is still text
        return bytes(body or b"").decode("utf-8", "replace")


def _bomless_utf16(body: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when most even or odd bytes of the head are NULs (ASCII markup)."""
    head = body[:_SNIFF_BYTES]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(body: bytes, declared: str | None) -> str:
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(bom_codec, "replace")
    wide = _bomless_utf16(body)
    if wide:
        return body.decode(wide, "replace")
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:
        return utf8
    for label in (declared, sniff_charset(body)):
        codec = normalise_charset(label)
        # UTF-16/32 was handled above from the bytes themselves; a label alone is no proof.
        if codec and codec != "utf-8" and not codec.startswith(("utf-16", "utf-32")):
            text = _strict(body, codec)
            if text is not None:
                return text
    for fallback in ("gb18030", "big5"):
        text = _strict(body, fallback)
        if text is not None:
            return text
    return body.decode("utf-8", "replace")
