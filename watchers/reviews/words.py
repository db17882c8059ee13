"""The built-in Chinese and English complaint word list, with negation and praise contexts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from watchers.reviews.normal import has_cjk, normalise

# Words that on their own report a problem with the item, the delivery or the service.
COMPLAINTS_ZH: tuple[str, ...] = (
    "差", "质量差", "质量不行", "破损", "破了", "破洞", "有洞", "个洞", "假货", "假的", "退货",
    "退款", "退了", "色差", "起球", "掉色", "不值", "失望", "开线", "脱线", "掉毛", "缩水",
    "褪色", "异味", "怪味", "刺鼻", "做工粗糙", "粗糙", "偷工减料", "与描述不符", "和图片不一样",
    "不一样", "不符", "发错", "垃圾", "差评", "后悔", "别买", "不会再买", "不会回购", "坏了",
    "坏的", "污渍", "变形", "线头", "开胶", "跑绒", "钻绒", "偏小", "偏大", "穿不上", "扎人",
    "很薄", "太薄", "有点薄", "不透气", "二手", "卡住", "裂开", "磨白", "掉了", "一碰就掉",
    "不给退", "不回", "爱答不理", "恶劣", "不好", "不行", "上当", "坑人", "骗人", "太贵",
    "长短不一", "一长一短", "变硬", "小了一码", "短了一截", "麻袋", "没有版型", "皱", "起毛",
    "掉扣", "勒", "闷", "臭", "脏", "丑", "透", "湿", "难看", "不舒服", "不合身", "不满意",
    "醉了", "服了", "气死", "无语", "太慢", "才发货", "太长", "太短", "太大", "太小", "太紧",
    "太肥", "太硬", "可惜",
)
# Medium words: operators want these too ("catch every new medium or bad review").
MEDIUM_ZH: tuple[str, ...] = (
    "一般", "还行", "凑合", "将就", "马马虎虎", "中规中矩", "说不上好", "没什么惊喜",
    "没有想象中", "有差距", "不怎么样", "勉强",
)
COMPLAINTS_EN: tuple[str, ...] = (
    "broken", "broke", "break", "fake", "refund", "money back", "return", "returned",
    "returning", "sent it back", "send it back", "sending it back", "disappointed",
    "disappointing", "disappointment", "ripped", "rip", "tore", "torn", "tear", "faded", "fade",
    "fades", "shrunk", "shrank", "shrink", "shrinks", "cheap material", "cheaply made", "flimsy",
    "pilling", "pills", "pilled", "see-through", "see through", "sheer", "itchy", "scratchy",
    "sandpaper", "smell", "smells", "odor", "stain", "stained", "hole", "holes", "loose threads",
    "loose thread", "unraveling", "unravelled", "unraveled", "came off", "fell off",
    "falling apart", "coming apart", "came apart", "wrong item", "wrong size", "wrong color",
    "wrong colour", "not as described", "nothing like", "waste of money", "worst", "terrible",
    "horrible", "awful", "poor", "junk", "garbage", "trash", "thin", "overpriced", "runs small",
    "too small", "too big", "too short", "too long", "too tight", "uncomfortable", "don't buy",
    "do not buy", "not worth", "lint", "shed", "shedding", "bled", "bleeds", "cracked",
    "peeled", "peeling", "snagged", "snag", "damaged", "defective", "ruined", "bad",
    "stitched shut", "gave out", "still waiting", "hasn't shipped", "never arrived",
    "never replied", "rude",
    "used item", "clearly used", "lost its shape", "stretched out", "rolls down", "drag",
    "curls", "wrinkles like", "smaller than", "larger than", "regret", "complaint", "complaints",
    "problem", "problems", "issue", "issues", "misspelled", "duller", "not great", "complain",
    "cheap", "shrinking", "bleed", "bleeding", "way off", "runs really small", "runs very small",
    "runs a bit small", "runs large", "runs big",
)
MEDIUM_EN: tuple[str, ...] = (
    "okay", "ok", "alright", "meh", "so-so", "average", "mid", "nothing special", "decent",
    "does the job", "fine for", "expected more", "won't order again", "not impressed",
    "just ok", "mediocre",
)
# Aspects that complain unless praised in the same clause: 客服态度很差 vs 客服态度很好.
ASPECTS: tuple[str, ...] = ("客服态度", "服务态度", "customer service")

# Said before a complaint word, these deny it: 没有色差, 不会掉色, not disappointed.
_NEGATORS_ZH = ("没有", "没", "不会", "不", "无", "未", "毫无", "零", "不用", "别担心", "并不",
                "一点都不", "一点也不", "完全不", "完全没有", "都没", "也没", "不怕", "不存在",
                # how buyers type 没有 quickly: 么有色差, 木有线头
                "么有", "木有", "没得")
# The negator is next to the word, or a few filler characters away: 没有任何异味, 不会再起球.
_NEGATED_ZH = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, _NEGATORS_ZH), key=len, reverse=True)) + ")"
    "[会有太怎么再很什么任何明显一点都也的容易多余]{0,3}$"
    # 没有想象中的掉色: it was not as bad as feared.
    "|没有想[象像]中(?:那么|的)?$"
    # 不比大牌差, 不输专柜: "no worse than".
    "|(?:不比|不输)[^,。!?;]{0,8}$")
# 不得不差评, 不能不说差: two negations affirm.
# 会不会太差, 是不是有点偏大: a question that complains, not a negation.
_DOUBLE_NEGATIVE_ZH = re.compile("(?:不得不|不能不|不会不|没法不)$"
                                 "|(?:会不会|是不是|能不能)[太很有点也]{0,3}$")
# Said after it, they deny it too: 一点味道都没有, 穿了很久都没有.
_AFTER_NEGATORS_ZH = ("都没有", "也没有", "都没", "都不", "也不", "没有了", "就没了", "都不掉",
                      "很少", "很小", "不明显", "干净", "处理得", "可以忽略")
# A worry or an earlier purchase, not this item: 本来怕是假货, 之前买别家的都失望了.
_HYPOTHETICAL_ZH = ("担心", "怕", "以为", "之前", "以前", "别家", "本来", "还以为", "原以为",
                    "看差评", "顾虑")
# A hope or a question about later, not what happened: 希望不要缩水, 不知道会不会褪色. Not a
# rhetorical question (质量会不会太差了) nor a hope that it stops (希望不要再发错货了: it did).
_LATER_ZH = re.compile(r"(?:不知道?[^再又]{0,6}(?:会不会|是否)|希望不要|希望不会|希望别|但愿)"
                       r"[^再又太]{0,6}$")
_EARLIER_ZH = ("之前", "以前", "别家")
_COMPARISONS_ZH = ("不一样", "有差距", "不符", "和图片不一样", "没有想象中")
_NEGATORS_EN = frozenset((
    "no", "not", "never", "zero", "without", "nothing", "none", "didn't", "doesn't", "don't",
    "hasn't", "haven't", "isn't", "wasn't", "won't", "can't", "cannot", "wouldn't", "hardly",
    "nor", "free", "dont", "didnt", "doesnt", "hasnt", "isnt", "wasnt", "cant", "neither",
))
_HYPOTHETICAL_EN = frozenset((
    "worried", "afraid", "scared", "skeptical", "sceptical", "feared", "unlike", "worry",
    "thought", "concerned",
))
# After "but" / 不过, praise here means the complaint before it was a minor one.
PRAISE = ("好看", "很好", "不错", "喜欢", "满意", "没问题", "挺好", "值", "耐心", "热情", "态度好",
           "beautiful", "love", "worth", "fine", "great", "perfect", "like", "gorgeous", "nice",
           "helpful", "friendly")
# The reviewer's own verdict, and apparel praise whose characters the model reads as complaints
# (透气 is mostly seen in 不透气): when they stand (not negated) the model is not trusted.
VERDICTS = ("好评", "五星", "five stars", "5 stars")
PRAISE_PHRASES_ZH = ("透气", "舒服", "合身", "保暖", "显瘦", "柔软")
_CONTRAST = re.compile(r"\bbut\b|\bthough\b|\bhowever\b|但是|不过|可是|但")
CLAUSE = re.compile(r"[，,。.!！?？;；、~～\n]+")
_WORD = re.compile(r"[a-z][a-z'\-]*")
# "差" alone is too greedy inside these words.
_NOT_COMPLAINTS_ZH = ("差不多", "出差", "差点", "时差", "温差", "透气",
                      # 色差 and 服了 read across a word boundary: 颜色差不多, 颜色差别不大, 舒服了
                      "色差不多", "色差别", "色差异", "舒服了")
_NOT_COMPLAINTS_EN = ("break the bank", "bad reviews", "bad review", "sick", "ok with")
_BLOCKED = re.compile("|".join(map(re.escape, (*_NOT_COMPLAINTS_ZH, *_NOT_COMPLAINTS_EN))))


@dataclass(frozen=True)
class Cues:
    """What the word list found in a text."""

    complaints: tuple[str, ...]  # complaint words that stand
    medium: tuple[str, ...]  # medium words that stand
    denied: tuple[str, ...]  # complaint words denied by a negation, a worry or later praise


def find_cues(text: str, extra_words: Sequence[str] = ()) -> Cues:
    """The complaint and medium words of an already normalised (lower-case, simplified) text."""
    complaints: list[str] = []
    medium: list[str] = []
    denied: list[str] = []
    extra = tuple(normalise(w).strip() for w in extra_words if w.strip())
    segments = _CONTRAST.split(text)
    for index, segment in enumerate(segments):
        later = " ".join(segments[index + 1:])
        softened = bool(later) and any(p in later for p in PRAISE) and not _strong(later, extra)
        for clause in CLAUSE.split(segment):
            for word, kind in _clause_hits(clause, extra):
                praised = kind == "aspect" and any(p in clause for p in PRAISE)
                if praised or _denied(clause, word) or (softened and kind != "extra"):
                    denied.append(word)
                elif kind == "medium":
                    medium.append(word)
                else:
                    complaints.append(word)
    return Cues(tuple(complaints), tuple(medium), tuple(denied))


def standing_praise(text: str, phrases: Sequence[str]) -> tuple[str, ...]:
    """The `phrases` a normalised text says with no negation before them: 很透气, not 不透气."""
    found = []
    for phrase in phrases:
        at = text.find(phrase)
        if at >= 0 and not _NEGATED_ZH.search(text[:at]) and not any(
                w in _NEGATORS_EN for w in _WORD.findall(text[:at])[-2:]):
            found.append(phrase)
    return tuple(found)


def _strong(text: str, extra: tuple[str, ...]) -> bool:
    """Whether a stretch of text holds a complaint word that stands."""
    return any(kind != "medium" and not _denied(clause, word)
               for clause in CLAUSE.split(text) for word, kind in _clause_hits(clause, extra))


def _clause_hits(clause: str, extra: tuple[str, ...]) -> list[tuple[str, str]]:
    """(word, kind) for each listed word in one clause, longest first, without overlaps."""
    if not clause.strip():
        return []
    spans: list[tuple[int, int]] = []
    hits: list[tuple[str, str]] = []
    blocked = [m.span() for m in _BLOCKED.finditer(clause)]
    for word, kind, pattern in _ordered(extra):
        if word not in clause:  # a cheap test first: most words are absent
            continue
        for start, end in (m.span() for m in pattern.finditer(clause)):
            if any(s < end and start < e for s, e in spans) or any(
                    s <= start and end <= e for s, e in blocked):
                continue
            spans.append((start, end))
            hits.append((clause[start:end], kind))
    return hits


@cache
def _ordered(extra: tuple[str, ...]) -> list[tuple[str, str, re.Pattern[str]]]:
    """Every listed word with its kind and pattern, longest first so 质量差 beats 差."""
    words = [(w, "extra") for w in extra]
    words += [(w, "complaint") for w in (*COMPLAINTS_ZH, *COMPLAINTS_EN)]
    words += [(w, "medium") for w in (*MEDIUM_ZH, *MEDIUM_EN)]
    words += [(w, "aspect") for w in ASPECTS]
    return [(w, k, _pattern(w)) for w, k in sorted(words, key=lambda wk: -len(wk[0]))]


def _pattern(word: str) -> re.Pattern[str]:
    """Chinese words match anywhere; Latin words only as whole words."""
    if has_cjk(word) or not word[:1].isalnum():
        return re.compile(re.escape(word))
    return re.compile(rf"(?<![a-z0-9']){re.escape(word)}(?![a-z0-9'])")


def _denied(clause: str, word: str) -> bool:
    """Whether the clause denies the word or speaks of a worry rather than this item."""
    at = clause.find(word)
    before, after = clause[:at], clause[at + len(word):]
    if has_cjk(word):
        if _NEGATED_ZH.search(before) and not _DOUBLE_NEGATIVE_ZH.search(before):
            return True
        if any(a in after[:8] for a in _AFTER_NEGATORS_ZH):
            return True
        # 和以前买的不一样 compares this item with an earlier one: the complaint is about this.
        earlier = _EARLIER_ZH if word in _COMPARISONS_ZH else ()
        return any(h in before for h in _HYPOTHETICAL_ZH if h not in earlier) or bool(
            _LATER_ZH.search(before))
    words_before = _WORD.findall(before)
    if any(w in _NEGATORS_EN or w.endswith("n't") for w in words_before[-4:]):
        return True
    if re.match(r"\s*(at all|whatsoever)\b", after) and words_before:
        return True
    return any(w in _HYPOTHETICAL_EN for w in words_before)
