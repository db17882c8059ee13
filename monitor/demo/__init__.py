"""`monitor demo`: two checks of built-in sample stores with a week's changes in between."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TextIO

from monitor import commands
from monitor.config import load
from monitor.demo_world import DemoServer, SampleWorld

CONFIG = """\
[monitor]
database = "demo.db"
timezone = "Asia/Shanghai"
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


def run_demo(out: TextIO) -> int:
    """Serve the sample stores, check, change them, check again, print alerts and digest."""
    world = SampleWorld()
    with tempfile.TemporaryDirectory(prefix="monitor-demo-") as tmp, DemoServer(world) as srv:
        path = Path(tmp) / "config.toml"
        path.write_text(CONFIG.format(root=srv.url), encoding="utf-8")
        settings = load(path)
        out.write(f"Sample stores on {srv.url}; first check (a silent baseline)...\n")
        first = asyncio.run(commands.check(settings, only=None, as_json=False, send=False,
                                           out=out))
        world.change()
        out.write("\nThe stores changed. Second check, its alerts:\n")
        second = asyncio.run(commands.check(settings, only=None, as_json=False, send=False,
                                            out=out))
        out.write("\nThe digest:\n\n")
        asyncio.run(commands.digest(settings, send=False, out=out))
    return max(first, second)
