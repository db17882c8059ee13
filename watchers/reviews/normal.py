"""One normal form for review text: width-folded, lower-case, simplified Chinese.

The word list, the model and its training script (bench/train_review_model.py) all read
text through `normalise`, so that a traditional-script or full-width review meets the same
words and n-grams as the simplified corpus the model learnt from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")


def has_cjk(text: str) -> bool:
    """Whether the text holds Chinese characters."""
    return bool(_CJK.search(text))


def normalise(text: str) -> str:
    """Width-folded, lower-case, simplified-Chinese text."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return str(_t2s().convert(text)) if has_cjk(text) else text


@cache
def _t2s() -> Any:
    # OpenCC's own C++ converter with its phrase tables (~5 MB, ~40 ms to load): 乾淨 -> 干净,
    # 頭髮 -> 头发, which a character table gets wrong.
    import opencc

    return opencc.OpenCC("t2s")
