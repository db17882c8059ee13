"""Copy detection on a labelled set: stolen photos by hashes, same-style titles by n-grams."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tests.watchers.copies import dataset as photos
from tests.watchers.copies import titles
from watchers.copies.imaging import ImageHashes, compare, hash_image, same_photo
from watchers.copies.matching import compare_photos
from watchers.extract.titles import is_same_style, normalise_title, title_similarity

IMAGE_DISTANCE = 10  # the default `alerts.copy_image_distance`
TITLE_SIMILARITY = 0.8  # the default `alerts.copy_title_similarity`


def scores(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int, int]:
    """Precision, recall, tp, fp, fn of (is a copy, was judged a copy) pairs."""
    tp = sum(truth and judged for truth, judged in pairs)
    fp = sum(judged and not truth for truth, judged in pairs)
    fn = sum(truth and not judged for truth, judged in pairs)
    return tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn


@pytest.fixture(scope="module")
def hashed() -> tuple[list[ImageHashes], list[tuple[photos.Photo, ImageHashes]]]:
    heroes = [hash_image(p.data) for p in photos.heroes()]
    candidates = [(p, hash_image(p.data)) for p in photos.copies() + photos.negatives()]
    assert all(h is not None for h in heroes)
    assert all(h is not None for _, h in candidates)
    return ([h for h in heroes if h is not None],
            [(p, h) for p, h in candidates if h is not None])


def test_stolen_photos_are_found_and_other_products_are_not(
        hashed: tuple[list[ImageHashes], list[tuple[photos.Photo, ImageHashes]]]) -> None:
    heroes, candidates = hashed
    pairs, missed, wrong = [], [], []
    for i, hero in enumerate(heroes):
        for photo, candidate in candidates:
            judged, _ = same_photo(hero, candidate, IMAGE_DISTANCE)
            pairs.append((photo.copy_of == i, judged))
            if photo.copy_of == i and not judged:
                missed.append(photo.name)
            if judged and photo.copy_of != i:
                wrong.append(f"hero{i}~{photo.name}")
    precision, recall, tp, fp, fn = scores(pairs)
    print(f"\nimages: {len(heroes)} heroes x {len(candidates)} candidates "
          f"({len(photos.copies())} copies, {len(photos.negatives())} other products): "
          f"precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert len(heroes) >= 12 and len(photos.negatives()) >= 40
    assert precision >= 0.95, wrong
    assert recall >= 0.95, missed


def test_local_features_add_no_false_copy_on_the_synthetic_set(
        hashed: tuple[list[ImageHashes], list[tuple[photos.Photo, ImageHashes]]]) -> None:
    """Stage two sees the other products' stripes and dots too: it must not call them ours."""
    heroes, candidates = hashed
    judged = [(photo, i, compare_photos(hero, candidate, IMAGE_DISTANCE))
              for i, hero in enumerate(heroes) for photo, candidate in candidates]
    assert [f"hero{i}~{p.name}" for p, i, v in judged if v.same and p.copy_of != i] == []
    assert all(v.same for p, i, v in judged if p.copy_of == i)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_style_titles_are_found_and_near_misses_are_not(lang: str) -> None:
    heroes, candidates = titles.labelled(lang)
    pairs, missed, wrong = [], [], []
    for i, hero in enumerate(heroes):
        for candidate in candidates:
            judged = is_same_style(hero, candidate.text, TITLE_SIMILARITY)
            pairs.append((candidate.copy_of == i, judged))
            if candidate.copy_of == i and not judged:
                missed.append(candidate.text)
            if judged and candidate.copy_of != i:
                wrong.append(f"{hero} ~ {candidate.text}")
    precision, recall, tp, fp, fn = scores(pairs)
    print(f"\ntitles ({lang}): {len(heroes)} heroes x {len(candidates)} candidates: "
          f"precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= 0.95, wrong
    assert recall >= 0.95, missed


def test_each_transform_keeps_distances_under_the_threshold(
        hashed: tuple[list[ImageHashes], list[tuple[photos.Photo, ImageHashes]]]) -> None:
    heroes, candidates = hashed
    worst: dict[str, int] = {}
    for photo, candidate in candidates:
        if photo.copy_of is not None:
            d = compare(heroes[photo.copy_of], candidate)
            kind = photo.name.split(":")[1]
            worst[kind] = max(worst.get(kind, 0), d["fine_aligned"])
    print("\nworst fine distance per transform:", worst)
    assert set(worst) == set(photos.TRANSFORMS)
    assert all(v <= IMAGE_DISTANCE for v in worst.values()), worst


def _encoded(img: Image.Image, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def _hero_image() -> Image.Image:
    return photos.product_photo(0, "dress", 400)


@pytest.mark.parametrize("data", [
    b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    _encoded(_hero_image(), "JPEG")[:1500], _encoded(_hero_image(), "PNG")[:3000],
    b"<html><body>captcha</body></html>",
    _encoded(Image.new("RGB", (300, 300), (250, 250, 250)), "PNG"),
    _encoded(Image.new("RGB", (1, 1)), "GIF"),
], ids=["empty", "text", "png_header_only", "truncated_jpeg", "truncated_png", "html_page",
        "blank_picture", "placeholder_pixel"])
def test_broken_or_empty_images_give_none(data: bytes) -> None:
    assert hash_image(data) is None


def test_decompression_bomb_is_refused_before_decoding() -> None:
    data = _encoded(Image.new("L", (4000, 3000)), "PNG")
    assert hash_image(data, max_pixels=10_000_000) is None
    assert hash_image(_encoded(_hero_image(), "PNG"), max_pixels=10_000_000) is not None


@pytest.mark.parametrize("mode", ["RGBA", "P", "CMYK", "L", "LA", "1", "I;16"])
def test_every_colour_mode_hashes_close_to_the_rgb_photo(mode: str) -> None:
    hero = hash_image(_encoded(_hero_image(), "PNG"))
    img = (_hero_image().convert("L").convert("I").point(lambda v: v * 257).convert(mode)
           if mode == "I;16" else _hero_image().convert(mode))
    fmt = "JPEG" if mode == "CMYK" else ("TIFF" if mode == "I;16" else "PNG")
    other = hash_image(_encoded(img, fmt))
    assert hero is not None and other is not None
    if mode != "1":  # a 1-bit dither keeps the picture, not its texture
        assert same_photo(hero, other)[0], compare(hero, other)


def test_transparent_png_is_judged_as_shown_on_white() -> None:
    img = _hero_image().convert("RGBA")
    pixels = img.load()
    assert pixels is not None
    for x in range(40):
        for y in range(400):
            pixels[x, y] = (0, 0, 0, 0)  # a transparent strip: white to a shopper
    shown = Image.alpha_composite(Image.new("RGBA", img.size, (255, 255, 255, 255)), img)
    a, b = hash_image(_encoded(img, "PNG")), hash_image(_encoded(shown.convert("RGB"), "JPEG"))
    assert a is not None and b is not None
    assert same_photo(a, b)[0]


def test_exif_rotated_photo_matches_the_upright_one() -> None:
    upright = photos.product_photo(3, "mug", 600).resize((600, 400))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned; to be shown rotated 90 degrees clockwise
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    a = hash_image(_encoded(upright, "JPEG"))
    b = hash_image(_encoded(stored, "JPEG", exif=exif.tobytes()))
    assert a is not None and b is not None
    assert (b.width, b.height) == (600, 400)
    assert same_photo(a, b)[0], compare(a, b)


def test_hashes_survive_storage_as_json() -> None:
    hashes = hash_image(photos.heroes()[0].data)
    assert hashes is not None
    back = ImageHashes.from_dict(json.loads(json.dumps(hashes.to_dict())))
    assert back == hashes
    assert compare(back, hashes)["fine"] == 0


@pytest.mark.parametrize(("title", "expected"), [
    ("2026新款高腰阔腿牛仔裤女 包邮", "高腰阔腿牛仔裤女"),
    ("【限时秒杀】2025年新款 连衣裙 正品", "连衣裙"),
    ("官方旗舰店 现货 爆款 特价 清仓 顺丰 保温杯", "保温杯"),
    ("ＬＥＤ护眼台灯Ｔ５！！", "led护眼台灯t5"),
    ("Free Shipping Women's Jeans - Hot Sale!", "womens jeans"),
    ("New Arrival Official Store X-200 Lamp", "x200 lamp"),
    ("Dress [Free Shipping] 2026 NEW", "dress"),
    ("高腰 阔腿 牛仔裤", "高腰阔腿牛仔裤"),
    ("1.5L Kettle, Stainless", "15l kettle stainless"),
], ids=["year_and_shipping", "promo_bracket", "shop_words", "full_width", "english_promo",
        "model_number_joined", "english_bracket", "cjk_spaces_dropped", "decimal_kept"])
def test_normalise_title(title: str, expected: str) -> None:
    assert normalise_title(title) == expected


HERO = "高腰阔腿牛仔裤女宽松显瘦直筒拖地裤"
HERO_EN = "Women's High Waist Wide Leg Jeans Loose Straight Denim Pants"


@pytest.mark.parametrize(("candidate", "low", "high"), [
    ("2026新款高腰阔腿牛仔裤女宽松显瘦直筒拖地裤 包邮", 1.0, 1.0),
    ("宽松显瘦直筒拖地裤高腰阔腿牛仔裤女", 0.85, 1.0),
    ("高腰阔腿牛仔裤女宽松显瘦直筒拖地裤 韩版 百搭 学生", 0.8, 0.95),
    ("高腰阔腿牛仔裤男宽松显瘦直筒拖地裤", 0.0, 0.72),
    ("牛仔裤女", 0.0, 0.5),
    ("高腰直筒牛仔裤女修身显瘦九分裤", 0.3, 0.7),
    ("儿童羽绒服加厚", 0.0, 0.2),
    ("", 0.0, 0.0),
], ids=["boilerplate_only", "reordered", "keyword_stuffed", "men_not_women", "generic_short",
        "same_category_other_cut", "unrelated", "empty"])
def test_title_similarity_chinese(candidate: str, low: float, high: float) -> None:
    assert low <= title_similarity(HERO, candidate) <= high


@pytest.mark.parametrize(("candidate", "low", "high"), [
    ("Wide Leg Jeans for Women High Waist Loose Straight Denim Pants - Free Shipping", 1.0, 1.0),
    ("2026 NEW High-Waisted Wide Leg Jeans Women Loose Straight Denim Trousers", 0.8, 0.95),
    ("Men's High Waist Wide Leg Jeans Loose Straight Denim Pants", 0.0, 0.72),
    ("Women Skinny Jeans High Waist Stretch Denim", 0.3, 0.7),
    ("高腰阔腿牛仔裤女 High Waist Wide Leg Jeans", 0.3, 0.8),
], ids=["reordered_with_promo", "synonym_and_hyphen", "men_not_women", "other_cut", "mixed"])
def test_title_similarity_english(candidate: str, low: float, high: float) -> None:
    assert low <= title_similarity(HERO_EN, candidate) <= high


@pytest.mark.parametrize(("hero", "candidate"), [
    ("真皮男士双肩包商务电脑包", "PU男士双肩包商务电脑包"),
    ("LED Desk Lamp T5 Rechargeable", "LED Desk Lamp T8 Rechargeable"),
    ("女童运动鞋透气网面软底", "男童运动鞋透气网面软底"),
    ("法式复古方领泡泡袖连衣裙女", "法式复古方领泡泡袖连衣裙女童"),
], ids=["material", "model_number", "girls_vs_boys", "women_vs_girls"])
def test_a_different_attribute_makes_a_different_product(hero: str, candidate: str) -> None:
    assert not is_same_style(hero, candidate)
    assert is_same_style(hero, hero)


def test_similarity_stays_within_zero_and_one() -> None:
    heroes, candidates = titles.labelled("zh")
    values = [title_similarity(h, c.text) for h in heroes[:3] for c in candidates]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert max(values) > 0.8 > min(values)
