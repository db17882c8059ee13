"""The bot token stays secret through failures; only http(s) URLs are ever fetched."""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakes.raw_http import RawServer
from tests.faults.proc import child_env, cli, spawn
from tests.faults.scenario import answer, fault_case
from tests.faults.world import World, world_at

TOKEN = "987654321:AAH-secret-token-never-shown_xyz"
LOGIN = b"<html><head><title>Log in</title></head><body><input type=password></body></html>"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as w:
        yield w


def bad_gateway(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
                 b"Content-Length: 11\r\nConnection: close\r\n\r\nbad gateway")


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def with_telegram(world: World, api_url: str) -> None:
    with world.config.open("a", encoding="utf-8") as f:
        f.write(f'\n[telegram]\nchats = [4242]\napi_url = "{api_url}"\n')


@pytest.mark.parametrize("api", ["502", "refused"])
def test_the_token_never_shows_in_output_logs_or_errors(world: World, api: str) -> None:
    # A login wall gives an urgent alert at once, so delivery is tried (and fails).
    world.shop.pages["/account/login"] = LOGIN
    world.shop.fault = answer(302, headers={"Location": "/account/login"})
    env = child_env(MONITOR_TELEGRAM_TOKEN=TOKEN)
    with RawServer(bad_gateway) as raw:
        with_telegram(world, raw.url if api == "502" else closed_port())
        outputs = []
        for args in (["check", "-v"], ["check", "--json"], ["digest", "--send", "-v"],
                     ["config"], ["status"]):
            done = cli(*args, "--config", str(world.config), env=env, timeout=300)
            outputs.append((args, done.code, done.out + done.err))
        log = world.config.parent / "run.log"
        proc = spawn("run", "-v", "--config", str(world.config), log=log, env=env)
        try:
            proc.wait(timeout=8)
        except Exception:  # still running, as it should: stop it
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
        outputs.append((["run"], proc.returncode, log.read_text(errors="replace")))
    for args, _, text in outputs:
        assert TOKEN not in text and TOKEN.split(":")[1] not in text, args
    config_out = outputs[3][2]
    assert '"token": "***"' in config_out
    args, code, check_out = outputs[0]
    assert "login" in check_out  # the alert was there to send...
    assert code == 1 and "delivery failed" in check_out  # ...and its failure was clean
    assert outputs[2][1] == 1 and "digest could not be sent" in outputs[2][2]


@pytest.mark.parametrize("key,line", [
    ("peers[0].catalog", 'catalog = "file:///etc/passwd"'),
    ("peers[0].url", 'url = "ftp://files.example/shop"'),
    ("peers[0].catalog", 'catalog = "javascript:alert(1)"'),
], ids=["file catalog", "ftp url", "javascript catalog"])
def test_only_http_urls_pass_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        key: str, line: str) -> None:
    name = line.split(" = ")[0]
    other = 'url = "http://127.0.0.1:9/shop"' if name != "url" else ""
    path = tmp_path / "config.toml"
    path.write_text(f'[monitor]\ndatabase = "m.db"\n\n[[peers]]\nname = "P"\n'
                    f'platform = "shopify"\n{other}\n{line}\n', encoding="utf-8")
    for command in ("config", "check"):
        assert main([command, "--config", str(path)]) == 2
        err = capsys.readouterr().err
        assert key in err and "http" in err, err
    assert not (tmp_path / "m.db").exists()  # nothing written


def test_a_redirect_to_a_file_url_is_never_followed(world: World) -> None:
    fault_case(world, "redirect to file:///etc/passwd",
               answer(302, headers={"Location": "file:///etc/passwd"}), error="file")
