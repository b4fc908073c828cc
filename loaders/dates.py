"""Dates as written in notices: 2015年7月15日, 2017年05月12日, 2017-05-12, 2017.5.12, 2017/5/12,
二〇一五年七月十五日 (〇 or any look-alike as zero: ○ ◯ Ｏ O О 零 0), full-width digits, stray spaces (2018 年 4 月 4 日).

``parse_date`` reads a string that is a date; ``find_dates`` finds every date in running text
with its span. Impossible dates (2月30日) are not dates.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["parse_date", "find_dates"]

_FW = str.maketrans("０１２３４５６７８９．／－", "0123456789./-")
_FW_ANY = re.compile("[０-９．／－]")
_SP = "[ \\t\\u3000\\u00a0\\u2002-\\u200a\\u202f]*"
_ZERO = "〇○◯零ОоOＯoｏ０0"  # 〇 and its look-alikes: circles, Cyrillic О, Latin O, digit zero
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DIGITS.update(dict.fromkeys(_ZERO, 0))
_CN_DIGIT = "[一二三四五六七八九" + _ZERO + "]"
_CN_NUM = "[一二三四五六七八九十廿]{1,3}"

_DATE_RES = (
    # 2015年7月15日, 2018 年 4 月 4 日
    re.compile(
        f"(?<!\\d)(?P<y>(?:19|20)\\d\\d){_SP}年{_SP}(?P<m>\\d{{1,2}}){_SP}月{_SP}(?P<d>\\d{{1,2}}){_SP}[日号]"
    ),
    # 2017-05-12, 2017.5.12, 2017/5/12 (not part of a longer number such as 2019-00004)
    re.compile(
        "(?<![\\d.])(?P<y>(?:19|20)\\d\\d)(?P<sep>[-./])(?P<m>\\d{1,2})(?P=sep)(?P<d>\\d{1,2})(?![\\d])"
    ),
    # 二〇一五年七月十五日, 二○○五年十一月二十一日
    re.compile(f"(?P<cy>{_CN_DIGIT}{{4}}){_SP}年{_SP}(?P<cm>{_CN_NUM}){_SP}月{_SP}(?P<cd>{_CN_NUM}){_SP}日"),
)


def _cn_number(s: str) -> int | None:
    """一 … 三十一 (also 廿一) as an int."""
    s = s.replace("廿", "二十")
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    tens, _, units = s.partition("十")
    t = _CN_DIGITS.get(tens, 0) if tens else 1
    u = _CN_DIGITS.get(units, 0) if units else 0
    if (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS) or len(units) > 1:
        return None
    return t * 10 + u


def _from_match(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    if g.get("cy"):
        y = int("".join(str(_CN_DIGITS[c]) for c in g["cy"]))
        mo, d = _cn_number(g["cm"]), _cn_number(g["cd"])
        if mo is None or d is None:
            return None
    else:
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
    try:
        return date(y, mo, d)
    except ValueError:
        return None


# What every form holds: 年 and 月, or a year before - . or / (text without them holds no date).
# The year test is a wider one that the regex engine can skip through quickly.
_YEAR_SEP = re.compile("[12][09]\\d\\d[-./]")
_DATE_NEEDS = (("年", "月"), None, ("年", "月", "日"))  # of _DATE_RES; None: _YEAR_SEP
# The characters a date can open with (parse_date wants one at the start).
_DATE_FIRST = frozenset("12１２一二三四五六七八九" + _ZERO)


def find_dates(text: str) -> list[tuple[date, tuple[int, int]]]:
    """Every date in ``text``, in order, with its (start, end) span."""
    norm = text.translate(_FW) if _FW_ANY.search(text) else text
    nian = "年" in norm
    sep = _YEAR_SEP.search(norm) is not None
    if not nian and not sep:
        return []
    found: list[tuple[date, tuple[int, int]]] = []
    for rx, needs in zip(_DATE_RES, _DATE_NEEDS, strict=True):
        if not (sep if needs is None else nian and all(w in norm for w in needs)):
            continue
        for m in rx.finditer(norm):
            d = _from_match(m)
            if d is not None and not any(s < m.end() and m.start() < e for _, (s, e) in found):
                found.append((d, (m.start(), m.end())))
    return sorted(found, key=lambda x: x[1])


def parse_date(s: str) -> date | None:
    """The date that ``s`` is (``2017年05月12日``, ``2017-05-12 09:52``), or None."""
    t = s.strip()
    if not t or t[0] not in _DATE_FIRST:
        return None  # no date starts the string
    found = find_dates(t)
    if not found:
        return None
    d, (start, end) = found[0]
    rest = t[:start] + t[end:]
    if start > 0 or re.search("[\\u4e00-\\u9fff]{2,}", rest):
        return None
    return d
