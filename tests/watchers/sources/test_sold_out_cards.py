"""A card that stays listed but shows sold out reads as unavailable (Taobao and JD)."""

from __future__ import annotations

import pytest

from watchers.fetching import Document
from watchers.sources import adapter_for
from watchers.sources.base import SourceSpec

TAOBAO_CARD = """<a class="Card--doubleCardWrapper--L2XFE73"
 href="//item.taobao.com/item.htm?id={id}">
 <div class="Title--title--jCOPvpf"><span>连衣裙 {id}</span></div>
 <span class="Price--priceInt--ZlsSi_M">129</span>{extra}</a>"""
JD_CARD = """<li class="gl-item" data-sku="{id}"><div class="p-price"><i>199.00</i></div>
 <div class="p-name"><a href="//item.jd.com/{id}.html"><em>背包 {id}</em></a></div>{extra}</li>"""

SOLD_OUT = {
    "已售罄": '<span class="Card--stock">已售罄</span>',
    "无货": "<em>无货</em>",
    "到货通知": '<span class="p-operate">到货通知</span>',
    "stock 0 text": "<span>库存：0</span>",
    "data-stock=0": '<span data-stock="0">剩</span>',
    "sold-out class": '<div class="badge sold-out-mask"></div>',
    "Sold out": "<b>Sold out</b>",
}
STILL_BUYABLE = {
    "plain": "",
    "已售 1200": "<span>已售 1200</span>",
    "库存 10": "<span>库存：10</span>",
    "月销 0.5万": "<span>月销 0.5万+</span>",
}


def read(platform: str, cards: str, url: str) -> dict[str, bool | None]:
    body = f"<html><body><div id='root'>{cards}</div></body></html>".encode()
    doc = Document(url=url, body=body, headers={"content-type": "text/html"})
    page = adapter_for(platform).parse(doc, SourceSpec(platform, url, purpose="catalog"))
    assert page.blocked is None
    return {x.key: x.available for x in page.listings}


@pytest.mark.parametrize("platform,card,url", [
    ("taobao", TAOBAO_CARD, "https://shop1.taobao.com/search.htm"),
    ("jd", JD_CARD, "https://search.jd.com/Search?keyword=x"),
], ids=["taobao", "jd"])
def test_sold_out_cards_are_unavailable_and_others_available(platform: str, card: str,
                                                             url: str) -> None:
    cases = list(SOLD_OUT.values()) + list(STILL_BUYABLE.values())
    cards = "".join(card.format(id=100000 + i, extra=extra) for i, extra in enumerate(cases))
    got = read(platform, cards, url)
    assert [got[str(100000 + i)] for i in range(len(cases))] == (
        [False] * len(SOLD_OUT) + [True] * len(STILL_BUYABLE))
