"""`monitor run` as a real process: checks a loopback store, answers /status, stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from notifier.commands import COMMANDS
from tests.fakes.botapi import FakeBotApi
from tests.fakes.http import LoopbackServer, Reply
from tests.notifier.tgkit import OPS, write_config

ROOT = Path(__file__).resolve().parents[2]


def products() -> Reply:
    """A small Shopify catalogue: two items, one on sale."""
    items = [{"id": pid, "title": title, "handle": f"h{pid}", "tags": [], "product_type": "",
              "images": [], "variants": [{"id": pid * 10, "price": price,
                                          "compare_at_price": regular, "available": True}]}
             for pid, title, price, regular in [(1, "Linen Shirt", "80.00", "100.00"),
                                                (2, "Wool Coat", "300.00", None)]]
    return Reply(json.dumps({"products": items}), content_type="application/json")


def snapshots(database: Path) -> int:
    """How many catalogue snapshots the service has written so far."""
    if not database.exists():
        return 0
    with sqlite3.connect(database) as db:
        try:
            return int(db.execute("select count(*) from snapshots").fetchone()[0])
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0


def test_monitor_run_answers_status_and_stops_cleanly_on_sigterm(tmp_path: Path,
                                                                 api: FakeBotApi) -> None:
    with LoopbackServer({"/shop/products.json": products()}) as shop:
        config = write_config(tmp_path, api, peer_url=f"{shop.url}/shop")
        # The recorded clock says 20:00, long after the 09:00 digest: no digest at start.
        env = {**os.environ, "MONITOR_TELEGRAM_TOKEN": api.token,
               "MONITOR_NOW": "2026-03-01T20:00:00+08:00"}
        with (tmp_path / "stderr.log").open("wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "monitor", "run", "--config",
                                     str(config)], cwd=ROOT, env=env, stdout=log, stderr=log)
            try:
                api.wait_for(lambda: snapshots(tmp_path / "m.db"), timeout=60)
                api.push_message(OPS, "/status Peer A")
                [answer] = api.wait_for(lambda: api.sent_messages(OPS), timeout=60)
                proc.send_signal(signal.SIGTERM)
                code = proc.wait(timeout=10)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    stderr = (tmp_path / "stderr.log").read_text(errors="replace")
    assert code == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert answer["plain"].splitlines()[:3] == [
        "Peer A (leader, shopify)", "2 items listed, 1 discounted",
        "Last good read: 1 Mar 20:00"]
    assert "/shop/products.json" in [p.split("?")[0] for p in shop.paths()]
    assert [c["command"] for c in api.commands()] == list(COMMANDS)
