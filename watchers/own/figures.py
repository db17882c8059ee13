"""Our shop's figures of one day, and the column names the platforms' exports give them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

# The figures a day can carry; `day` and `sales` are the two every export needs.
FIGURES = ("day", "visitors", "pageviews", "sales", "buyers", "conversion", "order_value",
           "bounce", "pages_per_visit", "repeat_buyers", "hero_order_value",
           "paid_visitors", "search_visitors", "campaign_visitors")
# Where the visitors came from, when an export splits them (付费 / 免费搜索 / 活动流量).
SOURCES = {"paid": "paid_visitors", "search": "search_visitors",
           "campaign": "campaign_visitors"}
REQUIRED = ("day", "sales")
RATES = frozenset({"conversion", "bounce"})  # fractions; exports often write "3.21%"

# Built-in names, as 生意参谋/千牛 (Taobao, Tmall), JD 商智 and Shopify analytics write them.
# Matching is on the normalised name (see `normalise`), so "支付金额(元)" and "Total Sales"
# match too. Order matters: the first name found in a header wins for its figure.
COLUMNS: dict[str, tuple[str, ...]] = {
    "day": ("统计日期", "日期", "统计时间", "时间", "date", "day"),
    "visitors": ("访客数", "店铺访客数", "uv", "visitors", "onlinestorevisitors",
                 "uniquevisitors", "sessions"),
    "pageviews": ("浏览量", "店铺浏览量", "pv", "pageviews", "pageview", "views"),
    "sales": ("支付金额", "销售额", "成交金额", "支付金额元", "gmv", "totalsales", "netsales",
              "sales"),
    "buyers": ("支付买家数", "成交人数", "成交客户数", "成交买家数", "buyers", "customers",
               "orders"),
    "conversion": ("支付转化率", "转化率", "成交转化率", "conversionrate",
                   "onlinestoreconversionrate"),
    "order_value": ("客单价", "成交客单价", "支付客单价", "averageordervalue", "aov"),
    "bounce": ("跳失率", "bouncerate"),
    "pages_per_visit": ("人均浏览量", "访问深度", "平均访问深度", "pagespervisit",
                        "pagespersession"),
    "repeat_buyers": ("老买家数", "支付老买家数", "复购买家数", "repeatbuyers",
                      "returningcustomers"),
    "hero_order_value": ("主推客单价", "主推商品客单价", "heroordervalue"),
    "paid_visitors": ("付费访客数", "付费流量访客数", "付费流量", "直通车访客数", "paidvisitors",
                      "paidsessions"),
    "search_visitors": ("搜索访客数", "手淘搜索访客数", "免费访客数", "免费流量访客数", "免费流量",
                        "searchvisitors", "organicvisitors", "organicsessions"),
    "campaign_visitors": ("活动访客数", "活动流量访客数", "活动流量", "campaignvisitors"),
}


def normalise(name: str) -> str:
    """A header as compared: full-width folded, lower case, no spaces, no unit suffix."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    for opening in ("(", "["):
        # "支付金额(元)", "跳失率(%)": the unit says nothing the value does not.
        if text.endswith((")", "]")) and opening in text:
            text = text[: text.rindex(opening)]
    return "".join(ch for ch in text if ch.isalnum())


def column_names(extra: dict[str, tuple[str, ...]] | None = None
                 ) -> dict[str, tuple[str, ...]]:
    """The normalised names of each figure: the operator's `[own.columns]` first."""
    out = {}
    for figure, names in COLUMNS.items():
        mine = tuple((extra or {}).get(figure, ()))
        out[figure] = tuple(dict.fromkeys(normalise(n) for n in (*mine, *names)))
    return out


@dataclass(frozen=True, slots=True)
class DayFigures:
    """One day of our shop as an export gives it; a figure it lacks is None."""

    day: date
    sales: float
    visitors: float | None = None
    pageviews: float | None = None
    buyers: float | None = None
    conversion: float | None = None
    order_value: float | None = None
    bounce: float | None = None
    pages_per_visit: float | None = None
    repeat_buyers: float | None = None
    hero_order_value: float | None = None
    paid_visitors: float | None = None
    search_visitors: float | None = None
    campaign_visitors: float | None = None

    def get(self, figure: str) -> float | None:
        """A figure, derived from the others where the export left it out."""
        value: float | None = getattr(self, figure)
        if value is not None:
            return value
        if figure == "conversion" and self.buyers is not None and self.visitors:
            return self.buyers / self.visitors
        if figure == "order_value" and self.buyers:
            return self.sales / self.buyers
        if figure == "pages_per_visit" and self.pageviews is not None and self.visitors:
            return self.pageviews / self.visitors
        return None

    def to_row(self) -> dict[str, Any]:
        """The stored form (one row of own_days)."""
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["day"] = self.day.isoformat()
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DayFigures:
        """Inverse of `to_row`; other columns of the row are ignored."""
        values = {f.name: row.get(f.name) for f in fields(cls) if f.name not in ("day", "sales")}
        return cls(day=date.fromisoformat(row["day"]), sales=row["sales"], **values)
