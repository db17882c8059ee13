"""The bot's commands and alert buttons, apart from any transport.

Every two-way channel answers from here: it turns a command (or a button press) into
`Reply` values and sends them its own way. Only the Telegram bot is two-way today.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from notifier import fmt
from notifier.answers import history_chart, history_text, today_text, top_text
from notifier.chart import season_caption, season_chart
from notifier.digest import copy_line, review_line
from notifier.i18n import n, t
from notifier.render import season_head, season_name
from notifier.status import render_status
from notifier.views import BotActions, DigestData, ReadModel
from watchers.model import StoredEvent

COMMANDS = ("help", "today", "peers", "status", "top", "history", "copies", "reviews", "season",
            "digest", "check", "mute", "unmute")
REVIEW_BUTTONS_MAX = 10
SEASONS = ("spring", "summer", "autumn", "winter")
BUTTON_DATA_MAX = 64  # Telegram's limit for a button's data, in BYTES; the strictest chat


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
    photo: bytes | None = None  # a chart, sent before the text with `caption`
    caption: str = ""


@dataclass(frozen=True)
class Press:
    """What a button press does: the short answer, and the line the alert gets, if any."""

    answer: str
    note: str | None = None  # appended to the alert ("handled by Li at 09:12")
    drop_buttons: bool = False


def fits(data: str) -> bool:
    """Whether button data fits every channel: 1 to 64 bytes of UTF-8."""
    return 0 < len(data.encode("utf-8")) <= BUTTON_DATA_MAX


def _buttons(*candidates: Button) -> tuple[Button, ...]:
    # The data is an event id (32 hex digits) behind one letter: it always fits, and the
    # check stays so that no other data can make a channel refuse the whole message.
    return tuple(b for b in candidates if fits(b.data))


def handled_button(event_id: str, lang: str) -> Button:
    """The "handled" button of an alert."""
    return Button(t(lang, "button.handled"), f"h:{event_id}")


def alert_buttons(event: StoredEvent, lang: str) -> tuple[Button, ...]:
    """"Handled", and "mute" when the alert has a source to mute (looked up by the event id)."""
    buttons = [handled_button(event.id, lang)]
    if event.source:
        buttons.append(Button(t(lang, "button.mute"), f"m:{event.id}"))
    return _buttons(*buttons)


class Commands:
    """Answers the commands of CONTRACT.md from the read model and the actions."""

    def __init__(self, model: ReadModel, actions: BotActions, lang: str,
                 digest_at: str = "09:00") -> None:
        self.model = model
        self.actions = actions
        self.lang = lang
        self.digest_at = digest_at

    async def answer(self, name: str, args: Sequence[str]) -> AsyncIterator[Reply]:
        """The replies to `/name args`, in order (a check says it started, then its result)."""
        lang = self.lang
        if name in ("help", "start"):
            yield Reply(t(lang, "bot.help", digest_at=self.digest_at))
        elif name == "peers":
            yield Reply(render_status(self.model, None, lang))
        elif name == "status":
            yield Reply(render_status(self.model, " ".join(args) or None, lang))
        elif name == "copies":
            lines = [copy_line(c, lang) for c in self.model.copies_online()]
            yield Reply("\n".join(lines) or t(lang, "bot.no_copies"))
        elif name == "reviews":
            for reply in self._reviews():
                yield reply
        elif name == "season":
            season = self.model.season()
            if not season:
                yield Reply(t(lang, "bot.no_season"))
            else:
                yield self._season(season)
        elif name == "today":
            yield Reply(today_text(self.model.today(), lang))
        elif name == "top":
            wanted = " ".join(args)
            yield Reply(top_text(self.model.top(wanted), wanted, lang) if wanted
                        else t(lang, "answer.top.usage"))
        elif name == "history":
            words = " ".join(args)
            if not words:
                yield Reply(t(lang, "answer.history.usage"))
            else:
                found = self.model.history(words)
                yield Reply(history_text(found, words, lang), photo=history_chart(found))
        elif name == "digest":
            yield Reply(digest=self.model.digest_data())
        elif name == "check":
            yield Reply(t(lang, "bot.checking"))
            outcome = await self.actions.check()
            text = t(lang, "bot.checked", new=n(lang, "events", outcome.new),
                     delivered=n(lang, "delivered", outcome.delivered))
            if outcome.failed:
                text += "\n" + t(lang, "bot.check_failed", names=fmt.join(
                    (fmt.cut(n, fmt.NAME_MAX) for n in outcome.failed[:10]), lang))
            yield Reply(text)
        elif name == "mute":
            yield Reply(self._mute(args))
        elif name == "unmute":
            yield Reply(self._unmute(args))
        else:
            yield self.unknown()

    def _season(self, season: dict[str, Any]) -> Reply:
        """The advice with its evidence, and the chart of launches by season per peer."""
        lang = self.lang
        per_peer = self.model.launches_by_season()
        labels = {s: season_name(s, lang) for s in SEASONS}
        name = str(season.get("season") or "")
        return Reply(season_text(season, lang), photo=season_chart(per_peer, labels, lang),
                     caption=season_caption(per_peer, name, season_name(name, lang), lang))

    def unknown(self) -> Reply:
        """The pointer to /help for a command or a text the bot does not know."""
        return Reply(t(self.lang, "bot.unknown"))

    def _reviews(self) -> list[Reply]:
        reviews = self.model.open_reviews()
        if not reviews:
            return [Reply(t(self.lang, "bot.no_reviews"))]
        window = self.model.reply_window_days()
        replies = [Reply(review_line(r, self.lang, window),
                         _buttons(handled_button(r.event_id, self.lang)) if r.event_id else ())
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
        if not name or not 0 < hours <= 24 * 365:
            return t(self.lang, "bot.mute_usage")
        muted = self.actions.mute(name, hours)
        return (t(self.lang, "bot.muted", name=fmt.cut(muted, fmt.NAME_MAX),
                  hours=n(self.lang, "hours", hours))
                if muted else t(self.lang, "bot.mute_unknown", name=fmt.cut(name, fmt.NAME_MAX)))

    def _unmute(self, args: Sequence[str]) -> str:
        name = " ".join(args)
        if not name:
            return t(self.lang, "bot.unmute_usage")
        unmuted = self.actions.unmute(name)
        return (t(self.lang, "bot.unmuted", name=fmt.cut(unmuted, fmt.NAME_MAX)) if unmuted
                else t(self.lang, "bot.mute_unknown", name=fmt.cut(name, fmt.NAME_MAX)))

    def press(self, data: str, who: str, at: str = "") -> Press:
        """A button press by `who`: the answer, and what the alert should then say."""
        action, _, arg = data.partition(":")
        lang = self.lang
        if action == "h":
            fresh, by, when = self.actions.handled(arg, fmt.cut(who, fmt.NAME_MAX))
            if by is None:
                return Press(t(lang, "bot.unknown_event"))
            note = t(lang, "bot.handled_by", who=by, at=fmt.moment(when, lang))
            if fresh:
                return Press(t(lang, "bot.handled"), note, drop_buttons=True)
            return Press(t(lang, "bot.already_handled", who=by, at=fmt.moment(when, lang)),
                         note, drop_buttons=True)
        if action == "m":
            source = self.actions.source_of(arg)
            muted = self.actions.mute(source, 24) if source else None
            return Press(t(lang, "bot.muted", name=fmt.cut(muted, fmt.NAME_MAX),
                                   hours=n(lang, "hours", 24))
                         if muted else t(lang, "bot.unknown_event"))
        return Press(t(lang, "bot.unknown_event"))


SELLING = {True: "season.selling.yes", False: "season.selling.no", None: "season.selling.unknown"}


def season_text(season: dict[str, Any], lang: str) -> str:
    """The season advice and its evidence as plain lines."""
    lines = [season_head(season, lang)]
    for p in season.get("peers") or []:
        if isinstance(p, dict):
            signal = p.get("signal") if p.get("signal") in ("sales", "reviews", "stock") \
                else "none"
            lines.append(t(lang, "season.peer_line", peer=fmt.cut(p.get("peer"), fmt.NAME_MAX),
                           items=n(lang, "items", p.get("items") or 0),
                           since=fmt.day(fmt.parse_day(p.get("since")), lang),
                           signal=t(lang, f"signal.{signal}"),
                           selling=t(lang, SELLING[p.get("selling")])))
    if season.get("unknown_sell_through"):
        lines.append(t(lang, "season.unknown_sell_through"))
    return "\n".join(lines)
