"""Issue 13's figures on real clothing photos: a search page's cost per stage, recall, precision.

The edits are the tests' own table (tests/watchers/copies/realworld.py), so that the bench
and the test measure the same copies. Nothing here when ../shared/realworld is absent.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import TypeVar

from tests.watchers.copies import realworld
from watchers.copies.imaging import ImageHashes, hash_image
from watchers.copies.matching import by_features, by_hashes

PAGE = 48  # candidates on one marketplace search page
HERO_PHOTOS = 5  # our listing's photos
T = TypeVar("T")


def _cpu(run: Callable[[], T]) -> tuple[T, float]:
    """The result and the CPU seconds of this process that it took (one core's worth)."""
    start = time.process_time()
    out = run()
    return out, time.process_time() - start


def _hashed(data: bytes, ours: bool = False) -> ImageHashes:
    got = hash_image(data, mirror=ours)
    if got is None:
        raise ValueError("a real photo did not hash")
    return got


def _page() -> tuple[list[ImageHashes], list[bytes], int]:
    """Our 5 photos (t-shirts) and a page: one copy of each per edit, the rest other shirts."""
    shirts = realworld.photos()["t-shirt"]
    ours = [_hashed(p.read_bytes(), ours=True) for p in shirts[:HERO_PHOTOS]]
    edits = list(realworld.EDITS.values())
    copies = [edit(realworld.load(shirts[i % HERO_PHOTOS])) for i, edit in enumerate(edits)]
    others = [p.read_bytes() for p in shirts[HERO_PHOTOS:HERO_PHOTOS + PAGE - len(copies)]]
    return ours, copies + others, len(copies)


def _stages(ours: list[ImageHashes], page: list[ImageHashes]) -> dict[str, float]:
    """CPU per stage as the judge runs them: hashes against every photo, then features."""
    first, hash_s = _cpu(lambda: [[by_hashes(h, c) for h in ours] for c in page])
    open_pairs = [(h, c, m) for row, c in zip(first, page, strict=True)
                  if not any(m.same for m in row) for h, m in zip(ours, row, strict=True)]
    second, feature_s = _cpu(lambda: [by_features(h, c, m) for h, c, m in open_pairs])
    decided_first = sum(any(m.same for m in row) for row in first)
    return {
        "hash_ms_per_pair": round(1000 * hash_s / (len(ours) * len(page)), 3),
        "feature_ms_per_pair": round(1000 * feature_s / max(1, len(open_pairs)), 3),
        "pairs_to_features": float(len(open_pairs)),
        "found_by_hashes": float(decided_first),
        "found_by_features": float(sum(m.same for m in second)),
        "compare_s": round(hash_s + feature_s, 3),
    }


def _quality() -> dict[str, float]:
    """One hero per category x every edit; every other photo of its category as negative."""
    tp_hash = tp = fp_hash = fp = copies = negatives = 0
    cache: dict[str, ImageHashes] = {}
    for paths in realworld.photos().values():
        hero = _hashed(paths[0].read_bytes(), ours=True)
        picture = realworld.load(paths[0])
        for edit in realworld.EDITS.values():
            first = by_hashes(hero, _hashed(edit(picture)))
            both = by_features(hero, _hashed(edit(picture)), first)
            copies, tp_hash, tp = copies + 1, tp_hash + first.same, tp + both.same
        for other in paths[1:]:
            theirs = cache.setdefault(str(other), _hashed(other.read_bytes()))
            first = by_hashes(hero, theirs)
            both = by_features(hero, theirs, first)
            negatives, fp_hash, fp = negatives + 1, fp_hash + first.same, fp + both.same
    return {
        "copies": float(copies), "negatives": float(negatives),
        "recall_hashes": round(tp_hash / copies, 3), "recall": round(tp / copies, 3),
        "precision_hashes": round(tp_hash / max(1, tp_hash + fp_hash), 3),
        "precision": round(tp / max(1, tp + fp), 3),
    }


def bench_realworld() -> dict[str, float]:
    """`real_*` figures; empty when the real photos are not there."""
    if not realworld.available():
        return {}
    ours, page, copies = _page()
    hashed, hash_s = _cpu(lambda: [_hashed(data) for data in page])
    figures = {"page_candidates": float(len(page)), "page_copies": float(copies),
               "hash_and_features_ms_per_image": round(1000 * hash_s / len(page), 1),
               **_stages(ours, hashed)}
    figures["page_cpu_s"] = round(hash_s + figures["compare_s"], 3)
    figures.update(_quality())
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return {f"real_{k}": v for k, v in figures.items()}
