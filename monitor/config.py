"""config.toml -> Settings. The only module that knows TOML; every problem is one clear line."""

from __future__ import annotations

import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.config_channels import channel_settings
from monitor.config_own import own_settings, target_settings
from monitor.fetch.addresses import parse_allowed
from monitor.fetch.pacing import pace_peer
from monitor.settings import MonitorSettings, Settings, TelegramSettings
from watchers.limits import MAX_PAGES
from watchers.settings import AlertSettings, Hero, Marketplace, Peer, SeasonSettings, Top
from watchers.sources import PLATFORMS
from watchers.sources.base import Layout
from watchers.sources.detect import platform_by_host

T = TypeVar("T")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LISTING_KEYS = ("item", "title", "price", "url", "image", "sales", "seller", "next")
REVIEW_KEYS = ("item", "id", "rating", "text", "author", "date", "variant", "next")
SEASONS = ("spring", "summer", "autumn", "winter")


class ConfigError(Exception):
    """The config cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_duration(text: str) -> float:
    """'90s', '30m', '6h', '21d' -> seconds. Raises ValueError otherwise."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a duration like '90s', '30m', '6h' or '21d'")
    return float(match.group(1)) * _UNITS[match.group(2)]


class _Reader:
    """Walks the TOML tables, converting values and collecting problems with their keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}: {key}: {message}")

    def table(self, data: Any, key: str) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(key, "must be a table")
            return {}
        return data

    def unknown(self, data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None:
        for name in data:
            if name not in allowed:
                where = f"{key}.{name}" if key else name
                self.problem(where, f"unknown key (allowed: {', '.join(allowed)})")

    def get(self, data: dict[str, Any], key: str, name: str, kind: type[T], default: T) -> T:
        if name not in data:
            return default
        value = data[name]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            self.problem(f"{key}.{name}", f"must be {_kind_name(kind)}, not {value!r}")
            return default
        return value

    def required(self, data: dict[str, Any], key: str, name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{key}.{name}", "is required (a non-empty string)")
            return ""
        return value

    def duration(self, data: dict[str, Any], key: str, name: str, default: float) -> float:
        if name not in data:
            return default
        try:
            return parse_duration(data[name])
        except ValueError as exc:
            self.problem(f"{key}.{name}", str(exc))
            return default

    def url(self, data: dict[str, Any], key: str, name: str, *, required: bool = True) -> str:
        value = self.required(data, key, name) if required else self.get(data, key, name, str, "")
        if value and urlsplit(value).scheme not in ("http", "https"):
            self.problem(f"{key}.{name}", f"{value!r} is not an http(s) URL")
        elif value and not urlsplit(value).netloc:
            self.problem(f"{key}.{name}", f"{value!r} has no host")
        return value

    def choice(self, data: dict[str, Any], key: str, name: str, options: tuple[str, ...],
               default: str) -> str:
        value = self.get(data, key, name, str, default)
        if value not in options:
            self.problem(f"{key}.{name}", f"{value!r} is not one of {', '.join(options)}")
            return default
        return value

    def strings(self, data: dict[str, Any], key: str, name: str) -> tuple[str, ...]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{key}.{name}", "must be a list of strings")
            return ()
        return tuple(value)

    def entries(self, data: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(name, [])
        if not isinstance(value, list):
            self.problem(name, "must be an array of tables ([[" + name + "]])")
            return []
        out = []
        for i, item in enumerate(value):
            key = f"{name}[{i}]"
            if isinstance(item, dict):
                out.append((key, item))
            else:
                self.problem(key, "must be a table")
        return out


def _kind_name(kind: type) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false",
            list: "a list"}.get(kind, kind.__name__)


def load(path: Path) -> Settings:
    """Read and validate `path`; raise ConfigError listing every problem."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    reader = _Reader(path)
    settings = _settings(reader, raw, path)
    if reader.problems:
        raise ConfigError(reader.problems)
    return settings


