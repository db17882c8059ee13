"""`monitor login URL` refuses clearly where it cannot open a visible browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main


def write(tmp_path: Path, profile: bool) -> Path:
    path = tmp_path / "config.toml"
    line = 'browser_profile = "profile"' if profile else ""
    path.write_text(f"""
[monitor]
database = "m.db"
{line}

[[peers]]
name = "TB"
url = "https://shop1.taobao.com/"
platform = "taobao"
fetch = "browser"
""", encoding="utf-8")
    return path


@pytest.mark.parametrize("profile, display, url, says", [
    (False, ":0", "https://login.taobao.com/", "monitor.browser_profile"),
    (True, None, "https://login.taobao.com/", "needs a screen"),
    (True, ":0", "login.taobao.com", "not an http(s) URL"),
], ids=["no-profile", "no-screen", "not-a-url"])
def test_login_refuses_with_one_clear_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        profile: bool, display: str | None, url: str, says: str) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if display is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", display)
    assert main(["login", "--config", str(write(tmp_path, profile)), url]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "profile").exists()
