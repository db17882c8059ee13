"""The demo's evidence pictures: our photo beside each copy's, in a folder that stays."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from monitor.demo.ours import OurWorld
from monitor.settings import Settings
from monitor.store.database import Store
from watchers.copies.evidence import side_by_side


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
        hero, copy = (_bytes(ours, evidence.get(k)) for k in ("hero_image_url", "image_url"))
        features = (evidence.get("photo") or {}).get("features") or {}
        png = side_by_side(hero, copy, features.get("box")) if hero and copy else None
        if png:
            path = folder / f"copy-{n}.png"
            path.write_bytes(png)
            out.append(path)
    return out


def _bytes(ours: OurWorld, url: Any) -> bytes | None:
    if not isinstance(url, str):
        return None
    return ours.images.get(urlsplit(url).path.removeprefix("/img/").removesuffix(".jpg"))
