"""The Telegram channel: alerts with buttons, batched bursts, the digest with its chart."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from notifier.chart import new_listings_chart
from notifier.digest import digest_sections
from notifier.i18n import t
from notifier.render import CAPTION_LIMIT, batch_html, event_html, split_lines
from notifier.views import DigestData, ReadModel
from watchers.model import StoredEvent

log = logging.getLogger(__name__)

SINGLE_MAX = 5  # up to this many events go one message each, with buttons; more are batched
SEND_TRIES = 4
MAX_WAIT = 120.0
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def seconds(value: int | float | timedelta) -> float:
    """A RetryAfter period in seconds, whichever type the library hands out."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def build_application(token: str, api_url: str = "") -> Application:
    """A python-telegram-bot Application, pointed at `api_url` when given."""
    builder = ApplicationBuilder().token(token).rate_limiter(AIORateLimiter(max_retries=2))
    if api_url:
        builder = builder.base_url(f"{api_url}/bot").base_file_url(f"{api_url}/file/bot")
    return builder.build()


class TelegramChannel:
    """Sends to the configured chats; `bot_service` answers commands (see notifier.bot)."""

    def __init__(self, application: Application, chats: Sequence[int],
                 lang: str, model: ReadModel) -> None:
        self.application = application
        self._chats = list(chats)
        self.lang = lang
        self.model = model
        from notifier.bot import BotService

        self.bot_service = BotService(self)

    @classmethod
    def from_settings(cls, settings: Any, model: ReadModel) -> TelegramChannel:
        """Built from monitor's settings (read at the edge: only plain values are kept)."""
        import os

        token = os.environ[settings.telegram.token_env]
        app = build_application(token, settings.telegram.api_url)
        return cls(app, settings.telegram.chats, settings.monitor.language, model)

    def chats(self) -> Sequence[int]:
        """The operators' chats."""
        return tuple(self._chats)

    async def ensure_ready(self) -> None:
        """Initialise the bot once (getMe) when used without the service."""
        if not self.application._initialized:
            await self.application.initialize()

    async def close(self) -> None:
        """Shut the bot down if it was only initialised for sending."""
        if self.application._initialized and not self.application.running:
            await self.application.shutdown()

    async def _call(self, chat: int, method: str, **kwargs: Any) -> int | None:
        """Send with retries; returns the chat id used (it may have migrated), None if lost."""
        bot = self.application.bot
        for attempt in range(SEND_TRIES):
            try:
                await getattr(bot, method)(chat_id=chat, **kwargs)
                return chat
            except RetryAfter as exc:
                wait = seconds(exc.retry_after)
                if wait > MAX_WAIT:
                    return None
                await asyncio.sleep(wait)
            except ChatMigrated as exc:
                log.warning("chat %s became %s: update telegram.chats", chat, exc.new_chat_id)
                self._chats = [exc.new_chat_id if c == chat else c for c in self._chats]
                chat = exc.new_chat_id
            except Forbidden as exc:
                log.warning("chat %s refuses the bot (%s); alerts for it wait", chat, exc)
                return None
            except NetworkError:
                await asyncio.sleep(min(2 ** attempt, 10))
            except TelegramError as exc:
                log.error("telegram refused a message to %s: %s", chat, exc)
                return None
        return None

    async def send_events(self, chat: int, events: Sequence[StoredEvent]) -> list[str]:
        """Few events: one message each with buttons. A burst: a few batched messages."""
        await self.ensure_ready()
        delivered: list[str] = []
        if len(events) <= SINGLE_MAX:
            for event in events:
                used = await self._call(chat, "send_message", text=event_html(event, self.lang),
                                        parse_mode=ParseMode.HTML,
                                        reply_markup=self._buttons(event),
                                        link_preview_options=NO_PREVIEW)
                if used is None:
                    break
                chat = used
                delivered.append(event.id)
            return delivered
        for text in batch_html(events, self.lang):
            used = await self._call(chat, "send_message", text=text, parse_mode=ParseMode.HTML,
                                    link_preview_options=NO_PREVIEW)
            if used is None:
                return []  # the whole batch goes again next time: at least once
            chat = used
        return [e.id for e in events]

    def _buttons(self, event: StoredEvent) -> InlineKeyboardMarkup:
        row = [InlineKeyboardButton(t(self.lang, "button.handled"), callback_data=f"h:{event.id}")]
        if event.source:
            row.append(InlineKeyboardButton(t(self.lang, "button.mute"),
                                            callback_data=f"m:{event.source}"[:64]))
        return InlineKeyboardMarkup([row])

    async def send_digest(self, data: DigestData) -> None:
        """The chart with a short caption, then the digest text in valid pieces."""
        await self.ensure_ready()
        for chat in self.chats():
            await self.send_digest_to(chat, data)

    async def send_digest_to(self, chat: int, data: DigestData) -> None:
        """The digest to one chat."""
        sections = digest_sections(data, self.lang)
        png = new_listings_chart(data.new_per_day, _day(data.day), self.lang)
        caption = html.escape(sections[0].heading)[:CAPTION_LIMIT]
        used = await self._call(chat, "send_photo", photo=png, caption=caption,
                                parse_mode=ParseMode.HTML)
        chat = used or chat
        lines: list[str] = []
        for section in sections:
            lines.append(f"<b>{html.escape(section.heading)}</b>")
            lines += [html.escape(line) for line in section.lines]
            lines.append("")
        for text in split_lines(lines):
            await self._call(chat, "send_message", text=text, parse_mode=ParseMode.HTML,
                             link_preview_options=NO_PREVIEW)

    async def send_plain(self, chat: int, text: str,
                         markup: InlineKeyboardMarkup | None = None) -> None:
        """One short plain-text message (escaped), optionally with buttons."""
        await self._call(chat, "send_message", text=html.escape(text)[:4000],
                         parse_mode=ParseMode.HTML, reply_markup=markup,
                         link_preview_options=NO_PREVIEW)

    async def send_text(self, chat: int, text: str) -> None:
        """Plain text (escaped), split below the limit."""
        for piece in split_lines([html.escape(line) for line in text.splitlines()]):
            await self._call(chat, "send_message", text=piece, parse_mode=ParseMode.HTML,
                             link_preview_options=NO_PREVIEW)


def _day(day: str) -> Any:
    from datetime import date

    return date.fromisoformat(day)
