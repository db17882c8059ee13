"""Stolen photos found the way sellers edit them, on real clothing photos (issue 13).

40 heroes (the first four photos of each of ten categories) x 12 edits as copies; every
other photo of the hero's category as a negative: a different garment photographed the
same way. Run with -s for the per-edit table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.watchers.copies import realworld
from watchers.copies.imaging import ImageHashes, hash_image
from watchers.copies.matching import compare_photos

pytestmark = [
    pytest.mark.realworld,
    pytest.mark.skipif(not realworld.available(),
                       reason=f"the real photos are not there: {realworld.ROOT}"),
]

IMAGE_DISTANCE = 10  # the default `alerts.copy_image_distance`


@dataclass
class Tally:
    """Found copies per edit and stage; other garments flagged."""

    found: Counter[str]
    by_hashes: Counter[str]
    total: Counter[str]
    false: list[str]
    false_by_hashes: int
    negatives: int


def _hashed(data: bytes, ours: bool = False) -> ImageHashes:
    got = hash_image(data, mirror=ours)  # as the copy watch hashes our photos and theirs
    assert got is not None
    return got


@pytest.fixture(scope="module")
def tally() -> Tally:
    stored: dict[Path, ImageHashes] = {}

    def of(path: Path) -> ImageHashes:
        if path not in stored:
            stored[path] = _hashed(path.read_bytes())
        return stored[path]

    result = Tally(Counter(), Counter(), Counter(), [], 0, 0)
    for category, path in realworld.heroes():
        hero = _hashed(path.read_bytes(), ours=True)
        picture = realworld.load(path)
        for name, edit in realworld.EDITS.items():
            verdict = compare_photos(hero, _hashed(edit(picture)), IMAGE_DISTANCE)
            result.total[name] += 1
            result.found[name] += verdict.same
            result.by_hashes[name] += verdict.method == "hashes"
        for other in realworld.photos()[category]:
            if other != path:
                result.negatives += 1
                verdict = compare_photos(hero, of(other), IMAGE_DISTANCE)
                result.false_by_hashes += verdict.method == "hashes"
                if verdict.same:
                    result.false.append(f"{category}/{path.name} ~ {other.name}")
    return result


def test_edited_copies_are_found_and_other_garments_are_not(tally: Tally) -> None:
    tp = sum(tally.found.values())
    fp = len(tally.false)
    recall = tp / sum(tally.total.values())
    precision = tp / max(1, tp + fp)
    hashes_only = sum(tally.by_hashes.values()) / sum(tally.total.values())
    print(f"\n{len(realworld.heroes())} heroes, {tally.negatives} other garments of the "
          f"same category: recall {recall:.3f}, precision {precision:.3f} (fp {fp}); "
          f"the hashes alone: recall {hashes_only:.3f}"
          f" (fp {tally.false_by_hashes})")
    print("| edit | found | by the hashes alone |\n|---|---|---|")
    for name in realworld.EDITS:
        print(f"| {name} | {tally.found[name]}/{tally.total[name]} | "
              f"{tally.by_hashes[name]}/{tally.total[name]} |")
    assert len(realworld.heroes()) >= 30
    assert recall >= 0.95, {k: tally.total[k] - v for k, v in tally.found.items()}
    assert precision >= 0.98, tally.false


@pytest.mark.parametrize("name", list(realworld.EDITS))
def test_each_edit_is_found_on_most_heroes(tally: Tally, name: str) -> None:
    assert tally.found[name] >= 0.9 * tally.total[name], (name, tally.found[name])
