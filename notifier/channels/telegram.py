"""The Telegram channel: alerts with buttons, batched bursts, the digest with its chart."""

from __future__ import annotations

import asyncio
import html
import logging
import os
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

from notifier import fmt
from notifier.chart import chart_caption, new_listings_chart
from notifier.commands import Button, alert_buttons
from notifier.digest import digest_html
from notifier.i18n import t
from notifier.render import (
    CAPTION_LIMIT,
    batch_messages,
    event_html,
    fit,
    plain,
    split_lines,
)
from notifier.views import DigestData, ReadModel
from watchers.model import StoredEvent

log = logging.getLogger(__name__)

# Up to this many alerts go one message each, with their buttons and link; more are batched
# (a burst of price changes). Groups take ~20 messages a minute: the rate limiter paces them.
SINGLE_MAX = 20
SEND_TRIES = 4
MAX_WAIT = 120.0
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
SHORT_LIMIT = 1000  # the last form of a refused message: its first lines, as plain text
SENT, REFUSED, LATER = "sent", "refused", "later"

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
                 lang: str, model: ReadModel, digest_at: str = "09:00") -> None:
        self.application = application
        self.digest_at = digest_at
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
        at = settings.telegram.digest_at
        return cls(app, settings.telegram.chats, settings.monitor.language, model,
                   at.strftime("%H:%M") if hasattr(at, "strftime") else str(at))

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

    async def _call(self, chat: int, method: str, **kwargs: Any) -> str:
        """Send with retries: SENT, REFUSED (a 400: this form never goes) or LATER."""
        bot = self.application.bot
        for attempt in range(SEND_TRIES):
            target = self._moved.get(chat, chat)
            try:
                await getattr(bot, method)(chat_id=target, **kwargs)
                return SENT
            except RetryAfter as exc:  # the rate limiter's own retries did not suffice
                wait = seconds(exc.retry_after)
                if wait > MAX_WAIT:
                    return LATER
                await asyncio.sleep(wait)
            except ChatMigrated as exc:
                log.warning("chat %s became %s: update telegram.chats", target,
                            exc.new_chat_id)
                self._moved[chat] = exc.new_chat_id
            except Forbidden as exc:
                log.warning("chat %s refuses the bot (%s); alerts for it wait", target, exc)
                return LATER
            except BadRequest as exc:
                log.warning("telegram refused a %s to %s: %s", method, target, exc)
                return REFUSED
            except NetworkError as exc:  # 5xx, timeouts: the message may go through later
                log.warning("sending to %s failed (%s), try %d", target, exc, attempt + 1)
                if attempt + 1 < SEND_TRIES:
                    await asyncio.sleep(min(2 ** attempt, 10))
            except TelegramError as exc:
                log.error("telegram refused a message to %s: %s", target, exc)
                return LATER
        return LATER

    async def send_html(self, chat: int, text: str,
                        reply_markup: InlineKeyboardMarkup | None = None) -> str:
        """One HTML message; refused for good, it goes again simpler until one form passes.

        The forms: as it is; without buttons; as plain text; plain text cut short. A
        message is never dropped for its form, and never holds back the ones behind it.
        """
        text = fit(text)
        forms: list[dict[str, Any]] = [{"text": text, "parse_mode": ParseMode.HTML,
                                        "reply_markup": reply_markup}]
        if reply_markup is not None:
            forms.append({"text": text, "parse_mode": ParseMode.HTML})
        flat = plain(text).strip() or "…"
        forms += [{"text": flat}, {"text": fit(flat, SHORT_LIMIT)}]
        for form in forms:
            result = await self._call(chat, "send_message", link_preview_options=NO_PREVIEW,
                                      **form)
            if result != REFUSED:
                return result
        log.error("telegram refused every form of a message to %s; it stays undelivered", chat)
        return REFUSED

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
        for text, ids, buttons in messages:
            result = await self.send_html(chat, text, buttons)
            if result == LATER:
                break  # the chat cannot take it now: the rest goes out in order next time
            if result == REFUSED:
                continue  # this one stays undelivered; the ones behind it still go
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
        caption = t(self.lang, "alert.screenshot", store=fmt.cut(event.store, fmt.NAME_MAX))
        return await self._call(chat, "send_photo", photo=png,
                                caption=caption[:CAPTION_LIMIT]) == SENT

    def _buttons(self, event: StoredEvent) -> InlineKeyboardMarkup | None:
        return markup(alert_buttons(event, self.lang))

    async def send_digest(self, data: DigestData) -> None:
        """The chart with a short caption, then the digest text in valid pieces."""
        for chat in self.chats():
            await self.send_digest_to(chat, data)

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        """The digest to one chat; False if it could not go out."""
        await self.ensure_ready()
        day = date.fromisoformat(data.day)
        png = new_listings_chart(data.new_per_day, day, self.lang)
        caption = chart_caption(data.new_per_day, day, self.lang)
        # A refused chart does not keep the text back; a chat that cannot take it now does.
        if await self._call(chat, "send_photo", photo=png,
                            caption=fit(html.escape(caption), CAPTION_LIMIT),
                            parse_mode=ParseMode.HTML) == LATER:
            return False
        for text in split_lines(digest_html(data, self.lang)):
            if await self.send_html(chat, text) != SENT:
                return False
        return True

    async def send_chart(self, chat: int, png: bytes, caption: str) -> bool:
        """A chart with its caption (plain text, escaped here)."""
        await self.ensure_ready()
        return await self._call(chat, "send_photo", photo=png,
                                caption=fit(html.escape(caption), CAPTION_LIMIT),
                                parse_mode=ParseMode.HTML) == SENT

    async def send_plain(self, chat: int, text: str,
                         markup: InlineKeyboardMarkup | None = None) -> bool:
        """One short plain-text message (escaped here), optionally with buttons."""
        return await self.send_html(chat, html.escape(text), markup) == SENT

    async def send_text(self, chat: int, text: str) -> bool:
        """Plain text (escaped here), split below the limit on line boundaries."""
        for piece in split_lines([html.escape(line) for line in text.splitlines()]):
            if piece.strip() and await self.send_html(chat, piece) != SENT:
                return False
        return True


def markup(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """Buttons as one row of an inline keyboard (None for none)."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data)
                                  for b in buttons]])
