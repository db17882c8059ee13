"""The chat bot: one access gate, the commands of CONTRACT.md, and the alert buttons."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import NetworkError, TimedOut
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    TypeHandler,
)

from notifier.digest import copy_line, review_line
from notifier.i18n import t
from notifier.status import render_status
from notifier.views import BotActions

if TYPE_CHECKING:
    from notifier.telegram import TelegramChannel

log = logging.getLogger(__name__)

COMMANDS = ("help", "peers", "status", "copies", "reviews", "season", "digest", "check", "mute")
REVIEW_BUTTONS_MAX = 10
START_RETRY = 1.0  # seconds before the first retry of an unreachable Bot API; doubles
START_RETRY_MAX = 120.0
Ctx = ContextTypes.DEFAULT_TYPE


class BotService:
    """Registers the handlers on the channel's Application and runs long polling."""

    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel
        self.actions: BotActions | None = None
        self._refused: set[int] = set()

    @property
    def lang(self) -> str:
        return self.channel.lang

    def _register(self, actions: BotActions) -> None:
        """The gate, the commands and the buttons, once per process."""
        if self.actions is not None:
            return
        self.actions = actions
        app = self.channel.application
        app.add_handler(TypeHandler(Update, self._gate), group=-1)
        app.add_handler(ChatMemberHandler(self._membership, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(CommandHandler("start", self._help))
        for name in COMMANDS:
            # /check runs every watch: it must not hold up the answers to other commands.
            app.add_handler(CommandHandler(name, getattr(self, f"_{name}"),
                                           block=name != "check"))
        app.add_handler(CallbackQueryHandler(self._button))

    async def start(self, actions: BotActions) -> None:
        """Initialise, register the command menu, and start polling on the running loop."""
        self._register(actions)
        app = self.channel.application
        await app.initialize()
        await app.bot.set_my_commands([BotCommand(c, t(self.lang, f"cmd.{c}"))
                                       for c in COMMANDS])
        if not app.running:
            await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES,
                                        drop_pending_updates=False)

    async def run(self, actions: BotActions) -> None:
        """`start`, trying again with back-off while the Bot API cannot be reached.

        The watches do not wait for the bot: they run and record meanwhile, and their
        alerts stay in the outbox until a delivery gets through.
        """
        pause = START_RETRY
        while True:
            try:
                await self.start(actions)
                return
            except (NetworkError, TimedOut) as exc:
                log.warning("the Bot API cannot be reached (%s); trying again in %gs",
                            exc, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, START_RETRY_MAX)

    async def stop(self) -> None:
        """Stop polling and the application."""
        app = self.channel.application
        if app.updater and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    # --- access ---------------------------------------------------------------------------

    async def _gate(self, update: Update, context: Ctx) -> None:
        """Only the operators' chats pass; a stranger's command gets one line, a press nothing."""
        chat = update.effective_chat
        if update.my_chat_member is not None:
            return  # membership changes are judged by _membership
        if chat is not None and self.channel.allowed(chat.id):
            return
        who = update.effective_user.id if update.effective_user else None
        log.warning("refused an update from chat %s (user %s)", chat.id if chat else None, who)
        message = update.effective_message
        # One line per stranger's chat, ever: answering every attempt would let anyone spend
        # the bot's send rate, which the operators' alerts need.
        if chat is not None and chat.id not in self._refused and update.callback_query is None \
                and message is not None and (message.text or "").startswith("/"):
            self._refused.add(chat.id)
            await context.bot.send_message(chat.id, t(self.lang, "bot.refused"))
        raise ApplicationHandlerStop

    async def _membership(self, update: Update, context: Ctx) -> None:
        member = update.my_chat_member
        if member is None:
            return
        joined = member.new_chat_member.status in (ChatMemberStatus.MEMBER,
                                                   ChatMemberStatus.ADMINISTRATOR)
        if joined and not self.channel.allowed(member.chat.id):
            log.warning("added to foreign chat %s (%s): leaving", member.chat.id,
                        member.chat.title)
            await context.bot.leave_chat(member.chat.id)

    # --- commands -------------------------------------------------------------------------

    async def _reply(self, update: Update, text: str) -> None:
        if update.effective_chat is not None:
            await self.channel.send_text(update.effective_chat.id, text)

    async def _help(self, update: Update, context: Ctx) -> None:
        await self._reply(update, t(self.lang, "bot.help"))

    async def _peers(self, update: Update, context: Ctx) -> None:
        await self._reply(update, render_status(self.channel.model, None, self.lang))

    async def _status(self, update: Update, context: Ctx) -> None:
        peer = " ".join(context.args or []) or None
        await self._reply(update, render_status(self.channel.model, peer, self.lang))

    async def _copies(self, update: Update, context: Ctx) -> None:
        copies = self.channel.model.copies_online()
        lines = [copy_line(c) for c in copies] or [t(self.lang, "bot.no_copies")]
        await self._reply(update, "\n".join(lines))

    async def _reviews(self, update: Update, context: Ctx) -> None:
        reviews = self.channel.model.open_reviews()
        chat = update.effective_chat
        if not reviews or chat is None:
            await self._reply(update, t(self.lang, "bot.no_reviews"))
            return
        window = self.channel.model.reply_window_days()
        for review in reviews[:REVIEW_BUTTONS_MAX]:
            markup = None
            if review.event_id:
                markup = InlineKeyboardMarkup([[InlineKeyboardButton(
                    t(self.lang, "button.handled"), callback_data=f"h:{review.event_id}")]])
            await self.channel.send_plain(chat.id, review_line(review, self.lang, window),
                                          markup)
        if len(reviews) > REVIEW_BUTTONS_MAX:
            rest = [review_line(r, self.lang, window) for r in reviews[REVIEW_BUTTONS_MAX:]]
            await self._reply(update, "\n".join(rest))

    async def _season(self, update: Update, context: Ctx) -> None:
        season = self.channel.model.season()
        await self._reply(update, season_text(season, self.lang) if season
                          else t(self.lang, "bot.no_season"))

    async def _digest(self, update: Update, context: Ctx) -> None:
        if update.effective_chat is not None:
            await self.channel.send_digest_to(update.effective_chat.id,
                                              self.channel.model.digest_data())

    async def _check(self, update: Update, context: Ctx) -> None:
        assert self.actions is not None
        await self._reply(update, t(self.lang, "bot.checking"))
        count = await self.actions.check()
        await self._reply(update, t(self.lang, "bot.checked", count=count))

    async def _mute(self, update: Update, context: Ctx) -> None:
        assert self.actions is not None
        args = context.args or []
        try:
            hours = float(args[-1])
            name = " ".join(args[:-1])
        except (IndexError, ValueError):
            name, hours = "", 0.0
        if not name or hours <= 0:
            await self._reply(update, t(self.lang, "bot.mute_usage"))
            return
        muted = self.actions.mute(name, hours)
        await self._reply(update, t(self.lang, "bot.muted", name=muted, hours=f"{hours:g}")
                          if muted else t(self.lang, "bot.mute_unknown", name=name))

    async def _button(self, update: Update, context: Ctx) -> None:
        query = update.callback_query
        assert self.actions is not None
        if query is None or not query.data:
            return
        action, _, arg = query.data.partition(":")
        if action == "h":
            ok = self.actions.mark_handled(arg)
            await query.answer(t(self.lang, "bot.handled" if ok else "bot.unknown_event"))
            if ok and query.message is not None:
                await query.edit_message_reply_markup(reply_markup=None)
        elif action == "m":
            muted = self.actions.mute(arg, 24)
            await query.answer(t(self.lang, "bot.muted", name=muted, hours=24) if muted
                               else t(self.lang, "bot.mute_unknown", name=arg))
        else:
            await query.answer()


SELLING = {True: "season.selling.yes", False: "season.selling.no", None: "season.selling.unknown"}


def season_text(season: dict[str, Any], lang: str) -> str:
    """The season advice and its evidence as plain lines."""
    key = f"alert.season_hint.{season.get('advice', 'prepare')}"
    peers = season.get("peers") or []
    lines = [t(lang, key, season=season.get("season", ""), peers=len(peers))]
    for p in peers:
        if isinstance(p, dict):
            lines.append(t(lang, "season.peer_line", peer=p.get("peer"), items=p.get("items"),
                           since=str(p.get("since", ""))[:10], signal=p.get("signal"),
                           selling=t(lang, SELLING[p.get("selling")])))
    if season.get("unknown_sell_through"):
        lines.append(t(lang, "season.unknown_sell_through"))
    return "\n".join(lines)
