"""Is a review negative? Stars first, then a complaint word list with negations, then a model.

The word list (`watchers.sentiment_words`) finds complaint words (质量差, 起球, ripped, …),
drops the ones a negation, a worry or later praise denies (没有色差, 担心会掉毛结果一点都不掉,
no pilling at all, the box was damaged but the sweater was fine), and keeps medium words
(一般, 还行, meh, it's okay) apart. Texts with none of those are left to a statistical model
shipped inside an installed package: snownlp's Naive Bayes (trained on shopping reviews) for
Chinese, VADER's lexicon and rules for English. Both load offline, once, on first use.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import sys
import types
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from watchers.reviews.words import Cues, find_cues, has_cjk

# The scores the word list gives; is_negative_text draws the line at NEGATIVE.
COMPLAINT, MEDIUM, DENIED, NEGATIVE = 0.9, 0.7, 0.2, 0.5
# At the top of the scale the reviewer's own verdict wins over medium words and models.
TOP_RATING = 4.5
# Where each model's raw negativity is put on the line. snownlp reads short praise such as
# 好评 near 0.55, so only a confident call counts; VADER's usual cut is compound <= -0.05
# (neutral statements score 0, i.e. 0.5, and must not count).
SNOWNLP_LINE, VADER_LINE = 0.8, 0.525
# The reviewer's own verdict: a text saying 好评 with no complaint word is not negative.
VERDICTS = ("好评", "五星", "five stars", "5 stars")


def text_negativity(text: str, extra_words: Sequence[str] = ()) -> float:
    """How negative a review text reads, from 0 (praise) to 1 (complaint)."""
    norm = normalise(text)
    if not norm.strip():
        return 0.0
    cues = find_cues(norm, extra_words)
    if cues.complaints or cues.medium:
        return lexicon_score(cues)
    model = calibrated_model_negativity(norm)
    # A complaint word denied (没有色差, never faded) is how praise sounds: the model, which
    # reads the bare word, is not trusted to call it negative.
    if cues.denied or any(v in norm for v in VERDICTS):
        return min(model, DENIED)
    return model


def is_negative_text(text: str, extra_words: Sequence[str] = ()) -> bool:
    """Whether a review text complains or is lukewarm (一般, 还行, it's okay)."""
    return text_negativity(text, extra_words) >= NEGATIVE


def is_negative_review(rating: float | None, text: str, negative_rating: float = 3,
                       extra_words: Sequence[str] = ()) -> bool:
    """Whether a review deserves an alert; `rating` is on a 5 scale, None when unknown.

    The rule: a rating at or below `negative_rating` is negative whatever the text says.
    Above it, the text decides (the contract's "or with negative words"): a 4-star review
    saying 质量差 is negative. A top rating (4.5 and up) needs a complaint word that stands
    (not denied, not a medium word, not only the model's opinion), so a 5-star 没有色差很正
    or 还行 is not negative, but a 5-star 好看就是起球 is. Without a rating the text alone decides.
    """
    if rating is not None and math.isfinite(rating):
        if rating <= negative_rating:
            return True
        if rating >= TOP_RATING:
            cues = find_cues(normalise(text), extra_words)
            return bool(cues.complaints)
    return is_negative_text(text, extra_words)


def lexicon_score(cues: Cues) -> float:
    """The word list's own score: complaint, medium, denied, or undecided (just below the line)."""
    if cues.complaints:
        return COMPLAINT
    if cues.medium:
        return MEDIUM
    return DENIED if cues.denied else NEGATIVE - 0.1


def lexicon_negativity(text: str, extra_words: Sequence[str] = ()) -> float:
    """The word list with negations alone, without a model."""
    norm = normalise(text)
    return lexicon_score(find_cues(norm, extra_words)) if norm.strip() else 0.0


def model_negativity(text: str) -> float:
    """snownlp for Chinese text, VADER for the rest, on a common 0..1 scale."""
    return snownlp_negativity(text) if has_cjk(text) else vader_negativity(text)


def calibrated_model_negativity(text: str) -> float:
    """model_negativity moved so that each model's own line falls at NEGATIVE."""
    if has_cjk(text):
        return _stretch(snownlp_negativity(text), SNOWNLP_LINE)
    return _stretch(vader_negativity(text), VADER_LINE)


def _stretch(value: float, line: float) -> float:
    """Map [0, line] onto [0, NEGATIVE] and [line, 1] onto [NEGATIVE, 1]."""
    if value < line:
        return NEGATIVE * value / line
    return NEGATIVE + (1 - NEGATIVE) * (value - line) / (1 - line)


def snownlp_negativity(text: str) -> float:
    """1 - snownlp's probability that the text is positive."""
    if not text.strip():
        return 0.0
    return 1.0 - float(_snownlp().classify(text))


def vader_negativity(text: str) -> float:
    """VADER's compound score mapped from [-1, 1] onto negativity [0, 1], 0 compound at 0.5."""
    if not text.strip():
        return 0.0
    compound = float(_vader().polarity_scores(text)["compound"])
    return (1.0 - compound) / 2.0


def normalise(text: str) -> str:
    """Width-folded, lower-case, simplified-Chinese text."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return str(_to_simplified()(text)) if has_cjk(text) else text


@cache
def _snownlp() -> Any:
    from snownlp import sentiment  # loads its Naive Bayes model at import, so only on demand

    return sentiment


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def _to_simplified() -> Callable[[str], Any]:
    return _snownlp_part("normal").zh2hans


def _snownlp_part(name: str) -> Any:
    """One snownlp submodule without the package's __init__, which loads every model.

    That __init__ loads the segmenter and the tagger (~380 MB, ~4 s) even when only the
    traditional-to-simplified table is wanted; a later `import snownlp` still works and
    reuses the submodule.
    """
    if "snownlp" in sys.modules:
        return importlib.import_module(f"snownlp.{name}")
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("snownlp is not installed")
    stub = types.ModuleType("snownlp")
    stub.__path__ = list(spec.submodule_search_locations)
    sys.modules["snownlp"] = stub
    try:
        return importlib.import_module(f"snownlp.{name}")
    finally:
        if sys.modules.get("snownlp") is stub:
            del sys.modules["snownlp"]
