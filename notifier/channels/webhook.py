"""What the group-robot channels share: pacing, sending with retries, the simpler forms.

A robot is one webhook URL (a group chat). Each platform module says how a message looks
(`payload`), how it is signed, what its answers mean (`judge`) and its limits; this base
sends alerts and the digest the same way for all of them, as Telegram does: few alerts one
message each, a burst batched, every message below the platform's size limit, and a
message refused for its form sent again as plain text, then cut, never holding back the
ones behind it. Secrets (the URL's token, the signing secret) never reach a log line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from notifier import fmt
from notifier.channel import Mark
from notifier.channels.lines import Line, Message, alert_lines, batch_entries, digest_entries, pack
from notifier.chart import chart_caption, new_listings_chart
from notifier.i18n import t
from notifier.views import DigestData
from watchers.model import StoredEvent

log = logging.getLogger(__name__)

SENT, REFUSED, LATER = "sent", "refused", "later"
SINGLE_MAX = 5  # up to this many alerts go one message each; more are batched
SEND_TRIES = 4
MAX_WAIT = 65.0  # longer than this for a free slot: the rest goes with the next delivery
TIMEOUT = 15.0


@dataclass(frozen=True)
class Verdict:
    """What a platform's answer means: SENT, REFUSED (this form never goes), or LATER.

    `wait` is set when the robot is throttled (seconds before trying again); `broken`
    when the robot itself is refused (bad token, signature, keyword, IP): nothing can go
    until the operator fixes it.
    """

    result: str
    wait: float | None = None
    broken: bool = False
    reason: str = ""


MARGIN = 0.02  # of a rule's period


class Pace:
    """A sliding window per rule: at most `count` sends in any `period` seconds (plus a margin)."""

    def __init__(self, rules: Sequence[tuple[int, float]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rules = tuple(rules)
        self.clock = clock
        self.sent: deque[float] = deque(maxlen=max((n for n, _ in self.rules), default=1))
        self.until = 0.0  # throttled by the platform until then

    def delay(self) -> float:
        """Seconds to wait before the next send keeps every rule (0 when it may go now)."""
        now = self.clock()
        wait = self.until - now
        for count, period in self.rules:
            if len(self.sent) >= count:
                wait = max(wait, self.sent[-count] + period * (1 + MARGIN) - now)
        return max(wait, 0.0)

    def record(self) -> None:
        """A send went out now."""
        self.sent.append(self.clock())

    def hold(self, seconds: float) -> None:
        """The platform said it throttles us: count the window as full for `seconds`."""
        self.until = max(self.until, self.clock() + seconds)


def rebase(url: str, api_url: str) -> str:
    """The webhook with its scheme and host replaced by `api_url` (tests), path and query kept."""
    if not api_url:
        return url
    root, hook = urlsplit(api_url), urlsplit(url)
    return urlunsplit((root.scheme, root.netloc, hook.path, hook.query, ""))


class WebhookChannel:
    """A group robot behind one webhook URL; subclasses speak one platform."""

    kind = "webhook"
    rules: tuple[tuple[int, float], ...] = ()  # the platform's rate limits
    charts = False  # whether the digest's chart can go as an image message

    def __init__(self, url: str, *, chat: int, lang: str = "zh", secret: str = "",
                 keyword: str = "", name: str = "", max_wait: float = MAX_WAIT,
                 client: httpx.AsyncClient | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.url = url
        self.chat = chat
        self.lang = lang
        self.secret = secret
        self.keyword = keyword
        self.name = name or self.kind  # what logs call it (never the URL: it holds the token)
        self.max_wait = max_wait
        self.clock = clock  # wall time, for signatures
        self.pace = Pace(self.rules)
        self._client = client
        self._own_client = client is None
        self._broken_said = False

    # --- what a platform module provides -------------------------------------------------

    def payload(self, lines: list[Line]) -> dict[str, Any]:
        """The message as the platform's JSON (its rich form)."""
        raise NotImplementedError

    def plain_payload(self, text: str) -> dict[str, Any]:
        """The message as plain text (the simpler form of a refused one)."""
        raise NotImplementedError

    def fits(self, lines: list[Line]) -> bool:
        """Whether these lines make a message the platform accepts (both forms)."""
        raise NotImplementedError

    def judge(self, response: httpx.Response) -> Verdict:
        """What the platform's answer means."""
        raise NotImplementedError

    def signed(self, url: str, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The URL and body to send, signed when the robot has a secret."""
        return url, body

    async def send_chart(self, png: bytes, caption: str) -> str:
        """The digest's chart as an image message, where the platform takes one."""
        return SENT

    # --- sending ------------------------------------------------------------------------

    def chats(self) -> Sequence[int]:
        """One robot is one chat (its id in the deliveries table)."""
        return (self.chat,)

    def client(self) -> httpx.AsyncClient:
        """The HTTP client, made on first use."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=TIMEOUT, trust_env=False)
        return self._client

    async def close(self) -> None:
        """Close the client if this channel made it."""
        if self._client is not None and self._own_client:
            await self._client.aclose()
            self._client = None

    def with_keyword(self, text: str) -> str:
        """A keyword-protected robot takes only messages that hold its word."""
        if self.keyword and self.keyword not in text:
            return f"{text}\n{self.keyword}"
        return text

    async def post(self, body: dict[str, Any]) -> str:
        """One message, paced and retried: SENT, REFUSED or LATER."""
        for attempt in range(SEND_TRIES):
            delay = self.pace.delay()
            if delay > self.max_wait:
                log.info("%s: the rate limit is used up; the rest goes with the next delivery",
                         self.name)
                return LATER
            if delay:
                await asyncio.sleep(delay)
            url, signed = self.signed(self.url, body)
            data = json.dumps(signed, ensure_ascii=False).encode("utf-8")
            try:
                response = await self.client().post(
                    url, content=data, headers={"Content-Type": "application/json; charset=utf-8"})
            except httpx.HTTPError as exc:  # the robot may take it later
                self.pace.record()
                log.warning("%s: sending failed (%s), try %d", self.name, type(exc).__name__,
                            attempt + 1)
                if attempt + 1 < SEND_TRIES:
                    await asyncio.sleep(min(2 ** attempt, 10))
                continue
            # Counted when the answer is in: the robot counted it at some instant before, so
            # the window never closes early whatever the network's delay was.
            self.pace.record()
            verdict = self.judge(response)
            if verdict.result == SENT:
                self._broken_said = False
                return SENT
            if verdict.broken:
                if not self._broken_said:  # one line per outage, not one per message
                    log.error("%s refuses the monitor (%s): fix the robot's token, signing "
                              "secret, keyword or IP list; alerts for it wait", self.name,
                              verdict.reason)
                    self._broken_said = True
                return LATER
            if verdict.wait is not None:
                self.pace.hold(verdict.wait)
                if verdict.wait > self.max_wait:
                    log.warning("%s throttles for %.0f s (%s); the rest goes later", self.name,
                                verdict.wait, verdict.reason)
                    return LATER
                continue  # the pace now waits out the platform's hold
            if verdict.result == REFUSED:
                log.warning("%s refused a message: %s", self.name, verdict.reason)
                return REFUSED
            log.warning("%s: %s, try %d", self.name, verdict.reason, attempt + 1)
            if attempt + 1 < SEND_TRIES:
                await asyncio.sleep(min(2 ** attempt, 10))
        return LATER

    async def send_lines(self, lines: list[Line]) -> str:
        """A message in its rich form; refused, as plain text; refused again, cut short."""
        result = await self.post(self.payload(lines))
        if result != REFUSED:
            return result
        text = "\n".join(line.plain() for line in lines)
        result = await self.post(self.plain_payload(text))
        if result != REFUSED:
            return result
        short = text[:500] + "…"
        result = await self.post(self.plain_payload(short))
        if result == REFUSED:
            log.error("%s refused every form of a message; it stays undelivered", self.name)
        return result

    def messages(self, events: Sequence[StoredEvent]) -> list[Message]:
        """Few alerts one message each; a burst as a few batched messages."""
        if len(events) <= SINGLE_MAX:
            return [message for e in events
                    for message in pack([(alert_lines(e, self.lang), e.id)], self.fits)]
        return pack(batch_entries(events, self.lang), self.fits)

    async def send_events(self, chat: int, events: Sequence[StoredEvent],
                          mark: Mark | None = None) -> list[str]:
        """Send the alerts in order; `mark` is told each message's events as it goes out."""
        delivered: list[str] = []
        for lines, ids in self.messages(events):
            result = await self.send_lines(lines)
            if result == LATER:
                break  # the robot cannot take it now: the rest goes out in order next time
            if result == REFUSED:
                continue  # this one stays undelivered; the ones behind it still go
            if mark is not None:
                mark(ids)
            delivered += ids
            if self.charts:  # where images go, the page a site showed follows its alert
                for event in events:
                    if event.id in ids:
                        await self.send_screenshot(event)
        return delivered

    async def send_screenshot(self, event: StoredEvent) -> bool:
        """The PNG of a login or slider page after its `source_failing`; best effort."""
        path = event.details.get("screenshot") if event.kind == "source_failing" else None
        if not isinstance(path, str) or not path:
            return False
        try:
            png = Path(path).read_bytes()
        except OSError as exc:
            log.warning("%s: screenshot of %s cannot be read: %s", self.name, event.store, exc)
            return False
        caption = t(self.lang, "alert.screenshot", store=fmt.cut(event.store, fmt.NAME_MAX))
        return await self.send_chart(png, caption) == SENT

    async def send_digest(self, data: DigestData) -> None:
        """The digest to the robot's chat."""
        await self.send_digest_to(self.chat, data)

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        """The chart (where the platform takes images), then the text in pieces."""
        if self.charts:
            day = date.fromisoformat(data.day)
            png = new_listings_chart(data.new_per_day, day, self.lang)
            if await self.send_chart(png, chart_caption(data.new_per_day, day,
                                                        self.lang)) == LATER:
                return False
        for lines, _ in pack(digest_entries(data, self.lang), self.fits):
            if await self.send_lines(lines) != SENT:
                return False
        return True


def answer(response: httpx.Response) -> dict[str, Any]:
    """The JSON object a robot answered with ({} when it is not one)."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def retry_after(response: httpx.Response, default: float) -> float:
    """The wait a throttled answer asks for (Retry-After or Feishu's header), else `default`."""
    for name in ("Retry-After", "x-ogw-ratelimit-reset"):
        value = response.headers.get(name)
        if value:
            try:
                return max(float(value), 0.0)
            except ValueError:
                continue
    return default


def server_trouble(response: httpx.Response) -> Verdict | None:
    """A 5xx or a 429 without the platform's own code: retry (or wait)."""
    if response.status_code == 429:
        return Verdict(LATER, wait=retry_after(response, 60.0), reason="HTTP 429")
    if response.status_code >= 500:
        return Verdict(LATER, reason=f"HTTP {response.status_code}")
    return None
