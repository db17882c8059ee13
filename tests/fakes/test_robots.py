"""The robot fakes are as strict as the platforms: shapes, sizes, keyword, token, rate."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from notifier.channels.webhook import rebase
from tests.fakes.robots import FakeDingTalk, FakeFeishu, FakeRobot, FakeWeCom


def post(fake: FakeRobot, body: Any, url: str | None = None) -> dict[str, Any]:
    answer = httpx.post(rebase(url or fake.webhook(), fake.url), json=body, timeout=5)
    data: dict[str, Any] = answer.json()
    return data


@pytest.mark.parametrize(("cls", "options", "body", "code"), [
    (FakeWeCom, {}, {"msgtype": "markdown", "markdown": {"content": "字" * 1366}}, 40058),
    (FakeWeCom, {}, {"msgtype": "text", "text": {"content": "a" * 2049}}, 40058),
    (FakeWeCom, {}, {"msgtype": "image", "image": {"base64": "iVBORw0K", "md5": "0"}}, 301019),
    (FakeWeCom, {}, {"msgtype": "news"}, 40008),
    (FakeFeishu, {}, {"msg_type": "text", "content": {"text": "a" * 21000}}, 9499),
    (FakeFeishu, {}, {"msg_type": "post", "content": {"post": {"zh_cn": {"content": "x"}}}},
     9499),
    (FakeFeishu, {"keyword": "监控"}, {"msg_type": "text", "content": {"text": "hi"}}, 19024),
    (FakeFeishu, {"secret": "s"}, {"msg_type": "text", "content": {"text": "hi"}}, 19021),
    (FakeDingTalk, {"keyword": "监控"}, {"msgtype": "text", "text": {"content": "hi"}}, 310000),
    (FakeDingTalk, {"secret": "SEC1"}, {"msgtype": "text", "text": {"content": "hi"}}, 310000),
    (FakeDingTalk, {}, {"msgtype": "markdown", "markdown": {"text": "no title"}}, 40035),
], ids=["wecom-md-4096B", "wecom-text-2048B", "wecom-md5", "wecom-type", "feishu-20KB",
        "feishu-post-shape", "feishu-keyword", "feishu-sign", "ding-keyword", "ding-sign",
        "ding-shape"])
def test_a_fake_refuses_what_its_platform_refuses(cls: type[FakeRobot], options: dict[str, str],
                                                  body: Any, code: int) -> None:
    with cls(**options) as fake:
        data = post(fake, body)
        assert data.get("errcode", data.get("code")) == code
        assert fake.messages == []


def test_a_wrong_token_is_refused_with_the_platforms_code() -> None:
    with FakeDingTalk() as ding, FakeWeCom() as wecom:
        text = {"msgtype": "text", "text": {"content": "hi"}}
        assert post(ding, text, ding.webhook() + "x")["errcode"] == 300001
        assert post(wecom, text, wecom.webhook() + "x")["errcode"] == 93000


def test_dingtalk_throttles_the_21st_message_of_a_minute_for_ten_minutes() -> None:
    with FakeDingTalk() as ding:
        text = {"msgtype": "text", "text": {"content": "hi"}}
        codes = [post(ding, text)["errcode"] for _ in range(22)]
        assert codes == [0] * 20 + [130101, 130101]
