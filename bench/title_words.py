"""How peers' Chinese titles are split into words: jieba against characters and bigrams.

Real Taobao/JD titles from ../shared/realworld/html-cn/; each gets one SEO word inserted
(at the start, the end or a space) or one word it holds removed, as sellers rewrite titles.
A splitter wins an edit when the title diff's added/removed lists are exactly that word.
Run: `.venv/bin/python -m bench.title_words` (prints one JSON line last).
"""

from __future__ import annotations

import json
import random
import re
import resource
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from watchers.peers.changes import title_words

ROOT = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "html-cn"
WORDS = ["新款", "韩版", "宽松", "显瘦", "百搭", "ins风", "2026", "春装", "加绒", "网红同款",
         "正品", "包邮", "官方旗舰", "气质", "学生"]
HELD = [*WORDS, "夏季", "女", "男士", "透气", "休闲", "官方"]
_PUNCT = re.compile(r"^[\W_]+$")


def titles() -> list[str]:
    """Every item title of the real Taobao and JD pages (raw titles and card titles)."""
    found: list[str] = []
    for name in ["taobao_search_huili_shoes_gpageconfig.html",
                 "taobao_search_xiashangxin_gpageconfig.html"]:
        text = (ROOT / name).read_text("utf-8", "replace")
        found += [json.loads(f'"{m}"') for m in
                  re.findall(r'"raw_title":"((?:[^"\\]|\\.)*)"', text)]
    for name in ["jd_search_123.html", "jd_search_sony_earphones_bs4.html",
                 "taobao_search_ipad_rendered_dom.html"]:
        soup = BeautifulSoup((ROOT / name).read_bytes(), "lxml")
        for el in soup.select("div.p-name em, div.row-2.title a"):
            if text := " ".join(el.get_text(" ").split()):
                found.append(text)
    return list(dict.fromkeys(found))


def chars(s: str) -> list[str]:
    return [c for c in s if c.strip() and not _PUNCT.match(c)]


def bigrams(s: str) -> list[str]:
    c = "".join(chars(s))
    return [c[i:i + 2] for i in range(len(c) - 1)]


def edits(all_titles: list[str]) -> list[tuple[str, str, list[str], list[str]]]:
    rng = random.Random(7)
    cases: list[tuple[str, str, list[str], list[str]]] = []
    for t in all_titles:
        w = rng.choice([x for x in WORDS if x not in t])
        spaces = [i for i, c in enumerate(t) if c == " "]
        where = rng.choice(["start", "end", "space"])
        if where == "start":
            new = w + t
        elif where == "end" or not spaces:
            new = t + " " + w
        else:
            i = rng.choice(spaces)
            new = t[:i] + " " + w + t[i:]
        cases.append((t, new, [w], []))
        if have := [x for x in HELD if x in t]:
            x = rng.choice(have)
            cases.append((t, t.replace(x, "", 1), [], [x]))
    return cases


def score(split: Callable[[str], list[str]], cases: list[tuple[str, str, list[str], list[str]]]
          ) -> float:
    ok = 0
    for a, b, add, rem in cases:
        before, after = split(a), split(b)
        got = ([w for w in dict.fromkeys(after) if w not in before],
               [w for w in dict.fromkeys(before) if w not in after])
        ok += got == (add, rem)
    return ok / len(cases)


def main() -> None:
    all_titles = titles()
    cases = edits(all_titles)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    title_words("加载")  # jieba's dictionary, once per process
    load_s = time.perf_counter() - start
    load_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    figures = {"titles": len(all_titles), "edits": len(cases),
               "jieba": round(score(title_words, cases), 3),
               "chars": round(score(chars, cases), 3), "bigrams": round(score(bigrams, cases), 3),
               "jieba_load_s": round(load_s, 2), "jieba_load_mb": round(load_mb)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
