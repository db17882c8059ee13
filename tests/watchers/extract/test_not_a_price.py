"""What is not a price: a minus sign, zero, "免费" or a discount label reads as no price."""

from __future__ import annotations

import pytest

from watchers.extract.text import parse_price, parse_price_range

NOT_PRICES = [
    "-5.00", "¥-5", "−¥5", "- ¥5", "US$-5", "￥-0.01", "－12",
    "0", "0.00", "¥0.00", "0元",
    "免费", "Free", "面议", "",
    "8折", "8.5折", "20% off", "-20%", "20 percent off", "省30", "立减20", "满300减50",
    "save $20", "优惠 ¥30",
]


@pytest.mark.parametrize("text", NOT_PRICES)
def test_not_a_price(text: str) -> None:
    assert parse_price(text) is None
    assert parse_price_range(text) == (None, None)


@pytest.mark.parametrize("value", [0, 0.0, -5, -5.0, float("nan"), float("-inf"), True])
def test_numbers_that_are_not_prices(value: float) -> None:
    assert parse_price(value) is None


@pytest.mark.parametrize("text,price", [
    ("¥129 8折", 129.0), ("8折 ¥129", 129.0), ("-20% ¥99", 99.0), ("券后 ¥89", 89.0),
    ("¥ 99 省20", 99.0), ("满300减50 ¥259", 259.0), ("¥89-129", 89.0), ("89 - 129", 89.0),
    ("¥89 - ¥129", 89.0), ("89~129元", 89.0), ("优惠价 ¥129", 129.0), ("0.5", 0.5),
    ("129.00", 129.0), ("59-", 59.0),
])
def test_prices_beside_labels_and_ranges_still_read(text: str, price: float) -> None:
    assert parse_price(text) == price


def test_a_range_keeps_both_ends() -> None:
    assert parse_price_range("¥89 - ¥129") == (89.0, 129.0)
