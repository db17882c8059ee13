"""Conditional GET across `monitor check` runs: validators live in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply, Request

PRODUCTS = json.dumps({"products": [{
    "id": 1, "title": "Tee", "handle": "tee", "images": [],
    "variants": [{"id": 10, "price": "20.00", "available": True}]}]})


def test_unchanged_catalogue_is_answered_304_and_reports_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[str | None] = []

    def products(req: Request) -> Reply:
        seen.append(req.headers.get("If-None-Match"))
        if req.headers.get("If-None-Match") == '"v1"':
            return Reply(b"", 304, headers={"ETag": '"v1"'})
        return Reply(PRODUCTS, content_type="application/json", headers={"ETag": '"v1"'})

    with LoopbackServer({"/products.json": products}) as server:
        config = tmp_path / "config.toml"
        config.write_text(f'[monitor]\nhost_interval = "0s"\nrespect_robots = false\n'
                          f'[[peers]]\nname = "P"\nurl = "{server.url}"\nplatform = "shopify"\n')
        for _ in range(3):
            assert main(["check", "--config", str(config), "--json", "--no-send"]) == 0
            assert capsys.readouterr().out == ""
    assert seen == [None, '"v1"', '"v1"']
    assert main(["status", "P", "--config", str(config)]) == 0
    assert "1 item listed" in capsys.readouterr().out
