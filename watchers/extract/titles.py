"""Same-style titles (shared by the copies and position watches): boilerplate stripped, then
n-gram overlap (Chinese and English, mixed).

Chinese titles have no spaces, so a title is read as character bigrams of its Chinese runs
plus the words of its Latin runs. Two titles score by how many of those tokens they share
(the mean of Dice, which punishes extra words, and coverage of our title, which forgives
a copy that stuffs keywords; Latin words also pair when `rapidfuzz` finds them nearly
equal), or by `rapidfuzz`'s edit ratio when that is higher (small edits in a short title).
A pair that names different genders, materials or model numbers is two products however
alike the rest is (男款 vs 女款, 真皮 vs PU, X200 vs X300): its score
is multiplied by `CONFLICT_FACTOR`, which puts even otherwise identical titles under 0.8.
Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz, process

__all__ = ["CONFLICT_FACTOR", "is_same_style", "normalise_title", "title_similarity"]

CONFLICT_FACTOR = 0.7
_DICE_WEIGHT = 0.5  # Dice vs coverage of our title
_WORD_WEIGHT = 0.6  # characters and words vs bigrams
_NEAR_WORD = 80  # rapidfuzz ratio at which two Latin words count as one

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PROMO_BRACKETS = re.compile(
    r"【[^】]*】|〖[^〗]*〗|\[[^\]]*(?:包邮|shipping|sale|hot|new)[^\]]*\]")
_YEAR = re.compile(r"(?<![a-z0-9])(?:19|20)\d{2}(?:\s*年)?(?![0-9])")
_BOILERPLATE_ZH = (
    "官方旗舰店", "旗舰店", "官方正品", "正品保证", "正品", "官方", "专卖店", "专营店",
    "顺丰包邮", "包邮", "顺丰", "免邮", "现货速发", "现货", "速发", "爆款", "特价", "清仓",
    "新款", "新品", "热卖", "热销", "促销", "限时", "秒杀", "折扣", "特惠", "优惠", "亏本",
    "厂家直销", "一件代发", "批发", "网红", "明星同款", "同款", "抖音", "直播间", "直播",
    "推荐", "大促", "买一送一", "七天无理由", "假一赔十", "高品质",
)
_BOILERPLATE_EN = (
    "free shipping", "free delivery", "fast shipping", "official store", "flagship store",
    "official", "flagship", "hot sale", "hot selling", "best sellers", "best seller",
    "bestseller", "new arrivals", "new arrival", "brand new", "new style", "new",
    "on sale", "sale", "clearance", "discount", "promo", "limited time", "in stock",
    "100% original", "original", "genuine", "authentic", "top quality", "high quality",
    "wholesale", "dropshipping",
)
_BOILERPLATE = re.compile(
    "|".join([re.escape(w) for w in sorted(_BOILERPLATE_ZH, key=len, reverse=True)]
             + [rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])"
                for w in sorted(_BOILERPLATE_EN, key=len, reverse=True)]))
# x-200, 200-b, 1.5, women's: one word; high-waisted stays two.
_JOINERS = re.compile(r"(?<=[a-z0-9])-(?=\d)|(?<=\d)[-.](?=[a-z0-9])|(?<=[a-z])['’](?=s\b)")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_STOPWORDS = frozenset({"a", "an", "and", "the", "of", "for", "with", "in", "to", "by", "x"})

# What a title says of its product on axes where two products must agree: (words, says).
# Kids' words come first and are taken out, so 女童 (girls) does not also read as 女.
_ATTRIBUTES: tuple[tuple[tuple[str, ...], dict[str, str]], ...] = (
    (("女童", "girl", "girls"), {"age": "kids", "sex": "female"}),
    (("男童", "boy", "boys"), {"age": "kids", "sex": "male"}),
    (("儿童", "童装", "宝宝", "婴儿", "kid", "kids", "child", "children", "baby", "toddler"),
     {"age": "kids"}),
    (("女", "women", "woman", "womens", "lady", "ladies", "female"),
     {"sex": "female", "age": "adult"}),
    (("男", "men", "man", "mens", "male"), {"sex": "male", "age": "adult"}),
    (("纯棉", "全棉", "棉质", "精梳棉", "棉麻", "cotton"), {"material": "cotton"}),
    (("亚麻", "棉麻", "苎麻", "linen"), {"material": "linen"}),
    (("真丝", "桑蚕丝", "丝绸", "silk"), {"material": "silk"}),
    (("雪纺", "chiffon"), {"material": "chiffon"}),
    (("羊毛", "wool"), {"material": "wool"}),
    (("羊绒", "cashmere"), {"material": "cashmere"}),
    (("真皮", "牛皮", "羊皮", "头层皮", "leather"), {"material": "leather"}),
    (("pu", "人造革", "仿皮", "faux"), {"material": "faux"}),
    (("帆布", "canvas"), {"material": "canvas"}),
    (("涤纶", "聚酯", "polyester"), {"material": "polyester"}),
    (("不锈钢", "stainless"), {"material": "steel"}),
    (("金属", "铁艺", "metal", "iron"), {"material": "metal"}),
    (("塑料", "plastic"), {"material": "plastic"}),
    (("玻璃", "glass"), {"material": "glass"}),
    (("陶瓷", "ceramic", "porcelain"), {"material": "ceramic"}),
    (("实木", "木质", "wood", "wooden"), {"material": "wood"}),
    (("竹", "bamboo"), {"material": "bamboo"}),
)
_SIZES = re.compile(r"\d*x*[sml]")  # 2xl, xxl, m: sizes, not models
_CODE = re.compile(r"(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]{2,}")


def _half_width(text: str) -> str:
    # NFKC folds full-width letters, digits and punctuation (ＳＳ２６！) to ASCII.
    return unicodedata.normalize("NFKC", text).casefold()


def normalise_title(title: str) -> str:
    """The title without shop boilerplate, in half-width lower case, punctuation as spaces."""
    text = _half_width(title)
    text = _PROMO_BRACKETS.sub(" ", text)
    text = _YEAR.sub(" ", text)
    text = _BOILERPLATE.sub(" ", text)
    text = _JOINERS.sub("", text)
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    text = " ".join(text.split())
    return _CJK_GAP.sub("", text)


def _word(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]  # jeans ~ jean, shoes ~ shoe: a plural is the same product
    return word


@lru_cache(maxsize=4096)
def _tokens(normalised: str) -> tuple[Counter[str], Counter[str]]:
    """Words: Latin words and Chinese characters; pairs: Chinese character bigrams."""
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for run in _RUNS.findall(normalised):
        if run[0].isascii():
            if run not in _STOPWORDS:
                words[_word(run)] += 1
        else:
            words.update(run)
            pairs.update(run[i:i + 2] for i in range(len(run) - 1))
    return words, pairs


@lru_cache(maxsize=4096)
def _attributes(normalised: str) -> dict[str, frozenset[str]]:
    """What the title says on each axis (gender, material, model number)."""
    words = set(_RUNS.findall(normalised))
    found: dict[str, set[str]] = {}
    rest = normalised
    for names, says in _ATTRIBUTES:
        for name in names:
            if name in words if name.isascii() else name in rest:
                for axis, value in says.items():
                    found.setdefault(axis, set()).add(value)
                if not name.isascii():
                    rest = rest.replace(name, " ")
    codes = {w for w in words if w.isascii() and _CODE.fullmatch(w) and not _SIZES.fullmatch(w)}
    if codes:
        found["model"] = codes
    return {axis: frozenset(values) for axis, values in found.items()}


def _conflict(a: str, b: str) -> bool:
    """Both titles speak of one axis and share no value on it."""
    left, right = _attributes(a), _attributes(b)
    for axis in left.keys() & right.keys():
        if axis == "model":
            # "400mlins" is 400ml glued to the next word: a code inside another agrees.
            if not any(x in y or y in x for x in left[axis] for y in right[axis]):
                return True
        elif not left[axis] & right[axis]:
            return True
    return False


def _shared(ta: Counter[str], tb: Counter[str]) -> int:
    """Tokens in common; Latin words also when nearly equal (waist ~ waisted, colour ~ color)."""
    exact = ta & tb
    left = [w for w in (ta - exact).elements() if w.isascii() and len(w) > 3]
    right = [w for w in (tb - exact).elements() if w.isascii() and len(w) > 3]
    near = 0
    for word in left:
        match = process.extractOne(word, right, scorer=fuzz.ratio, score_cutoff=_NEAR_WORD)
        if match is not None:
            right.pop(match[2])
            near += 1
    return exact.total() + near


def _overlap(ta: Counter[str], tb: Counter[str]) -> float | None:
    """The mean of Dice (punishes extra words) and coverage of `ta` (forgives them)."""
    size_a, size_b = ta.total(), tb.total()
    if not size_a or not size_b:
        return None
    shared = _shared(ta, tb)
    return _DICE_WEIGHT * 2 * shared / (size_a + size_b) + (1 - _DICE_WEIGHT) * shared / size_a


def title_similarity(a: str, b: str) -> float:
    """How far title `b` repeats title `a` (ours), in [0, 1]; 1 for the same words.

    Not symmetric on purpose: a copy that stuffs extra keywords around all of our words
    still scores high, while a short generic title that our title happens to contain
    ("牛仔裤女" in a long jeans title) does not.
    """
    na, nb = normalise_title(a), normalise_title(b)
    (wa, pa), (wb, pb) = _tokens(na), _tokens(nb)
    words = _overlap(wa, wb)
    if words is None:
        return 0.0
    pairs = _overlap(pa, pb)
    # Characters survive a reordering of the keywords; bigrams keep their order apart.
    score = words if pairs is None else _WORD_WEIGHT * words + (1 - _WORD_WEIGHT) * pairs
    edit = fuzz.ratio(na.replace(" ", ""), nb.replace(" ", "")) / 100
    score = max(score, edit)
    if _conflict(na, nb):
        score *= CONFLICT_FACTOR
    return max(0.0, min(1.0, score))


def is_same_style(hero_title: str, candidate_title: str, threshold: float = 0.8) -> bool:
    """Whether the candidate's title names our hero (`alerts.copy_title_similarity`)."""
    return title_similarity(hero_title, candidate_title) >= threshold
