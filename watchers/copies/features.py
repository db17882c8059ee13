"""Local features of a photo and their geometric check: the second stage of copy detection.

The global hashes (`imaging`) see a picture as a whole; a seller's crop of 30 %, a banner
over a quarter of it or a 10° turn moves them as far as another garment does. ORB
keypoints see small patches, and a stolen photo keeps hundreds of them in the same
arrangement. Two pictures are the same photo when enough keypoints match (Lowe's ratio
test) AND agree on one similarity transform (RANSAC over rotation, uniform scale and
shift: the edits sellers make; a homography's extra freedom only admits more chance
agreements), and that transform is one a seller would make: a turn of at most 20°, a
scale within 4x, the matched region covering a fair share of our photo. Mirrored copies
are met with the features of our mirrored photo (kept for our own photos only).

Why ORB and these figures (measured on ../shared/realworld/images, 40 heroes x 12 edits
against 1,324 other garments of their categories; tests/watchers/copies/test_realworld.py):
- ORB against SIFT, both at 500 keypoints and 512 px, upright and mirrored, measured side
  by side on the same loaded 2-core machine: ORB 14 ms a picture and 2.3 ms a comparison,
  SIFT 212 ms and 12 ms; and SIFT let other garments reach 40-300 inliers on shared
  backdrops (sheets, floors, red blankets), against at most 20 for ORB. A homography
  instead of the 4-parameter similarity admitted as many copies and no fewer look-alikes.
- Now: ~5 ms to extract a candidate's 300 keypoints, ~3 ms to compare it with one of our
  photos (both orientations in one search); bench/imaging_real.py has the figures.
- Other garments reach 17-20 inliers only through a shared label (two caps with the same
  sticker, turned 180°) or the same bed sheet; the turn and the coverage checks drop them.
- Copies keep 15-400 inliers; a watermark over JPEG 60 is the weakest (the hashes catch it).
Known limit: a small high-contrast patch (a pasted sticker or logo) on our photo takes
most of its strongest keypoints; a turned copy then matches mostly on that patch and can
be refused as "a shared label". Spreading keypoints over a grid fixed that case but cost
recall (0.994 -> 0.983) and let a synthetic look-alike through, so it was not kept.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_SIDE", "FeatureMatch", "Features", "extract", "match_features"]

MAX_SIDE = 512  # the picture is scaled to this before keypoints are sought: time and memory
KEYPOINTS = 500  # the strongest ones kept of our photos: matching time grows with them
THEIR_KEYPOINTS = 300  # of a candidate's: 40 % less time and storage (~13 kB) than 500
                       # for recall 0.994 instead of 0.996; 200 lost banners (0.973)
_RATIO = 0.75  # Lowe's ratio test: the best match clearly better than the second
_MIN_INLIERS = 15  # agreeing matches that make a copy (other garments reach 20 only by chance
                   # shapes that the checks below refuse; copies keep 15-400)
_MIN_SHARE = 0.5  # of the ratio-tested matches, the share that the transform explains:
                  # copies 0.79-1.0; shapes two products share (an ellipse's rim) 0.2
_REPROJECTION = 5.0  # pixels, at MAX_SIDE
_MAX_TURN = 20.0  # degrees: sellers straighten or tilt a photo, never turn it over
_SCALES = (0.25, 4.0)
_MIN_COVER = 0.08  # the matched keypoints span at least this share of the box around all
                  # of ours: a shared label or patch spans less (a 100 px sticker: 0.04)
_COORDS = 16  # keypoint coordinates are stored in 16ths of a pixel (uint16 up to 4096 px)

Array = npt.NDArray[Any]



@lru_cache(maxsize=1)
def _cv() -> Any:
    """OpenCV, imported at the first picture: it adds ~33 MB to a process's memory, which
    one that never looks at a photo (status, digest, a watch without heroes) need not pay."""
    import cv2

    cv2.setNumThreads(1)  # the monitor runs beside other work on small machines
    return cv2


@dataclass(frozen=True)
class FeatureMatch:
    """How a candidate's picture matched one of ours."""

    inliers: int
    matches: int
    mirrored: bool
    turn: float  # degrees
    scale: float  # their picture / ours
    box: tuple[float, float, float, float]  # our matched region in their picture (fractions)

    def to_dict(self) -> dict[str, Any]:
        return {"inliers": self.inliers, "matches": self.matches, "mirrored": self.mirrored,
                "turn": round(self.turn, 1), "scale": round(self.scale, 3),
                "box": [round(v, 3) for v in self.box]}


@dataclass(frozen=True)
class Features:
    """Keypoints (x, y at the working size) and ORB descriptors, upright and mirrored."""

    width: int
    height: int
    points: Array  # float32 (n, 2)
    descriptors: Array  # uint8 (n, 32)
    mirror_points: Array
    mirror_descriptors: Array
    mirrored: bool = False  # whether the mirror image's keypoints were sought (`extract`),
                            # even if it had none: such a picture is never taken again

    def encode(self) -> str:
        """A compact text form for storage beside the hashes."""
        parts = [np.array([self.width, self.height, len(self.points),
                           len(self.mirror_points), int(self.mirrored)], dtype="<u2").tobytes()]
        for pts, des in ((self.points, self.descriptors),
                         (self.mirror_points, self.mirror_descriptors)):
            parts.append(np.round(pts * _COORDS).astype("<u2").tobytes())
            parts.append(des.astype(np.uint8).tobytes())
        return base64.b64encode(b"".join(parts)).decode("ascii")


