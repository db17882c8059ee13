"""`monitor init`: a starter config that works once its lines are filled, never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply

SHOP = Reply(json.dumps({"products": [{
    "id": 1, "title": "Linen Shirt", "handle": "linen-shirt", "tags": [], "images": [],
    "variants": [{"id": 11, "price": "99.00", "available": True}]}]}),
    content_type="application/json")
HERO = Reply("""<html><head><script type="application/ld+json">{"@context": "https://schema.org",
"@type": "Product", "name": "Wide Jeans", "sku": "H1", "offers": {"@type": "Offer",
"price": "199.00", "priceCurrency": "CNY"}, "review": [{"@type": "Review", "author": "Lin",
"datePublished": "2026-11-20", "reviewBody": "Fits well", "reviewRating": {"ratingValue": 5}}]}
</script></head><body></body></html>""")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_init_writes_a_starter_that_checks_once_filled_and_never_overwrites(
        language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONITOR_TELEGRAM_TOKEN", raising=False)
    assert main(["init", "--language", language]) == 0
    config = tmp_path / "config.toml"
    starter = config.read_text(encoding="utf-8")
    assert main(["config", "--config", str(config)]) == 0  # valid before it is filled too
    assert main(["init", "--language", language]) == 2
    assert config.read_text(encoding="utf-8") == starter
    with LoopbackServer({"/products.json": SHOP, "/products/hero": HERO}) as server:
        filled = (starter.replace("https://leader-a.example.com", server.url)
                  .replace("https://peer-b.example.com", server.url)
                  .replace("https://our-shop.example.com", server.url))
        # a robots.txt is not served: the test store answers 404, which allows all
        config.write_text(filled, encoding="utf-8")
        capsys.readouterr()
        assert main(["check", "--config", str(config), "--json", "--no-send"]) == 0
    assert capsys.readouterr().out == ""  # the first check is a silent baseline