def _settings(r: _Reader, raw: dict[str, Any], path: Path) -> Settings:
    r.unknown(raw, "", ("monitor", "telegram", "alerts", "hero", "top", "peers",
                        "marketplaces", "layouts", "season", "own", "targets", "channels"))
    layouts = _layouts(r, r.table(raw.get("layouts"), "layouts"))
    peers = tuple(_peer(r, key, item, layouts) for key, item in r.entries(raw, "peers"))
    names = [p.name.casefold() for p in peers]
    for i, name in enumerate(names):
        if name and name in names[:i]:
            r.problem(f"peers[{i}].name", f"duplicate peer name {peers[i].name!r}")
    heroes = tuple(_hero(r, key, item) for key, item in r.entries(raw, "hero"))
    markets = tuple(_market(r, k, v, layouts) for k, v in r.entries(raw, "marketplaces"))
    tops = tuple(_top(r, key, item, layouts) for key, item in r.entries(raw, "top"))
    own = own_settings(r, raw, path.parent)
    if not (peers or heroes or tops or own):
        r.problem("peers", "nothing to watch: add [[peers]], [[hero]], [[top]] or [own]")
    monitor = _monitor(r, r.table(raw.get("monitor"), "monitor"), path.parent)
    peers = tuple(pace_peer(peer, monitor.every) for peer in peers)
    return Settings(
        path=path,
        monitor=monitor,
        telegram=_telegram(r, r.table(raw.get("telegram"), "telegram")),
        alerts=_alerts(r, r.table(raw.get("alerts"), "alerts")),
        season=_season(r, r.table(raw.get("season"), "season")),
        peers=peers, marketplaces=markets, heroes=heroes, tops=tops, layouts=layouts,
        own=own, targets=target_settings(r, raw),
        channels=channel_settings(r, raw, monitor.language),
    )


def _relative(base: Path, value: str) -> Path | None:
    return (base / value) if value else None


def _monitor(r: _Reader, t: dict[str, Any], base: Path) -> MonitorSettings:
    k = "monitor"
    r.unknown(t, k, ("database", "timezone", "language", "every", "concurrency", "per_host",
                     "host_interval", "timeout", "user_agent", "respect_robots", "cookies",
                     "browser_profile", "browser", "daily_budget", "allow_hosts"))
    tz = r.get(t, k, "timezone", str, "Asia/Shanghai")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        r.problem(f"{k}.timezone", f"{tz!r} is not a known time zone (e.g. 'Asia/Shanghai')")
        tz = "UTC"
    defaults = MonitorSettings(database=base / "monitor.db")
    out = MonitorSettings(
        database=base / r.get(t, k, "database", str, "monitor.db"),
        timezone=tz,
        language=r.choice(t, k, "language", ("en", "zh"), "en"),
        every=r.duration(t, k, "every", defaults.every),
        concurrency=r.get(t, k, "concurrency", int, defaults.concurrency),
        per_host=r.get(t, k, "per_host", int, defaults.per_host),
        host_interval=r.duration(t, k, "host_interval", defaults.host_interval),
        timeout=r.duration(t, k, "timeout", defaults.timeout),
        user_agent=r.get(t, k, "user_agent", str, defaults.user_agent),
        respect_robots=r.get(t, k, "respect_robots", bool, True),
        cookies=_relative(base, r.get(t, k, "cookies", str, "")),
        browser_profile=_relative(base, r.get(t, k, "browser_profile", str, "")),
        browser=r.get(t, k, "browser", str, defaults.browser),
        daily_budget=r.get(t, k, "daily_budget", int, defaults.daily_budget),
        allow_hosts=r.strings(t, k, "allow_hosts"),
    )
    for entry in out.allow_hosts:
        if parse_allowed(entry) is None:
            r.problem(f"{k}.allow_hosts", f"{entry!r} is not a host, host:port or "
                                          "http(s)://host:port")
    for name in ("concurrency", "per_host", "daily_budget"):
        if getattr(out, name) < 1:
            r.problem(f"{k}.{name}", "must be at least 1")
    for name in ("every", "timeout"):
        if name in t and getattr(out, name) <= 0:
            r.problem(f"{k}.{name}", "must be longer than 0s")
    if out.cookies and not out.cookies.is_file():
        r.problem(f"{k}.cookies", f"file {out.cookies} does not exist")
    return out


def _telegram(r: _Reader, t: dict[str, Any]) -> TelegramSettings:
    k = "telegram"
    r.unknown(t, k, ("token_env", "chats", "api_url", "digest_at"))
    chats = t.get("chats", [])
    if not isinstance(chats, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in chats
    ):
        r.problem(f"{k}.chats", "must be a list of chat ids (integers)")
        chats = []
    digest = r.get(t, k, "digest_at", str, "09:00")
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", digest)
    if not match:
        r.problem(f"{k}.digest_at", f"{digest!r} is not a time like '09:00'")
    api_url = r.url(t, k, "api_url", required=False)
    return TelegramSettings(
        token_env=r.get(t, k, "token_env", str, "MONITOR_TELEGRAM_TOKEN"),
        chats=tuple(chats),
        api_url=api_url.rstrip("/"),
        digest_at=time(int(match.group(1)), int(match.group(2))) if match else time(9, 0),
    )


