"""The built-in season words (Chinese and English) and the traps that look like them.

How strict the words are, and why:

- A lone 春/夏/秋/冬 never counts: it hides in brand names (秋水伊人, 夏普, 春竹), holidays
  (春节, 新春, 中秋) and words (青春, 四季青). It counts only inside the compounds listed
  below (春装, 早春, 春新款, 春秋, ...) or right after a year ("2026春", "26年秋冬").
- Known traps are blanked out before matching, so 青春新款 is not 春新款 and
  四季青 (a wholesale market) is not 四季 (all-season).
- Spaces between two Chinese characters are dropped first ("春 新款" reads as 春新款).
- English words match whole words only ("springs", "waterfall" do not match), and phrases
  where the word is not a season are blanked first ("spring-loaded", "free fall").
- Fashion codes read as both halves: SS26 and S/S are spring+summer, FW26/AW26 and F/W, A/W
  are autumn+winter. A code or a year+character is read as if the title said the
  season's 季 word and its English name, so a replacing `[season.keywords]` list keeps
  them as long as it names either.
- Item types (羽绒服, 短袖, down jacket, shorts) are weak hints and do not count: a new
  down jacket in June is not a winter launch. The exception is 加绒 (fleece-lined), which
  names the winter variant of an item.
- All-season words (四季, 四季款, all-season, year-round) and titles that name all four
  seasons mean no season at all.
- Clearance words (反季, 清仓, 断码, clearance, final sale) mark an item that is not a launch;
  its seasons are still read, for the record.
"""

from __future__ import annotations

import re

SEASONS: tuple[str, ...] = ("spring", "summer", "autumn", "winter")

# Each season's words: a title has the season when any of them appears. Compounds of two
# seasons sit in both lists, so replacing one season's list leaves the other's intact.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "spring": (
        "春装", "春季", "春款", "早春", "初春", "春新款", "春新品", "春上新", "春天",
        "春日", "春夏", "春秋", "spring",
    ),
    "summer": (
        "夏装", "夏季", "夏款", "盛夏", "初夏", "夏新款", "夏新品", "夏上新", "夏天",
        "夏日", "春夏", "summer",
    ),
    "autumn": (
        "秋装", "秋季", "秋款", "初秋", "早秋", "深秋", "晚秋", "秋新款", "秋新品", "秋上新",
        "秋天", "秋日", "春秋", "秋冬", "autumn", "fall",
    ),
    "winter": (
        "冬装", "冬季", "冬款", "初冬", "深冬", "寒冬", "隆冬", "冬新款", "冬新品", "冬上新",
        "冬天", "冬日", "秋冬", "加绒", "winter",
    ),
}

# What a code or a year+character stands for: the season's 季 word and its English name.
CANONICAL: dict[str, str] = {
    "spring": "春季 spring",
    "summer": "夏季 summer",
    "autumn": "秋季 autumn",
    "winter": "冬季 winter",
}

CHAR_SEASON: dict[str, str] = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}

_B = r"(?<![a-z0-9])"  # start of an ASCII word
_E = r"(?![a-z0-9])"  # end of an ASCII word
_YEAR = r"\s?'?(?:20\d{2}|\d{2})"

# (pattern, seasons) pairs read on the case-folded text.
CODES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(rf"{_B}(?:ss{_YEAR}|s/s(?:{_YEAR})?){_E}"), ("spring", "summer")),
    (re.compile(rf"{_B}(?:(?:fw|aw){_YEAR}|(?:f/w|a/w)(?:{_YEAR})?){_E}"),
     ("autumn", "winter")),
)

# A year (2010-2039 as "2026" or "26", optionally 年) right before one or two season
# characters; other numbers (prices, sizes) before a brand like 夏普 are not years.
YEAR_CHARS = re.compile(r"(?<!\d)(?:20)?[1-3]\d(?!\d)年?\s?([春夏秋冬]{1,2})")

# Blanked before any matching: look like season words but are not.
TRAPS: tuple[re.Pattern[str], ...] = (
    re.compile("青春|新春|春节|春晚|四季青|四季豆|中秋|冬奥|春日部|春卷"),
    re.compile(rf"{_B}spring[- ]?(?:loaded|load|clips?|hinges?|steel|water|mattress|rolls?"
               rf"|onions?|pins?|bars?|scales?){_E}"),
    re.compile(rf"{_B}(?:box|hot|coil|coiled|leaf|main|wire|gas|torsion|compression|pocket"
               rf"|air|mattress)[- ]springs?{_E}"),
    re.compile(rf"{_B}(?:free|anti|rain|night|water|pit|land|snow|wind|short|down|prat|foot"
               rf"|dew)[- ]?fall{_E}"),
    re.compile(rf"{_B}fall[- ]?(?:protection|arrest|prevention|detection|proof|resistant"
               rf"|guard|off|out|apart|asleep|in love|guy|risk|alarm|sensor|limiter){_E}"),
    re.compile(rf"{_B}(?:don't|won't|never) fall{_E}"),
)

# Any of these means the item is sold for every season: no season at all.
ALL_SEASON = re.compile(
    rf"四季|{_B}(?:all[- ]?seasons?|four[- ]seasons?|4[- ]seasons?|year[- ]round"
    rf"|season[- ]?less){_E}"
)

# Any of these marks a clearance (an old season sold off), never a launch.
CLEARANCE = re.compile(
    rf"反季|清仓|断码|尾货|捡漏|{_B}(?:clearance|final[- ]sale|close[- ]?out|end[- ]of[- ]season"
    rf"|last[- ]season){_E}"
)
