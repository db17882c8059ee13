"""Is their picture our photo? The cheap global hashes first, local features for the rest.

Stage one (`imaging.same_photo`, about 0.1 ms) decides every resize, re-compression,
watermark, frame, mild crop and mirror image. Only what it leaves open goes to stage two
(`features.match_features`, about 1-2 ms): crops up to 30 %, banners and stickers over a
quarter of the picture, turns up to 10°. Stage one is never overruled: a picture the
hashes call ours is ours; stage two can only add what the hashes could not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from watchers.copies.features import FeatureMatch, match_features
from watchers.copies.imaging import ImageHashes, same_photo

__all__ = ["PhotoMatch", "by_features", "by_hashes", "compare_photos"]


@dataclass(frozen=True)
class PhotoMatch:
    """The verdict on one pair of pictures and the figures behind it."""

    same: bool
    method: str  # "identical", "hashes", "features" when same; "" when not
    distances: dict[str, int] = field(default_factory=dict)
    local: FeatureMatch | None = None

    def evidence(self) -> dict[str, Any]:
        """What a complaint needs: the method and its figures (JSON-ready)."""
        out: dict[str, Any] = {"method": self.method or None, "distances": self.distances}
        if self.local is not None:
            out["features"] = self.local.to_dict()
        return out


def by_hashes(ours: ImageHashes, theirs: ImageHashes, threshold: int = 10) -> PhotoMatch:
    """Stage one: the same bytes, or the global hashes within `threshold`."""
    same, distances = same_photo(ours, theirs, threshold)
    if ours.sha256 == theirs.sha256:
        return PhotoMatch(True, "identical", distances)
    return PhotoMatch(same, "hashes" if same else "", distances)


def by_features(ours: ImageHashes, theirs: ImageHashes, first: PhotoMatch) -> PhotoMatch:
    """Stage two, for a pair that stage one (`first`) left open."""
    mine, other = ours.local(), theirs.local()
    if first.same or mine is None or other is None:
        return first
    local = match_features(mine, other)
    return PhotoMatch(local is not None, "features" if local else "", first.distances, local)


def compare_photos(ours: ImageHashes, theirs: ImageHashes, threshold: int = 10) -> PhotoMatch:
    """Whether `theirs` shows our photo, however a seller edited it."""
    return by_features(ours, theirs, by_hashes(ours, theirs, threshold))
