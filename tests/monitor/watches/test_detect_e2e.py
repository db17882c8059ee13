"""Peers configured by their address alone: the platform is detected once and remembered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.store.database import Store
from tests.fakes.http import LoopbackServer, Reply

SHOPIFY = {"/products.json": Reply(json.dumps({"products": [{
    "id": 1, "title": "Linen Shirt", "handle": "linen-shirt", "tags": [], "images": [],
    "variants": [{"id": 11, "price": "99.00", "available": True}]}]}),
    content_type="application/json")}

WOO = {"/wp-json/wc/store/v1/products": Reply(json.dumps([{
    "id": 7, "name": "Wool Coat", "permalink": "https://woo.example/p/7", "is_in_stock": True,
    "prices": {"price": "89900", "regular_price": "89900", "sale_price": "89900",
               "currency_code": "CNY", "currency_minor_unit": 2}}]),
    content_type="application/json", headers={"X-WP-TotalPages": "1"})}

PRODUCT = """<html><head><script type="application/ld+json">{"@context": "https://schema.org",
"@type": "Product", "name": "Silk Scarf", "sku": "S1", "offers": {"@type": "Offer",
"price": "59.00", "priceCurrency": "CNY"}}</script></head><body></body></html>"""
JSONLD = {"/shop": Reply('<html><body><a href="/products/silk-scarf">Silk Scarf</a>'
                         "</body></html>"),
          "/products/silk-scarf": Reply(PRODUCT)}

HTML_ONLY = {"/shop": Reply("<html><body><div class='card'>A dress ¥99</div></body></html>")}

PROBES = ("/products.json?limit=1", "/wp-json/wc/store/v1/products?per_page=1")
STORES = {"shopify": (SHOPIFY, ""), "woocommerce": (WOO, ""), "jsonld": (JSONLD, "/shop")}


def _config(tmp_path: Path, root: str, catalog: str) -> Path:
    path = tmp_path / "config.toml"
    catalog_line = f'catalog = "{root}{catalog}"\n' if catalog else ""
    path.write_text(f"""
[monitor]
database = "m.db"
host_interval = "0s"
respect_robots = false

[[peers]]
name = "Peer"
url = "{root}/"
{catalog_line}""", encoding="utf-8")
    return path


def _check(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--config", str(config), "--json", "--no-send"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("platform", list(STORES))
def test_a_peer_by_its_address_alone_is_detected_once_and_read(
        platform: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routes, catalog = STORES[platform]
    with LoopbackServer(dict(routes)) as server:
        config = _config(tmp_path, server.url, catalog)
        capsys.readouterr()
        assert main(["config", "--config", str(config)]) == 0
        assert json.loads(capsys.readouterr().out)["peers"][0]["platform"].startswith("auto")
        assert _check(config, capsys)[0] == 0
        probes = [p for p in server.paths() if p in PROBES]
        assert probes
        assert _check(config, capsys)[0] == 0
        # The second check reads the remembered platform: no detection probe again.
        assert [p for p in server.paths() if p in PROBES] == probes
    capsys.readouterr()
    assert main(["config", "--config", str(config)]) == 0
    assert json.loads(capsys.readouterr().out)["peers"][0]["platform"] == platform


def test_a_store_of_no_known_platform_fails_with_a_message_asking_for_a_layout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LoopbackServer(dict(HTML_ONLY)) as server:
        config = _config(tmp_path, server.url, "/shop")
        results = [_check(config, capsys) for _ in range(3)]
    assert [code for code, _ in results] == [1, 1, 1]
    events = [json.loads(line) for _, out in results for line in out.splitlines()
              if line.startswith("{")]
    assert [e["kind"] for e in events] == ["source_failing"]
    assert "layout" in json.dumps(events[0], ensure_ascii=False)


def test_a_store_that_moves_platform_is_detected_again_after_repeated_failures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LoopbackServer(dict(SHOPIFY)) as server:
        config = _config(tmp_path, server.url, "")
        assert _check(config, capsys)[0] == 0
        server.routes = dict(WOO)  # the store moved to WooCommerce: products.json is gone
        codes = [_check(config, capsys)[0] for _ in range(5)]
        # Failing reads, never an empty catalogue; detected again once failures pile up,
        # then a silent baseline on the new platform and a quiet check after it.
        assert codes == [1, 1, 1, 0, 0]
    store = Store(tmp_path / "m.db")
    try:
        assert [r["platform"] for r in store.query("select platform from platforms")] == [
            "woocommerce"]
        assert not list(store.query("select * from events where kind = 'listing_removed'"))
    finally:
        store.close()
