"""The Bot API's wire format for the fake server: request bodies in, Telegram objects out."""

from __future__ import annotations

import email.parser
import email.policy
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

# Form posts carry every value as a string; these stay strings, the rest are JSON-decoded
# the way the server reads them by type (numbers, booleans, reply_markup, commands, ...).
STRING_FIELDS = frozenset({
    "text", "caption", "parse_mode", "callback_query_id", "data", "url", "language_code",
    "inline_message_id", "business_connection_id", "message_effect_id", "secret_token",
    "ip_address", "photo", "document", "action", "file_id", "description", "short_description",
    "name", "title",
})


class ApiError(Exception):
    """A Bot API error reply: `{"ok": false, "error_code", "description", "parameters"?}`."""

    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """The JSON the server answers with."""
        out: dict[str, Any] = {"ok": False, "error_code": self.code,
                               "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def bad_request(reason: str) -> ApiError:
    """A 400 in Telegram's words."""
    return ApiError(400, f"Bad Request: {reason}")


def fault(code: int, retry_after: int = 1, description: str | None = None) -> ApiError:
    """The error Telegram answers with for `code` (429 carries `retry_after`)."""
    if code == 429:
        return ApiError(429, description or f"Too Many Requests: retry after {retry_after}",
                        retry_after=retry_after)
    default = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
               409: "Conflict: terminated by other getUpdates request",
               500: "Internal Server Error", 502: "Bad Gateway"}
    return ApiError(code, description or default.get(code, "Error"))


@dataclass(frozen=True)
class Call:
    """One request the fake server received: method, decoded parameters, uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


def _coerce(name: str, value: str) -> Any:
    if name in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channel"


def decode_body(content_type: str, body: bytes, query: str) -> tuple[dict[str, Any],
                                                                      dict[str, bytes]]:
    """Parameters and files of a request, from its query string and JSON or form body."""
    params: dict[str, Any] = {k: _coerce(k, v) for k, v in parse_qsl(query)}
    files: dict[str, bytes] = {}
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and body:
        try:
            data = json.loads(body)
        except ValueError as err:
            raise bad_request("can't parse JSON object") from err
        if not isinstance(data, dict):
            raise bad_request("JSON object expected")
        params.update(data)
    elif kind == "application/x-www-form-urlencoded":
        params.update({k: _coerce(k, v) for k, v in parse_qsl(body.decode("utf-8"))})
    elif kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if not isinstance(name, str) or not isinstance(payload, bytes):
                continue
            if part.get_filename() is not None:
                files[name] = payload
            else:
                params[name] = _coerce(name, payload.decode("utf-8"))
    return params, files


def user(user_id: int, first_name: str = "Operator", is_bot: bool = False,
         username: str | None = None) -> dict[str, Any]:
    """A User object."""
    out: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        out["username"] = username
    if not is_bot:
        out["language_code"] = "en"
    return out


def chat(chat_id: int | str, chat_type: str | None = None) -> dict[str, Any]:
    """A Chat object; its type is guessed from the id unless given."""
    if chat_type is None:
        numeric = int(chat_id) if str(chat_id).lstrip("-").isdigit() else 0
        chat_type = ("private" if numeric > 0 else
                     "supergroup" if str(chat_id).startswith("-100") else "group")
    out: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        out["first_name"] = "Operator"
    else:
        out["title"] = f"Chat {chat_id}"
    return out


def chat_full_info(c: dict[str, Any]) -> dict[str, Any]:
    """The ChatFullInfo getChat answers with: the chat plus the fields PTB requires."""
    gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                           "premium_subscription", "gifts_from_channels"), False)
    return {**c, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}


def chat_member(member: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember of `status` with the fields PTB requires for it."""
    out: dict[str, Any] = {"user": member, "status": status}
    if status == "administrator":
        rights = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                  "can_restrict_members", "can_promote_members", "can_change_info",
                  "can_invite_users", "can_post_stories", "can_edit_stories",
                  "can_delete_stories", "can_post_messages", "can_pin_messages")
        out.update(dict.fromkeys(rights, True), can_be_edited=False, is_anonymous=False)
    elif status == "kicked":
        out["until_date"] = 0
    elif status == "restricted":
        out.update(is_member=True, until_date=0)
    return out


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram attaches when a message starts with `/command`."""
    if not text.startswith("/") or len(text) < 2:
        return []
    word = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": len(word.encode("utf-16-le")) // 2}]


def now() -> int:
    """Telegram's dates are whole Unix seconds."""
    return int(time.time())


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of an uploaded picture, None when it is not one (checked by Pillow)."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
            return int(img.size[0]), int(img.size[1])
    except Exception:
        return None
