"""Alerts and the digest as lines of parts (text, link), packed into messages below a limit.

The group robots (DingTalk, Feishu, WeCom, Apprise) mark links and bold up each their own
way, so what they share is this neutral form: each channel turns a `Line` into its markup,
and `pack` cuts a stream of lines into messages that its platform accepts, breaking only
between lines and keeping each event's lines (and a group heading) together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from notifier import fmt
from notifier.digest import digest_sections
from notifier.i18n import t
from notifier.render import event_lines
from notifier.views import DigestData
from watchers.model import StoredEvent

Part = tuple[str, str | None]  # text, and the http(s) URL it links to


@dataclass(frozen=True)
class Line:
    """One line: an optional bold lead, then parts."""

    parts: tuple[Part, ...] = ()
    lead: str = ""

    def text(self) -> str:
        """The line as the reader sees it, links as their text."""
        body = "".join(text for text, _ in self.parts)
        return f"{self.lead} {body}".strip() if self.lead else body

    def plain(self) -> str:
        """The line as plain text, each URL after its text."""
        body = "".join(f"{text} {url}" if url and url != text else text
                       for text, url in self.parts)
        return f"{self.lead} {body}".strip() if self.lead else body


Entry = tuple[list[Line], str | None]  # lines that stay together, and the event they tell
Message = tuple[list[Line], list[str]]  # the lines of one message, and the events it tells
BLANK = Line()


def web(url: object) -> str | None:
    """The URL when it is one a chat can open (http or https), else None."""
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


@lru_cache(maxsize=8192)  # pack asks again for the same lines as a message grows
def markdown(line: Line, escape: Callable[[str], str]) -> str:
    """One line as robot markdown: bold lead, links as [text](url), `escape`d text."""
    body = "".join(f"[{escape(text)}]({url.replace(')', '%29').replace(' ', '%20')})"
                   if url else escape(text) for text, url in line.parts)
    return f"**{escape(line.lead)}** {body}".strip() if line.lead else body


def alert_lines(event: StoredEvent, lang: str) -> list[Line]:
    """One alert: the kind in bold and the sentence, what helps act on it, then the link."""
    head, *more = event_lines(event, lang)
    lines = [Line(((head, None),), lead=t(lang, f"kind.{event.kind}"))]
    lines += [Line(((text, None),)) for text in more]
    url = web(event.product.get("url") if event.product else None)
    if url:
        lines.append(Line(((fmt.cut(url, 80), url),)))
    return lines


def batch_entries(events: Sequence[StoredEvent], lang: str) -> list[Entry]:
    """Many alerts grouped by store and kind: a heading, then one linked line per event."""
    groups: dict[tuple[str, str], list[StoredEvent]] = defaultdict(list)
    for event in events:
        groups[(event.store or "", event.kind)].append(event)
    entries: list[Entry] = []
    for (store, kind), group in groups.items():
        label = t(lang, "kind." + kind)
        head = t(lang, "batch.heading", store=fmt.cut(store, fmt.NAME_MAX), kind=label,
                 count=len(group)) if store else f"{label} ({len(group)})"
        heading: list[Line] = [Line(lead=head)]  # kept with its first line, never alone
        for event in group:
            url = web(event.product.get("url") if event.product else None)
            text = " ".join(event_lines(event, lang))
            entries.append(([*heading, Line((("• ", None), (text, url)))], event.id))
            heading = []
        entries.append(([BLANK], None))
    return entries


def digest_entries(data: DigestData, lang: str) -> list[Entry]:
    """The digest's sections: a bold heading, its lines with their links, a blank between."""
    entries: list[Entry] = []
    for section in digest_sections(data, lang):
        if entries:
            entries.append(([BLANK], None))
        lines = [Line(tuple((text, web(url)) for text, url in line)) for line in section.lines]
        # A heading goes with the first line of its section.
        entries.append(([Line(lead=section.heading), *lines[:1]], None))
        entries += [([line], None) for line in lines[1:]]
    return entries


def shorten(lines: list[Line], fits: Callable[[list[Line]], bool]) -> list[Line]:
    """Lines that did not fit one message: the first lines that do, or the first line cut."""
    kept = list(lines)
    while len(kept) > 1 and not fits(kept):
        kept.pop()
    if fits(kept):
        return kept
    text = kept[0].plain() if kept else ""
    low, high = 0, len(text)  # the longest cut of the first line that fits
    while low < high:
        mid = (low + high + 1) // 2
        if fits([Line(((text[:mid] + "…", None),))]):
            low = mid
        else:
            high = mid - 1
    return [Line(((text[:low] + "…", None),))]


def pack(entries: Sequence[Entry], fits: Callable[[list[Line]], bool]) -> list[Message]:
    """Entries joined into as few messages as `fits`, each naming the events it tells.

    A message holding only blank lines is left out; an entry too long for a message on
    its own is shortened (its first lines, or its first line cut with an ellipsis).
    """
    messages: list[Message] = []
    current: list[Line] = []
    ids: list[str] = []
    for lines, tag in entries:
        if current and not fits(current + lines):
            messages.append((current, ids))
            current, ids = [], []
        if not current:
            while lines and lines[0] == BLANK:  # a message never starts with a blank line
                lines = lines[1:]
            if not lines:
                continue
            if not fits(lines):
                lines = shorten(lines, fits)
        current = current + lines
        if tag is not None:
            ids.append(tag)
    if current:
        messages.append((current, ids))
    out = []
    for lines, ids in messages:
        while lines and lines[-1] == BLANK:
            lines = lines[:-1]
        if lines:
            out.append((lines, ids))
    return out
