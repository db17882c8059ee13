"""The bot's `/top PEER` and `/history WORDS` answers as plain data (the notifier renders).

Both read only what the peer watch stored, through the store's `query`:

- `top_items(store, source, now)`: the peer's items by recent sales rate, fastest first,
  each {rank, key, title, url, price, sales, per_day, figure}. Render one line per item:
  "1. 连衣裙 13 号 — 66.7/day (月销 2000), ¥113".
- `history(store, words, sources)`: the present item whose title best matches the words,
  {item: {source, store, key, title, url}, series: [{at, price, available}], others:
  [{store, title}]}; render the item's title and its series as a chart (price line, stock
  shaded), the way the digest chart is sent, naming `others` as "also: ...".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process, utils

from watchers.peers.bestseller import load_figures, ranking
from watchers.peers.history import Reader, item_series

OTHERS = 4  # the next matches named beside the chosen item
MIN_SCORE = 50  # WRatio (of 100) under which a title is no match for the words


def top_items(store: Reader, source: str, now: datetime, limit: int = 10
              ) -> list[dict[str, Any]]:
    """The peer's items by recent sales rate, fastest first (present items only)."""
    rows = list(store.query(
        "select s.*, i.data from peer_sales s join items i on i.source = s.source "
        "and i.key = s.key where s.source = ? and i.gone_at is null", [source]))
    figures, _ = load_figures(rows)
    data = {r["key"]: json.loads(r["data"]) for r in rows}
    out = []
    for rank, (key, rate) in enumerate(ranking(figures, now)[:limit], start=1):
        item = data[key]
        out.append({"rank": rank, "key": key, "title": item.get("title"),
                    "url": item.get("url"), "price": item.get("price"),
                    "sales": item.get("sales") if item.get("sales") is not None
                    else item.get("review_count"),
                    "sales_text": item.get("sales_text"),
                    "per_day": round(rate, 2), "figure": figures[key].kind})
    return out


def history(store: Reader, words: str, sources: Iterable[str]) -> dict[str, Any] | None:
    """The best-matching present item's price and stock over time, or None."""
    titles: list[tuple[str, str, str]] = []
    for source in sources:
        titles += [(source, r["key"], r["title"] or "") for r in store.query(
            "select key, json_extract(data, '$.title') as title from items "
            "where source = ? and gone_at is null", [source])]
    if not titles or not words.strip():
        return None
    found = best_titles(words, [t[2] for t in titles])
    if not found:
        return None
    source, key, title = titles[found[0]]
    rows = list(store.query("select data from items where source = ? and key = ?",
                            [source, key]))
    url = json.loads(rows[0]["data"]).get("url") if rows else None
    return {"item": {"source": source, "store": source.partition(":")[2], "key": key,
                     "title": title, "url": url},
            "series": item_series(store, source, key),
            "others": [{"store": titles[i][0].partition(":")[2], "title": titles[i][2]}
                       for i in found[1:]]}


def best_titles(words: str, titles: list[str]) -> list[int]:
    """The indexes of the titles that best match the words, best first.

    The whole title's likeness (so "coat 3-1203" finds that coat, not "coat 3-120"), else
    the words found inside a longer title at 0.9 of their weight ("碎花连衣裙" in a title
    full of search words). The best by either is the best of the two scorers' top lists.
    """
    scores: dict[int, float] = {}
    for scorer, weight in ((fuzz.ratio, 1.0), (fuzz.partial_ratio, 0.9)):
        for _, score, index in process.extract(
                words, titles, scorer=scorer, processor=utils.default_process,
                limit=OTHERS + 1, score_cutoff=MIN_SCORE):
            scores[index] = max(scores.get(index, 0.0), score * weight)
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    return [i for i in ranked if scores[i] >= MIN_SCORE][:OTHERS + 1]
