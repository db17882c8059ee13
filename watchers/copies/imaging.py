"""Perceptual image hashes and the stolen-photo judgement (pure: bytes in, hashes out).

Each image is hashed three ways: pHash (the 8x8 lowest DCT frequencies of its luminance),
dHash (8x8 neighbour gradients) and `fine`, a 16x16 pHash whose distance is reported in
64ths like the others. Each kind is taken of several views: the whole picture, its
central 90 % and 80 %, its four 90 % corners and four 90 % edges, the picture with a
plain frame or padding trimmed off, and its mirror image.

Two pictures are the same photo when, at one alignment of views, `fine` AND at least one
of pHash/dHash are within `threshold` (default 10 of 64, `alerts.copy_image_distance`).
Why (measured on tests/copies_dataset.py; figures in tests/test_copy_detection.py):
- Resizing (50 %, 120 %), JPEG quality 50 and a watermark move every kind by 0-8 bits
  at worst; 10 keeps them all, with a little room.
- A 5 % border or a 10 % crop shifts the frame and a whole-image hash drifts by 15-40
  bits; comparing views one step apart (whole~central 90 %, whole~a corner, 90 %~80 %,
  trimmed~trimmed, whole~mirror) realigns them to within 0-5 bits.
- The 8x8 hashes only see the layout: photos of other products of the same category
  (a dark bottle upright on a light backdrop) come within 3-10 bits of ours. `fine`
  sees the product's surface as well and keeps such photos 12+ (of 64) away, while
  copies stay within 5; requiring a coarse kind too guards `fine` against noise.
Not matched: crops over ~15 %, borders over ~10 % on busy backgrounds, rotations over a
few degrees, and strong recolouring: the local features (`features`, stage two in
`matching`) take those. On the real clothing photos the hashes alone find 0.48 of the
issue-13 edits, with no other garment flagged.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import imagehash
import numpy as np
from PIL import Image, ImageChops, ImageOps, ImageStat

from watchers.copies.features import MAX_SIDE, Features, extract
from watchers.copies.features import decode as decode_features

__all__ = ["KINDS", "ImageHashes", "compare", "hash_image", "same_photo"]

KINDS = ("phash", "dhash", "fine")
BITS = 64
_FINE_BITS = 256  # `fine` is a 16x16 pHash; its distance is reported in 64ths like the others
# Framings as the share cut from (left, top, right, bottom): the whole picture, its centre,
# its four 90 % corners (a crop off two sides) and 90 % edges (a crop off one side).
FRAMES: dict[str, tuple[float, float, float, float]] = {
    "": (0, 0, 0, 0), "_c90": (0.05, 0.05, 0.05, 0.05), "_c80": (0.1, 0.1, 0.1, 0.1),
    "_tl": (0, 0, 0.1, 0.1), "_tr": (0.1, 0, 0, 0.1), "_bl": (0, 0.1, 0.1, 0),
    "_br": (0.1, 0.1, 0, 0), "_t": (0, 0, 0, 0.1), "_b": (0, 0.1, 0, 0),
    "_l": (0, 0, 0.1, 0), "_r": (0.1, 0, 0, 0),
}
# Two more views: the picture with a plain frame or padding trimmed off, and mirrored.
VIEWS = (*FRAMES, "_trim", "_mirror")
# Which views of one image are compared with which of the other: one step apart.
_STEPS = (("", ""), ("", "_c90"), ("_c90", "_c90"), ("_c90", "_c80"), ("_c80", "_c80"),
          ("", "_tl"), ("", "_tr"), ("", "_bl"), ("", "_br"),
          ("", "_t"), ("", "_b"), ("", "_l"), ("", "_r"),
          ("_trim", "_trim"), ("", "_trim"), ("", "_mirror"))
_ALIGNMENTS = tuple(dict.fromkeys(_STEPS + tuple((b, a) for a, b in _STEPS)))
_WORK = 128  # the working square: twice the 64x64 the finest hash looks at
_ORIENTATION = 0x0112  # the EXIF tag
_FLAT = 2.0  # luminance spread (std dev, of 255) below which a picture shows nothing
_MIN_SIDE = 16


@dataclass(frozen=True)
class ImageHashes:
    """An image's perceptual hashes (hex, by kind + framing) and what identifies it."""

    hashes: tuple[tuple[str, str], ...]  # (name, hex) pairs: a frozen, hashable mapping
    sha256: str
    width: int
    height: int
    features: str = ""  # the local features (`features.Features.encode()`), for stage two

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping for storage."""
        return {"hashes": dict(self.hashes), "sha256": self.sha256,
                "width": self.width, "height": self.height, "features": self.features}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImageHashes:
        """The hashes back from `to_dict()`."""
        return cls(hashes=tuple((str(k), str(v)) for k, v in dict(data["hashes"]).items()),
                   sha256=str(data["sha256"]), width=int(data["width"]),
                   height=int(data["height"]), features=str(data["features"]))

    def value(self, kind: str, frame: str = "") -> int:
        """One hash as an integer of its bits."""
        return _bits(self.hashes)[kind + frame]

    def local(self) -> Features | None:
        """The local features, parsed once per process and image."""
        return decode_features(self.features) if self.features else None


@lru_cache(maxsize=4096)
def _bits(pairs: tuple[tuple[str, str], ...]) -> dict[str, int]:
    # Parsed once per image: a candidate is compared with every hero image.
    return {name: int(hexed, 16) for name, hexed in pairs}


def _flatten(img: Image.Image) -> Image.Image:
    """A colour picture as a shopper sees it: transparency over white, whatever the mode."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16/32-bit grayscale: Pillow's convert would clip at 255, so scale what is used.
        img = img.convert("I")
        top = img.getextrema()[1]
        scale = 255 / float(top) if isinstance(top, int | float) and top > 255 else 1.0
        img = img.point(lambda v: v * scale).convert("L")
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    return img.convert("RGB")  # CMYK, YCbCr, P, 1, L, F... all convert to RGB


