"""Pure text helpers every parser shares: prices, price ranges, sales counts, currencies, keys.

Price rule (how separators are read), for a number token such as "1.299,00":
- both "." and "," present: the one that comes last is the decimal mark, the other groups
  thousands ("1.299,00" -> 1299.0, "1,299.00" -> 1299.0);
- one kind repeated ("1,299,000"): thousands, unless the last group is not 3 digits, which
  makes the last one the decimal mark;
- one separator once: "," or "." followed by exactly 3 digits groups thousands ("1,299" and
  "1.299" -> 1299.0) unless the integer part is "0" ("0.125" stays 0.125); otherwise decimal
  ("10,50" -> 10.5, "10.5" -> 10.5); "'" always groups thousands (Swiss "1'299.00");
- a space, no-break space or thin space groups thousands only before exactly 3 digits.
Of several numbers, the first one next to a currency marker wins, else the first one; a
range ("89-129", "89 ~ 129", "89 to 129") gives its low end. Minor units ("22900") are the
caller's business.

What is not a price (the item is then read without one, never as a drop to it): a number
with a minus sign before it ("-5.00", "¥-5", "−¥5"), zero ("0", "¥0.00"), a number that is
a discount label ("8折", "20% off", "-20%", "省30", "立减20", "满300减50", "save $20") and
a text with no number ("免费", "Free", "面议").
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata

_NUMBER = re.compile(r"\d+(?:[.,']\d+|[ \u00a0\u202f\u2009]\d{3}(?!\d))*")
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|~|～|to|至|bis)\s*$", re.IGNORECASE)
_SYMBOLS = "¥$£€₹₩₽₺₫฿₱"
_CODES = {
    "CNY", "RMB", "USD", "GBP", "EUR", "JPY", "HKD", "TWD", "AUD", "CAD", "NZD", "SGD",
    "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "INR", "KRW", "RUB", "TRY", "BRL", "MXN",
    "ZAR", "AED", "SAR", "THB", "MYR", "IDR", "PHP", "VND",
}
_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_PREFIXED_DOLLARS = (
    ("US$", "USD"), ("HK$", "HKD"), ("NT$", "TWD"), ("A$", "AUD"), ("AU$", "AUD"),
    ("C$", "CAD"), ("CA$", "CAD"), ("NZ$", "NZD"), ("S$", "SGD"), ("R$", "BRL"),
)
_SYMBOL_CODES = {
    "¥": "CNY", "元": "CNY", "$": "USD", "£": "GBP", "€": "EUR", "₹": "INR", "₩": "KRW",
    "₽": "RUB", "₺": "TRY", "₫": "VND", "฿": "THB", "₱": "PHP",
}
_MINUS = "-−–‐﹣－"  # hyphen-minus, minus, en dash, hyphen, small and full-width minus
# Words after a number that make it a discount, not a price ("8折", "20% off", "20%").
_DISCOUNT_AFTER = re.compile(r"\s*(?:%|折|off\b|percent\b)", re.IGNORECASE)
# Words before a number that make it a saving or a threshold ("省30", "满300减50", "save $20").
_DISCOUNT_BEFORE = re.compile(r"(?:省|减|满|立减|优惠|折扣|save|off|discount)\s*$", re.IGNORECASE)
_MULTIPLIERS = {"万": 10_000, "w": 10_000, "亿": 100_000_000, "千": 1_000, "k": 1_000,
                "m": 1_000_000}
_SALES = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万|亿|千|w|k|m)?(?![a-z])")
# Numbers that count days, hours or percentages are not sales ("30天内已售 200+").
_NOT_SALES = re.compile(r"\s*(?:天|日|小时|个月|%|days?\b|hours?\b|hrs?\b|months?\b)")


def clean_text(s: str | None) -> str:
    """HTML-unescape, collapse all whitespace to single spaces, strip."""
    if not s:
        return ""
    return " ".join(html.unescape(str(s)).split())


def _normalise(text: str) -> str:
    # NFKC maps full-width digits and "￥" to their ASCII/plain forms.
    return unicodedata.normalize("NFKC", clean_text(text))


def _token_value(token: str) -> float | None:
    """The value of one number token, by the separator rule in the module docstring."""
    token = re.sub(r"[ \u00a0\u202f\u2009']", "", token)
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        decimal = "." if token.rfind(".") > token.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        if token.count(decimal) > 1:
            return None
        token = token.replace(thousands, "").replace(decimal, ".")
    elif dots or commas:
        sep = "." if dots else ","
        groups = token.split(sep)
        if len(groups) > 2 or (len(groups[-1]) == 3 and groups[0] != "0"):
            if all(len(g) == 3 for g in groups[1:]):
                token = "".join(groups)
            else:
                token = "".join(groups[:-1]) + "." + groups[-1]
        else:
            token = token.replace(sep, ".")
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numbers(text: str) -> list[tuple[re.Match[str], float]]:
    found = []
    for match in _NUMBER.finditer(text):
        value = _token_value(match.group())
        if value is not None:
            found.append((match, value))
    return found


def _strip_marker(before: str) -> str:
    """`before` without a trailing currency symbol or code and the spaces around it."""
    before = before.rstrip().rstrip(_SYMBOLS + "元").rstrip()
    if before[-3:].upper() in _CODES:
        before = before[:-3].rstrip()
    for prefix, _ in _PREFIXED_DOLLARS:
        if before.upper().endswith(prefix[:-1]):
            return before[: -len(prefix) + 1].rstrip()
    return before


def _not_a_price(text: str, match: re.Match[str], previous: re.Match[str] | None) -> bool:
    """True for a negative number or a discount label (see the module docstring)."""
    if _DISCOUNT_AFTER.match(text, match.end()):
        return True
    before = _strip_marker(text[max(0, match.start() - 12):match.start()])
    if _DISCOUNT_BEFORE.search(before):
        return True
    if before and before[-1] in _MINUS:
        # "89-129" is a range: a minus right after another number is its separator.
        joined = previous is not None and not text[previous.end():match.start()].strip(
            " " + _SYMBOLS + "元" + _MINUS)
        return not joined
    return False


def _prices(text: str) -> list[tuple[re.Match[str], float]]:
    """The numbers of `text` that can be prices: positive, not discount labels."""
    found = []
    previous: re.Match[str] | None = None
    for match, value in _numbers(text):
        if value > 0 and not _not_a_price(text, match, previous):
            found.append((match, value))
        previous = match
    return found


def _near_currency(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 4):match.start()].rstrip()
    after = text[match.end():match.end() + 4].lstrip()
    if before and (before[-1] in _SYMBOLS or before[-3:].upper() in _CODES):
        return True
    return bool(after) and (
        after[0] in _SYMBOLS or after[0] == "元" or after[:3].upper() in _CODES
    )


def _number_input(value: float | int) -> float | None:
    if isinstance(value, bool):
        return None
    result = float(value)
    return result if math.isfinite(result) and result > 0 else None


def _joined_by_range(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    between = text[first.end():second.start()].strip().strip(_SYMBOLS).strip()
    between = re.sub(r"^(?:[A-Z]{3}|元)\s*|\s*(?:[A-Z]{3}|元)$", "", between)
    return bool(between) and _RANGE_SEP.match(between) is not None


def parse_price_range(text: str | float | int | None) -> tuple[float | None, float | None]:
    """(low, high) of a price or a range ("￥89-129" -> (89, 129)); a single price gives (p, p)."""
    try:
        if text is None:
            return None, None
        if isinstance(text, int | float):
            single = _number_input(text)
            return single, single
        norm = _normalise(str(text))
        numbers = _prices(norm)
        if not numbers:
            return None, None
        start = 0
        for i, (match, _) in enumerate(numbers):
            if _near_currency(norm, match):
                start = i
                break
        # "89~129元": the marker sits on the high end; the range still starts at 89.
        if start > 0 and _joined_by_range(norm, numbers[start - 1][0], numbers[start][0]):
            start -= 1
        match, low = numbers[start]
        if start + 1 < len(numbers) and _joined_by_range(norm, match, numbers[start + 1][0]):
            high = numbers[start + 1][1]
            return min(low, high), max(low, high)
        return low, low
    except Exception:  # parsers must never raise on odd input
        return None, None


_PLAIN = re.compile(r"\d{1,12}(?:\.\d{1,4})?")
_DOT_THOUSANDS = re.compile(r"\d+\.\d{3}")  # "1.299" is a thousand, not a decimal


def parse_price(text: str | float | int | None) -> float | None:
    """A price from text ("¥1,299.00", "1.299,00 €", "US $349.99"); a range gives its low end."""
    # Platform APIs send plain "120.00" by the thousand: skip the general reading for them.
    if isinstance(text, str) and _PLAIN.fullmatch(text) and not _DOT_THOUSANDS.fullmatch(text):
        return float(text) or None  # "0.00" is no price
    return parse_price_range(text)[0]


def parse_sales(text: str | None) -> int | None:
    """A sales count from text ("月销 1200+", "1.5万+人付款", "2.3k sold"); None when none."""
    try:
        if not text:
            return None
        norm = _normalise(str(text)).lower()
        for match in _SALES.finditer(norm):
            if _NOT_SALES.match(norm, match.end()) and not match.group(2):
                continue
            value = _token_value(match.group(1))
            if value is None:
                continue
            mult = _MULTIPLIERS.get(match.group(2) or "", 1)
            return round(value * mult)
        return None
    except Exception:  # parsers must never raise on odd input
        return None


def currency_of(text: str | None) -> str | None:
    """The ISO currency named or symbolised in text (¥/￥ -> CNY, $ -> USD, £, €, codes)."""
    try:
        if not text:
            return None
        norm = _normalise(str(text))
        for match in _CODE_RE.finditer(norm):
            code = match.group(1)
            if code in _CODES:
                return "CNY" if code == "RMB" else code
        upper = norm.upper().replace(" ", "")
        for prefix, code in _PREFIXED_DOLLARS:
            if prefix in upper:
                return code
        for symbol, code in _SYMBOL_CODES.items():
            if symbol in norm:
                return code
        return None
    except Exception:  # parsers must never raise on odd input
        return None


def stable_key(*parts: str | None) -> str:
    """A short stable hash (16 hex chars of sha1) of the cleaned parts, for ids-less records."""
    joined = "\x1f".join(clean_text(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8", "replace")).hexdigest()[:16]


_RATING_OF = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:/|out\s+of|of|分\s*/|颗星\s*/)\s*(\d+(?:[.,]\d+)?)", re.IGNORECASE
)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def _scaled(value: float, best: float | None) -> float | None:
    if best and best > 0:
        value = value * 5.0 / best
    elif value > 10:
        value = value / 20.0  # a percentage-like score (e.g. 80 of 100)
    elif value > 5:
        value = value / 2.0  # a ten-point score
    return round(value, 4) if 0 <= value <= 5 else None


def parse_rating(text: str | float | int | None, best: float | None = None) -> float | None:
    """A rating on a 0-5 scale: "4.0 out of 5 stars", "4/5", "8/10" -> 4.0, "★★★★☆" -> 4, "80%"."""
    try:
        if text is None or isinstance(text, bool):
            return None
        if isinstance(text, int | float):
            return _scaled(float(text), best) if math.isfinite(float(text)) else None
        norm = _normalise(str(text))
        stars = norm.count("★")
        if stars and not re.search(r"\d", norm):
            return float(stars)
        match = _RATING_OF.search(norm)
        if match:
            value = float(match.group(1).replace(",", "."))
            return _scaled(value, float(match.group(2).replace(",", ".")))
        match = _PERCENT.search(norm)
        if match and best is None:
            return _scaled(float(match.group(1)), 100.0)
        match = re.search(r"\d+(?:[.,]\d+)?", norm)
        if match:
            return _scaled(float(match.group().replace(",", ".")), best)
        return None
    except Exception:  # parsers must never raise on odd input
        return None
