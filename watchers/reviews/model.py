"""Our own small model of Chinese review negativity: character 1-2-gram TF-IDF, logistic regression.

Trained by bench/train_review_model.py on real buyers' reviews (../shared/realworld/reviews-zh,
some categories held out); the weights ship in the package as review_model.json and are read
with plain Python: ~100 k n-grams, a few MB in memory, tens of microseconds per review. The
features are computed here and only here (`ngrams`), and the training script hands this
very function to scikit-learn, so training and judging cannot drift apart.
"""

from __future__ import annotations

import base64
import json
import math
import re
import sys
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

WEIGHTS = "review_model.json"
_SPACES = re.compile(r"\s+")


def ngrams(text: str) -> list[str]:
    """The character 1- and 2-grams of an already normalised text (spaces folded to one)."""
    text = _SPACES.sub(" ", text).strip()
    return [*text, *(text[i:i + 2] for i in range(len(text) - 1))]


@dataclass(frozen=True)
class Model:
    """Weights of the logistic regression over L2-normalised sublinear TF-IDF n-grams."""

    index: dict[str, int]
    idf: array[float]
    coef: array[float]
    bias: float
    weak_words: frozenset[str]  # listed words that do not decide alone (see the trainer)
    meta: dict[str, object]

    def weighted(self, text: str) -> list[tuple[str, float, float]]:
        """(n-gram, its TF-IDF value, its weight) for the known n-grams of `text`."""
        out = []
        for gram, count in Counter(ngrams(text)).items():
            at = self.index.get(gram)
            if at is not None:
                out.append((gram, (1.0 + math.log(count)) * self.idf[at], self.coef[at]))
        return out

    def margin(self, text: str) -> float:
        """The log-odds that the text is negative."""
        found = self.weighted(text)
        norm = math.sqrt(sum(v * v for _, v, _ in found))
        if not norm:
            return self.bias
        return self.bias + sum(v * w for _, v, w in found) / norm

    def negativity(self, text: str) -> float:
        """The probability that the text is negative, 0..1."""
        m = self.margin(text)
        return 1.0 / (1.0 + math.exp(-m)) if m > -700 else 0.0


def from_dict(data: dict[str, object]) -> Model:
    """A model from the JSON form the training script writes."""
    grams = str(data["features"]).split("\n")
    idf, coef = unpack(str(data["idf"])), unpack(str(data["coef"]))
    if not len(grams) == len(idf) == len(coef):
        raise ValueError("review model: features, idf and coef differ in length")
    meta = {k: v for k, v in data.items()
            if k not in ("features", "idf", "coef", "bias", "weak_words")}
    weak = data.get("weak_words", [])
    bias = data["bias"]
    if not isinstance(weak, list) or not isinstance(bias, float | int):
        raise ValueError("review model: weak_words must be a list and bias a number")
    return Model({g: i for i, g in enumerate(grams)}, idf, coef, float(bias),
                 frozenset(map(str, weak)), meta)


def unpack(text: str) -> array[float]:
    """Base64 of little-endian float32 values, as the training script packs them."""
    values = array("f", base64.b64decode(text))
    if sys.byteorder != "little":
        values.byteswap()
    return values


@cache
def shipped() -> Model:
    """The model shipped with the package, loaded once."""
    raw = resources.files("watchers.reviews").joinpath(WEIGHTS).read_text(encoding="utf-8")
    return from_dict(json.loads(raw))
