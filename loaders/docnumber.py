"""The one 发文字号 parser.

``parse`` reads a string that is a whole number (as listed in a metadata field), ``find_all``
finds every number in running text, ``canonicalize`` gives the canonical form (CONTRACT:
〔〕 brackets, ASCII digits, no spaces).

Forms recognised (``kind`` tells them apart):

- ``number``: 机关代字〔year〕serial号 — 厦府办〔2015〕134号. Any bracket 〔〕 [] 【】 () （） ﹝﹞ ［］,
  mixed or doubled (人社部发〔2021)73号, 洪府发[2021]]27号), stray spaces and zero-width
  characters, full-width digits, an optional 第 (〔2020〕第44号 → 〔2020〕44号), a missing 号 where
  nothing follows, a lost closing bracket (医保网信办(202212号 → 医保网信办〔2022〕12号). The year
  before the code ((2021)国科科函字第99号, [2021]苏科提复45号) and the year outside with the serial inside (湘科发2022〔137〕号) are read as the same number,
  canonical 国科科函字〔2021〕99号. Court case numbers ((2019)京01民初123号) are not numbers.
  A 字/sub-series between year and serial is kept: 陕科协发〔2022〕宣字4号.
- ``order``: 宁夏回族自治区人民政府令第127号, 省政府令 第174号, 国家质检总局第144号令 → canonical
  organ令第N号, year None.
- ``announcement``: 国家税务总局公告2015年第41号, 海关总署2012年第26号公告 → canonical
  organ公告YYYY年第N号 (organ as written when no 公告 is given: 国家发展改革委2017年第9号).
- ``session``: 北京市人民代表大会常务委员会公告〔15届〕第19号 (a 届 instead of a year), year None.

A word before the 机关代字 in running text is not part of it (按照国办发… → 国办发): the run of
Chinese characters before the bracket is cut after the rightmost word of
``data/docnumber_prefix_words.json``, or to the longest known 机关代字 of
``data/docnumber_codes.json`` that ends it.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from policykg.loaders.models import DocNumber
from policykg.loaders.scan import char_positions

__all__ = ["parse", "find_all", "canonicalize", "kind", "NumberKind"]

NumberKind = Literal["number", "order", "announcement", "session"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_BR = "〔〕\\[\\]【】()（）﹝﹞［］〖〗"
_BR_CHARS = "〔〕[]【】()（）﹝﹞［］〖〗"  # the same, as characters
_SP = "[ \\t\\u3000\\u00a0\\u200b\\u200c\\u200d\\u2060\\ufeff]*"
_ZW = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# full-width digits → ASCII (length-preserving, so spans stay valid)
_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_YEAR = "(?:19|20)\\d\\d"
_SERIAL = "\\d{1,6}"
# 机关代字: Chinese characters, letters after the first character, a bracketed part: 陕科(农)函
_CODE = f"(?:[{_CJK}](?:[{_CJK}A-Za-z]|[(（][{_CJK}]{{1,4}}[)）])*)"

# The forms, as regexes over the digit-normalised text. Named groups: code, year, serial,
# infix (第 or 宣字), hao (号), session.
_PATTERNS: dict[str, re.Pattern[str]] = {
    # 厦府办〔2015〕134号, 豫政办 〔2016〕193号, 晋政发〔2014〕号16, 陕科协发(2022)宣字4号
    "number": re.compile(
        f"(?P<code>{_CODE}){_SP}[{_BR}]{{1,2}}{_SP}(?P<year>{_YEAR}){_SP}年?{_SP}[{_BR}]{{1,2}}{_SP}"
        f"(?:号{_SP})?(?P<infix>第|[{_CJK}]{{1,2}}字)?{_SP}(?P<serial>{_SERIAL}){_SP}(?P<hao>号)?"
    ),
    # 湘科发2022〔137〕号
    "year_out": re.compile(
        f"(?P<code>{_CODE}){_SP}(?P<year>{_YEAR}){_SP}[{_BR}]{_SP}(?P<serial>{_SERIAL}){_SP}[{_BR}]{_SP}(?P<hao>号)"
    ),
    # (2021)国科科函字第99号, [2021]苏科提复45号
    "year_first": re.compile(
        f"[{_BR}]{_SP}(?P<year>{_YEAR}){_SP}[{_BR}]{_SP}(?P<code>{_CODE}?){_SP}(?P<infix>第)?{_SP}"
        f"(?P<serial>{_SERIAL}){_SP}(?P<hao>号)"
    ),
    # 北京市人民代表大会常务委员会公告〔15届〕第19号, 武汉市人民代表大会常务委员会公告15届第3号
    "session": re.compile(
        f"(?P<code>{_CODE}){_SP}[{_BR}]?{_SP}(?P<session>\\d{{1,2}}){_SP}届{_SP}[{_BR}]?{_SP}第?{_SP}"
        f"(?P<serial>{_SERIAL}){_SP}(?P<hao>号)"
    ),
    # 宁夏回族自治区人民政府令第127号, 省政府令 第219号, 上海市人民政府令（第19号）,
    # 山西省人民代表大会常务委员会公告第30号
    "order": re.compile(
        f"(?P<code>{_CODE}(?:令|公告)){_SP}[(（]?{_SP}第{_SP}(?P<serial>{_SERIAL}){_SP}(?P<hao>号)[)）]?"
    ),
    # 国家质检总局第144号令
    "order_after": re.compile(f"(?P<code>{_CODE}?){_SP}第{_SP}(?P<serial>{_SERIAL}){_SP}(?P<hao>号)令"),
    # 国家税务总局公告2015年第41号, 公告2018年第14号, 中国…学会公告2006年(第9号)
    "announcement": re.compile(
        f"(?P<code>{_CODE}){_SP}(?P<year>{_YEAR}){_SP}年?{_SP}[(（]?{_SP}第{_SP}(?P<serial>{_SERIAL}){_SP}"
        f"(?P<hao>号)[)）]?"
    ),
    # 海关总署2012年第26号公告
    "announcement_after": re.compile(
        f"(?P<code>{_CODE}?){_SP}(?P<year>{_YEAR}){_SP}年{_SP}第{_SP}(?P<serial>{_SERIAL}){_SP}(?P<hao>号)公告"
    ),
    # 医保网信办(202212号: the closing bracket lost, the serial run on after the year
    "unclosed": re.compile(
        f"(?P<code>{_CODE}){_SP}[{_BR}]{_SP}(?P<year>{_YEAR})(?P<serial>\\d{{1,4}}){_SP}(?P<hao>号)"
    ),
}
_PRIORITY = {name: i for i, name in enumerate(_PATTERNS)}
# The part of each form after its 机关代字: a window without it cannot hold the form, and the
# forms' patterns (which try a 机关代字 at every Chinese character) run only where it is.
_Y = "[12](?:(?<=1)9|(?<=2)0)\\d\\d"  # _YEAR opening with one character of a class: fast to search
_CORES: dict[str, re.Pattern[str]] = {
    "number": re.compile(f"[{_BR}][{_BR}]?{_SP}{_Y}{_SP}年?{_SP}[{_BR}]{{1,2}}"),
    "year_out": re.compile(f"{_Y}{_SP}[{_BR}]{_SP}{_SERIAL}{_SP}[{_BR}]{_SP}号"),
    "year_first": re.compile(f"[{_BR}]{_SP}{_YEAR}{_SP}[{_BR}]"),
    "session": re.compile(f"\\d{_SP}届"),
    "order": re.compile(f"(?:令|公告){_SP}[(（]?{_SP}第{_SP}\\d"),
    "order_after": re.compile(f"第{_SP}{_SERIAL}{_SP}号令"),
    "announcement": re.compile(f"{_Y}{_SP}年?{_SP}[(（]?{_SP}第{_SP}{_SERIAL}{_SP}号"),
    "announcement_after": re.compile(f"{_Y}{_SP}年{_SP}第{_SP}{_SERIAL}{_SP}号公告"),
    "unclosed": re.compile(f"[{_BR}]{_SP}{_Y}\\d{{1,4}}{_SP}号"),
}
# Words each core holds: a text without them holds no number of that form.
_CORE_WORDS: dict[str, tuple[str, ...]] = {
    "year_out": ("号",),
    "session": ("届",),
    "order": ("第",),
    "order_after": ("第", "号令"),
    "announcement": ("第", "号"),
    "announcement_after": ("年", "第", "号公告"),
    "unclosed": ("号",),
}
# Forms that are a 机关代字, spaces and then their core: a match starts no earlier than the
# characters of a 机关代字 and spaces right before the first core of a window go back.
_CODE_FIRST = frozenset({"number", "year_out", "announcement"})
_BRACKET_FIRST = frozenset({"number", "year_first", "unclosed"})  # forms whose core opens with a bracket
_CODE_BACK = re.compile(f"(?:[{_CJK}A-Za-z(（)）]|{_SP[:-1]})*")  # read on the reversed text
_CJK_RE = re.compile(f"[{_CJK}]")
_JUNK_OK = re.compile(f"[^{_CJK}A-Za-z]*")


@cache
def _data(name: str) -> dict:
    with resources.files("policykg.loaders").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _prefix_words(organ: bool) -> tuple[str, ...]:
    d = _data("docnumber_prefix_words.json")
    words = set(d["words"]) - set(d["organ_unsafe"]) | set(d["organ_only"]) if organ else set(d["words"])
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _known_codes() -> frozenset[str]:
    return frozenset(_data("docnumber_codes.json")["codes"])


@cache
def _court_res() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p["regex"]) for p in _data("docnumber_court.json")["patterns"])


def _issuer_known(code: str) -> bool:
    """Whether the issuer table of ``codes.py`` knows ``code`` (False while it is absent)."""
    try:
        from policykg.loaders import codes  # type: ignore[attr-defined]
    except ImportError:
        return False
    try:
        return codes.issuer_for_code(code) is not None
    except Exception:  # a half-written module must not break number parsing
        return False


_SP_RX = re.compile(_SP)


def _norm_code(code: str) -> str:
    code = _SP_RX.sub("", code)
    return code.replace("(", "（").replace(")", "）")


@lru_cache(maxsize=8192)
def _trim(run: str, organ: bool, strict: bool) -> int:
    """Where the 机关代字 starts in ``run``, the Chinese characters before a bracket or 第.

    The run is cut after the rightmost prefix word (keeping at least two characters), unless a
    known 机关代字 holds that word (落实国办公开办函 → 国办公开办函). In running text (``strict``)
    a run with no prefix word that is not itself a known code is cut to the longest known code
    ending it when at least two characters are left before it (现将国办发 → 国办发, but 辽财行
    stays: a one-character region prefix belongs to the code).
    """
    split = 0
    for w in _prefix_words(organ):
        i = run.rfind(w)
        while i >= 0 and len(run) - (i + len(w)) < 2:
            i = run.rfind(w, 0, i)
        if i >= 0 and i + len(w) > split:
            split = i + len(w)
    if organ:
        return split
    known = _known_codes()
    if split > 0:
        holder = next((i for i in range(split) if _norm_code(run[i:]) in known), None)
        return holder if holder is not None else split
    if not strict or _norm_code(run) in known or _issuer_known(_norm_code(run)):
        return 0
    for i in range(2, len(run) - 1):
        code, rest = _norm_code(run[i:]), _norm_code(run[:i])
        if rest in known or any(k.startswith(rest) for k in known):
            continue  # 沪科科普: the part before a known code is a code itself
        if code in known or _issuer_known(code):
            return i
    return 0


@cache
def _glued_rx() -> re.Pattern[str]:
    return re.compile(_data("docnumber_prefix_words.json")["glued_organ"]["regex"])


def _glued_organ(code: str, shortest: int = 4) -> int:
    """The length of an organ's name (``shortest`` characters at least) glued before the 机关代字
    (交通运输部发改基础 → 5), else 0."""
    if len(code) < shortest + 2 or _norm_code(code) in _known_codes():
        return 0
    m = _glued_rx().match(code)
    if m is None or m.end() < shortest + (code[m.end() - 1] == "委"):  # 云招商委办发: an abbreviation
        return 0
    return 0 if code[m.end() :].startswith(("公告", "通告", "令")) else m.end()  # the organ's own 公告


def _is_court(code: str) -> bool:
    return any(r.search(code) for r in _court_res())


def _build(form: str, m: re.Match[str], text: str, strict: bool) -> DocNumber | None:
    """The number a match stands for; ``strict`` (running text) asks more of the weak forms."""
    g = m.groupdict()
    code_raw = g.get("code") or ""
    start = m.start()
    if form == "year_first" and code_raw.endswith("第"):
        code_raw = code_raw[:-1]
    organ = form in ("order", "order_after", "announcement", "announcement_after", "session")
    organ = organ or code_raw.endswith(("公告", "令"))  # 西藏自治区人民代表大会常务委员会公告〔…〕
    if form != "year_first" and code_raw:
        cut = _trim(code_raw, organ, strict)
        if (
            cut == 0
            and code_raw[0] in "年月日"
            and m.start("code") > 0
            and text[m.start("code") - 1].isdigit()
        ):
            cut = 1  # 2018年12月18日国务院令第707号: the date's 日 is not part of the code
        code_raw = code_raw[cut:]
        start = m.start("code") + cut
        if form in ("number", "year_out", "unclosed"):  # 林业和草原局林规发: the organ's name was cut at 和
            glued = _glued_organ(code_raw, 3 if text[start - 1 : start] == "和" else 4)
            code_raw, start = code_raw[glued:], start + glued
    code = _norm_code(code_raw)
    serial = str(int(g["serial"]))
    year = int(g["year"]) if g.get("year") else None
    infix = g.get("infix") or ""
    infix = "" if infix == "第" else infix
    if form in ("number", "year_out", "unclosed"):
        if not code:
            return None
        canonical = f"{code}〔{year}〕{infix}{serial}号"
    elif form == "year_first":
        if not code or _is_court(code):
            return None
        canonical = f"{code}〔{year}〕{serial}号"
    elif form == "session":
        canonical, year = f"{code}〔{g['session']}届〕第{serial}号", None
    elif form in ("order", "order_after"):
        if form == "order_after":
            code += "令"
        if len(code) < 2:
            return None
        canonical = f"{code}第{serial}号"
    else:  # announcements
        if form == "announcement_after":
            code += "公告"
        if len(code) < 2 or (strict and not code.endswith(("公告", "令"))):
            return None
        canonical = f"{code}{year}年第{serial}号"
    return DocNumber(canonical, code, year, serial, text[start : m.end()], (start, m.end()))


# Every form holds one of these; the patterns run only in windows around them. The first
# character is read on its own so that the regex engine skips quickly to where one may start.
_ANCHOR = re.compile(
    f"[{_BR}\\d令第](?:(?<=[{_BR}]){_SP}(?:19|20)\\d\\d|(?:(?<=1)9|(?<=2)0)\\d\\d{_SP}[{_BR}年]|(?<=\\d){_SP}届"
    f"|(?<=令){_SP}[(（]?{_SP}第|(?<=第){_SP}\\d)"
)
_BEFORE, _AFTER = 60, 50


def _windows(norm: str) -> list[tuple[int, int]]:
    """Merged (start, end) windows around the anchors of ``norm``."""
    out: list[tuple[int, int]] = []
    for m in _ANCHOR.finditer(norm):
        s, e = max(0, m.start() - _BEFORE), min(len(norm), m.end() + _AFTER)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


_FW_DIGITS = tuple(zip("０１２３４５６７８９", "0123456789", strict=True))


def _ascii_digits(text: str) -> str:
    """``text`` with full-width digits in ASCII (``text.translate(_FW)``, quicker on long texts)."""
    for fw, ascii_digit in _FW_DIGITS:
        if fw in text:
            text = text.replace(fw, ascii_digit)
    return text


def _first_core(form: str, norm: str, start: int, end: int, brackets: list[int]) -> re.Match[str] | None:
    """The first core of ``form`` in norm[start:end] (a bracket form's at the first bracket where
    one starts)."""
    if form in _BRACKET_FIRST:
        for p in brackets[bisect_left(brackets, start) : bisect_left(brackets, end)]:
            m = _CORES[form].match(norm, p, end)
            if m:
                return m
        return None
    return _CORES[form].search(norm, start, end)


def _form_matches(
    form: str, rx: re.Pattern[str], norm: str, start: int, end: int, core: re.Match[str], brackets: list[int]
):
    """``rx.finditer(norm, start, end)``, given the first core of the window. A form that is a
    机关代字, spaces and its core is searched from where the code before the next core can
    start (no match starts earlier: its core would be that one or a later one, and the
    characters of a code and spaces go back to it), and not at all when no core is left."""
    if form not in _CODE_FIRST:
        yield from rx.finditer(norm, start, end)
        return
    cur: int = start
    found: re.Match[str] | None = core
    while found is not None:
        c = found.start()
        back = _CODE_BACK.match(norm[cur:c][::-1])
        m = rx.search(norm, c - back.end() if back else cur, end)
        if m is None:
            return
        yield m
        cur = m.end()
        found = _first_core(form, norm, cur, end, brackets)


def _scan(text: str, strict: bool) -> list[tuple[int, DocNumber]]:
    """All candidates of all forms in ``text``: (priority, number)."""
    norm = _ascii_digits(text)
    out: list[tuple[int, DocNumber]] = []
    forms = [(form, rx) for form, rx in _PATTERNS.items() if all(w in norm for w in _CORE_WORDS.get(form, ()))]
    brackets = char_positions(norm, _BR_CHARS)
    for start, end in _windows(norm):
        for form, rx in forms:
            if any(norm.find(w, start, end) < 0 for w in _CORE_WORDS.get(form, ())):
                continue
            core = _first_core(form, norm, start, end, brackets)
            if not core:
                continue
            for m in _form_matches(form, rx, norm, start, end, core, brackets):
                d = _build(form, m, text, strict)
                if d is not None:
                    out.append((_PRIORITY[form], d))
    return out


def _select(cands: list[tuple[int, DocNumber]]) -> list[DocNumber]:
    """Non-overlapping candidates, longest first, then by form priority."""
    cands.sort(key=lambda c: (-(c[1].span[1] - c[1].span[0]), c[0], c[1].span[0]))
    taken: list[DocNumber] = []
    for _, d in cands:
        if all(d.span[1] <= t.span[0] or d.span[0] >= t.span[1] for t in taken):
            taken.append(d)
    return sorted(taken, key=lambda d: d.span[0])


def _hao_ok(d: DocNumber, text: str) -> bool:
    """A number written without 号 counts only when no character of a word follows it."""
    if re.search(r"\d\s*号", d.surface.translate(_FW)):
        return True
    nxt = text[d.span[1] : d.span[1] + 1]
    return not nxt or not (_CJK_RE.match(nxt) or nxt.isalnum() or nxt in "%％.")


def find_all(text: str) -> list[DocNumber]:
    """Every 发文字号 in running text, in order, with spans into ``text``."""
    return list(_find_all(text))


@lru_cache(maxsize=32)
def _find_all(text: str) -> tuple[DocNumber, ...]:
    return tuple(d for d in _select(_scan(text, True)) if _hao_ok(d, text))


def parse(s: str) -> DocNumber | None:
    """The number that ``s`` is (a metadata field, a line of a list), or None.

    Leading words glued to it (的通知粤府〔2020〕71号) are dropped like in running text;
    trailing characters other than letters are ignored (市政发〔2019〕1号(1)). Two numbers in one
    string (a joint issue) give None: use ``find_all``.
    """
    t = s.translate(_ZW).strip()
    found = [d for d in _select(_scan(t, False)) if _hao_ok(d, t)]
    if len(found) != 1:
        return None
    d = found[0]
    before, after = t[: d.span[0]], t[d.span[1] :]
    if not _JUNK_OK.fullmatch(after):
        return None
    if before and not (_CJK_RE.search(before[-1:]) or _JUNK_OK.fullmatch(before)):
        return None
    return d


def canonicalize(s: str) -> str | None:
    """The canonical form of the number ``s`` is (厦府办〔2015〕134号), or None."""
    d = parse(s)
    return d.canonical if d else None


def kind(d: DocNumber | str) -> NumberKind:
    """Which form a number is: number, order, announcement or session."""
    c = d.canonical if isinstance(d, DocNumber) else d
    if re.search(r"〔\d+届〕第\d+号$", c):
        return "session"
    if re.search(r"令第\d+号$", c):
        return "order"
    if re.search(r"公告第\d+号$", c):
        return "announcement"
    if re.search(r"\d{4}年第\d+号$", c):
        return "announcement"
    return "number"