@lru_cache(maxsize=128)  # our photos stay; a candidate is needed for one judgement: ~10 MB at most
def decode(text: str) -> Features | None:
    """The features back from `Features.encode()`; None for an empty or damaged text."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        width, height, n, m, mirrored = (int(v) for v in np.frombuffer(raw[:10], dtype="<u2"))
        at, arrays = 10, list[Array]()
        for count in (n, m):
            pts = np.frombuffer(raw[at:at + 4 * count], dtype="<u2").reshape(count, 2)
            at += 4 * count
            des = np.frombuffer(raw[at:at + 32 * count], dtype=np.uint8).reshape(count, 32)
            at += 32 * count
            arrays += [pts.astype(np.float32) / _COORDS, des]
        if at != len(raw):
            return None
    except (ValueError, TypeError):
        return None
    return Features(width, height, arrays[0], arrays[1], arrays[2], arrays[3], bool(mirrored))


def _orb(count: int) -> Any:
    # A low FAST threshold finds corners on soft fabric as well as on prints.
    return _cv().ORB_create(nfeatures=count, fastThreshold=10)


def _keypoints(gray: Array, count: int) -> tuple[Array, Array]:
    found, des = _orb(count).detectAndCompute(gray, None)
    if des is None or not found:
        return np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    # ORB may keep a few more than asked (ties at the cut): the strongest `count` stay.
    strongest = np.argsort([-k.response for k in found], kind="stable")[:count]
    return np.array([found[i].pt for i in strongest], dtype=np.float32), des[strongest]


def extract(gray: Array, mirror: bool = False) -> Features:
    """Keypoints of a grayscale picture (uint8, at most MAX_SIDE a side), and of its mirror
    image when asked: only our own photos need those (a candidate's are never mirrored),
    and they double what is stored."""
    height, width = gray.shape[:2]
    count = KEYPOINTS if mirror else THEIR_KEYPOINTS
    points, des = _keypoints(np.ascontiguousarray(gray), count)
    mirror_points, mirror_des = (_keypoints(np.ascontiguousarray(gray[:, ::-1]), count) if mirror
                                 else (np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)))
    return Features(width, height, points, des, mirror_points, mirror_des, mirror)


def _good(ours: Features, theirs: Features) -> Array:
    """(our pooled index, their index) of the matches that pass the ratio test.

    Our upright and mirrored keypoints are one pool (mirrored ones after the upright):
    one search of their keypoints serves both orientations, which halves stage two's time.
    """
    pool = np.vstack([ours.descriptors, ours.mirror_descriptors])
    if len(pool) < 2 or len(theirs.descriptors) < 2:
        return np.zeros((0, 2), np.intp)
    cv = _cv()
    pairs = cv.BFMatcher(cv.NORM_HAMMING).knnMatch(theirs.descriptors, pool, k=2)
    return np.array([(p[0].trainIdx, p[0].queryIdx) for p in pairs
                     if len(p) == 2 and p[0].distance < _RATIO * p[1].distance],
                    dtype=np.intp).reshape(-1, 2)


def _verified(ours: Features, theirs: Features, good: Array,
              mirrored: bool) -> FeatureMatch | None:
    upright = len(ours.points)
    chosen = good[good[:, 0] >= upright] if mirrored else good[good[:, 0] < upright]
    if len(chosen) < _MIN_INLIERS:
        return None
    src = np.vstack([ours.points, ours.mirror_points])[chosen[:, 0]]
    dst = theirs.points[chosen[:, 1]]
    cv = _cv()
    model, mask = cv.estimateAffinePartial2D(src, dst, method=cv.RANSAC,
                                              ransacReprojThreshold=_REPROJECTION)
    if model is None or mask is None:
        return None
    keep = mask.ravel().astype(bool)
    inliers = int(keep.sum())
    if inliers < max(_MIN_INLIERS, _MIN_SHARE * len(src)):
        return None
    scale = float(np.hypot(model[0, 0], model[1, 0]))
    turn = float(np.degrees(np.arctan2(model[1, 0], model[0, 0])))
    if abs(turn) > _MAX_TURN or not _SCALES[0] <= scale <= _SCALES[1]:
        return None
    mine = src[keep]
    if _area(mine) < _MIN_COVER * _area(ours.points):
        return None  # a shared label or patch, not the photo
    seen = dst[keep]
    lo, hi = seen.min(axis=0), seen.max(axis=0)
    box = (float(lo[0]) / theirs.width, float(lo[1]) / theirs.height,
           float(hi[0]) / theirs.width, float(hi[1]) / theirs.height)
    return FeatureMatch(inliers, len(src), mirrored, turn, scale, box)


def _area(points: Array) -> float:
    """The area of the box around some keypoints."""
    return float(np.ptp(points[:, 0]) * np.ptp(points[:, 1])) if len(points) else 0.0


def match_features(ours: Features, theirs: Features) -> FeatureMatch | None:
    """The geometric match of their picture with ours (upright, else mirrored), or None.

    Mirrored copies are met only when our features were extracted with `mirror=True`."""
    good = _good(ours, theirs)
    return _verified(ours, theirs, good, False) or _verified(ours, theirs, good, True)
