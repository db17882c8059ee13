"""Typed, frozen settings: what the rest of the monitor is handed instead of TOML."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from watchers.settings import (
    AlertSettings,
    Hero,
    Marketplace,
    OwnSettings,
    Peer,
    SeasonSettings,
    TargetSettings,
    Top,
)
from watchers.sources.base import Layout


@dataclass(frozen=True)
class MonitorSettings:
    """The [monitor] table."""

    database: Path
    timezone: str = "Asia/Shanghai"
    language: str = "en"
    every: float = 1800.0
    concurrency: int = 16
    per_host: int = 2
    host_interval: float = 1.0
    timeout: float = 20.0
    user_agent: str = "monitor/0.1 (+competitor price watch)"
    respect_robots: bool = True
    cookies: Path | None = None
    browser_profile: Path | None = None
    browser: str = "/usr/bin/chromium"
    daily_budget: int = 400  # requests per day to each Taobao/Tmall/JD site (monitor.pacing)
    # Origins page-supplied URLs may reach on private/loopback addresses, beside the
    # configured sources ("host", "host:port"; monitor.fetch.addresses).
    allow_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class TelegramSettings:
    """The [telegram] table."""

    token_env: str = "MONITOR_TELEGRAM_TOKEN"
    chats: tuple[int, ...] = ()
    api_url: str = ""
    digest_at: time = time(9, 0)


CHANNEL_KINDS = ("dingtalk", "feishu", "wecom", "apprise")


@dataclass(frozen=True)
class ChannelSettings:
    """One [[channels]] entry: a place to deliver to beside [telegram].

    Only the names of the environment variables are kept; their values (the webhook URL
    with its token, the signing secret) are read where the channel is made.
    """

    kind: str
    webhook_env: str
    secret_env: str = ""
    keyword: str = ""
    language: str = "en"
    api_url: str = ""

    @property
    def chat(self) -> int:
        """The channel's id in the deliveries and digests tables.

        Below every Telegram chat id (those fit in 52 bits), and derived from the kind and
        the variable's name, so that reordering [[channels]] repeats and loses nothing.
        """
        return -(2 ** 53) - zlib.crc32(f"{self.kind}:{self.webhook_env}".encode())


@dataclass(frozen=True)
class Settings:
    """Everything config.toml says, validated."""

    path: Path
    monitor: MonitorSettings
    telegram: TelegramSettings = TelegramSettings()
    alerts: AlertSettings = AlertSettings()
    season: SeasonSettings = SeasonSettings()
    peers: tuple[Peer, ...] = ()
    marketplaces: tuple[Marketplace, ...] = ()
    heroes: tuple[Hero, ...] = ()
    tops: tuple[Top, ...] = ()
    layouts: dict[str, Layout] = field(default_factory=dict)
    own: OwnSettings | None = None  # [own]: our shop's exports (None: not watched)
    targets: TargetSettings = TargetSettings()
    channels: tuple[ChannelSettings, ...] = ()  # [[channels]]: DingTalk, Feishu, WeCom, Apprise

    @property
    def respect_robots(self) -> bool:
        """The [monitor] default for robots.txt, as the watches read it."""
        return self.monitor.respect_robots

    def peer(self, name: str) -> Peer | None:
        """The peer called `name` (case-insensitive), if any."""
        for peer in self.peers:
            if peer.name.casefold() == name.casefold():
                return peer
        return None
