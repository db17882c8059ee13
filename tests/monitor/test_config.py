"""Config loading: a working example loads; each broken config is one clear line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import ConfigError, load
from monitor.config.reader import parse_duration

GOOD = """
[monitor]
database = "m.db"
every = "30m"
host_interval = "0s"

[telegram]
chats = [123]
digest_at = "08:30"

[[peers]]
name = "A"
url = "https://a.example"
platform = "shopify"

[[peers]]
name = "B"
url = "https://b.example"
platform = "html"
layout = "cards"

[layouts.cards.listing]
item = "div.card"
title = "a"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_loads_with_durations_and_relative_database(tmp_path: Path) -> None:
    settings = load(write(tmp_path, GOOD))
    assert settings.monitor.every == 1800
    assert settings.monitor.host_interval == 0
    assert settings.monitor.database == tmp_path / "m.db"
    assert settings.telegram.digest_at.hour == 8
    assert [p.name for p in settings.peers] == ["A", "B"]
    assert settings.peers[1].layout is not None
    assert settings.peers[1].layout.listing["item"] == "div.card"


def test_the_shipped_example_config_is_valid() -> None:
    settings = load(Path(__file__).resolve().parents[2] / "config.toml")
    assert settings.peers


BROKEN = [
    ("unknown_top_key", GOOD + "\n[extra]\nx = 1\n", "extra: unknown key"),
    ("unknown_peer_key", GOOD.replace('platform = "shopify"', 'platform = "shopify"\ncolour = 1'),
     "peers[0].colour: unknown key"),
    ("wrong_type", GOOD.replace('[monitor]', '[monitor]\nconcurrency = "many"'),
     "monitor.concurrency: must be an integer"),
    ("bad_duration", GOOD.replace('every = "30m"', 'every = "30 minutes"'),
     "monitor.every:"),
    ("bad_url", GOOD.replace("https://a.example", "ftp://a.example"),
     "peers[0].url: 'ftp://a.example' is not an http(s) URL"),
    ("unknown_layout", GOOD.replace('layout = "cards"', 'layout = "grid"'),
     "peers[1].layout: no [layouts.grid]"),
    ("html_without_layout", GOOD.replace('layout = "cards"\n', ''),
     "peers[1].layout: is required"),
    ("duplicate_peer", GOOD.replace('name = "B"', 'name = "a"'),
     "peers[1].name: duplicate peer name"),
    ("missing_name", GOOD.replace('name = "A"\n', ''), "peers[0].name: is required"),
    ("html_layout_missing", GOOD.replace('platform = "shopify"', 'platform = "html"'),
     "peers[0].layout: is required"),
    ("unknown_platform", GOOD.replace('"shopify"', '"magento"'), "peers[0].platform: 'magento'"),
    ("no_peers", "[monitor]\nevery = \"1h\"\n", "nothing to watch"),
    ("bad_digest_time", GOOD.replace('"08:30"', '"8.30am"'), "telegram.digest_at"),
    ("bad_chats", GOOD.replace("[123]", '["me"]'), "telegram.chats"),
    ("bad_timezone", GOOD.replace('[monitor]', '[monitor]\ntimezone = "Mars/Base"'),
     "monitor.timezone"),
    ("bad_language", GOOD.replace('[monitor]', '[monitor]\nlanguage = "fr"'),
     "monitor.language"),
    ("not_toml", "[monitor\n", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_config_names_file_key_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load(path)
    assert len(info.value.problems) == 1, info.value.problems
    assert str(path) in info.value.problems[0]
    assert expected in info.value.problems[0]


def test_broken_config_exits_2_and_writes_nothing(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD.replace('every = "30m"', 'every = "soon"'))
    assert main(["check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "monitor.every" in err and str(path) in err
    assert not (tmp_path / "m.db").exists()


def test_missing_config_file_exits_2(tmp_path: Path) -> None:
    assert main(["config", "--config", str(tmp_path / "none.toml")]) == 2


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("30m", 1800), ("6h", 21600),
                                               ("21d", 1814400), ("0s", 0), ("1.5h", 5400)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "5 weeks", "-1h", "h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_config_command_masks_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MONITOR_TELEGRAM_TOKEN", "123456:SECRET-TOKEN")
    assert main(["config", "--config", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr()
    assert "SECRET-TOKEN" not in out.out + out.err
    assert '"token": "***"' in out.out
