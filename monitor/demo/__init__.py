"""`monitor demo`: the built-in sample world, checked a week apart, every watch's alerts.

Sample peers (Shopify, WooCommerce, an HTML shop), our hero with a marketplace that
copies it, and our top product's reviews, all on loopback: no token, no internet. The
first check is dated a week before now (a silent baseline), the second now.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from monitor import clock, commands
from monitor.config import load
from monitor.demo.evidence import write_evidence
from monitor.demo.ours import CONFIG as OURS
from monitor.demo.ours import OurWorld
from monitor.demo.peers import DemoServer, SampleWorld
from monitor.demo.shop import CONFIG as SHOP
from monitor.demo.shop import write_exports

TIMEZONE = "Asia/Shanghai"
WEEK = timedelta(days=7)

CONFIG = """\
[monitor]
database = "demo.db"
timezone = "{timezone}"
language = "{language}"
host_interval = "0s"
per_host = 4
timeout = "10s"

[[peers]]
name = "Mode (leader)"
tier = "leader"
url = "{root}/mode"
platform = "shopify"

[[peers]]
name = "Tide (leader)"
tier = "leader"
url = "{root}/tide"
platform = "woocommerce"

[[peers]]
name = "Little Lane"
url = "{root}/lane"
catalog = "{root}/lane/shop"
platform = "html"
layout = "cards"

[layouts.cards.listing]
item = "div.card"
title = "a.name"
url = "a.name"
price = "span.price"
image = "img"
sales = "span.sales"
"""


@contextlib.contextmanager
def _clock_at(instant: str) -> Iterator[None]:
    """The monitor's clock (MONITOR_NOW) set to `instant` for a while."""
    before = os.environ.get("MONITOR_NOW")
    os.environ["MONITOR_NOW"] = instant
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MONITOR_NOW", None)
        else:
            os.environ["MONITOR_NOW"] = before


def run_demo(out: TextIO, language: str = "en") -> int:
    """Serve the sample world, check, move it on a week, check again, print alerts and digest."""
    world, ours = SampleWorld(), OurWorld()
    now = clock.now(TIMEZONE)
    with tempfile.TemporaryDirectory(prefix="monitor-demo-") as tmp, \
            DemoServer(world, ours) as srv:
        ours.root = srv.url
        path = Path(tmp) / "config.toml"
        text = CONFIG.format(root=srv.url, timezone=TIMEZONE, language=language)
        path.write_text(text + OURS.replace("{root}", srv.url) + SHOP, encoding="utf-8")
        settings = load(path)
        exports = Path(tmp) / "exports"  # our shop's 生意参谋 exports, as the operator drops them
        write_exports(exports, now.date(), latest=False, mtime=(now - WEEK).timestamp())
        out.write(f"Sample stores on {srv.url}; first check a week ago (a silent baseline)...\n")
        with _clock_at((now - WEEK).isoformat()):
            first = asyncio.run(commands.check(settings, only=None, as_json=False, send=False,
                                               out=out))
        world.change()
        ours.change(now.date().isoformat())
        write_exports(exports, now.date(), latest=True, mtime=now.timestamp())
        out.write("\nA week later the stores changed. Second check, its alerts:\n")
        with _clock_at(now.isoformat()):
            second = asyncio.run(commands.check(settings, only=None, as_json=False,
                                                send=False, out=out))
            for picture in write_evidence(settings, ours):
                out.write(f"\nEvidence of the copy, side by side: {picture}\n")
            out.write("\nThe digest:\n\n")
            asyncio.run(commands.digest(settings, send=False, out=out))
    return max(first, second)
