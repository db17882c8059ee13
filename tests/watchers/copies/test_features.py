"""Local features: storage, bounds, and what must not count as the same photo."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.watchers.copies import dataset as synthetic
from tests.watchers.copies import realworld
from watchers.copies.evidence import side_by_side
from watchers.copies.features import KEYPOINTS, MAX_SIDE, decode, extract, match_features
from watchers.copies.imaging import ImageHashes, hash_image
from watchers.copies.matching import compare_photos

needs_photos = pytest.mark.skipif(not realworld.available(),
                                  reason=f"the real photos are not there: {realworld.ROOT}")


def _photo() -> Image.Image:
    return synthetic.product_photo(4, "bottle", 600)


def test_features_survive_storage_with_the_hashes() -> None:
    ours = hash_image(synthetic.encode(_photo()), mirror=True)
    assert ours is not None
    back = ImageHashes.from_dict(json.loads(json.dumps(ours.to_dict())))
    local, again = ours.local(), back.local()
    assert local is not None and again is not None and local.mirrored
    assert np.array_equal(local.descriptors, again.descriptors)
    assert np.allclose(local.points, again.points, atol=1 / 16)
    assert len(local.mirror_points) > 0


def test_a_picture_without_keypoints_still_remembers_its_mirror_was_sought() -> None:
    plain = extract(np.full((64, 64), 128, np.uint8), mirror=True)
    back = decode(plain.encode())
    assert back is not None and back.mirrored and len(back.points) == 0
    assert not extract(np.full((64, 64), 128, np.uint8)).mirrored


@pytest.mark.parametrize("text", ["", "not base64!", "AAAA", "AAECAwQFBgcICQ=="])
def test_damaged_features_decode_to_none(text: str) -> None:
    assert decode(text) is None


def test_a_big_picture_is_scaled_and_its_keypoints_capped_before_matching() -> None:
    big = _photo().resize((3000, 3000))
    out = io.BytesIO()
    big.save(out, "JPEG", quality=85)
    hashed = hash_image(out.getvalue(), mirror=True)
    assert hashed is not None
    local = hashed.local()
    assert local is not None
    assert max(local.width, local.height) <= MAX_SIDE
    assert 0 < len(local.points) <= KEYPOINTS and len(local.mirror_points) <= KEYPOINTS


def test_a_candidate_photo_is_never_taken_mirrored() -> None:
    theirs = hash_image(synthetic.encode(_photo()))
    assert theirs is not None and theirs.local() is not None
    local = theirs.local()
    assert local is not None and not local.mirrored and len(local.mirror_points) == 0


@needs_photos
def test_the_same_sticker_on_two_garments_is_not_the_same_photo() -> None:
    """Two caps with the same label come close by keypoints; coverage tells them apart."""
    shirts = realworld.photos()["t-shirt"]
    sticker = realworld.load(shirts[10]).crop((100, 150, 200, 250))
    pictures = []
    for path in shirts[11:13]:
        picture = realworld.load(path)
        picture.paste(sticker, (150, 200))
        pictures.append(realworld.jpeg(picture))
    ours, theirs = hash_image(pictures[0], mirror=True), hash_image(pictures[1])
    assert ours is not None and theirs is not None
    mine, other = ours.local(), theirs.local()
    assert mine is not None and other is not None
    assert match_features(mine, other) is None
    assert not compare_photos(ours, theirs).same
    # Known limit (see features.py): when such a sticker is on OUR photo, it takes most of
    # our strongest keypoints, and a turned copy of our photo may then be missed as well.


def test_the_evidence_picture_shows_both_photos_and_the_matched_box() -> None:
    ours = synthetic.encode(_photo())
    theirs = synthetic.encode(_photo().crop((60, 60, 540, 540)).resize((300, 300)))
    png = side_by_side(ours, theirs, (0.1, 0.2, 0.9, 0.7))
    assert png is not None
    with Image.open(io.BytesIO(png)) as shown:
        assert shown.format == "PNG" and shown.height == 360
        assert shown.width == 360 + 12 + 360
        pixels = shown.convert("RGB")
        x, y = 360 + 12 + round(0.1 * 360), round(0.45 * 360)
        assert pixels.getpixel((x, y)) == (230, 30, 30)  # the box's left edge
    assert side_by_side(ours, b"not an image") is None


def test_opencv_is_loaded_only_when_a_picture_is_looked_at() -> None:
    """~33 MB that `monitor status`, the digest or a config without heroes never need."""
    code = ("import sys, monitor.cli, watchers.copies.check, watchers.copies.matching; "
            "assert 'cv2' not in sys.modules, 'cv2 imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[3], check=False)
    assert done.returncode == 0, done.stderr
