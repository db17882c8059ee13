"""String catalogues, one per language; code paths name keys, never sentences."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "zh")
_DIR = Path(__file__).parent / "strings"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of `lang` (falls back to English for an unknown language)."""
    name = lang if lang in LANGUAGES else "en"
    data: dict[str, str] = json.loads((_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def t(lang: str, key: str, **values: Any) -> str:
    """The string `key` in `lang`, formatted with `values`."""
    text = catalogue(lang).get(key) or catalogue("en")[key]
    return text.format(**values) if values else text
