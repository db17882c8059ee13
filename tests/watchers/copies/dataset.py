"""A labelled copy-detection set made on the fly: synthetic product photos and their copies.

Heroes and negatives come from one generator of "product photos" (a studio background,
a product silhouette of a category, a surface pattern, a printed label); negatives of a
hero's category share its layout and palette, which is what makes them hard. Copies are
what thieves do to a photo: resize, recompress, watermark, frame, crop, and mixes.
Titles live in `tests.watchers.copies.titles`.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

CATEGORIES = ("dress", "shoe", "bag", "mug", "bottle", "lamp")
HEROES = 12  # two per category
NEGATIVES = 48  # eight per category, each a different item from the heroes


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's built-in scalable font: no dependence on the machine's fonts.
    return ImageFont.load_default(size=size)


def _jitter(rng: random.Random, rgb: tuple[int, int, int], spread: int) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, c + rng.randint(-spread, spread))) for c in rgb)
    return r, g, b


# Each category's studio look: background top/bottom colours and the product's colour.
PALETTES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]] = {
    "dress": ((245, 238, 230), (215, 200, 190), (170, 40, 60)),
    "shoe": ((235, 235, 240), (180, 185, 200), (60, 50, 45)),
    "bag": ((250, 245, 235), (225, 210, 180), (120, 70, 40)),
    "mug": ((230, 240, 245), (190, 210, 225), (240, 240, 235)),
    "bottle": ((225, 240, 230), (170, 205, 185), (40, 110, 160)),
    "lamp": ((60, 55, 70), (20, 20, 30), (240, 200, 90)),
}


def _background(rng: random.Random, size: int, category: str) -> Image.Image:
    top, bottom, _ = PALETTES[category]
    top, bottom = _jitter(rng, top, 12), _jitter(rng, bottom, 12)
    img = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(img)
    for y in range(size):
        t = y / (size - 1)
        draw.line([(0, y), (size, y)], fill=tuple(round(a + (b - a) * t)
                                                  for a, b in zip(top, bottom, strict=True)))
    return img


def _silhouette(rng: random.Random, size: int, category: str) -> Image.Image:
    """The product's shape as a mask, placed and proportioned differently per item."""
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    s = size
    cx = s * rng.uniform(0.38, 0.62)
    w = s * rng.uniform(0.28, 0.5)
    top, bottom = s * rng.uniform(0.1, 0.25), s * rng.uniform(0.75, 0.92)
    if category == "dress":
        waist = top + (bottom - top) * rng.uniform(0.25, 0.45)
        d.polygon([(cx - w * 0.22, top), (cx + w * 0.22, top), (cx + w * 0.3, waist),
                   (cx + w * 0.7, bottom), (cx - w * 0.7, bottom), (cx - w * 0.3, waist)], 255)
    elif category == "shoe":
        y = s * rng.uniform(0.5, 0.65)
        d.ellipse([cx - w, y - s * 0.06, cx + w, y + s * 0.12], 255)
        d.polygon([(cx - w * 0.9, y), (cx - w * 0.5, y - s * rng.uniform(0.15, 0.3)),
                   (cx - w * 0.1, y - s * rng.uniform(0.1, 0.25)), (cx + w * 0.2, y)], 255)
    elif category == "bag":
        d.rounded_rectangle([cx - w, top + s * 0.15, cx + w, bottom], radius=int(s * 0.05),
                            fill=255)
        d.arc([cx - w * 0.6, top, cx + w * 0.6, top + s * 0.32], 180, 360, fill=255,
              width=max(4, int(s * 0.025)))
    elif category == "mug":
        d.rectangle([cx - w * 0.6, top + s * 0.1, cx + w * 0.5, bottom], 255)
        mid, reach = (top + s * 0.1 + bottom) / 2, s * rng.uniform(0.12, 0.2)
        d.ellipse([cx + w * 0.35, mid - reach, cx + w * 0.95, mid + reach], 255)
        d.ellipse([cx + w * 0.5, mid - reach * 0.6, cx + w * 0.8, mid + reach * 0.6], 0)
    elif category == "bottle":
        d.rounded_rectangle([cx - w * 0.4, top + s * 0.2, cx + w * 0.4, bottom],
                            radius=int(s * 0.06), fill=255)
        d.rectangle([cx - w * 0.12, top, cx + w * 0.12, top + s * 0.22], 255)
    else:  # lamp
        d.polygon([(cx - w * 0.6, top + s * 0.25), (cx + w * 0.6, top + s * 0.25),
                   (cx + w * 0.3, top), (cx - w * 0.3, top)], 255)
        d.rectangle([cx - s * 0.015, top + s * 0.25, cx + s * 0.015, bottom], 255)
        d.ellipse([cx - w * 0.4, bottom - s * 0.04, cx + w * 0.4, bottom + s * 0.04], 255)
    return mask


