"""`monitor check --json` over a store of pages: read whole, never an invented change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from tests.watchers.crawl_shop import Shop, serving, write_config


def check(config: Path, capsys: pytest.CaptureFixture[str]
          ) -> tuple[int, list[dict[str, object]], str]:
    code = main(["check", "--config", str(config), "--json", "--no-send"])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def status(config: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["status", "Pages", "--config", str(config)]) == 0
    return capsys.readouterr().out


def kinds(events: list[dict[str, object]]) -> list[object]:
    return sorted(str(e["kind"]) for e in events)


def test_header_links_that_404_or_hold_no_product_leave_the_read_complete(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = Shop.of(30)
    with serving(shop) as server:
        config = write_config(tmp_path / "config.toml", server.url)
        assert check(config, capsys)[:2] == (0, [])
        shop.prices[7] = 5.0
        code, events, _ = check(config, capsys)
        assert (code, kinds(events)) == (0, ["price_drop"])
        paths = server.paths()
    # Only pages that can be products were fetched: no cart, no login page.
    assert not any(p.startswith(("/cart", "/account")) for p in paths)
    assert "skipped links" in status(config, capsys)


def test_a_store_past_max_pages_is_incomplete_reports_no_removals_and_says_what_to_raise(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = Shop.of(1200)
    with serving(shop) as server:
        config = write_config(tmp_path / "config.toml", server.url, max_pages=2000)
        assert check(config, capsys)[:2] == (0, [])
        write_config(config, server.url, max_pages=1000)
        shop.prices[3] = 1.0
        code, events, _ = check(config, capsys)
    assert code == 1
    assert "listing_removed" not in kinds(events)
    text = status(config, capsys)
    # 1,200 products and the header's 4 product-like links: 1,204 pages to read.
    assert "raise max_pages of [[peers]] 'Pages' in config.toml to at least 1204" in text


def test_a_sitemap_index_leads_only_to_product_sitemaps_and_lastmod_skips_unchanged_pages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = Shop.of(40, sitemaps=True)
    with serving(shop) as server:
        config = write_config(tmp_path / "config.toml", server.url)
        assert check(config, capsys)[:2] == (0, [])
        first = server.paths()
        assert "/sitemap_products_1.xml?from=1&to=9" in first
        assert not any(p.startswith(("/sitemap_pages", "/sitemap_collections", "/product_cat"))
                       for p in first)
        assert sum(p.startswith("/products/") for p in first) == 40
        shop.prices[9] = 99.0
        shop.lastmod[9] = "2099-01-01T00:00:00+00:00"
        server.requests.clear()
        code, events, _ = check(config, capsys)
        assert (code, kinds(events)) == (0, ["price_rise"])
        assert [p for p in server.paths() if p.startswith("/products/")] == ["/products/p9"]


def test_a_product_page_that_404s_while_still_listed_is_removed_only_when_it_still_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = Shop.of(12)
    with serving(shop) as server:
        config = write_config(tmp_path / "config.toml", server.url)
        check(config, capsys)
        shop.missing.add(5)
        assert check(config, capsys)[:2] == (0, [])
        code, events, _ = check(config, capsys)
        assert (code, kinds(events)) == (0, ["listing_removed"])
        assert check(config, capsys)[:2] == (0, [])


def test_a_product_page_answering_5xx_is_never_a_removal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = Shop.of(12)
    with serving(shop) as server:
        config = write_config(tmp_path / "config.toml", server.url)
        check(config, capsys)
        shop.broken.add(4)
        for _ in range(3):
            code, events, _ = check(config, capsys)
            assert code == 1
            assert "listing_removed" not in kinds(events)
        assert kinds(events) == ["source_failing"]
        assert "HTTP 503" in str(events[0]["summary"])


def test_endless_next_pages_stop_at_the_cap_as_an_incomplete_read_without_inventions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = Shop.of(0, endless=True)
    with serving(shop) as server:
        config = write_config(tmp_path / "config.toml", server.url, max_pages=25)
        code, events, _ = check(config, capsys)
        assert (code, events) == (1, [])
        for _ in range(2):
            code, events, _ = check(config, capsys)
            assert code == 1
            assert [k for k in kinds(events) if k != "source_failing"] == []
    assert "catalogue pages go on past max_pages = 25" in status(config, capsys)
