"""Channels side by side: each chat to its owner, one broken channel never blocks another."""

from __future__ import annotations

from collections.abc import Sequence

from notifier.channel import Mark
from notifier.channels.several import Channels, robot
from notifier.channels.webhook import Pace
from notifier.views import DigestData
from tests.fakes.robots import FakeDingTalk, FakeWeCom
from tests.notifier.channels.kit import CHAT, digest, review, run
from watchers.model import StoredEvent


class Exploding:
    """A channel whose transport raises (a library bug, a full disk): stands for any."""

    def chats(self) -> Sequence[int]:
        return (1,)

    async def send_events(self, chat: int, events: Sequence[StoredEvent],
                          mark: Mark | None = None) -> list[str]:
        raise RuntimeError("boom")

    async def send_digest(self, data: DigestData) -> None:
        raise RuntimeError("boom")

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        raise RuntimeError("boom")

    async def close(self) -> None:
        raise RuntimeError("boom")


def test_a_broken_and_a_refusing_channel_never_hold_back_a_working_one() -> None:
    with FakeDingTalk() as ding, FakeWeCom(token="right") as wecom:
        wrong_key = robot("wecom", FakeWeCom(token="wrong").webhook(), chat=CHAT - 1,
                          lang="zh", api_url=wecom.url)  # 93000: no such robot
        good = robot("dingtalk", ding.webhook(), chat=CHAT, lang="zh", api_url=ding.url)
        both = Channels([Exploding(), wrong_key, good])
        assert both.chats() == (1, CHAT - 1, CHAT)

        async def go() -> dict[int, list[str]]:
            out = {}
            try:
                for chat in both.chats():
                    out[chat] = await both.send_events(chat, [review(1)])
                assert await both.send_digest_to(CHAT, digest())
                assert not await both.send_digest_to(1, digest())
            finally:
                await both.close()
            return out
        assert run(go()) == {1: [], CHAT - 1: [], CHAT: ["e1"]}
        assert wecom.codes == [93000] and wecom.messages == []
        assert ding.codes == [0, 0]


def test_pace_keeps_every_window() -> None:
    now = [0.0]
    pace = Pace(((5, 1.0), (100, 60.0)), clock=lambda: now[0])
    sent = []
    for _ in range(120):
        now[0] += pace.delay()
        pace.record()
        sent.append(now[0])
    assert all(b - a >= 1.0 for a, b in zip(sent, sent[5:], strict=False))
    assert all(b - a >= 60.0 for a, b in zip(sent, sent[100:], strict=False))
    pace.hold(600)
    assert pace.delay() == 600
