"""The fake Bot API server, driven by the real python-telegram-bot (no mocks)."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import httpx
import pytest
from PIL import Image
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakes.botapi import FakeBotApi

T = TypeVar("T")
CHAT = 4242
GROUP = -100777


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A started fake Bot API server."""
    with FakeBotApi() as fake:
        yield fake


def with_bot(api: FakeBotApi, use: Callable[[Bot], Awaitable[T]], token: str = "") -> T:
    """Runs `use` with an initialised real Bot pointed at the fake server."""
    async def go() -> T:
        async with Bot(token or api.token, base_url=f"{api.url}/bot") as bot:
            return await use(bot)
    return asyncio.run(go())


def png(width: int = 3, height: int = 2) -> bytes:
    """A real PNG picture."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format="PNG")
    return out.getvalue()


def seconds(value: int | timedelta) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB's settings."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def test_get_me_answers_the_bot_behind_the_token(api: FakeBotApi) -> None:
    me = with_bot(api, lambda bot: bot.get_me())
    assert (me.id, me.username, me.is_bot) == (123456789, "monitor_test_bot", True)
    assert api.calls[0].method == "getMe"


def test_wrong_token_is_refused_as_unauthorized(api: FakeBotApi) -> None:
    with pytest.raises(InvalidToken, match="rejected"):
        with_bot(api, lambda bot: bot.get_me(), token="1:wrong")
    assert api.errors[0][1] == {"ok": False, "error_code": 401, "description": "Unauthorized"}


def test_html_message_is_stored_with_plain_text_entities_and_keyboard(api: FakeBotApi) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Mute", callback_data="mute:7"),
                                      InlineKeyboardButton("Open", url="https://shop.test/p")]])
    msg = with_bot(api, lambda bot: bot.send_message(
        CHAT, "<b>Price</b> 5 &lt; 7 &amp; <a href='https://x.test/?a=1&amp;b=2'>link</a>",
        parse_mode=ParseMode.HTML, reply_markup=keyboard))
    assert msg.text == "Price 5 < 7 & link"
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [("bold", 0, 5),
                                                                    ("text_link", 14, 4)]
    assert msg.entities[1].url == "https://x.test/?a=1&b=2"
    [sent] = api.sent_messages(CHAT)
    assert sent["message_id"] == msg.message_id
    assert sent["text"].startswith("<b>Price</b>") and sent["plain"] == msg.text
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "mute:7"
    assert api.sent_messages(CHAT + 1) == []


@pytest.mark.parametrize("text, reason", [
    ("5 < 7", 'Unsupported start tag ""'),
    ("Tom & Jerry", "Unsupported HTML entity"),
    ("<blink>hi</blink>", 'Unsupported start tag "blink"'),
    ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</b></i>", "Unmatched end tag"),
    ("x</b>", "Unexpected end tag"),
    ("<b", "Unclosed start tag"),
    ('<span class="big">x</span>', 'must have class "tg-spoiler"'),
], ids=["unescaped_lt", "bare_ampersand", "unknown_tag", "unclosed_tag", "crossed_tags",
        "stray_end_tag", "unfinished_tag", "span_without_spoiler"])
def test_invalid_html_is_refused_with_cant_parse_entities(api: FakeBotApi, text: str,
                                                          reason: str) -> None:
    with pytest.raises(BadRequest, match="parse entities"):
        with_bot(api, lambda bot: bot.send_message(CHAT, text, parse_mode=ParseMode.HTML))
    # PTB lower-cases the reason; the server's own words are in the recorded answer.
    description = api.errors[-1][1]["description"]
    assert description.startswith("Bad Request: can't parse entities: ")
    assert reason in description
    assert api.sent_messages() == []


@pytest.mark.parametrize("text, accepted", [
    ("<b>" + "x" * 4096 + "</b>", True),
    ("&amp;" * 4096, True),
    ("x" * 4097, False),
    ("😀" * 2049, False),  # each is two UTF-16 units
    ("<b> </b>", False),
], ids=["tags_do_not_count", "entities_count_once", "one_too_many", "emoji_count_double",
        "empty_after_parsing"])
def test_text_limit_applies_after_entity_parsing(api: FakeBotApi, text: str,
                                                 accepted: bool) -> None:
    def send(bot: Bot) -> Any:
        return bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
    if accepted:
        assert with_bot(api, send).text
    else:
        with pytest.raises(BadRequest, match=r"(?i)too long|empty"):
            with_bot(api, send)


def test_photo_upload_keeps_bytes_and_checks_caption(api: FakeBotApi) -> None:
    picture = png(30, 20)
    msg = with_bot(api, lambda bot: bot.send_photo(CHAT, picture, caption="<i>chart</i>",
                                                   parse_mode=ParseMode.HTML))
    assert (msg.photo[-1].width, msg.photo[-1].height, msg.caption) == (30, 20, "chart")
    assert api.calls_to("sendPhoto")[0].files["photo"] == picture
    [sent] = api.sent_messages(CHAT)
    assert (sent["method"], sent["photo"], sent["text"]) == ("sendPhoto", picture,
                                                            "<i>chart</i>")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        with_bot(api, lambda bot: bot.send_photo(CHAT, picture, caption="c" * 1025))
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        with_bot(api, lambda bot: bot.send_photo(CHAT, b"not a picture"))


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_429_surfaces_as_retry_after_then_the_call_succeeds(api: FakeBotApi) -> None:
    api.fail_next("sendMessage", error_code=429, retry_after=3)
    with pytest.raises(RetryAfter) as err:
        with_bot(api, lambda bot: bot.send_message(CHAT, "hi"))
    assert seconds(err.value.retry_after) == 3
    assert api.errors[0][1]["parameters"] == {"retry_after": 3}
    assert with_bot(api, lambda bot: bot.send_message(CHAT, "hi")).text == "hi"


def test_migrated_group_surfaces_as_chat_migrated(api: FakeBotApi) -> None:
    api.migrate_chat(-5, GROUP)
    with pytest.raises(ChatMigrated) as err:
        with_bot(api, lambda bot: bot.send_message(-5, "hi"))
    assert err.value.new_chat_id == GROUP
    assert with_bot(api, lambda bot: bot.send_message(GROUP, "hi")).chat.type == "supergroup"


def test_blocked_chat_surfaces_as_forbidden(api: FakeBotApi) -> None:
    api.block_chat(CHAT)
    with pytest.raises(Forbidden, match="blocked by the user"):
        with_bot(api, lambda bot: bot.send_photo(CHAT, png()))
    assert api.sent_messages() == []


def test_server_error_fails_once_as_network_error(api: FakeBotApi) -> None:
    api.fail_next("getMe", error_code=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        with_bot(api, lambda bot: bot.get_me())
    assert with_bot(api, lambda bot: bot.get_me()).username == "monitor_test_bot"


def test_json_and_urlencoded_bodies_are_read_like_form_posts(api: FakeBotApi) -> None:
    base = f"{api.url}/bot{api.token}"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    as_json = httpx.post(f"{base}/sendMessage", json={"chat_id": CHAT, "text": "j",
                                                      "reply_markup": markup}).json()
    as_form = httpx.post(f"{base}/SENDMESSAGE", data={"chat_id": str(CHAT), "text": "123"}).json()
    assert as_json["result"]["reply_markup"] == markup
    assert as_form["result"]["text"] == "123"  # text stays a string, chat_id becomes a number
    assert [c.params["chat_id"] for c in api.calls] == [CHAT, CHAT]
    assert httpx.post(f"{base}/noSuchMethod").status_code == 404


def test_inline_button_with_oversized_callback_data_is_refused(api: FakeBotApi) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        with_bot(api, lambda bot: bot.send_message(CHAT, "hi", reply_markup=keyboard))


def test_commands_are_kept_per_scope(api: FakeBotApi) -> None:
    scope = BotCommandScopeChat(CHAT)

    async def use(bot: Bot) -> tuple[Any, ...]:
        await bot.set_my_commands([BotCommand("status", "Watcher status")])
        await bot.set_my_commands([BotCommand("mute", "Mute a source")], scope=scope)
        return await bot.get_my_commands(), await bot.get_my_commands(scope=scope)
    default, chat_only = with_bot(api, use)
    assert [c.command for c in default] == ["status"]
    assert [c.command for c in chat_only] == ["mute"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        with_bot(api, lambda bot: bot.set_my_commands([BotCommand("Bad-Name", "x")]))


def test_long_poll_returns_an_update_pushed_while_waiting(api: FakeBotApi) -> None:
    waiting = threading.Event()

    async def use(bot: Bot) -> tuple[Update, ...]:
        waiting.set()
        return await bot.get_updates(timeout=30)

    pusher = threading.Thread(target=lambda: (waiting.wait(), api.wait_for(
        lambda: api.calls_to("getUpdates")), api.push_message(CHAT, "late")))
    pusher.start()
    [update] = with_bot(api, use)
    pusher.join()
    assert update.message is not None and update.message.text == "late"
    with_bot(api, lambda bot: bot.get_updates(offset=update.update_id + 1, timeout=0))
    assert api.pending_updates() == 0


def test_application_answers_command_and_button_while_polling(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        button = InlineKeyboardButton("Mute", callback_data="mute:shop")
        await context.bot.send_message(update.effective_chat.id, "<b>hello</b>",
                                       parse_mode=ParseMode.HTML,
                                       reply_markup=InlineKeyboardMarkup([[button]]))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("muted")
        await query.edit_message_text(f"done: {query.data}")

    async def added(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.leave_chat(update.effective_chat.id)

    async def scenario() -> None:
        app = ApplicationBuilder().token(api.token).base_url(f"{api.url}/bot").build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(pressed))
        app.add_handler(ChatMemberHandler(added, ChatMemberHandler.MY_CHAT_MEMBER))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=5)
            api.push_message(CHAT, "/start")
            [sent] = await api.wait_for_async(lambda: api.sent_messages(CHAT))
            api.push_callback(CHAT, "mute:shop", sent["message_id"])
            await api.wait_for_async(lambda: api.sent_messages(CHAT)[0]["edits"])
            api.push_my_chat_member(GROUP, chat_type="supergroup")
            await api.wait_for_async(lambda: api.left_chats)
            await app.updater.stop()
            await app.stop()

    asyncio.run(scenario())
    assert [c.method for c in api.calls[:2]] == ["getMe", "deleteWebhook"]
    [answer] = api.calls_to("answerCallbackQuery")
    assert answer.params["text"] == "muted"
    [sent] = api.sent_messages(CHAT)
    assert (sent["plain"], sent["reply_markup"]) == ("done: mute:shop", None)
    assert api.left_chats == [GROUP]
    assert api.pending_updates() == 0


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_rate_limiter_retries_after_429_and_the_message_arrives(api: FakeBotApi) -> None:
    api.fail_next("sendMessage", n=1, error_code=429, retry_after=1)

    async def scenario() -> None:
        app = (ApplicationBuilder().token(api.token).base_url(f"{api.url}/bot")
               .rate_limiter(AIORateLimiter(max_retries=2)).build())
        async with app:
            await app.bot.send_message(CHAT, "after the flood")

    asyncio.run(scenario())
    assert [c.params["text"] for c in api.calls_to("sendMessage")] == ["after the flood"] * 2
    assert [s["plain"] for s in api.sent_messages(CHAT)] == ["after the flood"]


def test_group_command_addressed_to_the_bot_reaches_command_handler(api: FakeBotApi) -> None:
    seen: list[list[str]] = []

    async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(list(context.args or []))
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "ok")

    async def scenario() -> None:
        app = ApplicationBuilder().token(api.token).base_url(f"{api.url}/bot").build()
        app.add_handler(CommandHandler("status", status))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=5)
            api.push_message(GROUP, "/status@other_bot x", chat_type="supergroup")
            api.push_message(GROUP, "/status@monitor_test_bot shop", chat_type="supergroup")
            await api.wait_for_async(lambda: api.sent_messages(GROUP))
            await api.wait_for_async(lambda: api.pending_updates() == 0)
            await app.updater.stop()
            await app.stop()

    asyncio.run(scenario())
    assert seen == [["shop"]]


def test_edits_and_answers_are_checked_like_telegram(api: FakeBotApi) -> None:
    async def use(bot: Bot) -> None:
        msg = await bot.send_message(CHAT, "same")
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await bot.edit_message_text("same", CHAT, msg.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("new", CHAT, msg.message_id + 10)
        with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
            await bot.answer_callback_query("never-sent")
        edited = await bot.edit_message_text("<i>new</i>", CHAT, msg.message_id,
                                             parse_mode=ParseMode.HTML)
        assert isinstance(edited, Message) and edited.text == "new"
        assert (await bot.get_chat(CHAT)).type == "private"
    with_bot(api, use)
    assert api.message(CHAT, 1) is not None
    assert [(s["text"], s["edits"]) for s in api.sent_messages()] == [("<i>new</i>", 1)]
