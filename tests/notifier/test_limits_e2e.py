"""No alert lost behind a long Chinese title: every kind through the real bot to a fake Bot API
that enforces Telegram's limits (64-byte button data, 4,096 characters, valid HTML), and a
message the API refuses for good never holds back the ones behind it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakes.botapi import FakeBotApi
from tests.notifier.tgkit import OPS, TEAM, Rig, run, texts, write_config
from watchers.model import EVENT_KINDS, URGENT_KINDS, Event, ProductRef

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# 60 characters each, 180 bytes in UTF-8: three times the button data limit on its own.
TITLE = ("【新品】2026春季新款法式碎花连衣裙女装收腰显瘦气质长裙<b>&" * 3)[:60]
SELLER = ("某某服饰专营店女装旗舰店官方正品保障七天无理由退换货" * 3)[:60]
HUGE = "超长卖家名" * 10_000  # 50,000 characters: a page written against us
DETAILS: dict[str, dict[str, Any]] = {
    "new_listing": {"price": 229},
    "listing_removed": {"price": 229},
    "price_drop": {"old": 259, "new": 207.2, "change": -0.2},
    "price_rise": {"old": 199, "new": 259, "change": 0.3},
    "promo_started": {"price": 160, "regular_price": 200, "discount": 0.2},
    "promo_ended": {"price": 200},
    "out_of_stock": {},
    "back_in_stock": {},
    "store_promotion": {"share": 0.52, "median_discount": 0.2, "discounted": 63, "items": 122},
    "copy_listing": {"hero": TITLE, "kind": "stolen_photo", "price": 99, "hero_price": 199,
                     "seller": SELLER},
    "negative_review": {"rating": 4, "text": TITLE * 50, "author": SELLER,
                        "posted": "2026-02-14"},
    "season_hint": {"season": "spring", "advice": "launch",
                    "peers": [{"peer": SELLER}, {"peer": TITLE}]},
    "source_failing": {"error": TITLE * 20, "fails": 3},
    "source_recovered": {"after_fails": 3},
    "listing_changed": {"changes": {"title": {"added": [TITLE], "removed": [SELLER]},
                                    "variants": {"added": [TITLE] * 20}}},
    "price_position": {"hero": TITLE, "hero_price": 199, "price": 159, "gap": -0.2,
                       "position": "dearest"},
    "bestseller": {"rank": 4, "previous_rank": 9, "per_day": 1.7},
}
ALERTS = URGENT_KINDS | {"source_recovered"}


def every_kind(n: int = 0, seller: str = SELLER) -> list[Event]:
    """One event of every kind, long Chinese titles and names everywhere."""
    out = []
    for kind in EVENT_KINDS:
        details = dict(DETAILS.get(kind, {}))  # our shop's kinds: their details are figures
        if kind == "copy_listing":
            details["seller"] = seller
        out.append(Event(kind=kind, key=f"{kind}:{n}", summary=f"{kind} {TITLE}",
                         store=SELLER, product=ProductRef(TITLE, f"https://item.example/{n}"),
                         details=details))
    return out


def source(r: Rig) -> str:
    """A source id as long as the store's name: what a mute button used to carry."""
    return f"copies:{TITLE}:{SELLER}"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_alert_with_long_chinese_names_arrives_with_its_buttons(
        tmp_path: Path, env: FakeBotApi, language: str) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM), language=language)

    async def deliver(r: Rig) -> tuple[list[str], int]:
        ids = r.add(every_kind(), source=source(r))
        sent = await r.service.deliver()
        return ids, sent

    ids, sent = run(config, deliver)
    alerts = [i for i, kind in zip(ids, EVENT_KINDS, strict=True) if kind in ALERTS]
    assert env.errors == []  # nothing refused: every limit held
    assert sent == len(alerts)  # each alert counted once, though it went to two chats
    for chat in (OPS, TEAM):
        messages = env.sent_messages(chat)
        assert len(messages) == len(alerts)
        for message, event_id in zip(messages, alerts, strict=True):
            assert len(message["plain"]) <= 4096
            data = [b["callback_data"] for b in message["reply_markup"]["inline_keyboard"][0]]
            assert data == [f"h:{event_id}", f"m:{event_id}"]
            assert all(len(d.encode()) <= 64 for d in data)
            assert "<b>&" not in message["plain"] or "&lt;" not in message["plain"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_kind_singly_and_in_a_burst_fits_telegram(tmp_path: Path, env: FakeBotApi,
                                                        language: str) -> None:
    config = write_config(tmp_path, env, language=language)

    async def send(r: Rig) -> tuple[int, int]:
        r.add(every_kind(1, seller=HUGE) + every_kind(2, seller=HUGE), source=source(r))
        events = r.app.read_model.context.add(r.app.store.events())
        one_by_one = 0
        for event in events[:len(EVENT_KINDS)]:  # one message each, with buttons
            one_by_one += len(await r.channel.send_events(OPS, [event]))
        burst = len(await r.channel.send_events(OPS, events))  # a burst is batched
        return one_by_one, burst

    one_by_one, burst = run(config, send)
    assert env.errors == []
    assert one_by_one == len(EVENT_KINDS) and burst == 2 * len(EVENT_KINDS)
    assert len(env.sent_messages(OPS)) < 3 * len(EVENT_KINDS)  # the burst went as a few
    messages = env.sent_messages(OPS)
    assert all(len(m["plain"]) <= 4096 for m in messages)
    assert not any(HUGE[:1000] in m["plain"] for m in messages)  # the 50 KB name was cut


def test_a_message_refused_for_good_does_not_hold_back_the_others(tmp_path: Path,
                                                                  env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    # The API refuses any message that holds this word, whatever its form.
    env.refuse(lambda method, params: "POISON" in str(params.get("text")))

    async def deliver(r: Rig) -> tuple[list[str], int]:
        events = [review_event(1, "Seams came apart"), review_event(2, "POISON pill"),
                  review_event(3, "Faded after one wash")]
        ids = r.add(events, source="reviews:Linen Tee")
        return ids, await r.service.deliver()

    ids, sent = run(config, deliver)
    assert sent == 2
    got = texts(env, OPS)
    assert any("Seams came apart" in t for t in got) and any("Faded" in t for t in got)
    # Tried in every form (with buttons, without, plain, short), then left for later.
    assert len([c for c, _ in env.errors]) == 4
    undelivered = run(config, lambda r: _undelivered(r))
    assert undelivered == [ids[1]]


def test_a_message_refused_with_buttons_goes_without_them(tmp_path: Path,
                                                          env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    env.refuse(lambda method, params: params.get("reply_markup") is not None)

    async def deliver(r: Rig) -> int:
        r.add([review_event(1, "Seams came apart")], source="reviews:Linen Tee")
        return await r.service.deliver()

    assert run(config, deliver) == 1
    [message] = env.sent_messages(OPS)
    assert message["reply_markup"] is None and message["parse_mode"] == "HTML"
    assert "Seams came apart" in message["plain"]


def test_a_message_refused_as_html_goes_as_plain_text(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    env.refuse(lambda method, params: params.get("parse_mode") == "HTML")

    async def deliver(r: Rig) -> int:
        r.add([review_event(1, "Seams <came> apart & more")], source="reviews:Linen Tee")
        return await r.service.deliver()

    assert run(config, deliver) == 1
    [message] = env.sent_messages(OPS)
    assert message["parse_mode"] is None and "Seams <came> apart & more" in message["plain"]


async def _undelivered(r: Rig) -> list[str]:
    return [e.id for e in r.app.store.undelivered(OPS, urgent_only=True)]


def review_event(n: int, text: str) -> Event:
    return Event(kind="negative_review", key=f"negative_review:{n}", summary=text, store="own",
                 product=ProductRef("Linen Tee", "https://shop.example/tee"),
                 details={"rating": 1, "text": text, "author": f"buyer{n}",
                          "posted": "2026-02-28"})