def _trimmed(img: Image.Image) -> Image.Image:
    """The picture without a plain border or padding (the colour of its corners)."""
    w, h = img.size
    corners = [img.getpixel(xy) for xy in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))]
    plain = Image.new(img.mode, img.size, max(set(corners), key=corners.count))
    # JPEG noise in the plain colour must not count as content.
    diff = ImageChops.difference(img, plain).convert("L").point(lambda v: 255 if v > 24 else 0)
    box = diff.getbbox()
    if box is None or (box[2] - box[0]) * (box[3] - box[1]) < w * h // 4:
        return img  # nearly all plain: trimming would keep only a speck
    return img.crop(box)


def _view(img: Image.Image, square: Image.Image, view: str) -> Image.Image:
    if view == "_trim":
        return _trimmed(img).resize((_WORK, _WORK), Image.Resampling.BOX)
    if view == "_mirror":
        return ImageOps.mirror(square)
    left, top, right, bottom = (round(_WORK * m) for m in FRAMES[view])
    return square.crop((left, top, _WORK - right, _WORK - bottom)) if view else square


def _decode(data: bytes, max_pixels: int) -> tuple[Image.Image, int, int] | None:
    """The picture (RGB, upright, at least MAX_SIDE when it is larger) and its shown size."""
    with Image.open(io.BytesIO(data)) as opened:
        width, height = opened.size
        if width < _MIN_SIDE or height < _MIN_SIDE or width * height > max_pixels:
            return None  # a placeholder pixel or a decompression bomb: never decoded
        if opened.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8):
            width, height = height, width  # shown rotated a quarter turn
        # JPEG can decode at 1/2..1/8 scale directly: far faster and smaller in memory.
        opened.draft("RGB", (MAX_SIDE, MAX_SIDE))
        img = ImageOps.exif_transpose(opened)
        img.load()  # a truncated file raises here
        return _flatten(img), width, height


def hash_image(data: bytes, max_pixels: int = 40_000_000,
               mirror: bool = False) -> ImageHashes | None:
    """The hashes of an encoded image; None for anything that is not a whole, sane picture.

    None also for a picture with nothing in it (one flat colour, or under 16 px a side):
    every such picture would match every other, so it is no evidence of anything.
    The local features are taken here too, from the same decoded picture scaled to at
    most MAX_SIDE: one decode per image, and nothing to compute again for a stored one.
    `mirror` adds the mirror image's features: for our own photos (see `features.extract`).
    """
    try:
        decoded = _decode(data, max_pixels)
        if decoded is None:
            return None
        img, width, height = decoded
        gray = img.convert("L")
        gray.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BOX)  # the features' size
        # The hashes need no more than twice the working square: trimming a frame off a
        # smaller picture costs a quarter as much.
        coarse = gray.copy()
        coarse.thumbnail((_WORK * 2, _WORK * 2), Image.Resampling.BOX)
        square = coarse.resize((_WORK, _WORK), Image.Resampling.BOX)
        if ImageStat.Stat(square).stddev[0] < _FLAT:
            return None
        values: list[tuple[str, str]] = []
        for name in VIEWS:
            view = _view(coarse, square, name)
            values += [("phash" + name, str(imagehash.phash(view))),
                       ("dhash" + name, str(imagehash.dhash(view))),
                       ("fine" + name, str(imagehash.phash(view, hash_size=16)))]
        local = extract(np.asarray(gray), mirror).encode()
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError...)
        return None
    return ImageHashes(tuple(values), hashlib.sha256(data).hexdigest(), width, height, local)


def _distance(a: ImageHashes, b: ImageHashes, kind: str, fa: str, fb: str) -> int:
    bits = (a.value(kind, fa) ^ b.value(kind, fb)).bit_count()
    return round(bits * BITS / _FINE_BITS) if kind == "fine" else bits


def _distances(a: ImageHashes, b: ImageHashes, fa: str, fb: str) -> dict[str, int]:
    return {k: _distance(a, b, k, fa, fb) for k in KINDS}


def _verdict(dist: Mapping[str, int], threshold: int) -> bool:
    """The fine hash and one coarse hash agree: coarse ones alone match mere layouts."""
    return dist["fine"] <= threshold and min(dist["phash"], dist["dhash"]) <= threshold


def _best(a: ImageHashes, b: ImageHashes, threshold: int) -> dict[str, int]:
    """The alignment that matches, else the one closest to matching."""
    return min((_distances(a, b, fa, fb) for fa, fb in _ALIGNMENTS),
               key=lambda d: (not _verdict(d, threshold),
                              max(d["fine"], min(d["phash"], d["dhash"])), sum(d.values())))


def compare(a: ImageHashes, b: ImageHashes, threshold: int = 10) -> dict[str, int]:
    """Distances in bits of 64 per kind: whole pictures, and `*_aligned` at the best framing."""
    whole = _distances(a, b, "", "")
    aligned = _best(a, b, threshold)
    return {**whole, **{f"{k}_aligned": d for k, d in aligned.items()}}


def same_photo(a: ImageHashes, b: ImageHashes,
               threshold: int = 10) -> tuple[bool, dict[str, int]]:
    """Whether `b` is `a`'s photo (resized, recompressed, watermarked, bordered, cropped)."""
    distances = compare(a, b, threshold)
    if a.sha256 == b.sha256:
        return True, distances
    aligned = {k: distances[f"{k}_aligned"] for k in KINDS}
    return _verdict(aligned, threshold), distances
