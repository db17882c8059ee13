"""Chinese that is Chinese: every event kind and every bot answer rendered in zh, no English left.

The values are Chinese too (stores, titles, sellers), so any Latin word left in the output
came from a template or a code path that skipped the catalogue.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from notifier.commands import COMMANDS, Commands
from notifier.digest import digest_text
from notifier.i18n import catalogue
from notifier.render import event_lines
from notifier.status import render_status
from notifier.views import CheckOutcome, CopyView, DigestData, PeerStatus, ReviewView
from watchers.model import EVENT_KINDS, StoredEvent

# Words that are names or technical terms an operator types or reads as they are.
ALLOWED = {"HTTP", "XL", "XXL", "robots", "txt", "telegram", "chats", "chat", "id", "monitor",
           "login", "cookies", "shopify", "help", "peers", "status", "copies", "reviews", "season",
           "digest", "check", "mute", "unmute", "today", "top", "history", "own"}
URL = re.compile(r"https?://\S+")
LATIN = re.compile(r"[A-Za-z]{2,}")
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,:;?!()]|[,:;?!(][\u4e00-\u9fff]")

DETAILS: dict[str, dict[str, Any]] = {
    "new_listing": {"price": 229, "currency": "CNY"},
    "listing_removed": {"price": 229},
    "price_drop": {"old": 259, "new": 207.2, "change": -0.2},
    "price_rise": {"old": 199, "new": 259, "change": 0.3},
    "promo_started": {"price": 160, "regular_price": 200, "discount": 0.2},
    "promo_ended": {"price": 200, "regular_price": 200},
    "out_of_stock": {},
    "back_in_stock": {},
    "store_promotion": {"share": 0.52, "median_discount": 0.2, "discounted": 63, "items": 122},
    "copy_listing": {"hero": "碎花连衣裙", "kind": "stolen_photo", "price": 99, "hero_price": 199,
                     "seller": "某某女装旗舰店"},
    "negative_review": {"rating": 4, "text": "质量差，洗了一次就起球", "author": "买家小王",
                        "posted": "2026-02-14", "reply_window_days": 30, "negative_rating": 3,
                        "words": ["质量差", "起球"]},
    "season_hint": {"season": "spring", "advice": "launch",
                    "peers": [{"peer": "甲家旗舰店"}, {"peer": "乙家女装"}]},
    "source_failing": {"error": "HTTP 500 after 4 tries", "fails": 3,
                       "url": "https://shop.example/products.json",
                       "since": "2026-02-28T09:00:00+08:00", "watch": "peers"},
    "source_recovered": {"after_fails": 3},
    "target_missed": {"day": "2026-02-28", "sales": 8200, "target": 10000, "gap": -0.18,
                      "factor": "conversion", "currency": "CNY",
                      "factors": {"conversion": {"value": 0.018, "target": 0.025}},
                      "sources": {"paid": {"value": 300, "usual": 900}}, "source": "paid"},
    "metric_swing": {"day": "2026-02-28", "metric": "bounce", "value": 0.81,
                     "usual": {"low": 0.55, "high": 0.65}, "direction": "up"},
    "page_health": {"week": "2026-W09", "rule": "depth", "value": 2.1, "threshold": 2.5,
                    "good": 3.5, "state": "failing"},
    "listing_changed": {"changes": {"title": {"added": ["新款"], "removed": ["旧款"]},
                                    "image": {"distance": 20},
                                    "variants": {"added": ["XL", "XXL"], "removed": ["S"]}}},
    "price_position": {"hero": "碎花连衣裙", "hero_price": 199, "price": 159, "gap": -0.2,
                       "position": "dearest"},
    "bestseller": {"rank": 4, "previous_rank": None, "sales": 120, "per_day": 1.7,
                   "figure": "sales"},
}


def stored(kind: str, n: int = 0, **extra: Any) -> StoredEvent:
    return StoredEvent(id=f"e{kind}{n}", kind=kind, at="2026-03-01T09:00:00+08:00",
                       store="甲家旗舰店", product={"title": "【新品】2026春季法式碎花连衣裙",
                                                  "url": "https://item.example/1"},
                       summary="An English summary that must never be shown", urgent=True,
                       details={**DETAILS[kind], **extra}, source="peer:甲家旗舰店")


def english(text: str) -> list[str]:
    """Latin words that are neither names nor allowed terms."""
    return [w for w in LATIN.findall(URL.sub("", text)) if w not in ALLOWED]


def assert_chinese(text: str) -> None:
    assert english(text) == [], text
    assert not HALF_WIDTH.search(URL.sub("", text)), text
    assert "English summary" not in text


def test_every_kind_has_its_own_test_details() -> None:
    assert set(EVENT_KINDS) <= set(DETAILS)  # a new kind needs its templates and this row


@pytest.mark.parametrize("kind", sorted(DETAILS))
def test_every_event_kind_reads_chinese(kind: str) -> None:
    lines = event_lines(stored(kind), "zh")
    assert_chinese("\n".join(lines))


def test_prices_and_discounts_read_as_a_chinese_seller_writes_them() -> None:
    assert event_lines(stored("promo_started"), "zh")[0] == \
        "甲家旗舰店打折：【新品】2026春季法式碎花连衣裙，八折，¥160（原价 ¥200）"
    assert "从 ¥259 降到 ¥207.20（降 20%）" in event_lines(stored("price_drop"), "zh")[0]
    season = event_lines(stored("season_hint"), "zh")[0]
    assert "春季" in season and "甲家旗舰店、乙家女装" in season


def test_review_alert_says_when_until_when_and_why() -> None:
    lines = event_lines(stored("negative_review"), "zh")
    assert "评价日期 2月14日，请在 3月16日 前回复" in lines
    assert "判为差评：提到 质量差、起球" in lines
    en = event_lines(stored("negative_review", rating=2, words=[]), "en")
    assert "Counted as negative: rated 2★, at or below 3★" in en


def test_review_alert_gives_the_reason_the_watch_recorded() -> None:
    # Judged by its stars, then the operator lowered the line: the stars were still the reason.
    by_stars = stored("negative_review", rating=3, negative_rating=2, reason="rating",
                      cues=["3★"])
    assert "判为差评：评分 3★" in event_lines(by_stars, "zh")
    medium = stored("negative_review", rating=None, reason="medium", cues=["还行", "凑合"])
    assert "判为差评：提到 还行、凑合" in event_lines(medium, "zh")
    model = stored("negative_review", rating=None, reason="model", cues=["怎么裤腿那么大"])
    assert "判为差评：评价内容偏负面（怎么裤腿那么大）" in event_lines(model, "zh")


def test_our_shops_numbers_read_as_the_operators_say_them() -> None:
    assert event_lines(stored("target_missed"), "zh") == [
        "本店 2月28日 销售额 ¥8,200，比当天目标 ¥10,000 低 18%",
        "主要是转化率没达标：1.80%，目标 2.50%", "尤其是付费流量：访客 300，平时 900"]
    assert event_lines(stored("metric_swing"), "zh") == [
        "本店 2月28日 跳失率涨到 81.00%（同一星期几平时 55.00%–65.00%）"]
    assert event_lines(stored("page_health"), "en") == [
        "Our pages fail a rule in 2026-W09: pages per visit 2.10 (rule: at least 2.50)"]


def test_failure_alert_gives_the_url_since_when_and_what_is_not_checked() -> None:
    lines = event_lines(stored("source_failing"), "zh")
    assert lines[0] == "甲家旗舰店读取失败（连续 3 次）：网站返回 HTTP 500"
    assert "网址：https://shop.example/products.json" in lines
    assert "上次读取成功：2月28日 09:00" in lines
    assert "这期间它的价格、上新和活动都没有在盯。" in lines


class Model:
    """The read model's answers, as the store would give them, in Chinese."""

    def __init__(self) -> None:
        self.status = PeerStatus(
            name="甲家旗舰店", tier="leader", platform="shopify", url="https://a.example",
            items=120, discounted=63, state="failing", fails=3,
            last_ok="2026-02-28T09:00:00+08:00", last_error="HTTP 500 after 4 tries",
            muted_until="2026-03-02T09:00:00+08:00", recent=[stored("price_drop")])

    def peer_statuses(self) -> list[PeerStatus]:
        return [self.status]

    def peer_status(self, name: str) -> PeerStatus | None:
        return self.status if name == self.status.name else None

    def digest_data(self) -> DigestData:
        return busy_day()

    def copies_online(self) -> list[CopyView]:
        return [CopyView("碎花连衣裙", "淘宝", "同款碎花裙", "https://m.example/1", 99.0,
                         "某某女装", "2026-02-28", "c1")]

    def open_reviews(self) -> list[ReviewView]:
        return [ReviewView("碎花连衣裙", 2.0, "质量差", "买家", "2026-02-14", "2026-02-14", 15,
                           "r1")]

    def season(self) -> dict[str, Any] | None:
        return {"season": "spring", "advice": "wait", "unknown_sell_through": True,
                "peers": [{"peer": "甲家旗舰店", "items": 3, "since": "2026-02-20",
                           "signal": "none", "selling": None}]}

    def reply_window_days(self) -> int:
        return 30

    def launches_by_season(self) -> dict[str, dict[str, int]]:
        return {"甲家旗舰店": {"spring": 5, "winter": 2}, "乙家女装": {"spring": 1}}

    def today(self) -> dict[str, Any] | None:
        return {"day": "2026-02-28", "latest": "2026-02-28", "sales": 8200.0,
                "target": 10000.0, "on_target": False, "factor": "conversion",
                "factors": {"conversion": {"value": 0.018, "target": 0.025}},
                "month_sales": 120000.0, "month_to_date_target": 150000.0,
                "month_target": 160000.0,
                "moved": [{"metric": "bounce", "value": 0.81, "direction": "up",
                           "usual": {"low": 0.55, "high": 0.65}}],
                "pages": [{"rule": "depth", "value": 2.1, "threshold": 2.5}]}

    def top(self, peer: str) -> dict[str, Any] | None:
        return {"peer": "甲家旗舰店", "items": [
            {"rank": 1, "title": "碎花连衣裙", "url": "https://a.example/1", "price": 113.0,
             "sales": 2000, "sales_text": "月销 2000", "per_day": 66.7, "figure": "monthly"}]}

    def history(self, words: str) -> dict[str, Any] | None:
        return {"item": {"store": "甲家旗舰店", "title": "羊毛大衣", "url": "https://a.example/7"},
                "series": [{"at": "2026-02-01T09:00:00+08:00", "price": 899.0,
                            "available": True},
                           {"at": "2026-02-20T09:00:00+08:00", "price": 699.0,
                            "available": False}],
                "others": [{"store": "乙家女装", "title": "羊毛大衣女"}]}


