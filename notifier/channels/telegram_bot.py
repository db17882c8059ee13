"""The Telegram bot: long polling, one access gate, and notifier.commands' answers sent back."""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Any

from telegram import BotCommand, Message, Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from notifier.channels.telegram import NO_PREVIEW, TelegramChannel, markup
from notifier.commands import COMMANDS, Commands
from notifier.i18n import t
from notifier.render import fit
from notifier.views import BotActions

log = logging.getLogger(__name__)

START_RETRY = 1.0  # seconds before the first retry of an unreachable Bot API; doubles
START_RETRY_MAX = 120.0
Ctx = ContextTypes.DEFAULT_TYPE


class BotService:
    """Registers the handlers on the channel's Application and runs long polling."""

    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel
        self.commands: Commands | None = None
        self._refused: set[int] = set()

    @property
    def lang(self) -> str:
        return self.channel.lang

    def _register(self, actions: BotActions) -> None:
        """The gate, the commands and the buttons, once per process."""
        if self.commands is not None:
            return
        self.commands = Commands(self.channel.model, actions, self.lang, self.channel.digest_at)
        app = self.channel.application
        app.add_handler(TypeHandler(Update, self._gate), group=-1)
        app.add_handler(ChatMemberHandler(self._membership, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(CommandHandler("start", self._command("help")))
        for name in COMMANDS:
            # /check runs every watch: it must not hold up the answers to other commands.
            app.add_handler(CommandHandler(name, self._command(name), block=name != "check"))
        app.add_handler(CallbackQueryHandler(self._button))
        # After the known commands: anything else addressed to the bot gets a pointer to /help.
        app.add_handler(MessageHandler(filters.TEXT | filters.COMMAND, self._other))

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
                and message is not None and self._addressed(update):
            self._refused.add(chat.id)
            # The chat id is what the operator needs to add this chat to telegram.chats.
            await context.bot.send_message(chat.id, t(self.lang, "bot.refused", chat=chat.id))
        raise ApplicationHandlerStop

    def _addressed(self, update: Update) -> bool:
        """A command, or text written to the bot: a private chat, a mention, a reply to it.

        In a group the team talks among themselves: only what names the bot is for it.
        """
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or not message.text:
            return False
        text = message.text
        name = self.channel.application.bot.username or ""
        if text.startswith("/"):
            command = text.split()[0]
            return "@" not in command or command.lower().endswith("@" + name.lower())
        if chat.type == "private":
            return True
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None \
                and replied.from_user.id == self.channel.application.bot.id:
            return True
        return bool(name) and f"@{name.lower()}" in text.lower()

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

    # --- commands and buttons: answered by notifier.commands, sent the Telegram way --------

    def _command(self, name: str) -> Any:
        async def handle(update: Update, context: Ctx) -> None:
            chat = update.effective_chat
            if chat is None or self.commands is None:
                return
            async for reply in self.commands.answer(name, context.args or []):
                if reply.photo is not None:
                    await self.channel.send_chart(chat.id, reply.photo, reply.caption)
                if reply.digest is not None:
                    await self.channel.send_digest_to(chat.id, reply.digest)
                elif reply.buttons:
                    await self.channel.send_plain(chat.id, reply.text, markup(reply.buttons))
                else:
                    await self.channel.send_text(chat.id, reply.text)

        return handle

    async def _other(self, update: Update, context: Ctx) -> None:
        """An unknown command, or text addressed to the bot: a pointer to /help."""
        chat = update.effective_chat
        if chat is None or self.commands is None or not self._addressed(update):
            return
        await self.channel.send_text(chat.id, self.commands.unknown().text)

    async def _button(self, update: Update, context: Ctx) -> None:
        """A press: answered at once; Handled edits the alert to say who and when."""
        query = update.callback_query
        if query is None or not query.data or self.commands is None:
            return
        who = query.from_user.full_name if query.from_user else "?"
        press = self.commands.press(query.data, who)
        await query.answer(press.answer[:200] or None)
        message = query.message
        if not isinstance(message, Message):
            return
        try:
            if press.note and press.note not in (message.text or ""):
                body = message.text_html or html.escape(message.text or "")
                await query.edit_message_text(fit(body) + "\n" + html.escape(press.note),
                                              parse_mode=ParseMode.HTML,
                                              reply_markup=None,
                                              link_preview_options=NO_PREVIEW)
            elif press.drop_buttons and message.reply_markup is not None:
                await query.edit_message_reply_markup(reply_markup=None)
        except BadRequest as exc:  # e.g. "message is not modified" on a second press
            log.info("alert not edited: %s", exc)