def _surface(rng: random.Random, size: int, category: str) -> Image.Image:
    """The product's material: its colour with stripes, dots or checks of its own scale."""
    colour = _jitter(rng, PALETTES[category][2], 35)
    accent = _jitter(rng, (255 - colour[0], 255 - colour[1], 255 - colour[2]), 60)
    img = Image.new("RGB", (size, size), colour)
    d = ImageDraw.Draw(img)
    step = rng.randint(size // 30, size // 8)
    style = rng.choice(("stripes", "dots", "checks", "diagonal", "plain"))
    if style == "stripes":
        for x in range(0, size, step * 2):
            d.rectangle([x, 0, x + step // 2, size], accent)
    elif style == "dots":
        for y in range(0, size, step):
            for x in range(rng.randint(0, step), size, step):
                d.ellipse([x, y, x + step // 3, y + step // 3], accent)
    elif style == "checks":
        for y in range(0, size, step):
            for x in range(0, size, step):
                if (x // step + y // step) % 2:
                    d.rectangle([x, y, x + step, y + step], accent)
    elif style == "diagonal":
        for k in range(-size, size, step * 2):
            d.line([(k, 0), (k + size, size)], accent, width=max(2, step // 3))
    return img


def product_photo(seed: int, category: str, size: int) -> Image.Image:
    """One synthetic studio photo of one product: the same seed always draws the same."""
    rng = random.Random(f"{category}:{seed}")
    img = _background(rng, size, category)
    mask = _silhouette(rng, size, category)
    shadow = mask.filter(ImageFilter.GaussianBlur(size / 40))
    img.paste((0, 0, 0), (int(size * 0.02), int(size * 0.02)),
              shadow.point(lambda v: v * 0.35))
    img.paste(_surface(rng, size, category), (0, 0), mask)
    d = ImageDraw.Draw(img)
    label = "".join(rng.choice("ABCDEFGHKLMNPRSTUVXYZ") for _ in range(rng.randint(3, 6)))
    font = _font(int(size * rng.uniform(0.05, 0.09)))
    d.text((size * rng.uniform(0.05, 0.5), size * rng.uniform(0.03, 0.9)), label,
           fill=_jitter(rng, (40, 40, 40), 40), font=font)
    return img


def encode(img: Image.Image, fmt: str = "JPEG", quality: int = 90) -> bytes:
    """The image as a file's bytes."""
    out = io.BytesIO()
    img.convert("RGB").save(out, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return out.getvalue()


def _recompress(img: Image.Image, quality: int) -> Image.Image:
    return Image.open(io.BytesIO(encode(img, quality=quality)))


def _watermark(img: Image.Image) -> Image.Image:
    """A shop's semi-transparent name across the lower third and in a corner."""
    w, h = img.size
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.text((w * 0.08, h * 0.62), "COPYSHOP 88", fill=(255, 255, 255, 140),
           font=_font(int(h * 0.08)))
    d.text((w * 0.62, h * 0.9), "shop.example", fill=(0, 0, 0, 120), font=_font(int(h * 0.04)))
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")


def _border(img: Image.Image, share: float = 0.05, colour: tuple[int, int, int] = (255,) * 3,
            ) -> Image.Image:
    w, h = img.size
    pad = round(max(w, h) * share)
    out = Image.new("RGB", (w + 2 * pad, h + 2 * pad), colour)
    out.paste(img, (pad, pad))
    return out


def _crop(img: Image.Image, share: float = 0.10, centred: bool = True) -> Image.Image:
    """Cut `share` of each dimension away: half on each side, or all off the top left."""
    w, h = img.size
    dx, dy = round(w * share), round(h * share)
    if centred:
        return img.crop((dx // 2, dy // 2, w - (dx - dx // 2), h - (dy - dy // 2)))
    return img.crop((dx, dy, w, h))


def _scale(img: Image.Image, factor: float) -> Image.Image:
    w, h = img.size
    return img.resize((round(w * factor), round(h * factor)), Image.Resampling.LANCZOS)


TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "resize_50": lambda im: _scale(im, 0.5),
    "resize_120": lambda im: _scale(im, 1.2),
    "jpeg_50": lambda im: _recompress(im, 50),
    "watermark": _watermark,
    "border_5": _border,
    "border_5_black": lambda im: _border(im, colour=(0, 0, 0)),
    "crop_10": _crop,
    "crop_10_corner": lambda im: _crop(im, centred=False),
    "crop_10_jpeg_50": lambda im: _recompress(_crop(im), 50),
    "watermark_resize_50": lambda im: _scale(_watermark(im), 0.5),
    "border_5_jpeg_50": lambda im: _recompress(_border(im), 50),
    "crop_10_bottom": lambda im: im.crop((0, 0, im.width, round(im.height * 0.9))),
    "mirror_jpeg_50": lambda im: _recompress(ImageOps.mirror(im), 50),
}


@dataclass(frozen=True)
class Photo:
    """One labelled image: whose copy it is (None: an unrelated product) and its bytes."""

    name: str
    category: str
    copy_of: int | None
    data: bytes


def hero_sizes() -> list[int]:
    """Hero photo sides, from 400 to 800 pixels."""
    return [400 + 400 * i // (HEROES - 1) for i in range(HEROES)]


@cache
def heroes() -> tuple[Photo, ...]:
    """Our hero products' photos: two per category, as our listing serves them."""
    return tuple(Photo(f"hero{i}", CATEGORIES[i % len(CATEGORIES)], i,
                       encode(product_photo(i, CATEGORIES[i % len(CATEGORIES)], size)))
                 for i, size in enumerate(hero_sizes()))


@cache
def copies() -> tuple[Photo, ...]:
    """Every hero photo under every thief's transform."""
    out = []
    for i, size in enumerate(hero_sizes()):
        category = CATEGORIES[i % len(CATEGORIES)]
        original = product_photo(i, category, size)
        for name, transform in TRANSFORMS.items():
            out.append(Photo(f"hero{i}:{name}", category, i, encode(transform(original))))
    return tuple(out)


@cache
def negatives() -> tuple[Photo, ...]:
    """Other products: same categories, layouts and palettes as the heroes, other items."""
    out = []
    for j in range(NEGATIVES):
        category = CATEGORIES[j % len(CATEGORIES)]
        size = 400 + (j * 37) % 401
        seed = 1000 + j  # never a hero's seed: a different item
        out.append(Photo(f"other{j}", category, None,
                         encode(product_photo(seed, category, size), quality=85)))
    return tuple(out)