def _alerts(r: _Reader, t: dict[str, Any]) -> AlertSettings:
    k = "alerts"
    r.unknown(t, k, ("price_change", "negative_rating", "negative_words",
                     "copy_image_distance", "copy_title_similarity", "reply_window"))
    out = AlertSettings(
        price_change=r.get(t, k, "price_change", float, 0.05),
        negative_rating=r.get(t, k, "negative_rating", float, 3.0),
        negative_words=r.strings(t, k, "negative_words"),
        copy_image_distance=r.get(t, k, "copy_image_distance", int, 10),
        copy_title_similarity=r.get(t, k, "copy_title_similarity", float, 0.8),
        reply_window=r.duration(t, k, "reply_window", 30 * 86400.0),
    )
    _check_range(r, f"{k}.price_change", out.price_change, 0.0, 1.0)
    _check_range(r, f"{k}.negative_rating", out.negative_rating, 0.0, 5.0)
    _check_range(r, f"{k}.copy_image_distance", out.copy_image_distance, 0, 64)
    _check_range(r, f"{k}.copy_title_similarity", out.copy_title_similarity, 0.0, 1.0)
    return out


def _check_range(r: _Reader, key: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        r.problem(key, f"{value} is outside {low}..{high}")


def _season(r: _Reader, t: dict[str, Any]) -> SeasonSettings:
    k = "season"
    r.unknown(t, k, ("window", "min_peers", "hemisphere", "keywords"))
    words = r.table(t.get("keywords"), f"{k}.keywords")
    r.unknown(words, f"{k}.keywords", SEASONS)
    out = SeasonSettings(
        window=r.duration(t, k, "window", 21 * 86400.0),
        min_peers=r.get(t, k, "min_peers", int, 2),
        hemisphere=r.choice(t, k, "hemisphere", ("north", "south"), "north"),
        keywords={s: r.strings(words, f"{k}.keywords", s) for s in SEASONS if s in words},
    )
    if out.min_peers < 1:
        r.problem(f"{k}.min_peers", "must be at least 1")
    return out


def _layouts(r: _Reader, t: dict[str, Any]) -> dict[str, Layout]:
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


def _layout_of(r: _Reader, t: dict[str, Any], key: str, platform: str,
               layouts: dict[str, Layout]) -> Layout | None:
    name = r.get(t, key, "layout", str, "")
    if platform == "html" and not name:
        r.problem(f"{key}.layout", "is required for platform = \"html\" (a [layouts.NAME])")
    if name and name not in layouts:
        known = ", ".join(layouts) or "none defined"
        r.problem(f"{key}.layout", f"no [layouts.{name}] (known: {known})")
    return layouts.get(name)


def _platform(r: _Reader, t: dict[str, Any], key: str, default: str | None) -> str:
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


def _peer(r: _Reader, key: str, t: dict[str, Any], layouts: dict[str, Layout]) -> Peer:
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


def _market(r: _Reader, key: str, t: dict[str, Any], layouts: dict[str, Layout]) -> Marketplace:
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


def _optional_bool(r: _Reader, t: dict[str, Any], key: str, name: str) -> bool | None:
    value = t.get(name)
    if value is not None and not isinstance(value, bool):
        r.problem(f"{key}.{name}", "must be true or false")
        return None
    return value


def _hero(r: _Reader, key: str, t: dict[str, Any]) -> Hero:
    r.unknown(t, key, ("name", "url", "queries", "platform"))
    return Hero(name=r.required(t, key, "name"), url=r.url(t, key, "url"),
                queries=r.strings(t, key, "queries"), platform=_platform(r, t, key, "jsonld"))


def _top(r: _Reader, key: str, t: dict[str, Any], layouts: dict[str, Layout]) -> Top:
    r.unknown(t, key, ("name", "url", "reviews", "platform", "fetch", "layout"))
    platform = _platform(r, t, key, "jsonld")
    return Top(name=r.required(t, key, "name"), url=r.url(t, key, "url"), platform=platform,
               reviews=r.url(t, key, "reviews", required=False),
               fetch=r.choice(t, key, "fetch", ("http", "browser"), "http"),
               layout=_layout_of(r, t, key, platform, layouts))


def resolve_path(arg: str | None, env: dict[str, str]) -> Path:
    """--config, else $MONITOR_CONFIG, else ./config.toml."""
    return Path(arg or env.get("MONITOR_CONFIG") or "config.toml")

