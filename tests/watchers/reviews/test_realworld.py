"""The review judge on real buyers' reviews it never learnt from, and the shipped weights' origin.

Reads ../shared/realworld/reviews-zh (never copied into the project); where it is absent only
these tests skip.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench.sentiment_eval import Sample, real_samples, scores
from bench.train_review_model import (
    CORPUS,
    HELD_OUT,
    OUT,
    differences,
    load,
    train,
    training_rows,
)
from watchers.reviews.model import shipped
from watchers.reviews.normal import normalise
from watchers.reviews.sentiment import is_negative_text

pytestmark = [
    pytest.mark.realworld,
    pytest.mark.skipif(not CORPUS.exists(),
                       reason=f"the real review corpus is absent: {CORPUS}"),
]


@pytest.fixture(scope="module")
def held_out() -> list[Sample]:
    return real_samples()


def test_held_out_category_is_large_balanced_and_never_trained_on(held_out: list[Sample]) -> None:
    counts = Counter(s.negative for s in held_out)
    assert counts[True] >= 2000 and counts[False] >= 2000
    trained_on = shipped().meta["trained_on"]
    assert isinstance(trained_on, list) and len(trained_on) == 8
    assert not set(HELD_OUT) & set(trained_on)
    assert shipped().meta["held_out"] == sorted(HELD_OUT)


def test_judge_holds_on_the_held_out_real_category(held_out: list[Sample]) -> None:
    # Measured 0.938 / 0.922 on 洗发水 (10,000 reviews, stars removed); issue 12 asks 0.93 / 0.88.
    precision, recall, _ = scores(held_out, is_negative_text)
    assert precision >= 0.93
    assert recall >= 0.90


def test_model_alone_holds_on_the_held_out_real_category(held_out: list[Sample]) -> None:
    # Measured 0.937 / 0.936: the words add reasons and apparel knowledge, the model the reach.
    model = shipped()
    precision, recall, _ = scores(held_out, lambda t: model.negativity(normalise(t)) >= 0.5)
    assert precision >= 0.93
    assert recall >= 0.92


def test_shipped_weights_are_what_the_training_script_produces() -> None:
    rebuilt = train(training_rows(load()))
    shipped_json = json.loads(OUT.read_text(encoding="utf-8"))
    assert differences(rebuilt, shipped_json) == []
