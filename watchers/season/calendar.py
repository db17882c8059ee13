"""Which season an item is for (from its title, tags and type), and which season comes next.

The words and their rules live in `watchers.season_lexicon`; this module applies them.
Pure: no I/O, no clock (the date is an argument).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from watchers.season.lexicon import (
    ALL_SEASON,
    CANONICAL,
    CHAR_SEASON,
    CLEARANCE,
    CODES,
    KEYWORDS,
    SEASONS,
    TRAPS,
    YEAR_CHARS,
)

__all__ = ["SEASONS", "SeasonTag", "classify", "coming_season", "current_season"]

_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_SEP = " | "  # keeps title, tags and blanked traps from gluing into new words


@dataclass(frozen=True, slots=True)
class SeasonTag:
    """An item's seasons (empty: none or all-season) and whether it is a clearance."""

    seasons: frozenset[str]
    clearance: bool


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and digits (ＳＳ２６) that marketplace titles love.
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return _CJK_GAP.sub("", text)


@lru_cache(maxsize=64)
def _matcher(words: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for word in words:
        w = _normalise(word).strip()
        if not w:
            continue
        # Latin edges need whole words ("fall" not in "waterfall"); CJK has no word gaps.
        start = r"(?<![a-z0-9])" if w[0].isascii() and w[0].isalnum() else ""
        end = r"(?![a-z0-9])" if w[-1].isascii() and w[-1].isalnum() else ""
        parts.append(start + re.escape(w) + end)
    if not parts:
        return None
    # Longest first so that alternation does not stop at a shorter prefix.
    return re.compile("|".join(sorted(parts, key=len, reverse=True)))


def _codes(text: str) -> list[str]:
    """Seasons named by fashion codes (SS26, FW26) and year+character forms (2026春)."""
    found: list[str] = []
    for pattern, seasons in CODES:
        if pattern.search(text):
            found.extend(seasons)
    for match in YEAR_CHARS.finditer(text):
        found.extend(CHAR_SEASON[c] for c in match.group(1))
    return found


def classify(
    title: str,
    tags: Sequence[str] = (),
    product_type: str | None = None,
    keywords: Mapping[str, Sequence[str]] | None = None,
) -> SeasonTag:
    """The seasons and clearance mark of an item; `keywords` replaces a season's word list."""
    parts = [title or "", *(t for t in tags if t), product_type or ""]
    text = _normalise(_SEP.join(p for p in parts if p))
    for trap in TRAPS:
        text = trap.sub(_SEP, text)
    clearance = CLEARANCE.search(text) is not None
    if ALL_SEASON.search(text):
        return SeasonTag(frozenset(), clearance)
    extra = _SEP.join(CANONICAL[s] for s in dict.fromkeys(_codes(text)))
    haystack = f"{text}{_SEP}{extra}" if extra else text
    found = set()
    for season in SEASONS:
        words = keywords.get(season) if keywords is not None else None
        matcher = _matcher(tuple(KEYWORDS[season] if words is None else words))
        if matcher is not None and matcher.search(haystack):
            found.add(season)
    if len(found) == len(SEASONS):  # 春夏秋冬 / spring to winter: an all-season item
        found.clear()
    return SeasonTag(frozenset(found), clearance)


# Meteorological seasons (northern hemisphere): the month each one starts.
_CURRENT_NORTH: tuple[tuple[tuple[int, int], str], ...] = (
    ((3, 1), "spring"),
    ((6, 1), "summer"),
    ((9, 1), "autumn"),
    ((12, 1), "winter"),
)
_NEXT = {"spring": "summer", "summer": "autumn", "autumn": "winter", "winter": "spring"}
_OPPOSITE = {"spring": "autumn", "summer": "winter", "autumn": "spring", "winter": "summer"}


def _lookup(today: date, table: tuple[tuple[tuple[int, int], str], ...],
            hemisphere: str) -> str:
    if hemisphere not in ("north", "south"):
        raise ValueError(f"hemisphere must be 'north' or 'south', not {hemisphere!r}")
    season = table[-1][1]  # before the first boundary of the year: the last one still holds
    for start, name in table:
        if (today.month, today.day) >= start:
            season = name
    return season if hemisphere == "north" else _OPPOSITE[season]


def coming_season(today: date, hemisphere: str = "north") -> str:
    """The season whose launch is in question now: the one after the current season.

    Never one that has begun: in December (winter in the north) the question is spring.
    When to launch it is not a date: the peers decide (see `watchers.season.advice`).
    """
    return _NEXT[current_season(today, hemisphere)]


def current_season(today: date, hemisphere: str = "north") -> str:
    """The meteorological season of `today` (north: spring is March to May)."""
    return _lookup(today, _CURRENT_NORTH, hemisphere)
