"""The review diff: baseline, new negatives, and edits (same review, rating dropped)."""

from __future__ import annotations

from datetime import UTC, datetime

from watchers.model import Review
from watchers.reviews.diff import KnownReview, diff_reviews, only_known
from watchers.reviews.sentiment import Verdict

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def judge(rating: float | None, text: str) -> Verdict:
    if rating is not None and rating <= 3:
        return Verdict(True, "rating", (f"{rating:g}★",))
    return Verdict("差" in text, "complaint", ("差",) if "差" in text else ())


def run(known: dict[str, KnownReview], current: list[Review], baseline: bool = False) -> list[str]:
    result = diff_reviews("Jeans", "https://own.example/jeans", known, current,
                          baseline=baseline, judge=judge, now=NOW)
    return [e.details["review_key"] for e in result.events]


def test_baseline_alerts_nothing() -> None:
    assert run({}, [Review("r1", "差", 1.0)], baseline=True) == []


def test_new_negative_and_text_negative_alert_and_praise_does_not() -> None:
    current = [Review("r1", "fine", 2.0), Review("r2", "great", 5.0), Review("r3", "质量差", 4.0)]
    assert run({}, current) == ["r1", "r3"]


def test_the_alert_says_why_the_review_counts_as_negative() -> None:
    current = [Review("r1", "fine", 2.0), Review("r2", "质量差", 5.0)]
    result = diff_reviews("Jeans", "u", {}, current, baseline=False, judge=judge, now=NOW)
    assert [(e.details["reason"], e.details["cues"]) for e in result.events] == [
        ("rating", ["2★"]), ("complaint", ["差"])]


def test_a_known_review_whose_rating_drops_alerts_once() -> None:
    known = {"r1": KnownReview("r1", "a", "2026-02-01", 5.0, alerted=False)}
    assert run(known, [Review("r1", "changed my mind", 1.0, "a", "2026-02-01")]) == ["r1"]
    known = {"r1": KnownReview("r1", "a", "2026-02-01", 1.0, alerted=True)}
    assert run(known, [Review("r1", "still bad", 1.0, "a", "2026-02-01")]) == []


def test_an_edited_review_without_id_is_matched_by_author_and_date() -> None:
    known = {"hash1": KnownReview("hash1", "ann", "2026-02-01", 5.0, alerted=False)}
    result = diff_reviews("Jeans", "u", known, [Review("hash2", "质量差 after washing", 2.0,
                                                       "ann", "2026-02-01")],
                          baseline=False, judge=judge, now=NOW)
    assert [e.details["review_key"] for e in result.events] == ["hash1"]
    assert result.new == [] and result.edited[0][0] == "hash1"


def test_paging_stops_on_a_page_of_known_reviews_only() -> None:
    known = {"r1": KnownReview("r1", None, None, 5.0, alerted=False)}
    stop = only_known(known)
    assert stop([Review("r1", "x")]) is True
    assert stop([Review("r1", "x"), Review("r9", "y")]) is False
    assert stop([]) is False
