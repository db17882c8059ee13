"""Precision and recall of each negative-review text method on our own review texts.

The texts are tests/watchers/reviews/review_texts.tsv.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchers.reviews import sentiment

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "watchers" / "reviews" / "review_texts.tsv"


@dataclass(frozen=True)
class Sample:
    """One labelled review text."""

    negative: bool
    lang: str
    category: str
    text: str
    held_out: bool


def load(path: Path = DATA) -> list[Sample]:
    """The labelled set; every 4th data line is held out."""
    out: list[Sample] = []
    category = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# category:"):
            category = line.split(":", 1)[1].strip()
        if not line.strip() or line.startswith("#"):
            continue
        label, lang, text = line.split("\t", 2)
        out.append(Sample(label == "neg", lang, category, text, len(out) % 4 == 3))
    return out


def _snownlp_alone(text: str) -> bool:
    return sentiment.snownlp_negativity(sentiment.normalise(text)) >= sentiment.NEGATIVE


def _vader_alone(text: str) -> bool:
    return sentiment.vader_negativity(text) >= sentiment.VADER_LINE  # compound <= -0.05


def _models(text: str) -> bool:
    norm = sentiment.normalise(text)
    return sentiment.calibrated_model_negativity(norm) >= sentiment.NEGATIVE


METHODS: dict[str, Callable[[str], bool]] = {
    "words+negation": lambda t: sentiment.lexicon_negativity(t) >= sentiment.NEGATIVE,
    "snownlp": _snownlp_alone,
    "vader": _vader_alone,
    "snownlp(zh)+vader(en)": _models,
    "combined": sentiment.is_negative_text,
}


def scores(samples: Iterable[Sample], judge: Callable[[str], bool]) -> tuple[float, float, int]:
    """(precision, recall, n) on the negative class."""
    tp = fp = fn = n = 0
    for s in samples:
        n += 1
        said = judge(s.text)
        tp += said and s.negative
        fp += said and not s.negative
        fn += s.negative and not said
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0), n


def main() -> None:
    """Print a table: each method on all texts and on the held-out quarter, per language."""
    samples = load()
    parts = {"all": samples, "held-out": [s for s in samples if s.held_out]}
    print(f"{'method':24} {'part':9} {'lang':4} {'n':>4} {'precision':>9} {'recall':>7} {'f1':>5}")
    for name, judge in METHODS.items():
        for part, chosen in parts.items():
            for lang in ("all", "zh", "en"):
                some = [s for s in chosen if lang in ("all", s.lang)]
                p, r, n = scores(some, judge)
                f1 = 2 * p * r / (p + r) if p + r else 0.0
                print(f"{name:24} {part:9} {lang:4} {n:4d} {p:9.3f} {r:7.3f} {f1:5.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
