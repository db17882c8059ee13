"""The Telegram channel: alerts with buttons, batched bursts, the digest with its chart."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from notifier.chart import new_listings_chart
from notifier.commands import Button, alert_buttons
from notifier.digest import digest_sections
from notifier.i18n import t
from notifier.render import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    batch_messages,
    event_html,
    split_lines,
)
from notifier.views import DigestData, ReadModel
from watchers.model import StoredEvent

log = logging.getLogger(__name__)

SINGLE_MAX = 5  # up to this many events go one message each, with buttons; more are batched
SEND_TRIES = 4
MAX_WAIT = 120.0
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
TAG = re.compile(r"<[^>]+>")

Mark = Callable[[list[str]], None]


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
    """Sends to the configured chats; `telegram_bot.BotService` answers on it."""

    def __init__(self, application: Application, chats: Sequence[int],
                 lang: str, model: ReadModel) -> None:
        self.application = application
        self._chats = tuple(chats)
        # A group that became a supergroup: configured id -> the id to send to. Deliveries
        # stay marked under the configured id, so a migration repeats nothing.
        self._moved: dict[int, int] = {}
        self.lang = lang
        self.model = model

    @classmethod
    def from_settings(cls, settings: Any, model: ReadModel) -> TelegramChannel:
        """Built from monitor's settings (read at the edge: only plain values are kept)."""
        token = os.environ[settings.telegram.token_env]
        app = build_application(token, settings.telegram.api_url)
        return cls(app, settings.telegram.chats, settings.monitor.language, model)

    def chats(self) -> Sequence[int]:
        """The operators' chats, as configured (deliveries are marked under these ids)."""
        return self._chats

    def allowed(self, chat: int) -> bool:
        """True for an operators' chat, also under the id it migrated to."""
        return chat in self._chats or chat in self._moved.values()

    async def ensure_ready(self) -> None:
        """Initialise the bot once (getMe) when used without the service."""
        if not self.application._initialized:
            await self.application.initialize()

    async def close(self) -> None:
        """Shut the bot down if it was only initialised for sending."""
        if self.application._initialized and not self.application.running:
            await self.application.shutdown()

    async def _call(self, chat: int, method: str, **kwargs: Any) -> bool:
        """Send with retries; False if the message could not go out (it stays undelivered)."""
        bot = self.application.bot
        for attempt in range(SEND_TRIES):
            target = self._moved.get(chat, chat)
            try:
                await getattr(bot, method)(chat_id=target, **kwargs)
                return True
            except RetryAfter as exc:  # the rate limiter's own retries did not suffice
                wait = seconds(exc.retry_after)
                if wait > MAX_WAIT:
                    return False
                await asyncio.sleep(wait)
            except ChatMigrated as exc:
                log.warning("chat %s became %s: update telegram.chats", target,
                            exc.new_chat_id)
                self._moved[chat] = exc.new_chat_id
            except Forbidden as exc:
                log.warning("chat %s refuses the bot (%s); alerts for it wait", target, exc)
                return False
            except BadRequest as exc:
                if kwargs.get("parse_mode") and "parse entities" in str(exc).lower():
                    # Never expected (values are escaped), but one bad message must not
                    # block the queue behind it: send it once more as plain text.
                    log.error("telegram refused our HTML (%s); sending plain text", exc)
                    kwargs = _plain(kwargs)
                    continue
                log.error("telegram refused a message to %s: %s", target, exc)
                return False
            except NetworkError as exc:  # 5xx, timeouts: the message may go through later
                log.warning("sending to %s failed (%s), try %d", target, exc, attempt + 1)
                if attempt + 1 < SEND_TRIES:
                    await asyncio.sleep(min(2 ** attempt, 10))
            except TelegramError as exc:
                log.error("telegram refused a message to %s: %s", target, exc)
                return False
        return False

    async def send_events(self, chat: int, events: Sequence[StoredEvent],
                          mark: Mark | None = None) -> list[str]:
        """Few events: one message each with buttons. A burst: a few batched messages.

        `mark` is called with the ids of each message as soon as it went out, so that a
        delivery cut short (a crash, a stop) is neither repeated nor lost.
        """
        await self.ensure_ready()
        delivered: list[str] = []
        messages: list[tuple[str, list[str], InlineKeyboardMarkup | None]]
        if len(events) <= SINGLE_MAX:
            messages = [(event_html(e, self.lang), [e.id], self._buttons(e)) for e in events]
        else:
            messages = [(text, ids, None) for text, ids in batch_messages(events, self.lang)]
        for text, ids, markup in messages:
            if not await self._call(chat, "send_message", text=text, parse_mode=ParseMode.HTML,
                                    reply_markup=markup, link_preview_options=NO_PREVIEW):
                break  # the rest stays undelivered and goes out in order next time
            if mark is not None:
                mark(ids)
            delivered += ids
            for event in events:  # screenshots follow their alert (see send_screenshot)
                if event.id in ids:
                    await self.send_screenshot(chat, event)
        return delivered

    async def send_screenshot(self, chat: int, event: StoredEvent) -> bool:
        """The PNG of what a site showed (a login or slider page), after its alert.

        Best effort: the alert itself already went out and names the fix, so a screenshot
        that is gone or refused is logged and not retried.
        """
        path = event.details.get("screenshot") if event.kind == "source_failing" else None
        if not isinstance(path, str) or not path:
            return False
        try:
            png = Path(path).read_bytes()
        except OSError as exc:
            log.warning("screenshot %s of %s cannot be read: %s", path, event.store, exc)
            return False
        caption = t(self.lang, "alert.screenshot", store=event.store or "?")
        return await self._call(chat, "send_photo", photo=png, caption=caption[:CAPTION_LIMIT])

    def _buttons(self, event: StoredEvent) -> InlineKeyboardMarkup | None:
        return markup(alert_buttons(event, self.lang))

    async def send_digest(self, data: DigestData) -> None:
        """The chart with a short caption, then the digest text in valid pieces."""
        for chat in self.chats():
            await self.send_digest_to(chat, data)

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        """The digest to one chat; False if it could not go out."""
        await self.ensure_ready()
        sections = digest_sections(data, self.lang)
        png = new_listings_chart(data.new_per_day, date.fromisoformat(data.day), self.lang)
        caption = html.escape(sections[0].heading[:CAPTION_LIMIT])
        if not await self._call(chat, "send_photo", photo=png, caption=caption,
                                parse_mode=ParseMode.HTML):
            return False
        lines: list[str] = []
        for section in sections:
            lines.append(f"<b>{html.escape(section.heading)}</b>")
            lines += [html.escape(line) for line in section.lines]
            lines.append("")
        for text in split_lines(lines[:-1]):
            if not await self._call(chat, "send_message", text=text, parse_mode=ParseMode.HTML,
                                    link_preview_options=NO_PREVIEW):
                return False
        return True

    async def send_plain(self, chat: int, text: str,
                         markup: InlineKeyboardMarkup | None = None) -> bool:
        """One short plain-text message (no markup to escape), optionally with buttons."""
        return await self._call(chat, "send_message", text=_cut(text), reply_markup=markup,
                                link_preview_options=NO_PREVIEW)

    async def send_text(self, chat: int, text: str) -> bool:
        """Plain text (no markup to escape), split below the limit on line boundaries."""
        for piece in split_lines(text.splitlines()):
            if piece.strip() and not await self._call(chat, "send_message", text=piece,
                                                      link_preview_options=NO_PREVIEW):
                return False
        return True


def markup(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """Buttons as one row of an inline keyboard (None for none)."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data)
                                  for b in buttons]])


def _cut(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def _plain(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same message without parse mode: tags dropped, entities turned back to text."""
    out = {k: v for k, v in kwargs.items() if k != "parse_mode"}
    for key in ("text", "caption"):
        if isinstance(out.get(key), str):
            out[key] = html.unescape(TAG.sub("", out[key]))
    return out
