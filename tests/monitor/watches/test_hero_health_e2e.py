"""Our hero's page: scattered failures never add up to an outage; an outage recovers once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply
from tests.monitor.watches.test_copies_e2e import CONFIG, HERO_PAGE, HERO_TITLE, hero_image, jpeg

DOWN = Reply("busy", 503)


def _kinds(config: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["check", "--config", str(config), "--json", "--no-send", "--only", "copies"])
    return [json.loads(line)["kind"] for line in capsys.readouterr().out.splitlines()
            if line.startswith("{")]


def test_scattered_hero_failures_raise_no_alert_and_an_outage_recovers_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LoopbackServer() as server:
        page = Reply(HERO_PAGE.format(title=HERO_TITLE, root=server.url))
        server.routes["/search"] = Reply("<html><body></body></html>")
        server.routes["/img/hero.jpg"] = Reply(jpeg(hero_image()), content_type="image/jpeg")
        config = tmp_path / "config.toml"
        config.write_text(CONFIG.replace("{root}", server.url), encoding="utf-8")
        seen = []
        for route in (page, DOWN, DOWN, page, DOWN, DOWN, page):
            server.routes["/shop/jeans"] = route
            seen += _kinds(config, capsys)
        assert seen == []  # never three failed reads in a row
        for route in (DOWN, DOWN, DOWN, page, page):
            server.routes["/shop/jeans"] = route
            seen += _kinds(config, capsys)
        assert seen == ["source_failing", "source_recovered"]
