"""Figures of `fetch = "browser"`: pages per minute through headless Chromium on a loopback
shop that renders its list only with JavaScript, and the memory it takes (ours + Chromium's).

    .venv/bin/python -m bench.browser_bench [PAGES]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from monitor.fetch.browser import BrowserFetcher
from watchers.sources.base import SourceSpec
from watchers.sources.taobao import ADAPTER

CHROMIUM = "/usr/bin/chromium"
ITEMS = 40  # one page of a Taobao shop list
SITES = 4
SHELL = """<!doctype html><html><head><meta charset="utf-8"><title>店铺 - 淘宝网</title></head>
<body><div id="list"></div><script>
fetch("/items.json").then(r => r.json()).then(items => {
  document.getElementById("list").innerHTML = items.map(it => `
    <a class="Card--doubleCardWrapper--x" href="//item.taobao.com/item.htm?id=${it.id}">
      <img class="MainPic--mainPic--x" src="/img/${it.id}.jpg">
      <div class="Title--title--x"><span>${it.title}</span></div>
      <span class="Price--priceInt--x">${it.price}</span>
      <span class="Price--realSales--x">${it.sales}</span>
      <div class="ShopInfo--shopName--x">小店</div></a>`).join("");
});
</script></body></html>"""


def _items(page: int) -> bytes:
    return json.dumps([{"id": 700000000000 + page * 1000 + i, "title": f"连衣裙 {page}-{i}",
                        "price": 100 + i, "sales": f"{i}00+人付款"} for i in range(ITEMS)],
                      ensure_ascii=False).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        if self.path.startswith("/items.json"):
            referer = self.headers.get("Referer", "")
            page = int(referer.rsplit("=", 1)[-1]) if "=" in referer else 0
            body, kind = _items(page), "application/json"
        elif self.path.startswith("/shop"):
            body, kind = SHELL.encode("utf-8"), "text/html; charset=utf-8"
        else:
            body, kind = b"", "image/jpeg"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _children(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        kids = [p for p, parent in parents.items() if parent == pid]
        found += kids
        todo += kids
    return found


def _memory_kb(pid: int, field: str) -> int:
    source = "smaps_rollup" if field == "Pss:" else "status"
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def memory_mb() -> dict[str, float]:
    """Resident memory now: ours, and our child processes (Chromium's and Playwright's
    driver): RSS summed, and PSS, which counts memory the processes share once."""
    me = os.getpid()
    kids = _children(me)
    return {"ours_rss_mb": round(_memory_kb(me, "VmRSS:") / 1024, 1),
            "browser_rss_mb": round(sum(_memory_kb(p, "VmRSS:") for p in kids) / 1024, 1),
            "browser_pss_mb": round(sum(_memory_kb(p, "Pss:") for p in kids) / 1024, 1),
            "browser_processes": len(kids)}


async def _run(pages: int) -> dict[str, Any]:
    servers = [_serve() for _ in range(SITES)]
    roots = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    peak: dict[str, float] = {}

    async def sample(stop: asyncio.Event, phase: str) -> None:
        while not stop.is_set():
            now = await asyncio.to_thread(memory_mb)
            for key, value in now.items():
                name = f"browser_peak_{phase}_{key}"
                peak[name] = max(peak.get(name, 0.0), value)
            await asyncio.sleep(0.2)

    async def site(browser: BrowserFetcher, root: str, count: int) -> int:
        listings = 0
        for page in range(count):
            doc = await browser.fetch(f"{root}/shop?page={page}")
            listings += len(ADAPTER.parse(doc, SourceSpec("taobao", doc.url)).listings)
        return listings

    with tempfile.TemporaryDirectory() as tmp:
        async with BrowserFetcher(executable=CHROMIUM, screenshots=Path(tmp)) as browser:
            await site(browser, roots[0], 1)  # start Chromium outside the timing
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample(stop, "one_site"))
            start = time.perf_counter()
            one = await site(browser, roots[0], pages)
            serial = time.perf_counter() - start
            stop.set()
            await sampler
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample(stop, f"{SITES}_sites"))
            start = time.perf_counter()
            many = sum(await asyncio.gather(*(site(browser, r, pages) for r in roots)))
            parallel = time.perf_counter() - start
            stop.set()
            await sampler
    for server in servers:
        server.shutdown()
    assert one == pages * ITEMS and many == SITES * pages * ITEMS, "a page was misread"
    return {"browser_pages": pages, "browser_settle_s": 0.5,
            "browser_pages_per_min_one_site": round(pages / serial * 60, 1),
            "browser_s_per_page_one_site": round(serial / pages, 2),
            f"browser_pages_per_min_{SITES}_sites": round(SITES * pages / parallel * 60, 1),
            **peak}


def main() -> int:
    """Print the browser figures, one per line, and the JSON object last."""
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    figures = asyncio.run(_run(pages))
    for key, value in figures.items():
        print(f"{key:>44}: {value}", file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