class Actions:
    def handled(self, event_id: str, by: str) -> tuple[bool, str | None, str | None]:
        return True, by, "2026-03-01T09:12:00+08:00"

    def source_of(self, event_id: str) -> str | None:
        return "peer:甲家旗舰店"

    def mute(self, peer: str, hours: float) -> str | None:
        return "甲家旗舰店"

    def unmute(self, peer: str) -> str | None:
        return "甲家旗舰店"

    async def check(self) -> CheckOutcome:
        return CheckOutcome(5, 2, ["甲家旗舰店"])


def busy_day() -> DigestData:
    """The sample world's busy day: a store-wide sale of 60 items, launches, cuts, a sell-out."""
    events = [stored("store_promotion")]
    for i in range(60):
        events += [stored("promo_started", i), stored("price_drop", i)]
    events += [stored("new_listing", i) for i in range(3)]
    events += [StoredEvent(**{**stored("price_drop", 100 + i).__dict__, "store": "乙家女装"})
               for i in range(5)]
    events.append(stored("out_of_stock"))
    events.append(StoredEvent(**{**stored("target_missed").__dict__, "store": "own"}))
    events.append(stored("bestseller"))
    model = Model()
    return DigestData(day="2026-03-01", since="2026-02-28T09:00:00+08:00", events=events,
                      peers=[model.status], failing=[model.status],
                      open_reviews=model.open_reviews() * 5, copies=model.copies_online() * 2,
                      season=model.season(), currency="CNY")


