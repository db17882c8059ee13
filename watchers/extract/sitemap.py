"""Sitemaps (urlset and sitemapindex, plain or .xml.gz) read as a stream in linear time.

A sitemap is a stranger's file: it may hold a million URLs, list one URL a thousand
times, nest entities or never close a tag. So it is never parsed as XML (no entity is
expanded: no XXE, no billion laughs) but scanned for its closing `</url>`/`</sitemap>`
tags chunk by chunk; each entry's `<loc>` and `<lastmod>` are read with patterns that
cannot backtrack past the next tag; URLs are de-duplicated in a dict; and both the
decompressed bytes and the URLs kept are capped (`watchers.limits`), the cut said aloud.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from watchers.limits import MAX_SITEMAP_BYTES, MAX_SITEMAP_URLS

_KIND = re.compile(rb"<(?:[\w-]+:)?(urlset|sitemapindex)\b", re.IGNORECASE)
_CLOSE = re.compile(rb"</(?:[\w-]+:)?(?:url|sitemap)\s*>", re.IGNORECASE)
# `[^<]*` stops at the next tag: a `<loc>` that never closes costs one scan to that tag.
_LOC = re.compile(rb"<loc\s*>\s*(?:<!\[CDATA\[\s*([^\]<]*?)\s*\]\]>|([^<]*?))\s*</loc\s*>",
                  re.IGNORECASE)
_LASTMOD = re.compile(rb"<lastmod\s*>\s*([^<]{1,64}?)\s*</lastmod\s*>", re.IGNORECASE)
CHUNK = 1 << 20
# An entry longer than this (no closing tag in sight) is junk: keep only the tail.
_MAX_PENDING = 256 * 1024


@dataclass
class Sitemap:
    """What one sitemap file lists: its kind, URLs in order with their lastmod, and any cut."""

    kind: str | None = None  # "urlset" | "sitemapindex" | None (not a sitemap)
    urls: dict[str, str | None] = field(default_factory=dict)
    cut: str | None = None


def sitemap_kind(head: bytes) -> str | None:
    """"urlset" or "sitemapindex" when the first bytes of a body open a sitemap."""
    if b"<html" in head.lower():
        return None
    match = _KIND.search(head)
    return match.group(1).decode().lower() if match else None


def _chunks(body: bytes, cap: int) -> Iterator[bytes]:
    """The body in chunks, gunzipped when it is a .gz file; stops after `cap` bytes."""
    if not body.startswith(b"\x1f\x8b"):
        for start in range(0, min(len(body), cap), CHUNK):
            yield body[start:min(start + CHUNK, cap)]
        return
    inflater = zlib.decompressobj(wbits=47)  # gzip or zlib, detected by header
    data, total = body, 0
    try:
        while data and total < cap:
            out = inflater.decompress(data, min(CHUNK, cap - total))
            data = inflater.unconsumed_tail
            total += len(out)
            if out:
                yield out
            if not out and not data:
                break
    except zlib.error:
        return  # a broken .gz ends the stream; what was read so far stands


def read_sitemap(body: bytes, *, max_urls: int = MAX_SITEMAP_URLS,
                 max_bytes: int = MAX_SITEMAP_BYTES) -> Sitemap:
    """The entries of one sitemap file, in order, de-duplicated, within the caps."""
    found = Sitemap()
    pending = b""
    read = 0
    for chunk in _chunks(body, max_bytes + 1):
        read += len(chunk)
        buffer = pending + chunk
        if found.kind is None:
            found.kind = sitemap_kind(buffer[:4096])
            if found.kind is None and len(buffer) >= 4096:
                return found
        start = 0
        for close in _CLOSE.finditer(buffer):
            url, mod = _entry(buffer, start, close.start())
            start = close.end()
            if url is None or url in found.urls:
                continue
            if len(found.urls) >= max_urls:
                found.cut = f"sitemap lists more than {max_urls:,} URLs"
                return found
            found.urls[url] = mod
        pending = buffer[start:]
        if len(pending) > _MAX_PENDING:
            pending = pending[-4096:]
    if read > max_bytes:
        found.cut = f"sitemap larger than {max_bytes / 1024 / 1024:g} MB once decompressed"
    return found


def _entry(buffer: bytes, start: int, end: int) -> tuple[str | None, str | None]:
    """The URL and lastmod of the entry between `start` and `end` (None: no http(s) loc)."""
    loc = _LOC.search(buffer, start, end)
    if loc is None:
        return None, None
    raw = loc.group(1) if loc.group(1) is not None else loc.group(2)
    url = raw.decode("utf-8", "replace").strip()
    if "&" in url:
        url = html.unescape(url)
    if not url.startswith(("http://", "https://")):
        return None, None
    url = url.split("#", 1)[0]
    mod = _LASTMOD.search(buffer, loc.end(), end)
    return url, (mod.group(1).decode("ascii", "replace").strip() if mod else None)
