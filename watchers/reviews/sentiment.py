"""Is a review negative, and why? Stars first, then the word list, then a model.

The word list (`words`) finds complaint words (质量差, 起球, ripped, …), drops those that a
negation, a worry or later praise denies (没有色差, 担心会掉毛结果一点都不掉, no pilling at all),
and keeps medium words (一般, 还行, meh) apart. A listed word that real reviews use in praise too
often (`Model.weak_words`, counted on the training corpus: 还可以, 很薄, 透, 太大) does not
decide alone; the others do. Chinese text is then read by our own model (`model`: character
n-gram logistic regression trained on real buyers' reviews, shipped as package data), English
text by VADER's lexicon and rules. Both load offline, once, on first use, and cost a few MB.

Every answer is a `Verdict` that says why (the words or n-grams behind it), for the alert.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from watchers.reviews.model import Model, shipped
from watchers.reviews.normal import has_cjk, normalise
from watchers.reviews.words import (
    CLAUSE,
    PRAISE,
    PRAISE_PHRASES_ZH,
    VERDICTS,
    Cues,
    find_cues,
    standing_praise,
)

# The scores a deciding word gives; a text is negative from NEGATIVE up.
COMPLAINT, MEDIUM, DENIED, NEGATIVE = 0.9, 0.7, 0.2, 0.5
# At the top of the scale the reviewer's own verdict wins over medium words and models.
TOP_RATING = 4.5
# VADER's usual cut is compound <= -0.05 (neutral statements score 0, i.e. 0.5, and must
# not count); its negativity is stretched so that this line falls at NEGATIVE.
VADER_LINE = 0.525
# A medium word decides alone only in a short review (this many letters, punctuation aside):
# 还行吧，凑合穿 is a 中评; in longer text 还行 mostly sits in praise.
MEDIUM_ALONE = 12
# A 好评 or 很透气 overrules the model unless it is this sure: "快递员值得给五星" in a furious
# review does not praise the item.
CAP_BELOW = 0.9
# Below this the model is sure a Chinese text praises, and a listed complaint word in it is a
# nit in a happy review (衣服很好看，就是有点掉色，可以接受), not a 中差评: real buyers rate those
# 4-5 stars. Left out one category at a time, this line lifts the judge's precision on the
# real corpus from 0.879 to 0.895 for 0.005 of recall; the operator's own words still decide.
SURE_PRAISE = 0.3
_LETTERS = re.compile(r"[\W_]+")

# Why a review is (or is not) negative; the alert shows the reason and its cue words.
RATING, COMPLAINT_WORDS, MEDIUM_WORDS, MODEL, PRAISED, EMPTY = (
    "rating", "complaint", "medium", "model", "praise", "empty")


@dataclass(frozen=True)
class Verdict:
    """A judged review: negative or not, why, and the words or n-grams that decided."""

    negative: bool
    reason: str  # one of RATING, COMPLAINT_WORDS, MEDIUM_WORDS, MODEL, PRAISED, EMPTY
    cues: tuple[str, ...] = ()
    score: float = 0.0  # how negative the text reads, 0..1 (1.0 for a low rating)


def judge_text(text: str, extra_words: Sequence[str] = (), model: Model | None = None) -> Verdict:
    """How a review text reads without its stars (`model`: another than the shipped one)."""
    norm = normalise(text)
    if not norm.strip():
        return Verdict(False, EMPTY)
    model = model or shipped()
    cues = find_cues(norm, extra_words)
    weak = model.weak_words
    extra = _extra(extra_words)
    model_score = cache(partial(model_negativity, norm, model))  # read once, when needed
    strong = tuple(w for w in cues.complaints if w not in weak or w in extra)
    if strong and (any(w in extra for w in strong) or not has_cjk(norm)
                   or model_score() >= SURE_PRAISE):
        return Verdict(True, COMPLAINT_WORDS, strong, COMPLAINT)
    # A medium word is the verdict in a short review that nothing praises: 还行，凑合穿 is a 中评,
    # while 感觉还可以，洗了后也没有缩水 is praise (a denied complaint is praise). Longer texts
    # with a medium word go to the model: real buyers write 还可以 in 4- and 5-star reviews.
    medium = tuple(w for w in cues.medium if w not in weak)
    short = len(_LETTERS.sub("", norm)) <= MEDIUM_ALONE
    if (medium or (cues.medium and short)) and not cues.denied and not any(
            p in norm for p in PRAISE):
        return Verdict(True, MEDIUM_WORDS, medium or cues.medium, MEDIUM)
    score = model_score()
    # A complaint word denied (没有色差, never faded) is how praise sounds; the model, which
    # reads the bare n-grams, is not trusted to call it negative. Nor a reviewer's 好评, nor
    # apparel praise (很透气) in a text without any listed word.
    praise = standing_praise(norm, VERDICTS)
    if not cues.complaints and not cues.medium:
        praise += standing_praise(norm, PRAISE_PHRASES_ZH)
    if cues.denied or (praise and score < CAP_BELOW):
        score = min(score, DENIED)
    if score >= NEGATIVE:
        words = (*cues.complaints, *cues.medium)
        return Verdict(True, MODEL, words or model_cues(norm, model), score)
    return Verdict(False, PRAISED, (*cues.denied, *praise), score)


def judge_review(rating: float | None, text: str, negative_rating: float = 3,
                 extra_words: Sequence[str] = ()) -> Verdict:
    """Whether a review deserves an alert, and why; `rating` is on a 5 scale, None when unknown.

    A rating at or below `negative_rating` is negative whatever the text says. Above it a
    complaint word that stands decides (the contract's "or with negative words"): a 4-star
    质量差 or a 5-star 好看就是起球 is negative. Otherwise a top rating (4.5 and up) is not
    (a 5-star 没有色差很正 or 还行), and a middle one is judged by its text. Without a rating
    the text alone decides, where a nit in sure praise does not count (see SURE_PRAISE).
    """
    if rating is not None and math.isfinite(rating):
        if rating <= negative_rating:
            return Verdict(True, RATING, (f"{rating:g}★",), 1.0)
        # The buyer rated it: a complaint word that stands is the contract's "negative words",
        # however happy the rest reads (a 4★ 好看就是起球 is a nit worth an answer).
        cues = find_cues(normalise(text), extra_words)
        if cues.complaints:
            return Verdict(True, COMPLAINT_WORDS, cues.complaints, COMPLAINT)
        if rating >= TOP_RATING:
            return Verdict(False, PRAISED, cues.denied)
    return judge_text(text, extra_words)


def is_negative_review(rating: float | None, text: str, negative_rating: float = 3,
                       extra_words: Sequence[str] = ()) -> bool:
    """Whether a review deserves an alert (see `judge_review`)."""
    return judge_review(rating, text, negative_rating, extra_words).negative


def is_negative_text(text: str, extra_words: Sequence[str] = ()) -> bool:
    """Whether a review text complains or is lukewarm (一般, 还行, it's okay)."""
    return judge_text(text, extra_words).negative


def text_negativity(text: str, extra_words: Sequence[str] = ()) -> float:
    """How negative a review text reads, from 0 (praise) to 1 (complaint)."""
    return judge_text(text, extra_words).score


def model_negativity(norm: str, model: Model | None = None) -> float:
    """Our model for Chinese text, VADER for the rest, both with their line at NEGATIVE."""
    if has_cjk(norm):
        return (model or shipped()).negativity(norm)
    return _stretch(vader_negativity(norm), VADER_LINE)


def model_cues(norm: str, model: Model | None = None) -> tuple[str, ...]:
    """The clause that reads most negative on its own, for the alert to quote: an operator
    reads 怎么裤腿那么大 at a glance, where the model's strongest n-grams (不, 么, 吗) say
    nothing. None when the text is one clause (the alert shows the text itself)."""
    clauses = [c.strip() for c in CLAUSE.split(norm) if c.strip()]
    if len(clauses) < 2:
        return ()
    worst = max(clauses, key=lambda c: model_negativity(c, model))
    return (worst,)


def vader_negativity(text: str) -> float:
    """VADER's compound score mapped from [-1, 1] onto negativity [0, 1], 0 compound at 0.5."""
    if not text.strip():
        return 0.0
    compound = float(_vader().polarity_scores(text)["compound"])
    return (1.0 - compound) / 2.0


def _stretch(value: float, line: float) -> float:
    """Map [0, line] onto [0, NEGATIVE] and [line, 1] onto [NEGATIVE, 1]."""
    if value < line:
        return NEGATIVE * value / line
    return NEGATIVE + (1 - NEGATIVE) * (value - line) / (1 - line)


def _extra(extra_words: Sequence[str]) -> set[str]:
    """The operator's own words, as find_cues reports them: they always decide."""
    return {normalise(w).strip() for w in extra_words if w.strip()}


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


__all__ = ["Cues", "Verdict", "is_negative_review", "is_negative_text", "judge_review",
           "judge_text", "normalise", "text_negativity"]
