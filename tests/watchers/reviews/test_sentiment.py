"""Negative review detection: the labelled set's figures, negations, praise, stars and words."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.sentiment_eval import Sample, load, scores
from watchers.reviews.sentiment import is_negative_review, is_negative_text, text_negativity

SAMPLES = load()


def test_set_is_large_balanced_and_bilingual() -> None:
    counts = Counter((s.lang, s.negative) for s in SAMPLES)
    assert len(SAMPLES) >= 320
    assert 0.45 <= sum(s.negative for s in SAMPLES) / len(SAMPLES) <= 0.55
    assert all(counts[(lang, neg)] >= 60 for lang in ("zh", "en") for neg in (True, False))
    assert len({s.category for s in SAMPLES}) >= 8


def test_negative_texts_are_found_with_high_precision_and_recall() -> None:
    precision, recall, _ = scores(SAMPLES, is_negative_text)
    assert precision >= 0.9
    assert recall >= 0.8


def test_held_out_quarter_keeps_its_first_measured_level() -> None:
    # Never developed on; first measured at precision 0.884, recall 0.974 (86 texts).
    held_out: list[Sample] = [s for s in SAMPLES if s.held_out]
    precision, recall, _ = scores(held_out, is_negative_text)
    assert precision >= 0.85
    assert recall >= 0.9


@pytest.mark.parametrize(("text", "negative"), [
    ("没有色差，很正", False),
    ("洗了好几次，不会掉色", False),
    ("一点都不差", False),
    ("没有异味", False),
    ("不会起球", False),
    ("担心会掉毛，结果一点都不掉", False),
    ("not disappointed at all", False),
    ("no complaints", False),
    ("never faded", False),
    ("not cheap at all", False),
    ("No pilling at all", False),
    ("zero complaints, love it", False),
    ("色差很大", True),
    ("洗了一次就掉色", True),
    ("disappointed, it faded", True),
], ids=lambda v: str(v))
def test_negation_denies_a_complaint_word(text: str, negative: bool) -> None:
    assert is_negative_text(text) is negative


@pytest.mark.parametrize(("text", "negative"), [
    ("好评，物流很快，客服很耐心", False),
    ("客服态度很好，有问必答", False),
    ("客服态度很差", True),
    ("面料很透气", False),
    ("不透气，闷得全是汗", True),
    ("做工很细致，线头处理得很干净", False),
    ("The box was damaged but the sweater inside was fine", False),
    ("Love the style but the fabric pills easily", True),
    # Without stars a nit in sure praise is not a 中差评: real buyers rate these 4-5 stars
    # (the real corpus and 衣服 reviews, issue 12). With stars the word counts (below).
    ("衣服挺好看的，就是有点起球", False),
    ("衣服挺好看的，就是起球太严重了，后悔", True),
    ("尺码有点偏大，不过宽松穿也挺好看的", False),
    ("Hard to find jeans this good that don't break the bank", False),
    ("質量太差了，洗一次就縮水", True),
], ids=lambda v: str(v))
def test_praise_contexts_and_complaints(text: str, negative: bool) -> None:
    assert is_negative_text(text) is negative


@pytest.mark.parametrize("text", ["一般般", "还行吧，凑合穿", "马马虎虎", "It's okay.", "Meh"])
def test_medium_reviews_count_as_negative(text: str) -> None:
    assert is_negative_text(text)


@pytest.mark.parametrize(("rating", "text", "line", "negative"), [
    (1, "质量很好", 3, True),
    (3, "", 3, True),
    (3, "很好", 2, False),
    (3.5, "", 3, False),
    (4, "质量差", 3, True),
    (4, "一般", 3, True),
    (4, "挺好的", 3, False),
    (5, "没有色差，很正", 3, False),
    (5, "还行", 3, False),
    (5, "好看，就是有点起球", 3, True),
    (5, "Love it, no pilling at all", 3, False),
    (4.8, "The seams ripped the first time", 3, True),
    (None, "一般般", 3, True),
    (None, "很好", 3, False),
    (None, "", 3, False),
    (math.nan, "很舒服", 3, False),
    (math.nan, "假货", 3, True),
], ids=lambda v: str(v))
def test_stars_decide_when_low_and_text_decides_above(
        rating: float | None, text: str, line: float, negative: bool) -> None:
    assert is_negative_review(rating, text, line) is negative


@pytest.mark.parametrize(("text", "extra", "negative"), [
    ("the hoodie is boxy", ("boxy",), True),
    ("not boxy at all, love it", ("boxy",), False),
    ("领口有点歪，不好看", ("歪",), True),
    ("裤子有点勾丝", ("勾丝", "Snag"), True),
    ("完全没有勾丝", ("勾丝",), False),
], ids=lambda v: str(v))
def test_extra_words_are_complaints_and_can_be_denied(
        text: str, extra: tuple[str, ...], negative: bool) -> None:
    assert is_negative_text(text, extra) is negative
    assert is_negative_review(5, text, 3, extra) is negative


def test_extra_words_turn_an_unlisted_complaint_negative() -> None:
    text = "hood is lopsided, love the colour though"
    assert not is_negative_review(5, text)
    assert is_negative_review(5, text, extra_words=["lopsided"])


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "。。。", "👍"])
def test_empty_or_wordless_text_is_not_negative(text: str) -> None:
    assert not is_negative_text(text)
    assert not is_negative_review(None, text)
    assert is_negative_review(2, text)


def test_scores_lie_between_zero_and_one_on_the_set() -> None:
    values = [text_negativity(s.text) for s in SAMPLES]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert min(values) < 0.3 < 0.7 < max(values)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.lists(st.text(max_size=8), max_size=3))
def test_any_text_gets_a_score_between_zero_and_one(text: str, extra: list[str]) -> None:
    value = text_negativity(text, extra)
    assert 0.0 <= value <= 1.0
    assert is_negative_text(text, extra) is (value >= 0.5)
