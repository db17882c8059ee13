"""The review watch's pure diff: known reviews and a fresh read in, new reviews and alerts out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from watchers.model import Event, ProductRef, Review
from watchers.reviews.sentiment import Verdict

# (rating, text) -> the verdict. Built by the caller from the thresholds and word list.
Judge = Callable[[float | None, str], Verdict]


@dataclass(frozen=True)
class KnownReview:
    """What is remembered of a review already seen."""

    key: str
    author: str | None
    posted: str | None
    rating: float | None
    alerted: bool


@dataclass
class ReviewDiff:
    """Reviews to store (new or edited) and the alerts they raise."""

    new: list[tuple[Review, bool]] = field(default_factory=list)  # (review, negative)
    edited: list[tuple[str, Review, bool]] = field(default_factory=list)  # (known key, ...)
    events: list[Event] = field(default_factory=list)


def only_known(known: Mapping[str, KnownReview]) -> Callable[[Sequence[Review]], bool]:
    """A stop-paging test: this page holds no review we have not seen (reviews come newest
    first, so the pages after it are older still)."""

    def test(reviews: Sequence[Review]) -> bool:
        return bool(reviews) and all(r.key in known for r in reviews)

    return test


def diff_reviews(
    product: str,
    product_url: str,
    known: Mapping[str, KnownReview],
    current: Sequence[Review],
    *,
    baseline: bool,
    judge: Judge,
    now: datetime,
) -> ReviewDiff:
    """New reviews and their `negative_review` alerts; the first read is a silent baseline.

    An edited review is the same review: under its platform id, or (without one, when its
    text-hash key changed) matched by author and date. It is stored under the known key and
    alerted only if it turned negative (e.g. its rating dropped) and was not alerted yet.
    """
    out = ReviewDiff()
    by_author_date: dict[tuple[str | None, str | None], KnownReview] = {
        (k.author, k.posted): k for k in known.values() if k.author and k.posted
    }
    for review in current:
        same = known.get(review.key)
        if same is not None:
            # An edited review keeps its platform id; a rating that drops is news once.
            if review.rating != same.rating:
                verdict = judge(review.rating, review.text)
                out.edited.append((same.key, review, verdict.negative))
                if verdict.negative and not same.alerted and not baseline:
                    out.events.append(_alert(product, product_url, same.key, review, verdict,
                                             edited=True))
            continue
        verdict = judge(review.rating, review.text)
        edit_of = by_author_date.get((review.author, review.posted))
        if edit_of is not None:
            out.edited.append((edit_of.key, review, verdict.negative))
            if verdict.negative and not edit_of.alerted and not baseline:
                out.events.append(_alert(product, product_url, edit_of.key, review, verdict,
                                         edited=True))
            continue
        out.new.append((review, verdict.negative))
        if verdict.negative and not baseline:
            out.events.append(_alert(product, product_url, review.key, review, verdict,
                                     edited=False))
    return out


def _alert(product: str, product_url: str, key: str, review: Review, verdict: Verdict, *,
           edited: bool) -> Event:
    stars = f"{review.rating:g}★ " if review.rating is not None else ""
    text = review.text if len(review.text) <= 200 else review.text[:199] + "…"
    return Event(
        kind="negative_review", key=f"negative_review:{product}:{key}",
        summary=f"{stars}review of {product} by {review.author or 'someone'}: {text}",
        store="own", product=ProductRef(product, review.url or product_url),
        details={"rating": review.rating, "text": review.text, "author": review.author,
                 "posted": review.posted, "variant": review.variant, "title": review.title,
                 "review_key": key, "edited": edited,
                 # Why it counts as negative (rating, complaint, medium, model) and the stars,
                 # words or n-grams that decided: the alert says so.
                 "reason": verdict.reason, "cues": list(dict.fromkeys(verdict.cues))},
    )
