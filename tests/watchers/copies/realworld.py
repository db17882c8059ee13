"""Copies of real clothing photos made the way sellers edit a stolen main image (issue 13).

The photos are read from ../shared/realworld/images/clothing/ (CC0, see its README) and
never copied into the project. Heroes are the first photos of each category (sorted by
name, so the set is the same on every machine); every other photo of the hero's category
is a negative: a different garment photographed the same way.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parents[4] / "shared" / "realworld" / "images" / "clothing"
HEROES_PER_CATEGORY = 4  # 10 categories: 40 heroes
_CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def available() -> bool:
    """Whether the real photos are there (a fresh clone without ../shared has none)."""
    return ROOT.is_dir() and any(ROOT.glob("*/*.jpg"))


@cache
def photos() -> dict[str, tuple[Path, ...]]:
    """Every photo by category, sorted by name."""
    return {d.name: tuple(sorted(d.glob("*.jpg"))) for d in sorted(ROOT.iterdir()) if d.is_dir()}


def heroes() -> list[tuple[str, Path]]:
    """(category, path) of the hero photos."""
    return [(cat, p) for cat, paths in photos().items() for p in paths[:HEROES_PER_CATEGORY]]


def load(path: Path) -> Image.Image:
    with Image.open(path) as img:
        return img.convert("RGB")


def jpeg(img: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in _CJK_FONTS:
        if Path(name).is_file():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size=size)  # no CJK glyphs: the strip is still there


def pad_square(img: Image.Image, side: int = 800) -> Image.Image:
    """Scaled into an 800x800 white square, as 主图 must be."""
    scaled = ImageOps.contain(img, (side, side), Image.Resampling.LANCZOS)
    out = Image.new("RGB", (side, side), (255, 255, 255))
    out.paste(scaled, ((side - scaled.width) // 2, (side - scaled.height) // 2))
    return out


def crop(img: Image.Image, left: float, top: float, right: float, bottom: float,
         ) -> Image.Image:
    w, h = img.size
    return img.crop((round(w * left), round(h * top), w - round(w * right),
                     h - round(h * bottom)))


def banner(img: Image.Image, share: float) -> Image.Image:
    """A red promotional strip with 包邮 限时特价 over the bottom `share` of the picture."""
    out = img.copy()
    w, h = out.size
    top = round(h * (1 - share))
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, top, w, h), fill=(215, 25, 35))
    draw.rectangle((0, top, w, top + max(2, h // 100)), fill=(255, 210, 0))
    size = max(12, round((h - top) * 0.42))
    draw.text((w * 0.06, top + (h - top) * 0.25), "包邮 限时特价 ¥59", font=_font(size),
              fill=(255, 255, 255))
    return out


def watermark(img: Image.Image) -> Image.Image:
    """A shop's semi-transparent name in the middle and a logo sticker in a corner."""
    w, h = img.size
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.text((w * 0.18, h * 0.45), "潮流女装店 shop88", font=_font(round(h * 0.07)),
              fill=(255, 255, 255, 150))
    draw.ellipse((w * 0.78, h * 0.03, w * 0.97, h * 0.03 + w * 0.19), fill=(250, 80, 0, 230))
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")


def rotate(img: Image.Image, degrees: float) -> Image.Image:
    return img.rotate(degrees, Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))


def recolour(img: Image.Image) -> Image.Image:
    """Brighter and less saturated: a 'fresh' filter."""
    return ImageEnhance.Color(ImageEnhance.Brightness(img).enhance(1.25)).enhance(0.6)


def halve_and_frame(img: Image.Image) -> Image.Image:
    """Half size on a pale frame with a thin coloured rule around the photo."""
    small = img.resize((img.width // 2, img.height // 2), Image.Resampling.LANCZOS)
    pad = round(max(small.size) * 0.12)
    out = Image.new("RGB", (small.width + 2 * pad, small.height + 2 * pad), (246, 238, 226))
    ImageDraw.Draw(out).rectangle((pad - 6, pad - 6, pad + small.width + 5,
                                   pad + small.height + 5), fill=(190, 40, 60))
    out.paste(small, (pad, pad))
    return out


# The table of edits, each as the seller serves it (JPEG).
EDITS: dict[str, Callable[[Image.Image], bytes]] = {
    "pad_800": lambda im: jpeg(pad_square(im)),
    "crop_15_corner": lambda im: jpeg(crop(im, 0.15, 0.15, 0, 0)),
    "crop_30": lambda im: jpeg(crop(im, 0.15, 0.15, 0.15, 0.15)),
    "crop_30_square": lambda im: jpeg(crop(im, 0.05, 0.2, 0.1, 0.1)),
    "banner_18": lambda im: jpeg(banner(im, 0.18)),
    "banner_25": lambda im: jpeg(banner(pad_square(im), 0.25)),
    "watermark_jpeg_60": lambda im: jpeg(watermark(im), 60),
    "rotate_3": lambda im: jpeg(rotate(im, 3)),
    "rotate_10": lambda im: jpeg(rotate(im, -10)),
    "bright_pale": lambda im: jpeg(recolour(im)),
    "mirror": lambda im: jpeg(ImageOps.mirror(im)),
    "halve_and_frame": lambda im: jpeg(halve_and_frame(im), 80),
}
