"""Helpers for the Telegram end-to-end tests: a config, a store, events, the real bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from monitor.config import load
from monitor.service.actions import StoreActions
from monitor.service.app import App, open_app
from monitor.service.scheduler import Service
from monitor.settings import Settings
from notifier.channels.telegram import TelegramChannel
from notifier.channels.telegram_bot import BotService
from tests.fakes.botapi import FakeBotApi
from watchers.model import Event, ProductRef

T = TypeVar("T")
OPS = 4242  # the operators' private chat
TEAM = -100555  # the operators' group
STRANGER = 777
AT = datetime.fromisoformat("2026-03-01T09:00:00+08:00")
NOW = "2026-03-01T10:00:00+08:00"  # MONITOR_NOW: an hour after the events


def write_config(tmp_path: Path, api: FakeBotApi, *, chats: tuple[int, ...] = (OPS,),
                 language: str = "en", peer_url: str = "http://127.0.0.1:9/shop",
                 digest_at: str = "09:00", extra: str = "") -> Path:
    """A config whose bot talks to the fake server; its one peer needs no fetch."""
    path = tmp_path / "config.toml"
    path.write_text(f"""
[monitor]
database = "m.db"
language = "{language}"
host_interval = "0s"
timeout = "3s"
respect_robots = false

[telegram]
chats = [{", ".join(str(c) for c in chats)}]
api_url = "{api.url}"
digest_at = "{digest_at}"

[[peers]]
name = "Peer A"
tier = "leader"
url = "{peer_url}"
platform = "shopify"
{extra}
""", encoding="utf-8")
    return path


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A started fake Bot API server."""
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, api: FakeBotApi) -> FakeBotApi:
    """The token of the fake server in the environment, and a fixed clock."""
    monkeypatch.setenv("MONITOR_TELEGRAM_TOKEN", api.token)
    monkeypatch.setenv("MONITOR_NOW", NOW)
    return api


def event(kind: str, n: int, title: str = "Shirt", store: str = "Peer A",
          **details: Any) -> Event:
    """An event of `kind` with a unique key."""
    return Event(kind=kind, key=f"{kind}:{n}:{title}", summary=f"{store}: {kind} {title} {n}",
                 store=store, product=ProductRef(f"{title} {n}", f"https://a.example/p/{n}"),
                 details=details)


def review(n: int, text: str = "Terrible seams, fell apart") -> Event:
    """A negative review of our own product (urgent)."""
    return event("negative_review", n, title="Linen Tee", store="own", rating=1, text=text,
                 author=f"buyer{n}", posted="2026-02-28")


@dataclass
class Rig:
    """The app (store, runner, read model), its service, and the Telegram channel."""

    settings: Settings
    app: App
    service: Service
    channel: TelegramChannel
    bot: BotService

    def add(self, events: list[Event], source: str | None = "peer:Peer A") -> list[str]:
        """Record events in the outbox; their ids."""
        return [e.id for e in self.app.store.add_events(events, AT, source)]


@asynccontextmanager
async def rig(config: Path, *, bot: bool = False) -> AsyncIterator[Rig]:
    """The real wiring of `monitor run` over `config`; with `bot`, long polling too."""
    settings = load(config)
    async with open_app(settings) as app:
        channel = TelegramChannel.from_settings(settings, app.read_model)
        service = Service(app, channel)
        bot_service = BotService(channel)
        if bot:
            await bot_service.start(StoreActions(app, service.check_now))
        try:
            yield Rig(settings, app, service, channel, bot_service)
        finally:
            if bot:
                await bot_service.stop()
            await channel.close()


def run(config: Path, use: Callable[[Rig], Awaitable[T]], *, bot: bool = False) -> T:
    """`use` a rig on a fresh event loop (pytest-asyncio is not installed)."""
    async def go() -> T:
        async with rig(config, bot=bot) as r:
            return await use(r)
    return asyncio.run(go())


def texts(api: FakeBotApi, chat: int) -> list[str]:
    """The plain text of every message sent to `chat`, in order."""
    return [m["plain"] or "" for m in api.sent_messages(chat)]
