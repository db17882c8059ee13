"""Helpers the Taobao/Tmall and JD parsers share: URLs, lazy images, JSONP bodies, sold-out
cards."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import Tag

from watchers.extract.jsdata import value_at
from watchers.extract.text import clean_text

# Marketplaces keep the real image in a lazy attribute until the card scrolls into view.
LAZY_IMAGE_ATTRS = (
    "data-lazy-img", "source-data-lazy-img", "data-src", "data-ks-lazyload", "data-original",
    "data-lazy-src", "src",
)
_JSONP = re.compile(r"^\s*[\w$.]*\s*\(")
# What a card that stays listed shows once it cannot be bought: 已售罄/售罄 (sold out), 无货/缺货
# (none in stock), 到货通知 (JD's "tell me when it arrives" button), a stock of 0.
_SOLD_OUT_WORDS = ("售罄", "无货", "缺货", "到货通知", "暂时无货", "sold out", "out of stock")
_STOCK_ZERO = re.compile(r"(?:库存|stock|剩余|仅剩)\s*[:：]?\s*0(?![\d.])", re.IGNORECASE)
_SOLD_OUT_CLASSES = ('[class*="soldOut"], [class*="sold-out"], [class*="SoldOut"], '
                     '[class*="noStock"]')
_STOCK_ATTRS = ("data-stock", "data-quantity", "data-inventory")


def https_url(base: str, href: Any) -> str | None:
    """`href` made absolute with https for protocol-relative and http marketplace links."""
    if not isinstance(href, str):
        return None
    href = clean_text(href)
    if not href or href.startswith(("javascript:", "data:", "#", "about:")):
        return None
    try:
        url = urljoin(base or "https://", href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit(("https", parts.netloc, parts.path, parts.query, parts.fragment))


def image_of(img: Tag | None, base: str) -> str | None:
    """The best image URL of an <img>: a lazy attribute before a placeholder src."""
    if img is None:
        return None
    for attr in LAZY_IMAGE_ATTRS:
        value = img.get(attr)
        # Placeholders such as data: URIs or "done" (JD marks loaded images so) are no image.
        if isinstance(value, str) and "/" in value and not value.strip().startswith("data:"):
            url = https_url(base, value)
            if url:
                return url
    return None


def text_of(scope: Tag | None) -> str:
    """Visible text of an element with whitespace squashed ("" for None)."""
    if scope is None:
        return ""
    return " ".join(scope.get_text("", strip=False).split())


def attr_of(el: Tag | None, name: str) -> str | None:
    """A non-empty string attribute value, else None."""
    if el is None:
        return None
    value = el.get(name)
    if isinstance(value, list):
        value = " ".join(value)
    return value.strip() or None if isinstance(value, str) else None


def json_body(text: str) -> Any:
    """A JSON or JSONP (`callback({...})`) body as data; None when it is neither."""
    body = text.lstrip("\ufeff").strip()
    if not body:
        return None
    if body[0] in "[{":
        try:
            return json.loads(body)
        except ValueError:
            return value_at(body, 0)
    match = _JSONP.match(body)
    if match:
        return value_at(body, match.end())
    return None


_CDN_SHARD = re.compile(r"^https://(?:gd|img|g-search)\d*\.(alicdn\.com|360buyimg\.com)/")


def unique(urls: list[str | None]) -> tuple[str, ...]:
    """The non-empty URLs in first-seen order; one image on two CDN shards counts once."""
    seen: dict[str, str] = {}
    for url in urls:
        if url:
            # gd2/gd4.alicdn.com and img10/img14.360buyimg.com serve the same file.
            seen.setdefault(_CDN_SHARD.sub(r"https://cdn.\1/", url), url)
    return tuple(seen.values())


def sold_out(card: Tag) -> bool:
    """True when a listed card says it cannot be bought now (see `_SOLD_OUT_WORDS`)."""
    for name in _STOCK_ATTRS:
        value = attr_of(card, name) or attr_of(card.select_one(f"[{name}]"), name)
        if value is not None and value.strip() == "0":
            return True
    try:
        if card.select_one(_SOLD_OUT_CLASSES) is not None:
            return True
    except Exception:  # an odd class name must not fail the card
        pass
    text = text_of(card).lower()
    return any(word in text for word in _SOLD_OUT_WORDS) or bool(_STOCK_ZERO.search(text))
