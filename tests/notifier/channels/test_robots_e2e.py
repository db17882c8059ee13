"""The robots through the real delivery path: `monitor check` and `monitor digest --send`.

Every alert reaches every robot once (a second check repeats nothing), signed and with the
keyword where the robot wants them; the digest goes with its chart where the platform
takes images; a throttled robot and a process killed mid-delivery lose and repeat nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.store.database import Store
from tests.fakes.http import LoopbackServer, Reply
from tests.fakes.robots import FakeDingTalk, FakeFeishu, FakeRobot, FakeWeCom
from watchers.model import Event, ProductRef

ROOT = Path(__file__).resolve().parents[3]
AT = datetime.fromisoformat("2026-03-01T09:00:00+08:00")
NOW = "2026-03-01T10:00:00+08:00"
CATALOGUE = {"products": [{"id": 1, "title": "亚麻衬衫", "handle": "h1", "tags": [],
                           "product_type": "", "images": [],
                           "variants": [{"id": 10, "price": "99.00", "compare_at_price": None,
                                         "available": True}]}]}


def review(n: int) -> Event:
    """A bad review of our own product (urgent: told at once)."""
    return Event(kind="negative_review", key=f"review:{n}", summary=f"own: review {n}",
                 store="own", product=ProductRef(f"亚麻T恤 {n}", f"https://a.example/p/{n}"),
                 details={"rating": 1, "text": f"线头很多 第{n}条", "author": f"买家{n}",
                          "posted": "2026-02-28"})


class World:
    """A shop, the three fake robots and an Apprise endpoint, and a config naming them."""

    def __init__(self, tmp_path: Path, stack: ExitStack, monkeypatch: pytest.MonkeyPatch) -> None:
        shop = stack.enter_context(LoopbackServer({"/shop/products.json": Reply(
            json.dumps(CATALOGUE), content_type="application/json")}))
        self.ding = stack.enter_context(FakeDingTalk(secret="SECding", keyword="监控"))
        self.feishu = stack.enter_context(FakeFeishu(secret="fs-secret"))
        self.wecom = stack.enter_context(FakeWeCom())
        self.apprise = stack.enter_context(LoopbackServer({"/hook": Reply("{}")}))
        self.robots: list[FakeRobot] = [self.ding, self.feishu, self.wecom]
        self.env = {"MONITOR_NOW": NOW, "T_DING": self.ding.webhook(), "T_DING_SEC": "SECding",
                    "T_FEISHU": self.feishu.webhook(), "T_FEISHU_SEC": "fs-secret",
                    "T_WECOM": self.wecom.webhook(),
                    "T_APPRISE": self.apprise.url.replace("http://", "json://") + "/hook"}
        monkeypatch.delenv("MONITOR_TELEGRAM_TOKEN", raising=False)
        for name, value in self.env.items():
            monkeypatch.setenv(name, value)
        self.config = tmp_path / "config.toml"
        self.config.write_text(f"""
[monitor]
database = "m.db"
language = "zh"
host_interval = "0s"
timeout = "5s"
respect_robots = false

[[peers]]
name = "A家旗舰店"
url = "{shop.url}/shop"
platform = "shopify"

[[channels]]
kind = "dingtalk"
webhook_env = "T_DING"
secret_env = "T_DING_SEC"
keyword = "监控"
api_url = "{self.ding.url}"

[[channels]]
kind = "feishu"
webhook_env = "T_FEISHU"
secret_env = "T_FEISHU_SEC"
api_url = "{self.feishu.url}"

[[channels]]
kind = "wecom"
webhook_env = "T_WECOM"
api_url = "{self.wecom.url}"

