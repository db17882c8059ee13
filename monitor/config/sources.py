"""The sources of config.toml: layouts, peers, marketplaces, heroes and top products."""

from __future__ import annotations

from typing import Any

from monitor.config.reader import Reader
from watchers.limits import MAX_PAGES
from watchers.settings import Hero, Marketplace, Peer, Top
from watchers.sources import PLATFORMS
from watchers.sources.base import Layout
from watchers.sources.detect import platform_by_host

LISTING_KEYS = ("item", "title", "price", "url", "image", "sales", "seller", "next")
REVIEW_KEYS = ("item", "id", "rating", "text", "author", "date", "variant", "next")


def _layouts(r: Reader, t: dict[str, Any]) -> dict[str, Layout]:
    out = {}
    for name, body in t.items():
        key = f"layouts.{name}"
        body = r.table(body, key)
        r.unknown(body, key, ("listing", "reviews"))
        parts: dict[str, dict[str, str]] = {}
        for part, allowed in (("listing", LISTING_KEYS), ("reviews", REVIEW_KEYS)):
            sel = r.table(body.get(part), f"{key}.{part}")
            r.unknown(sel, f"{key}.{part}", allowed)
            bad = [n for n, v in sel.items() if not isinstance(v, str)]
            for n in bad:
                r.problem(f"{key}.{part}.{n}", "must be a CSS selector string")
            parts[part] = {n: v for n, v in sel.items() if isinstance(v, str)}
            if sel and "item" not in sel:
                r.problem(f"{key}.{part}.item", "is required: the selector of one entry")
        out[name] = Layout(listing=parts["listing"], reviews=parts["reviews"])
    return out


def _layout_of(r: Reader, t: dict[str, Any], key: str, platform: str,
               layouts: dict[str, Layout]) -> Layout | None:
    name = r.get(t, key, "layout", str, "")
    if platform == "html" and not name:
        r.problem(f"{key}.layout", "is required for platform = \"html\" (a [layouts.NAME])")
    if name and name not in layouts:
        known = ", ".join(layouts) or "none defined"
        r.problem(f"{key}.layout", f"no [layouts.{name}] (known: {known})")
    return layouts.get(name)


def _platform(r: Reader, t: dict[str, Any], key: str, default: str | None) -> str:
    # On a problem the platform is "" so that no follow-up problem (a layout) is reported.
    if "platform" not in t:
        if default is None:
            r.problem(f"{key}.platform", f"is required (one of {', '.join(PLATFORMS)})")
        return default or ""
    return r.choice(t, key, "platform", PLATFORMS, "")


def _peer_platform(t: dict[str, Any]) -> str:
    """A peer without `platform`: "html" with a layout, Taobao/JD by host, else "" (detected
    at the first read and remembered)."""
    if t.get("layout"):
        return "html"
    url = t.get("url")
    return (platform_by_host(url) or "") if isinstance(url, str) else ""


def _peer(r: Reader, key: str, t: dict[str, Any], layouts: dict[str, Layout]) -> Peer:
    r.unknown(t, key, ("name", "tier", "url", "platform", "fetch", "respect_robots",
                       "catalog", "every", "layout", "max_pages"))
    platform = _platform(r, t, key, _peer_platform(t))
    if (pages := r.get(t, key, "max_pages", int, MAX_PAGES)) < 1:
        r.problem(f"{key}.max_pages", "must be at least 1 (pages one read may fetch)")
    every = r.duration(t, key, "every", -1.0)
    robots = t.get("respect_robots")
    if robots is not None and not isinstance(robots, bool):
        r.problem(f"{key}.respect_robots", "must be true or false")
        robots = None
    return Peer(
        name=r.required(t, key, "name"),
        url=r.url(t, key, "url"),
        platform=platform,
        tier=r.choice(t, key, "tier", ("leader", "similar"), "similar"),
        fetch=r.choice(t, key, "fetch", ("http", "browser"), "http"),
        respect_robots=robots,
        catalog=r.url(t, key, "catalog", required=False),
        every=every if every > 0 else None,
        layout=_layout_of(r, t, key, platform, layouts),
        max_pages=max(1, pages),
    )


def _market(r: Reader, key: str, t: dict[str, Any], layouts: dict[str, Layout]) -> Marketplace:
    r.unknown(t, key, ("name", "search", "platform", "layout", "fetch", "respect_robots"))
    platform = _platform(r, t, key, "html")
    search = r.url(t, key, "search")
    if search and "{query}" not in search:
        r.problem(f"{key}.search", "must contain {query} where the search words go")
    return Marketplace(
        name=r.required(t, key, "name"), search=search, platform=platform,
        fetch=r.choice(t, key, "fetch", ("http", "browser"), "http"),
        layout=_layout_of(r, t, key, platform, layouts),
        respect_robots=_optional_bool(r, t, key, "respect_robots"),
    )


def _optional_bool(r: Reader, t: dict[str, Any], key: str, name: str) -> bool | None:
    value = t.get(name)
    if value is not None and not isinstance(value, bool):
        r.problem(f"{key}.{name}", "must be true or false")
        return None
    return value


def _hero(r: Reader, key: str, t: dict[str, Any]) -> Hero:
    r.unknown(t, key, ("name", "url", "queries", "platform"))
    return Hero(name=r.required(t, key, "name"), url=r.url(t, key, "url"),
                queries=r.strings(t, key, "queries"), platform=_platform(r, t, key, "jsonld"))


def _top(r: Reader, key: str, t: dict[str, Any], layouts: dict[str, Layout]) -> Top:
    r.unknown(t, key, ("name", "url", "reviews", "platform", "fetch", "layout"))
    platform = _platform(r, t, key, "jsonld")
    return Top(name=r.required(t, key, "name"), url=r.url(t, key, "url"), platform=platform,
               reviews=r.url(t, key, "reviews", required=False),
               fetch=r.choice(t, key, "fetch", ("http", "browser"), "http"),
               layout=_layout_of(r, t, key, platform, layouts))
