"""The picture a person needs before filing a complaint: our photo and theirs side by side.

Pure: two encoded images and the matched box (fractions of their picture, as in
`copy_listing` evidence `photo.features.box`) in, one small PNG out. The box is drawn on
their picture so that a cropped or bannered copy shows where our photo sits in it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageOps

__all__ = ["side_by_side"]

HEIGHT = 360  # each picture is scaled to this height: small enough for any chat
_GAP = 12
_BOX = (230, 30, 30)
_MAX_PIXELS = 40_000_000  # as for hashing: a decompression bomb is never decoded


def _open(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        if img.width * img.height > _MAX_PIXELS:
            raise ValueError("picture too large to show")
        img.draft("RGB", (HEIGHT * 2, HEIGHT * 2))
        shown = ImageOps.exif_transpose(img).convert("RGB")
    return ImageOps.contain(shown, (HEIGHT * 3, HEIGHT), Image.Resampling.LANCZOS)


def side_by_side(ours: bytes, theirs: bytes,
                 box: Sequence[float] | None = None) -> bytes | None:
    """A PNG of our photo (left) and theirs (right, with the matched box); None if either
    picture cannot be read."""
    try:
        left, right = _open(ours), _open(theirs)
    except Exception:  # Pillow raises many kinds; no picture is better than a crash
        return None
    out = Image.new("RGB", (left.width + _GAP + right.width, HEIGHT), (255, 255, 255))
    out.paste(left, (0, (HEIGHT - left.height) // 2))
    x0, y0 = left.width + _GAP, (HEIGHT - right.height) // 2
    out.paste(right, (x0, y0))
    if box is not None and len(box) == 4:
        a, b, c, d = (min(1.0, max(0.0, float(v))) for v in box)
        ImageDraw.Draw(out).rectangle(
            (x0 + a * right.width, y0 + b * right.height,
             x0 + c * right.width, y0 + d * right.height), outline=_BOX, width=3)
    data = io.BytesIO()
    out.save(data, "PNG", optimize=True)
    return data.getvalue()