[[channels]]
kind = "apprise"
webhook_env = "T_APPRISE"
""", encoding="utf-8")

    def add(self, *events: Event) -> None:
        """Record events in the outbox, as a watch would."""
        store = Store(self.config.parent / "m.db")
        try:
            store.add_events(list(events), AT, "reviews:亚麻T恤")
        finally:
            store.close()

    def monitor(self, *args: str) -> int:
        return main([*args, "--config", str(self.config)])

    def apprise_messages(self) -> list[str]:
        return [json.loads(r.body)["message"] for r in self.apprise.requests]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    with ExitStack() as stack:
        yield World(tmp_path, stack, monkeypatch)


def told(texts: list[str], n: int) -> int:
    """How many messages tell review `n`."""
    return sum(f"第{n}条" in text for text in texts)


def test_every_robot_gets_each_alert_once_and_the_digest(world: World) -> None:
    assert world.monitor("check") == 0  # the shop's baseline; the outbox is empty
    world.add(review(1), review(2))
    assert world.monitor("check") == 0
    assert world.monitor("check") == 0  # a second delivery repeats nothing
    for texts in [r.texts() for r in world.robots] + [world.apprise_messages()]:
        assert [told(texts, n) for n in (1, 2)] == [1, 1]
    assert all("监控" in text for text in world.ding.texts())  # the keyword, every time
    assert {code for r in world.robots for code in r.codes} == {0}

    assert world.monitor("digest", "--send") == 0
    for robot in (world.ding, world.feishu, world.wecom):
        assert any("每日摘要" in text for text in robot.texts())
    [png] = world.wecom.images()
    assert png.startswith(b"\x89PNG")
    assert any(json.loads(r.body).get("attachments") for r in world.apprise.requests)


def test_a_throttled_robot_loses_nothing_and_the_others_go_on(world: World) -> None:
    world.monitor("check")
    world.ding.fail_next = [world.ding.reply(130101, "send too fast, exceed 20 times per minute")]
    world.add(review(1))
    world.monitor("check")
    assert world.ding.texts() == []  # held for ten minutes: waits for the next delivery
    assert [told(r.texts(), 1) for r in (world.feishu, world.wecom)] == [1, 1]
    world.monitor("check")
    assert told(world.ding.texts(), 1) == 1
    assert [told(r.texts(), 1) for r in (world.feishu, world.wecom)] == [1, 1]


def test_kill_9_mid_delivery_repeats_and_loses_nothing(world: World) -> None:
    world.monitor("check")
    world.add(review(1), review(2), review(3))
    world.wecom.stall_at = 2  # the second alert is in flight when the process dies
    env = {**os.environ, **world.env}
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "check", "--config",
                             str(world.config)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert world.wecom.stalled.wait(60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    world.wecom.release.set()
    assert world.monitor("check") == 0
    for robot in world.robots:
        assert [told(robot.texts(), n) for n in (1, 2, 3)] == [1, 1, 1], type(robot).__name__


def wait_until(check: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll `check` until it holds (not a timed assertion: the bound only stops a hang)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the robots were not told in time"
        time.sleep(0.1)


def serve(world: World) -> None:
    """`monitor run` until every robot got the alert and the digest, then SIGTERM."""
    env = {**os.environ, **world.env}
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "run", "--config",
                             str(world.config)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: all(told(r.texts(), 1) and any("每日摘要" in t for t in r.texts())
                               for r in world.robots)
                   and any("每日摘要" in m for m in world.apprise_messages()))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_monitor_run_tells_every_robot_once_and_the_digest_once_a_day(world: World) -> None:
    world.monitor("check")
    world.add(review(1))
    # 10:00 is within the grace after the 09:00 digest: it goes out once the watches ran.
    serve(world)
    before = [len(r.texts()) for r in world.robots]
    world.add(review(2))
    env = {**os.environ, **world.env}
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "run", "--config",
                             str(world.config)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: all(told(r.texts(), 2) for r in world.robots))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for robot, count in zip(world.robots, before, strict=True):
        texts = robot.texts()
        assert told(texts, 1) == 1 and told(texts, 2) == 1  # once, across two processes
        assert sum("每日摘要" in t for t in texts) == sum("每日摘要" in t for t in texts[:count])
