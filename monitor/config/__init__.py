"""config.toml -> Settings. The only package that knows TOML; every problem is one clear line.

`reader` collects the problems, `sources` reads the watched sources, `own` and `channels`
their tables; this module reads the rest and puts them together.
"""

from __future__ import annotations

import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.config.channels import channel_settings
from monitor.config.own import own_settings, target_settings
from monitor.config.reader import ConfigError, Reader
from monitor.config.sources import _hero, _layouts, _market, _peer, _top
from monitor.fetch.addresses import parse_allowed
from monitor.fetch.pacing import pace_peer
from monitor.settings import MonitorSettings, Settings, TelegramSettings
from watchers.settings import AlertSettings, SeasonSettings

T = TypeVar("T")

SEASONS = ("spring", "summer", "autumn", "winter")


def load(path: Path) -> Settings:
    """Read and validate `path`; raise ConfigError listing every problem."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    reader = Reader(path)
    settings = _settings(reader, raw, path)
    if reader.problems:
        raise ConfigError(reader.problems)
    return settings


def _settings(r: Reader, raw: dict[str, Any], path: Path) -> Settings:
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


def _monitor(r: Reader, t: dict[str, Any], base: Path) -> MonitorSettings:
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


def _telegram(r: Reader, t: dict[str, Any]) -> TelegramSettings:
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


def _alerts(r: Reader, t: dict[str, Any]) -> AlertSettings:
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


def _check_range(r: Reader, key: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        r.problem(key, f"{value} is outside {low}..{high}")


def _season(r: Reader, t: dict[str, Any]) -> SeasonSettings:
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


def resolve_path(arg: str | None, env: dict[str, str]) -> Path:
    """--config, else $MONITOR_CONFIG, else ./config.toml."""
    return Path(arg or env.get("MONITOR_CONFIG") or "config.toml")

