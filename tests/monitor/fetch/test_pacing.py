"""Taobao/Tmall and JD manners: one request at a time per site, a daily budget, hours apart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from monitor.config import ConfigError, load
from monitor.fetch.http import PoliteFetcher
from monitor.fetch.pacing import DAILY_BUDGET, EVERY, site_rules
from monitor.fetch.politeness import SiteRule
from monitor.service.app import make_fetcher
from tests.fakes.http import InFlightCounter, LoopbackServer
from watchers.fetching import Document, FetchError


def write(tmp_path: Path, shop: str, monitor: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"""
[monitor]
database = "m.db"
{monitor}

[[peers]]
name = "TB"
url = "{shop}/shop/items.htm"
platform = "taobao"

[[peers]]
name = "TB hourly"
url = "https://shop1.taobao.com/"
platform = "taobao"
every = "2h"

[[peers]]
name = "Own site"
url = "http://127.0.0.1:9/"
platform = "shopify"

[[marketplaces]]
name = "JD"
search = "https://search.jd.com/Search?keyword={{query}}"
platform = "jd"
""", encoding="utf-8")
    return path


def test_taobao_and_jd_sources_get_marketplace_manners_by_default(tmp_path: Path) -> None:
    settings = load(write(tmp_path, "http://127.0.0.1:8123"))
    every = {p.name: p.every for p in settings.peers}
    assert every == {"TB": EVERY, "TB hourly": 7200.0, "Own site": None}
    assert settings.monitor.daily_budget == DAILY_BUDGET

    rules = make_fetcher(settings).politeness
    expected = SiteRule(per_host=1, interval=8.0, jitter=7.0, daily_budget=DAILY_BUDGET)
    for url in ("http://127.0.0.1:8123/shop/items.htm", "https://s.taobao.com/search?q=x",
                "https://detail.tmall.com/item.htm?id=1", "https://item.jd.com/1.html",
                "https://search.jd.com/Search?keyword=x"):
        site = rules.site_of(url)
        assert site is not None and rules.sites[site] == expected, url
    assert rules.site_of("http://127.0.0.1:9/products.json") is None  # another port
    assert rules.site_of("https://img.alicdn.com/bao/1.jpg") is None  # an image CDN


def test_a_longer_default_schedule_is_kept_for_marketplace_peers(tmp_path: Path) -> None:
    settings = load(write(tmp_path, "http://127.0.0.1:8123", 'every = "12h"'))
    assert settings.peers[0].every == 12 * 3600.0


@pytest.mark.parametrize("value, problem", [
    ("0", "monitor.daily_budget: must be at least 1"),
    ('"lots"', "monitor.daily_budget: must be an integer"),
], ids=["zero", "not-a-number"])
def test_daily_budget_must_be_a_positive_integer(tmp_path: Path, value: str,
                                                 problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(write(tmp_path, "http://127.0.0.1:8123", f"daily_budget = {value}"))
    assert [p for p in caught.value.problems if problem in p]


def test_a_marketplace_site_gets_one_request_at_a_time_until_its_budget_is_spent(
        tmp_path: Path) -> None:
    counter = InFlightCounter()
    with LoopbackServer({"/shop/items.htm": counter}) as server:
        settings = load(write(tmp_path, server.url, "daily_budget = 3"))
        # The configured budget and the real rule, with a short gap to keep the test quick.
        sites = site_rules(settings, gap=0.05, jitter=0.05)
        fetcher = PoliteFetcher(per_host=8, host_interval=0.0, respect_robots=False,
                                sites=sites)

        async def go() -> list[Document | BaseException]:
            async with fetcher:
                return await asyncio.gather(
                    *(fetcher.fetch(f"{server.url}/shop/items.htm?page={i}") for i in range(5)),
                    return_exceptions=True)

        results = asyncio.run(go())
    assert counter.most == 1
    assert sum(isinstance(r, Document) for r in results) == 3
    spent = [r for r in results if isinstance(r, FetchError)]
    assert len(spent) == 2
    assert all("daily request budget of 3" in e.reason for e in spent)
    assert len(server.requests) == 3
