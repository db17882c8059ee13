"""Each robot channel against its strict loopback fake: shapes, signing, keyword, size, rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from notifier.channels.dingtalk import DingTalkChannel
from notifier.channels.feishu import FeishuChannel
from notifier.channels.lines import Line, batch_entries, pack
from notifier.channels.webhook import WebhookChannel, rebase
from notifier.channels.wecom import WeComChannel
from tests.fakes.robots import FakeDingTalk, FakeFeishu, FakeRobot, FakeWeCom
from tests.notifier.channels.kit import CHAT, digest, review, run, stored
from watchers.model import StoredEvent

PLATFORMS: list[tuple[type[FakeRobot], type[WebhookChannel]]] = [
    (FakeDingTalk, DingTalkChannel), (FakeFeishu, FeishuChannel), (FakeWeCom, WeComChannel)]
IDS = ["dingtalk", "feishu", "wecom"]


def channel_for(fake: FakeRobot, cls: type[WebhookChannel], **kw: object) -> WebhookChannel:
    return cls(rebase(fake.webhook(), fake.url), chat=CHAT, lang="zh", **kw)  # type: ignore[arg-type]


def deliver(channel: WebhookChannel, events: list, marks: list[list[str]]) -> list[str]:
    async def go() -> list[str]:
        try:
            return await channel.send_events(CHAT, events, marks.append)
        finally:
            await channel.close()
    return run(go())


@pytest.mark.parametrize(("fake_cls", "cls"), PLATFORMS, ids=IDS)
def test_alerts_arrive_once_each_in_chinese_with_their_links(
        fake_cls: type[FakeRobot], cls: type[WebhookChannel]) -> None:
    with fake_cls() as fake:
        marks: list[list[str]] = []
        sent = deliver(channel_for(fake, cls), [review(1), review(2)], marks)
        assert sent == ["e1", "e2"] and marks == [["e1"], ["e2"]]
        assert set(fake.codes) == {0}
        texts = fake.texts()
        assert len(texts) == 2
        assert "质量太差" in texts[0] and "https://a.example/p/1" in str(fake.messages[0])


@pytest.mark.parametrize(("fake_cls", "cls"), PLATFORMS[:2], ids=IDS[:2])
def test_signed_robot_takes_signed_messages_and_refuses_a_wrong_secret(
        fake_cls: type[FakeRobot], cls: type[WebhookChannel]) -> None:
    with fake_cls(secret="SECabc+/=") as fake:
        assert deliver(channel_for(fake, cls, secret="SECabc+/="), [review(1)], []) == ["e1"]
        marks: list[list[str]] = []
        assert deliver(channel_for(fake, cls, secret="wrong"), [review(2), review(3)],
                       marks) == []
        assert marks == []
        # A robot that refuses us is asked once, not once per message.
        assert fake.codes == [0, {FakeDingTalk: 310000, FakeFeishu: 19021}[fake_cls]]


@pytest.mark.parametrize(("fake_cls", "cls"), PLATFORMS[:2], ids=IDS[:2])
def test_keyword_robot_gets_its_word_in_every_message(
        fake_cls: type[FakeRobot], cls: type[WebhookChannel]) -> None:
    with fake_cls(keyword="监控") as fake:
        events = [stored("copy_listing", n, hero="亚麻T恤", price=59, hero_price=129)
                  for n in range(8)]
        assert len(deliver(channel_for(fake, cls, keyword="监控"), events, [])) == 8
        assert set(fake.codes) == {0}


def long_review(n: int) -> StoredEvent:
    return review(n, text="做工很差" * 60)


@pytest.mark.parametrize(("fake_cls", "cls"), PLATFORMS, ids=IDS)
def test_a_burst_is_batched_and_split_below_the_size_limit(
        fake_cls: type[FakeRobot], cls: type[WebhookChannel]) -> None:
    with fake_cls() as fake:
        events = [long_review(n) for n in range(60)]
        marks: list[list[str]] = []
        sent = deliver(channel_for(fake, cls), events, marks)
        assert sent == [e.id for e in events]  # every one, once, in order
        assert 1 < len(marks) <= 20 and [i for m in marks for i in m] == sent
        assert set(fake.codes) == {0}


def test_wecom_digest_carries_its_chart_as_an_image() -> None:
    with FakeWeCom() as fake:
        channel = channel_for(fake, WeComChannel)

        async def go() -> bool:
            try:
                return await channel.send_digest_to(CHAT, digest([stored("new_listing", 1,
                                                                         price=99)]))
            finally:
                await channel.close()
        assert run(go())
        [png] = fake.images()
        assert png.startswith(b"\x89PNG")
        assert any("A家旗舰店" in text for text in fake.texts())


def test_dingtalk_stops_before_its_rate_limit_and_keeps_the_rest() -> None:
    with FakeDingTalk() as fake:
        # Sent one by one (a refused form each time would be the same): 25 singles.
        events = [review(n) for n in range(25)]
        channel = channel_for(fake, DingTalkChannel, max_wait=0.0)
        marks: list[list[str]] = []

        async def go() -> list[str]:
            out: list[str] = []
            try:
                for event in events:  # one alert per delivery: 25 messages
                    out += await channel.send_events(CHAT, [event], marks.append)
            finally:
                await channel.close()
            return out
        sent = run(go())
        assert len(sent) == 20 and set(fake.codes) == {0}  # never throttled


def test_a_throttled_robot_loses_nothing() -> None:
    with FakeWeCom() as fake:
        fake.fail_next = [fake.reply(45009, "api freq out of limit")]
        marks: list[list[str]] = []
        sent = deliver(channel_for(fake, WeComChannel, max_wait=0.0), [review(1), review(2)],
                       marks)
        assert sent == [] and marks == []  # waits for the next delivery, nothing marked
        sent = deliver(channel_for(fake, WeComChannel), [review(1), review(2)], marks)
        assert sent == ["e1", "e2"]


def test_one_refused_message_does_not_hold_back_the_others() -> None:
    with FakeFeishu() as fake:
        bad = fake.reply(9499, "Bad Request")
        fake.fail_next = [bad, bad, bad]  # every form of the first message
        marks: list[list[str]] = []
        sent = deliver(channel_for(fake, FeishuChannel), [review(1), review(2)], marks)
        assert sent == ["e2"] and marks == [["e2"]]


def test_feishu_keeps_five_a_second() -> None:
    with FakeFeishu() as fake:
        channel = channel_for(fake, FeishuChannel)

        async def go() -> list[str]:
            out: list[str] = []
            try:
                for n in range(8):  # eight deliveries of one alert each, back to back
                    out += await channel.send_events(CHAT, [review(n)])
            finally:
                await channel.close()
            return out
        assert len(run(go())) == 8 and set(fake.codes) == {0}


def test_a_robot_throttled_by_another_process_is_waited_for_and_retried() -> None:
    with FakeFeishu() as fake:
        deliver(channel_for(fake, FeishuChannel), [review(n) for n in range(5)], [])
        # A new process knows nothing of the five just sent: Feishu says 11232, it waits.
        sent = deliver(channel_for(fake, FeishuChannel), [review(n) for n in range(5, 8)], [])
        assert sent == ["e5", "e6", "e7"] and fake.codes.count(11232) >= 1


def test_wecom_sends_the_screenshot_after_a_source_failing_alert(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    failing = stored("source_failing", 1, error="HTTP 200: a login page", needs_person=True,
                     screenshot=str(shot))
    with FakeWeCom() as fake:
        assert deliver(channel_for(fake, WeComChannel), [failing], []) == ["e1"]
        assert fake.images() == [shot.read_bytes()]


@pytest.mark.parametrize("limit", [60, 200, 1000])
def test_pack_keeps_every_message_under_the_limit_and_every_event_once(limit: int) -> None:
    def fits(lines: list[Line]) -> bool:
        return len("\n".join(line.plain() for line in lines)) <= limit

    events = [long_review(n) for n in range(30)] + [review(n) for n in range(30, 40)]
    messages = pack(batch_entries(events, "zh"), fits)
    assert all(fits(lines) for lines, _ in messages)
    assert [i for _, ids in messages for i in ids] == [e.id for e in events]