ARGS = {"status": ["甲家旗舰店"], "mute": ["甲家旗舰店", "2"], "unmute": ["甲家旗舰店"],
        "top": ["甲家旗舰店"], "history": ["大衣"]}


@pytest.mark.parametrize("command", [*COMMANDS, "status_all", "unknown", "mute_usage"])
def test_every_bot_answer_reads_chinese(command: str) -> None:
    commands = Commands(Model(), Actions(), "zh")
    name, args = {"status_all": ("status", []), "mute_usage": ("mute", []),
                  "unknown": ("foo", [])}.get(command, (command, ARGS.get(command, [])))

    async def answers() -> list[str]:
        out = []
        async for reply in commands.answer(name, args):
            out.append(digest_text(reply.digest, "zh") if reply.digest else reply.text)
            out.append(reply.caption)
            out += [b.label for b in reply.buttons]
        return out

    for text in asyncio.run(answers()):
        assert_chinese(text)


def test_button_answers_read_chinese() -> None:
    commands = Commands(Model(), Actions(), "zh")
    for press in (commands.press("h:e1", "小李"), commands.press("m:e1", "小李")):
        assert_chinese(press.answer + (press.note or ""))
    assert commands.press("h:e1", "小李").note == "✅ 小李已处理，3月1日 09:12"


def test_status_and_digest_read_chinese() -> None:
    assert_chinese(render_status(Model(), None, "zh"))
    assert_chinese(render_status(Model(), "甲家旗舰店", "zh"))
    assert_chinese(digest_text(busy_day(), "zh"))


def test_every_zh_template_is_translated() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    assert {k for k in en if not k.endswith(".one")} == {k for k in zh if not k.endswith(".one")}
    same = [k for k in zh if zh[k] == en[k] and LATIN.search(re.sub(r"\{[a-z_]+\}", "", zh[k]))]
    assert same == []
    for key, text in zh.items():
        assert english(re.sub(r"\{[a-z_]+\}", "", text)) == [], key
