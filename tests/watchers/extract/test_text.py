"""Table-driven tests of the price, sales, currency, rating and key helpers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchers.extract.text import (
    clean_text,
    currency_of,
    parse_price,
    parse_price_range,
    parse_rating,
    parse_sales,
    stable_key,
)

PRICES: list[tuple[str, str | float | int | None, float | None]] = [
    ("yen_thousands_decimals", "¥1,299.00", 1299.0),
    ("fullwidth_yuan", "￥89", 89.0),
    ("euro_comma_decimal", "1.299,00 €", 1299.0),
    ("comma_thousands", "1,299.00", 1299.0),
    ("dollar", "$159.00", 159.0),
    ("nbsp_code_after", "170\u00a0USD", 170.0),
    ("us_dollar_prefix", "US $349.99", 349.99),
    ("word_before", "Now $10.50", 10.5),
    ("pound", "£76.99", 76.99),
    ("minor_units_untouched", "22900", 22900.0),
    ("int_passes", 1299, 1299.0),
    ("float_passes", 12.5, 12.5),
    ("range_low_end", "￥89-129", 89.0),
    ("range_spaced", "8699.00 - 12199.00", 8699.0),
    ("range_symbols_both", "¥89 - ¥129", 89.0),
    ("range_tilde", "89~129元", 89.0),
    ("dot_three_digits_is_thousands", "1.299", 1299.0),
    ("leading_zero_dot_is_decimal", "0.125", 0.125),
    ("comma_two_digits_is_decimal", "10,50", 10.5),
    ("repeated_commas", "1,299,000", 1299000.0),
    ("space_thousands_euro", "1 299,00 €", 1299.0),
    ("swiss_apostrophe", "CHF 1'299.50", 1299.5),
    ("currency_number_preferred", "Save 30% now $20.00", 20.0),
    ("fullwidth_digits", "￥１２９", 129.0),
    ("html_entity_dollar", "&#036;229.00", 229.0),
    ("yuan_suffix", "299元", 299.0),
    ("garbage", "call us", None),
    ("empty", "", None),
    ("none", None, None),
    ("nan", float("nan"), None),
    ("bool_is_not_a_price", True, None),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in PRICES], ids=[c[0] for c in PRICES])
def test_parse_price_reads_the_amount(text: str | float | None, expected: float | None) -> None:
    assert parse_price(text) == expected


RANGES: list[tuple[str, str | None, tuple[float | None, float | None]]] = [
    ("yuan_range", "￥89-129", (89.0, 129.0)),
    ("spaced_range", "8699.00 - 12199.00", (8699.0, 12199.0)),
    ("en_dash", "$10 – $20", (10.0, 20.0)),
    ("to_word", "£5 to £9.50", (5.0, 9.5)),
    ("chinese_zhi", "¥100至200", (100.0, 200.0)),
    ("reversed_is_ordered", "129-89", (89.0, 129.0)),
    ("single_price", "$159.00", (159.0, 159.0)),
    ("two_prices_not_a_range", "Now $10.50 Was $20.00", (10.5, 10.5)),
    ("nothing", "sold out", (None, None)),
    ("none", None, (None, None)),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in RANGES], ids=[c[0] for c in RANGES])
def test_parse_price_range_gives_low_and_high(
    text: str | None, expected: tuple[float | None, float | None]
) -> None:
    assert parse_price_range(text) == expected


SALES: list[tuple[str, str | None, int | None]] = [
    ("monthly_plus", "月销 1200+", 1200),
    ("wan_payers", "1万+人付款", 10000),
    ("decimal_wan", "1.5万+人付款", 15000),
    ("payers", "300人付款", 300),
    ("sold_plus", "已售 2000+", 2000),
    ("monthly_volume", "月销量 50", 50),
    ("w_suffix", "10w+", 100000),
    ("k_sold", "2.3k sold", 2300),
    ("comma_sold", "1,234 sold", 1234),
    ("days_are_not_sales", "30天内已售 200+", 200),
    ("english_plain", "500+ bought in past month", 500),
    ("fullwidth_digits", "月销 １２００+", 1200),
    ("no_number", "暂无销量", None),
    ("empty", "", None),
    ("none", None, None),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in SALES], ids=[c[0] for c in SALES])
def test_parse_sales_reads_counts(text: str | None, expected: int | None) -> None:
    assert parse_sales(text) == expected


CURRENCIES: list[tuple[str, str | None, str | None]] = [
    ("halfwidth_yen", "¥1,299.00", "CNY"),
    ("fullwidth_yen", "￥89", "CNY"),
    ("yuan_char", "299元", "CNY"),
    ("rmb_code", "RMB 88", "CNY"),
    ("dollar", "$159.00", "USD"),
    ("us_dollar", "US $349.99", "USD"),
    ("hk_dollar", "HK$ 99", "HKD"),
    ("pound", "£76.99", "GBP"),
    ("euro", "1.299,00 €", "EUR"),
    ("iso_after", "170\u00a0USD", "USD"),
    ("iso_before", "EUR 12", "EUR"),
    ("unknown_letters_ignored", "ABC 12", None),
    ("plain_number", "1299", None),
    ("none", None, None),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CURRENCIES], ids=[c[0] for c in CURRENCIES]
)
def test_currency_of_names_the_iso_code(text: str | None, expected: str | None) -> None:
    assert currency_of(text) == expected


RATINGS: list[tuple[str, str | float | None, float | None, float | None]] = [
    ("out_of_five", "4.0 out of 5 stars", None, 4.0),
    ("slash_five", "4/5", None, 4.0),
    ("ten_scale", "8/10", None, 4.0),
    ("star_chars", "★★★★☆", None, 4.0),
    ("percent", "80%", None, 4.0),
    ("plain", "4.5", None, 4.5),
    ("best_given", "9", 10.0, 4.5),
    ("chinese_stars", "5 颗星", None, 5.0),
    ("number_input", 3, None, 3.0),
    ("no_rating", "no stars yet", None, None),
    ("none", None, None, None),
]


@pytest.mark.parametrize(
    ("text", "best", "expected"), [c[1:] for c in RATINGS], ids=[c[0] for c in RATINGS]
)
def test_parse_rating_normalises_to_five(
    text: str | float | None, best: float | None, expected: float | None
) -> None:
    assert parse_rating(text, best) == expected


CLEAN: list[tuple[str, str | None, str]] = [
    ("entities", "Marilyn&#8217;s &amp; co", "Marilyn’s & co"),
    ("whitespace", "  a \n\t b\u00a0c  ", "a b c"),
    ("none", None, ""),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_clean_text_unescapes_and_collapses(text: str | None, expected: str) -> None:
    assert clean_text(text) == expected


def test_stable_key_is_short_and_ignores_whitespace_noise() -> None:
    key = stable_key("Paula L.", None, "Great quality")
    assert len(key) == 16 and int(key, 16) >= 0
    assert key == stable_key(" Paula  L. ", "", "Great\nquality")
    assert key != stable_key("Paula L.", None, "Great quality!")
    # Parts are separated: moving text between parts changes the key.
    assert stable_key("ab", "c") != stable_key("a", "bc")


@given(st.text())
def test_helpers_never_raise_on_arbitrary_text(text: str) -> None:
    low, high = parse_price_range(text)
    assert (low is None) == (high is None)
    if low is not None and high is not None:
        assert low <= high
    parse_price(text)
    sales = parse_sales(text)
    assert sales is None or sales >= 0
    currency_of(text)
    rating = parse_rating(text)
    assert rating is None or 0 <= rating <= 5
    clean_text(text)
    assert len(stable_key(text)) == 16
