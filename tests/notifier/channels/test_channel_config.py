"""[[channels]] in config.toml: env vars named, checked, never printed; stable chat ids."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import ConfigError, load
from monitor.logs import Redact
from monitor.service.channels import channel_secrets

BASE = """
[monitor]
database = "m.db"
language = "zh"

[[peers]]
name = "A家旗舰店"
url = "https://a.example/"
platform = "shopify"
"""

DINGTALK = """
[[channels]]
kind = "dingtalk"
webhook_env = "T_DINGTALK"
secret_env = "T_DINGTALK_SECRET"
keyword = "监控"
"""

HOOK = "https://oapi.dingtalk.com/robot/send?access_token=s3cr3t-token"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(BASE + text, encoding="utf-8")
    return path


def test_channels_are_read_with_their_env_names_and_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("T_DINGTALK", HOOK)
    monkeypatch.setenv("T_DINGTALK_SECRET", "SECsecret")
    monkeypatch.setenv("T_WECOM", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    settings = load(write(tmp_path, DINGTALK + """
[[channels]]
kind = "wecom"
webhook_env = "T_WECOM"
language = "en"
"""))
    ding, wecom = settings.channels
    assert (ding.kind, ding.webhook_env, ding.secret_env, ding.keyword, ding.language) == (
        "dingtalk", "T_DINGTALK", "T_DINGTALK_SECRET", "监控", "zh")
    assert wecom.language == "en"
    assert ding.chat != wecom.chat and max(ding.chat, wecom.chat) < -(2 ** 52)
    # Reordered, each channel keeps its id: nothing is repeated or lost.
    again = load(write(tmp_path, """
[[channels]]
kind = "wecom"
webhook_env = "T_WECOM"
""" + DINGTALK))
    assert {c.chat for c in again.channels} == {ding.chat, wecom.chat}


@pytest.mark.parametrize(("text", "key"), [
    (DINGTALK, "channels[0].webhook_env"),  # named, not set
    ('[[channels]]\nkind = "slack"\nwebhook_env = "T_SET"\n', "channels[0].kind"),
    ('[[channels]]\nkind = "wecom"\nwebhook_env = "T_SET"\nkeyword = "x"\n',
     "channels[0].keyword"),
    ('[[channels]]\nkind = "wecom"\nwebhook_env = ""\n', "channels[0].webhook_env"),
    ('[[channels]]\nkind = "wecom"\nwebhook_env = "T_SET"\nfoo = 1\n', "channels[0].foo"),
], ids=["unset-env", "kind", "keyword-on-wecom", "empty-env", "unknown-key"])
def test_a_bad_channel_is_a_clear_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               text: str, key: str) -> None:
    monkeypatch.setenv("T_SET", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    monkeypatch.delenv("T_DINGTALK", raising=False)
    with pytest.raises(ConfigError) as err:
        load(write(tmp_path, text))
    assert any(p.split(": ")[1] == key for p in err.value.problems), err.value.problems


def test_a_missing_env_var_exits_2_and_monitor_config_never_prints_a_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, DINGTALK)
    monkeypatch.delenv("T_DINGTALK", raising=False)
    monkeypatch.setenv("T_DINGTALK_SECRET", "SECsecret")
    assert main(["config", "--config", str(path)]) == 2
    assert "T_DINGTALK" in capsys.readouterr().err
    monkeypatch.setenv("T_DINGTALK", HOOK)
    assert main(["config", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "s3cr3t-token" not in out and "SECsecret" not in out
    shown = json.loads(out)["channels"][0]
    assert shown["webhook_env"] == "T_DINGTALK" and shown["secret"] == "***"
    assert shown["webhook"] == "https://oapi.dingtalk.com/***"


def test_every_webhook_token_and_secret_is_redacted_from_logs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("T_DINGTALK", HOOK)
    monkeypatch.setenv("T_DINGTALK_SECRET", "SECsecret")
    monkeypatch.setenv("T_FEISHU", "https://open.feishu.cn/open-apis/bot/v2/hook/"
                                   "5e3d587e-d78e-4a07-bd07-265f269f86fd")
    monkeypatch.setenv("T_APPRISE", "tgram://123456789:AAbbCCddEEffGGhh/-100123 "
                                    "mailto://ops:mailpass99@qq.com")
    settings = load(write(tmp_path, DINGTALK + """
[[channels]]
kind = "feishu"
webhook_env = "T_FEISHU"

[[channels]]
kind = "apprise"
webhook_env = "T_APPRISE"
"""))
    secrets = channel_secrets(settings)
    line = ("POST " + HOOK + " sign with SECsecret; hook 5e3d587e-d78e-4a07-bd07-265f269f86fd;"
            " bot 123456789:AAbbCCddEEffGGhh; mail mailpass99; host oapi.dingtalk.com")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, line, None, None)
    Redact(secrets).filter(record)
    shown = record.getMessage()
    for token in ("s3cr3t-token", "SECsecret", "5e3d587e", "AAbbCCdd", "mailpass99"):
        assert token not in shown
    assert "oapi.dingtalk.com" in shown or "***" in shown
