"""The Bot API methods the fake server implements, with the checks the real server makes."""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

from tests.fakes.botapi_wire import (
    ApiError,
    bad_request,
    chat_full_info,
    image_size,
    now,
)
from tests.fakes.telegram_html import HtmlError, plain_text, utf16_len

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes
_UPDATE_KINDS = ("message", "edited_message", "channel_post", "callback_query",
                 "my_chat_member", "chat_member", "inline_query")


class MethodsMixin:
    """Method handlers; FakeBotApi adds the HTTP server, the update queue and the faults."""

    bot_user: dict[str, Any]
    strict_html: bool
    _cond: threading.Condition
    _closed: bool
    _updates: list[dict[str, Any]]
    _allowed: list[str]

    def _chat(self, chat_id: int | str, chat_type: str | None = None) -> dict[str, Any]:
        raise NotImplementedError

    def _init_state(self) -> None:
        self._messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self._sent: list[dict[str, Any]] = []  # what sent_messages() reports, edits applied
        self._message_ids: dict[int | str, itertools.count[int]] = {}
        self._callback_ids = itertools.count(9_000_001)
        self._open_callbacks: set[str] = set()
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.left_chats: list[int | str] = []
        self._methods = {name.lower(): name for name in (
            "getMe", "deleteWebhook", "getWebhookInfo", "getUpdates", "sendMessage", "sendPhoto",
            "sendDocument", "sendChatAction", "setMyCommands", "getMyCommands",
            "deleteMyCommands", "answerCallbackQuery", "editMessageText",
            "editMessageReplyMarkup", "leaveChat", "getChat", "close", "logOut")}

    # -- reading back ------------------------------------------------------------------------

    def message(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """The current Message object, as Telegram stores it (edits applied)."""
        with self._cond:
            found = self._messages.get((chat_id, message_id))
            return json.loads(json.dumps(found)) if found else None

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """What the bot sent (sendMessage, sendPhoto, sendDocument), oldest first.

        Each: method, chat_id, message_id, text (text or caption as sent), plain (after
        entity parsing), parse_mode, reply_markup, photo / document bytes, edits.
        """
        with self._cond:
            return [dict(s) for s in self._sent if chat_id is None or s["chat_id"] == chat_id]

    def commands(self, scope: dict[str, Any] | None = None,
                 language_code: str = "") -> list[dict[str, str]]:
        """The command list set for a scope (default scope when None)."""
        with self._cond:
            return list(self._commands.get((_scope_key(scope), language_code), []))

    # -- plumbing --------------------------------------------------------------------------

    def method_name(self, name: str) -> str:
        """The canonical spelling (the API is case-insensitive); unknown names as given."""
        return self._methods.get(name.lower(), name)

    def dispatch(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        """Runs one method; ApiError for what Telegram refuses."""
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        return handler(params, files)

    def _next_message_id(self, chat_id: int | str) -> int:
        with self._cond:
            return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _store(self, message: dict[str, Any]) -> None:
        with self._cond:
            self._messages[(message["chat"]["id"], message["message_id"])] = message

    def _target(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        return self._chat(chat_id)

    def _new_message(self, method: str, params: dict[str, Any], upload: bytes | None = None,
                     **content: Any) -> dict[str, Any]:
        c = self._target(params)
        markup = _inline_markup(params.get("reply_markup"))
        message: dict[str, Any] = {"message_id": self._next_message_id(c["id"]), "date": now(),
                                   "chat": c, "from": self.bot_user, **content}
        if markup:
            message["reply_markup"] = markup
        raw = params.get("text", params.get("caption"))
        with self._cond:
            self._store(message)
            self._sent.append({
                "method": method, "chat_id": c["id"], "message_id": message["message_id"],
                "text": raw, "plain": message.get("text", message.get("caption")),
                "parse_mode": params.get("parse_mode"), "reply_markup": markup,
                "photo": upload if "photo" in content else None,
                "document": upload if "document" in content else None, "edits": 0})
        return message

    def _bot_message(self, params: dict[str, Any]) -> dict[str, Any]:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the fake")
        c = self._target(params)
        with self._cond:
            found = self._messages.get((c["id"], params.get("message_id", 0)))
        if found is None:
            raise bad_request("message to edit not found")
        if found["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return found

    def _record_edit(self, message: dict[str, Any], raw: str | None, mode: Any) -> None:
        with self._cond:
            for sent in self._sent:
                if (sent["chat_id"], sent["message_id"]) == (message["chat"]["id"],
                                                             message["message_id"]):
                    if raw is not None:
                        sent.update(text=raw, plain=message.get("text"), parse_mode=mode)
                    sent.update(reply_markup=message.get("reply_markup"),
                                edits=sent["edits"] + 1)

    # -- methods -----------------------------------------------------------------------------

    def _m_getme(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if params.get("drop_pending_updates"):
            with self._cond:
                self._updates.clear()
        return True

    def _m_getwebhookinfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {"url": "", "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    def _m_getupdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        with self._cond:
            if params.get("allowed_updates") is not None:
                self._allowed = list(params["allowed_updates"])  # sticks, like Telegram's
            if offset > 0:  # confirms everything before it
                self._updates[:] = [u for u in self._updates if u["update_id"] >= offset]

            def ready() -> list[dict[str, Any]]:
                allowed = self._allowed or [k for k in _UPDATE_KINDS if k != "chat_member"]
                found = [u for u in self._updates if any(k in u for k in allowed)]
                return found[offset:] if offset < 0 else found

            self._cond.wait_for(lambda: self._closed or bool(ready()), timeout)
            return ready()[:limit]

    def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        text, entities = _parse(params.get("text"), params, "text", self.strict_html)
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > TEXT_LIMIT:
            raise bad_request("message is too long")
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._new_message("sendMessage", params, **content)

    def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        data = _upload(params, files, "photo")
        size = image_size(data) if data else (320, 240)  # a file_id or URL: nothing to check
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        photo = [{"file_id": f"photo-{len(data or b'')}", "file_unique_id": "u-photo",
                  "width": size[0], "height": size[1], "file_size": len(data or b"")}]
        return self._new_message("sendPhoto", params, data, photo=photo,
                                 **_caption(params, self.strict_html))

    def _m_senddocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        data = _upload(params, files, "document")
        document = {"file_id": f"doc-{len(data or b'')}", "file_unique_id": "u-doc",
                    "file_size": len(data or b"")}
        return self._new_message("sendDocument", params, data, document=document,
                                 **_caption(params, self.strict_html))

    def _m_sendchataction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self._target(params)
        return True

    def _m_setmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH" if commands else "commands are empty")
        for cmd in commands:
            name = str(cmd.get("command", "")) if isinstance(cmd, dict) else ""
            if not (0 < len(name) <= 32 and name.replace("_", "a").isalnum()
                    and name == name.lower() and name.isascii()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 0 < len(str(cmd.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        with self._cond:
            key = (_scope_key(params.get("scope")), params.get("language_code", ""))
            self._commands[key] = [{"command": c["command"], "description": c["description"]}
                                   for c in commands]
        return True

    def _m_getmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.commands(params.get("scope"), params.get("language_code", ""))

    def _m_deletemycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        with self._cond:
            key = (_scope_key(params.get("scope")), params.get("language_code", ""))
            self._commands.pop(key, None)
        return True

    def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        with self._cond:
            if params.get("callback_query_id") not in self._open_callbacks:
                raise bad_request("query is too old and response timeout expired or query ID "
                                  "is invalid")
            self._open_callbacks.discard(params["callback_query_id"])
        if len(str(params.get("text", ""))) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    def _m_editmessagetext(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._bot_message(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities = _parse(params.get("text"), params, "text", self.strict_html)
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        markup = _inline_markup(params.get("reply_markup"))
        changed = {"text": text, "entities": entities, "reply_markup": markup}
        with self._cond:
            if all(message.get(k) == v or (not v and k not in message)
                   for k, v in changed.items()):
                raise bad_request(_NOT_MODIFIED)
            for key, value in changed.items():
                if value:
                    message[key] = value
                else:
                    message.pop(key, None)
            message["edit_date"] = now()
            self._record_edit(message, params.get("text"), params.get("parse_mode"))
        return message

    def _m_editmessagereplymarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._bot_message(params)
        markup = _inline_markup(params.get("reply_markup"))
        with self._cond:
            if message.get("reply_markup") == markup or (not markup
                                                         and "reply_markup" not in message):
                raise bad_request(_NOT_MODIFIED)
            if markup:
                message["reply_markup"] = markup
            else:
                message.pop("reply_markup", None)
            message["edit_date"] = now()
            self._record_edit(message, None, None)
        return message

    def _m_leavechat(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        c = self._target(params)
        if c["type"] == "private":
            raise bad_request("chat member status can't be changed in private chats")
        with self._cond:
            self.left_chats.append(c["id"])
        return True

    def _m_getchat(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return chat_full_info(self._target(params))

    def _m_close(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    _m_logout = _m_close


_NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                 "exactly the same as a current content and reply markup of the message")


def _scope_key(scope: Any) -> str:
    if isinstance(scope, str):
        scope = json.loads(scope)
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _parse(raw: Any, params: dict[str, Any], what: str,
           strict: bool) -> tuple[str, list[dict[str, Any]]]:
    """Text after entity parsing; a 400 "can't parse entities" for bad HTML."""
    if not isinstance(raw, str) or not raw:
        raise bad_request(f"message {what} is empty")
    try:
        text, entities = plain_text(raw, params.get("parse_mode"), strict)
    except HtmlError as err:
        raise bad_request(f"can't parse entities: {err}") from err
    given = params.get("entities" if what == "text" else "caption_entities")
    return text, entities or (given if isinstance(given, list) else [])


def _caption(params: dict[str, Any], strict: bool) -> dict[str, Any]:
    if not params.get("caption"):
        return {}
    caption, entities = _parse(params["caption"], params, "caption", strict)
    if utf16_len(caption) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return {"caption": caption, **({"caption_entities": entities} if entities else {})}


def _upload(params: dict[str, Any], files: dict[str, bytes], field: str) -> bytes | None:
    """The uploaded bytes (a multipart file or attach://name), None for a file_id or URL."""
    if field in files:
        return files[field]
    ref = params.get(field)
    if isinstance(ref, str) and ref.startswith("attach://") and ref[9:] in files:
        return files[ref[9:]]
    if not isinstance(ref, str) or not ref or ref.startswith("attach://"):
        raise bad_request(f"there is no {field} in the request")
    return None


def _inline_markup(raw: Any) -> dict[str, Any] | None:
    """The inline keyboard Telegram keeps on a message; buttons checked like Telegram does."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as err:
            raise bad_request("can't parse reply keyboard markup JSON object") from err
    if not isinstance(raw, dict) or "inline_keyboard" not in raw:
        return None  # reply keyboards, ForceReply and removals are not kept on the message
    rows = raw["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an "
                          "Array of Arrays")
    for button in itertools.chain.from_iterable(rows):
        if not isinstance(button, dict) or not button.get("text"):
            raise bad_request("text buttons are unallowed in the inline keyboard")
        if "callback_data" in button and not (
                0 < len(str(button["callback_data"]).encode()) <= CALLBACK_DATA_LIMIT):
            raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not str(button["url"]).startswith(("http://", "https://",
                                                                  "tg://")):
            raise bad_request("BUTTON_URL_INVALID")
        if not set(button) - {"text"}:
            raise bad_request("can't find field \"callback_data\" or \"url\" in the button")
    return {"inline_keyboard": rows}
