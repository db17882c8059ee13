"""What the command line says beside the events: a failing source, a baseline, empty chats."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply
from tests.monitor.watches.test_check_e2e import Shop, shopify_routes


def config(tmp_path: Path, good: str, bad: str, chats: str = "[]") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"""
[monitor]
database = "m.db"
host_interval = "0s"
timeout = "3s"
respect_robots = false

[telegram]
chats = {chats}

[[peers]]
name = "Good Peer"
tier = "leader"
url = "{good}"
platform = "shopify"

[[peers]]
name = "Broken Peer"
tier = "similar"
url = "{bad}"
platform = "shopify"
""", encoding="utf-8")
    return path


def test_check_says_which_source_failed_and_what_the_baseline_recorded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_TELEGRAM_TOKEN", raising=False)
    shop = Shop()
    shop.add(1, "Linen Shirt", 80)
    shop.add(2, "Wool Coat", 300)
    broken = {"/shop/products.json": Reply("oops", status=500)}
    with LoopbackServer(shopify_routes(shop)) as good, LoopbackServer(broken) as bad:
        path = config(tmp_path, f"{good.url}/shop", f"{bad.url}/shop")
        assert main(["check", "--config", str(path), "--no-send"]) == 1
    err = capsys.readouterr().err.splitlines()
    failing = [line for line in err if "Broken Peer could not be read" in line]
    assert len(failing) == 1 and f"({bad.url}/shop)" in failing[0] and "500" in failing[0]
    assert "monitor: first read, recorded as the baseline without alerts: Good Peer (2 items)" \
        in err


def test_config_warns_when_a_token_has_no_chats(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_TELEGRAM_TOKEN", "1:x")
    path = config(tmp_path, "http://127.0.0.1:9/a", "http://127.0.0.1:9/b")
    assert main(["config", "--config", str(path)]) == 0
    assert "telegram.chats is empty" in capsys.readouterr().err
    path = config(tmp_path, "http://127.0.0.1:9/a", "http://127.0.0.1:9/b", chats="[42]")
    assert main(["config", "--config", str(path)]) == 0
    assert "telegram.chats is empty" not in capsys.readouterr().err


def test_check_lists_the_events_in_chinese_when_the_config_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_TELEGRAM_TOKEN", raising=False)
    shop = Shop()
    shop.add(1, "亚麻衬衫", 80)
    with LoopbackServer(shopify_routes(shop)) as good:
        path = config(tmp_path, f"{good.url}/shop", f"{good.url}/shop")
        text = path.read_text(encoding="utf-8").replace("[monitor]", '[monitor]\nlanguage = "zh"')
        path.write_text(text, encoding="utf-8")
        assert main(["check", "--config", str(path), "--no-send"]) == 0
        shop.add(2, "羊毛大衣", 300)
        capsys.readouterr()
        assert main(["check", "--config", str(path), "--no-send"]) == 0
    out = capsys.readouterr().out
    assert "Good Peer上新：羊毛大衣，¥300" in out and " lists " not in out
