"""The review judge on real clothing reviews, the category ../shared leaves out on purpose.

Issue 12's bar (precision >= 0.95, recall >= 0.90 on apparel reviews without stars) is
measured on the upstream corpus's 衣服 rows (10,000 reviews; SophonPlus/ChineseNlpCorpus,
datasets/online_shopping_10_cats). ../shared does not hold them today, so this test runs only
where a copy sits in ../shared/realworld/reviews-apparel/ (the .zip or the .csv); measured
locally: 0.956 / 0.938 (`python -m bench.sentiment_eval --apparel PATH`).

The model never learnt from these reviews, but the word rules were corrected while looking
at their even rows; the odd rows were only measured (0.958 / 0.938), and they decide here.
"""

from __future__ import annotations

import pytest

from bench.sentiment_eval import apparel_samples, scores
from bench.train_review_model import CORPUS
from watchers.reviews.model import shipped
from watchers.reviews.sentiment import is_negative_text

FOLDER = CORPUS.parent.parent / "reviews-apparel"
FOUND = sorted(p for p in FOLDER.glob("online_shopping_10_cats.*")
               if p.suffix in (".zip", ".csv")) if FOLDER.is_dir() else []

pytestmark = [
    pytest.mark.realworld,
    pytest.mark.skipif(not FOUND, reason=f"the real apparel reviews are absent: {FOLDER}"),
]


def test_judge_holds_on_real_clothing_reviews_it_never_learnt_from() -> None:
    trained_on = shipped().meta["trained_on"]
    assert isinstance(trained_on, list) and "衣服" not in trained_on
    reviews = apparel_samples(FOUND[0])["apparel 衣服 B (unseen)"]
    assert len(reviews) >= 4500
    precision, recall, _ = scores(reviews, is_negative_text)
    assert precision >= 0.95
    assert recall >= 0.90
