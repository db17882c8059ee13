"""Values as an operator reads them: money with its currency, discounts (八折), dates, lists.

Every value a stranger wrote (a title, a seller, a review) goes through `cut` before it
reaches a template, so that no field can fill a message on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

# Caps per field, in characters: a phone shows ~35 Chinese characters a line, so a title
# keeps two lines and a review text a short paragraph.
TITLE_MAX = 60
NAME_MAX = 40  # sellers, authors, stores, markets, heroes
TEXT_MAX = 280  # review texts
ERROR_MAX = 200
URL_MAX = 300

SYMBOLS = {"CNY": "¥", "RMB": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£",
           "HKD": "HK$", "TWD": "NT$", "AUD": "A$", "CAD": "C$"}
ZH_DIGITS = "零一二三四五六七八九"


def cut(value: Any, limit: int) -> str:
    """The value as one line of at most `limit` characters (an ellipsis marks a cut)."""
    text = " ".join(str(value or "").split())  # newlines inside a field would break lines
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(value: float) -> str:
    """129, 207.2 → 207.20: whole amounts without decimals."""
    return f"{value:,.2f}" if value % 1 else f"{value:,.0f}"


def money(value: Any, currency: str | None, lang: str) -> str:
    """¥129 / $129; a Chinese operator reads ¥ when the currency is unknown."""
    if not isinstance(value, int | float):
        return "?"
    code = (currency or "").upper()
    symbol = SYMBOLS.get(code, "¥" if lang == "zh" and not code else "")
    if symbol:
        return f"{symbol}{number(value)}"
    return f"{number(value)} {code}" if code else number(value)


def pct(value: Any) -> str:
    """0.2 → 20%."""
    return f"{abs(value):.0%}" if isinstance(value, int | float) else "?"


def zhe(off: float) -> str:
    """A discount as a Chinese seller says it: 0.2 off → 八折, 0.35 off → 六五折."""
    tenths = round((1 - off) * 100)  # 65 for 六五折
    if tenths <= 0 or tenths >= 100:
        return f"{pct(off)} off"
    high, low = divmod(tenths, 10)
    # 0.22 off is 七八折; a seller never says 七点八折.
    return (ZH_DIGITS[high] if high else "") + (ZH_DIGITS[low] if low else "") + "折"


def discount(off: Any, lang: str) -> str:
    """−20% in English, 八折 in Chinese."""
    if not isinstance(off, int | float) or not 0 < off < 1:
        return "?"
    return zhe(off) if lang == "zh" else f"−{pct(off)}"


def join(items: Iterable[str], lang: str) -> str:
    """A list as a sentence: "A, B" or "A、B"."""
    return ("、" if lang == "zh" else ", ").join(items)


def parse_day(stamp: Any) -> date | None:
    """The day of an ISO stamp or a plain date ("2026-02-14"), None when unreadable."""
    if not isinstance(stamp, str) or len(stamp) < 10:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(stamp[:10])
        except ValueError:
            return None


def day(value: date | None, lang: str) -> str:
    """2月15日 / 15 Feb."""
    if value is None:
        return "?"
    return f"{value.month}月{value.day}日" if lang == "zh" else value.strftime("%-d %b")


def moment(stamp: Any, lang: str) -> str:
    """An ISO stamp as day and time (2月15日 09:00), "?" when unreadable."""
    if not isinstance(stamp, str):
        return "?"
    try:
        at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return cut(stamp, 20)
    return f"{day(at.date(), lang)} {at:%H:%M}"


def plural(count: int, one: str, many: str) -> str:
    """The English noun for `count` (Chinese templates carry their own counter)."""
    return one if count == 1 else many
