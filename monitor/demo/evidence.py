"""The demo's evidence pictures: our photo beside each copy's, in a folder that stays."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

from monitor.demo.ours import OurWorld
from monitor.settings import Settings
from monitor.store.database import Store

HEIGHT = 320


def write_evidence(settings: Settings, ours: OurWorld) -> list[Path]:
    """One PNG per copy alert: the hero photo and the copy's, as the monitor matched them."""
    folder = Path(tempfile.gettempdir()) / "monitor-demo"
    folder.mkdir(exist_ok=True)
    store = Store(settings.monitor.database)
    try:
        copies = store.events("kind = 'copy_listing'")
    finally:
        store.close()
    out = []
    for n, event in enumerate(copies, 1):
        evidence = event.details.get("evidence") or {}
        pair = [_picture(ours, evidence.get("hero_image_url")),
                _picture(ours, evidence.get("image_url"))]
        if None in pair:
            continue
        path = folder / f"copy-{n}.png"
        _side_by_side([p for p in pair if p is not None]).save(path)
        out.append(path)
    return out


def _picture(ours: OurWorld, url: object) -> Image.Image | None:
    if not isinstance(url, str):
        return None
    name = urlsplit(url).path.removeprefix("/img/").removesuffix(".jpg")
    data = ours.images.get(name)
    return Image.open(io.BytesIO(data)).convert("RGB") if data else None


def _side_by_side(pictures: list[Image.Image]) -> Image.Image:
    scaled = [p.resize((round(p.width * HEIGHT / p.height), HEIGHT)) for p in pictures]
    canvas = Image.new("RGB", (sum(p.width for p in scaled) + 10 * (len(scaled) - 1), HEIGHT),
                       "white")
    x = 0
    for picture in scaled:
        canvas.paste(picture, (x, 0))
        x += picture.width + 10
    return canvas
