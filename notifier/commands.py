"""The bot's commands and alert buttons, apart from any transport.

Every two-way channel answers from here: it turns a command (or a button press) into
`Reply` values and sends them its own way. Only the Telegram bot is two-way today.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from notifier.digest import copy_line, review_line
from notifier.i18n import t
from notifier.status import render_status
from notifier.views import BotActions, DigestData, ReadModel
from watchers.model import StoredEvent

COMMANDS = ("help", "peers", "status", "copies", "reviews", "season", "digest", "check", "mute")
REVIEW_BUTTONS_MAX = 10
BUTTON_DATA_MAX = 64  # Telegram's limit for a button's data; the strictest of the chats


@dataclass(frozen=True)
class Button:
    """A button under a message: its label and the data its press sends back."""

    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """One message of an answer: plain text with buttons, or the digest (sent its own way)."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    digest: DigestData | None = None


def handled_button(event_id: str, lang: str) -> Button:
    """The "handled" button of an alert."""
    return Button(t(lang, "button.handled"), f"h:{event_id}")


def alert_buttons(event: StoredEvent, lang: str) -> tuple[Button, ...]:
    """"Handled", and "mute" when the alert has a source to mute."""
    buttons = [handled_button(event.id, lang)]
    if event.source:
        buttons.append(Button(t(lang, "button.mute"), f"m:{event.source}"[:BUTTON_DATA_MAX]))
    return tuple(buttons)


class Commands:
    """Answers the commands of CONTRACT.md from the read model and the actions."""

    def __init__(self, model: ReadModel, actions: BotActions, lang: str) -> None:
        self.model = model
        self.actions = actions
        self.lang = lang

    async def answer(self, name: str, args: Sequence[str]) -> AsyncIterator[Reply]:
        """The replies to `/name args`, in order (a check says it started, then its result)."""
        lang = self.lang
        if name in ("help", "start"):
            yield Reply(t(lang, "bot.help"))
        elif name == "peers":
            yield Reply(render_status(self.model, None, lang))
        elif name == "status":
            yield Reply(render_status(self.model, " ".join(args) or None, lang))
        elif name == "copies":
            lines = [copy_line(c) for c in self.model.copies_online()]
            yield Reply("\n".join(lines) or t(lang, "bot.no_copies"))
        elif name == "reviews":
            for reply in self._reviews():
                yield reply
        elif name == "season":
            season = self.model.season()
            yield Reply(season_text(season, lang) if season else t(lang, "bot.no_season"))
        elif name == "digest":
            yield Reply(digest=self.model.digest_data())
        elif name == "check":
            yield Reply(t(lang, "bot.checking"))
            count = await self.actions.check()
            yield Reply(t(lang, "bot.checked", count=count))
        elif name == "mute":
            yield Reply(self._mute(args))

    def _reviews(self) -> list[Reply]:
        reviews = self.model.open_reviews()
        if not reviews:
            return [Reply(t(self.lang, "bot.no_reviews"))]
        window = self.model.reply_window_days()
        replies = [Reply(review_line(r, self.lang, window),
                         (handled_button(r.event_id, self.lang),) if r.event_id else ())
                   for r in reviews[:REVIEW_BUTTONS_MAX]]
        if len(reviews) > REVIEW_BUTTONS_MAX:
            replies.append(Reply("\n".join(review_line(r, self.lang, window)
                                           for r in reviews[REVIEW_BUTTONS_MAX:])))
        return replies

    def _mute(self, args: Sequence[str]) -> str:
        try:
            hours = float(args[-1])
            name = " ".join(args[:-1])
        except (IndexError, ValueError):
            name, hours = "", 0.0
        if not name or hours <= 0:
            return t(self.lang, "bot.mute_usage")
        muted = self.actions.mute(name, hours)
        return (t(self.lang, "bot.muted", name=muted, hours=f"{hours:g}") if muted
                else t(self.lang, "bot.mute_unknown", name=name))

    def press(self, data: str) -> tuple[str, bool]:
        """A button press: the short answer to show, and whether the buttons go away."""
        action, _, arg = data.partition(":")
        if action == "h":
            ok = self.actions.mark_handled(arg)
            return t(self.lang, "bot.handled" if ok else "bot.unknown_event"), ok
        if action == "m":
            muted = self.actions.mute(arg, 24)
            return (t(self.lang, "bot.muted", name=muted, hours=24) if muted
                    else t(self.lang, "bot.mute_unknown", name=arg)), False
        return "", False


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
