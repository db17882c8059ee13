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


def tn(lang: str, key: str, count: int, **values: Any) -> str:
    """`key` for `count`: `key.one` when there is one and the language has that form."""
    one = f"{key}.one"
    chosen = one if count == 1 and one in catalogue(lang) else key
    return t(lang, chosen, count=count, **values)


def has(lang: str, key: str) -> bool:
    """Whether `lang`'s own catalogue holds `key` (no English fallback)."""
    return key in catalogue(lang)


def n(lang: str, key: str, count: float) -> str:
    """A count with its noun: "1 new event", "3 new events" (`count.KEY`); in Chinese the
    number alone, since each template carries its own counter (3 条, 2 件)."""
    one = f"count.{key}.one"
    chosen = one if count == 1 and one in catalogue(lang) else f"count.{key}"
    return t(lang, chosen, count=f"{count:,g}" if isinstance(count, float) else f"{count:,}")
