"""The digest's lines on our heroes' prices: plain data for the notifier to render.

`hero_positions` reads what the position watch stored: for each hero, our last read price,
where it stands (cheapest / median / dearest among ours and the same-style items) and
those items, cheapest first. The notifier renders one line per hero, e.g.
"碎花裙 ¥200: median of 3 (Shopi ¥199, Shopi ¥219)".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from watchers.position.rank import gap, position


class Reader(Protocol):
    """The store's read side (`query`), as the notifier's read model or a WatchStore has."""

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterable[dict[str, Any]]:
        """Read rows."""
        ...


def hero_positions(store: Reader, heroes: Iterable[str]) -> list[dict[str, Any]]:
    """For each hero with a known price: {hero, hero_price, position, items: [...]}."""
    out = []
    for hero in heroes:
        own = list(store.query("select data from items where source = ? and gone_at is null",
                               [f"position:{hero}"]))
        if not own:
            continue
        hero_price = json.loads(own[0]["data"]).get("price")
        if not hero_price:
            continue
        rows = store.query(
            "select p.source, p.key, p.price, i.data from positions p join items i "
            "on i.source = p.source and i.key = p.key where p.hero = ? and i.gone_at is null "
            "order by p.price", [hero])
        items = []
        for r in rows:
            data = json.loads(r["data"])
            price = data.get("price") or r["price"]
            items.append({"store": r["source"].partition(":")[2], "title": data.get("title"),
                          "url": data.get("url"), "price": price,
                          "gap": gap(price, hero_price)})
        out.append({"hero": hero, "hero_price": hero_price,
                    "position": position(hero_price, (i["price"] for i in items)),
                    "items": items})
    return out
