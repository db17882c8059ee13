"""Figures of image matching for the copy watch.

`bench_hashing`: time and memory to hash (global hashes + local features) n synthetic
candidate photos, and stage one's comparisons. `bench_realworld` (issue 13), on the real
clothing photos of ../shared/realworld/images when they are there: what one marketplace
search page of 48 candidates costs against a hero with 5 photos, stage by stage, and
recall/precision of the hashes alone against both stages over the issue's table of edits.
Run alone: `.venv/bin/python -m bench.imaging_bench [n]`.
"""

from __future__ import annotations

import io
import json
import random
import resource
import sys
import time
import tracemalloc

from PIL import Image, ImageDraw

from bench.imaging_real import bench_realworld
from watchers.copies.imaging import ImageHashes, hash_image, same_photo

SIDE = 750  # a typical marketplace main-image size
MEMORY_SAMPLE = 100  # images hashed again under tracemalloc (it slows Python code down)


def candidate_jpeg(seed: int, side: int = SIDE) -> bytes:
    """One distinct synthetic product photo as JPEG bytes (a gradient, shapes, a label)."""
    rng = random.Random(seed)
    top = tuple(rng.randint(150, 255) for _ in range(3))
    img = Image.linear_gradient("L").resize((side, side)).convert("RGB")
    img = Image.blend(img, Image.new("RGB", (side, side), top), 0.7)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 8)):
        x, y = rng.randint(0, side - 100), rng.randint(0, side - 100)
        w, h = rng.randint(40, side // 2), rng.randint(40, side // 2)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape([x, y, x + w, y + h], fill=colour)
    draw.text((rng.randint(0, side // 2), rng.randint(0, side - 40)), f"ITEM {seed}",
              fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=rng.choice((75, 85, 92)))
    return out.getvalue()


def peak_rss_mb() -> float:
    """The process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_hashing(n: int = 1000) -> dict[str, float]:
    """Hash n in-memory candidate JPEGs; seconds, per-image ms and memory peaks."""
    photos = [candidate_jpeg(i) for i in range(n)]
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    hashed = [hash_image(data) for data in photos]
    seconds = time.perf_counter() - start
    rss_after = peak_rss_mb()
    found: list[ImageHashes] = [h for h in hashed if h is not None]

    heroes = found[:5]  # a hero listing has a handful of images
    start = time.perf_counter()
    matches = sum(same_photo(hero, other)[0] for other in found for hero in heroes)
    compare_s = time.perf_counter() - start

    tracemalloc.start()
    for data in photos[:MEMORY_SAMPLE]:
        hash_image(data)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "images": float(n), "hashed": float(len(found)),
        "hash_s": round(seconds, 3), "hash_ms_per_image": round(1000 * seconds / max(1, n), 2),
        "mean_jpeg_kb": round(sum(map(len, photos)) / max(1, n) / 1024, 1),
        "compare_s": round(compare_s, 3),
        "compare_us_per_pair": round(1e6 * compare_s / max(1, len(found) * len(heroes)), 1),
        "self_matches": float(matches),
        "tracemalloc_peak_mb": round(traced_peak / 2**20, 2),
        "peak_rss_mb": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "stored_kb_per_image": round(sum(len(json.dumps(h.to_dict())) for h in found)
                                     / max(1, len(found)) / 1024, 1),
        **bench_realworld(),
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(json.dumps(bench_hashing(count)))
