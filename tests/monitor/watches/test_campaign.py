"""A store-wide sale: one urgent store_promotion at once, the item promotions in the digest."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import load
from monitor.service.delivery import deliver_urgent
from monitor.store.database import Store
from monitor.store.queries import StoreReadModel
from notifier.channels.console import ConsoleChannel
from notifier.digest import digest_text
from tests.fakes.http import LoopbackServer, Reply, Request

PRICES = {i: (100.0, None) for i in range(1, 11)}


def products(_: Request) -> Reply:
    items = [{"id": i, "title": f"Coat {i}", "handle": f"c{i}", "images": [],
              "variants": [{"id": i, "price": f"{p:.2f}", "available": True,
                            "compare_at_price": f"{r:.2f}" if r else None}]}
             for i, (p, r) in PRICES.items()]
    return Reply(json.dumps({"products": items}), content_type="application/json")


def test_forty_percent_discounted_is_one_immediate_campaign_alert(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LoopbackServer({"/products.json": products}) as server:
        path = tmp_path / "config.toml"
        path.write_text(f'[monitor]\nhost_interval = "0s"\nrespect_robots = false\n'
                        f'[[peers]]\nname = "Leader"\nurl = "{server.url}"\n'
                        f'platform = "shopify"\n', encoding="utf-8")
        args = ["check", "--config", str(path), "--json", "--no-send", "--only", "peers"]
        assert main(args) == 0
        for i in range(1, 5):
            PRICES[i] = (60.0, 100.0)
        assert main(args) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    campaign = [e for e in events if e["kind"] == "store_promotion"]
    assert len(campaign) == 1
    assert campaign[0]["details"]["share"] == 0.4
    assert campaign[0]["details"]["median_discount"] == 0.4
    settings = load(path)
    store = Store(settings.monitor.database)
    out = io.StringIO()

    def now() -> datetime:
        return datetime.now(UTC)

    sent = asyncio.run(deliver_urgent(store, ConsoleChannel(out), now))
    assert sent == 1 and "store_promotion" in out.getvalue()
    assert "promo_started" not in out.getvalue()
    digest = digest_text(StoreReadModel(settings, store, now).digest_data())
    # One line for the sale, its items as examples, not one line per item.
    assert "Leader: store-wide sale, 4 of 10 items −40%, e.g. Coat 1 60 (−40%)" in digest
    assert digest.count("Coat") == 2
