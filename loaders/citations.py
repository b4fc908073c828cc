"""Citations: every 《title》 and every 发文字号 a notice names, classified as basis, mention or draft.

``find_citations`` pairs a title with the number that follows it (《…》(国办发〔2015〕19号) is one
citation), keeps bare numbers (…国发〔2012〕9号…) and bare titles, and drops the notice's own
number and titles. ``title_key`` is the normalization used to match titles; ``promulgated_title``
reads X out of "…关于印发X的通知"; ``cited_facts`` infers the cited document's issuers, level and
region from its title and number. The cues are data: ``data/citation_cues.json``.

Basis is the notice's own purpose statement (为…，根据《X》…，制定本办法; 现就贯彻落实《X》提出如下
意见; 第一条 of a regulation; a law named without 《》), or, without a preamble, the guiding statement
of its 总体要求. Instructions to the addressees (各地要按照《X》), background sentences (近年来…
贯彻落实《X》…取得积极进展), the appeal formula and editorial notes name mentions; licences and
forms (《…许可证》《…申请表》) are no documents. In a cover notice forwarding a superior's
document, that document is the basis and the forwarded text's own basis a mention.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from policykg.loaders import docnumber, meta
from policykg.loaders.models import Agency, Citation, CitationKind, DocNumber, Region

__all__ = ["find_citations", "title_key", "promulgated_title", "cited_facts", "find_titles"]

_TITLE_KEY_DROP = re.compile("[()（）\\[\\]【】〔〕\\-—–－―~～\\s《》〈〉<>＜＞「」『』“”‘’\"'·・]")
_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_OPEN, _CLOSE = "《", "》"
_EDITION = re.compile("[（(][^（）()]{1,16}[)）]$")
_MAX_TITLE = 300

_PROMULGATE = re.compile("(?:印发|转发|发布|颁布|颁发)(?P<x>.+?)的(?:通知|决定|函|公告|通告|批复|复函)$")
_WRAPPED = re.compile("^[《<〈＜「](?P<x>.*)[》>〉＞」]$")
_BOUNDARY = set("。；;！？!?\n：:")
_COMMA = set("，,")
_OPEN_BR, _CLOSE_BR = set("(（[【〔"), set(")）]】〕")
_CONNECT = re.compile("(?:[\\s、，,)）\\]】〕(（\\[【]|和|及|以及|与|或|暨)*")


@cache
def _cues() -> dict:
    with (
        resources.files("policykg.loaders")
        .joinpath("data", "citation_cues.json")
        .open(encoding="utf-8") as fh
    ):
        return json.load(fh)


@cache
def _rx(name: str, key: str = "regex") -> re.Pattern[str]:
    """The cue ``name`` compiled; ``{types}`` stands for every document type (办法, 实施方案 …)."""
    regex = _cues()[name][key]
    if "{types}" in regex:
        regex = regex.replace("{types}", "|".join(sorted(meta.doctype_suffixes(), key=len, reverse=True)))
    return re.compile(regex)


def title_key(title: str) -> str:
    """The form of a title used for matching: without brackets, dashes, quotes, spaces and
    《》〈〉<>, digits in ASCII. 《质量发展纲要（2011—2020年）》 → 质量发展纲要2011-2020年 minus the dash."""
    return _TITLE_KEY_DROP.sub("", title.translate(_FW))


def promulgated_title(title: str) -> str | None:
    """X of "…关于印发X的通知" (also 印发《X》的通知, 印发<X>的通知, 转发…关于…的通知), else None.

    When X names several documents (印发〈A〉和〈B〉的通知) the first is returned.
    """
    t = title.strip().strip("《》")
    m = _PROMULGATE.search(t)
    if not m:
        return None
    x = m.group("x").strip()
    w = _WRAPPED.match(x)
    if w and not re.search("[》>〉＞」].*[《<〈＜「]", x):
        x = w.group("x")
    elif re.match("[《<〈＜「]", x):
        close = {"《": "》", "<": ">", "〈": "〉", "＜": "＞", "「": "」"}[x[0]]
        x = x[1 : x.index(close)] if close in x else x[1:]
    return x.strip() or None


def find_titles(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Every top-level 《…》 with nested 《》/<>/〈〉 kept inside; the title is without the outer
    《》 and without line breaks. Spans cover the brackets."""
    out: list[tuple[str, tuple[int, int]]] = []
    i = 0
    n = len(text)
    while i < n:
        start = text.find(_OPEN, i)
        if start < 0:
            break
        depth, j = 0, start
        while j < n and j - start <= _MAX_TITLE:
            ch = text[j]
            if ch == _OPEN:
                depth += 1
            elif ch == _CLOSE:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j < n and depth == 0 and text[j] == _CLOSE:
            title = re.sub("[\\r\\n]+", "", text[start + 1 : j]).strip()
            if title:
                out.append((title, (start, j + 1)))
            i = j + 1
        else:
            i = start + 1
    return out


@dataclass
class _Item:
    title: str | None
    number: DocNumber | None
    start: int
    end: int  # end of the whole citation (title and its number with brackets)


def _attach(text: str, titles: list, numbers: list[DocNumber]) -> list[_Item]:
    """Pair each title with the number right after it (in brackets) or right before it."""
    items: list[_Item] = []
    used: set[int] = set()
    spans = [span for _, span in titles]  # in order, not overlapping

    def in_title(pos: int) -> bool:
        k = bisect_right(spans, (pos, len(text) + 1))
        return k > 0 and pos < spans[k - 1][1]

    nums = sorted((d for d in numbers if not in_title(d.span[0])), key=lambda d: d.span[0])
    for title, (s, e) in titles:
        item = _Item(title, None, s, e)
        for k in range(bisect_left(nums, e, key=lambda d: d.span[0]), len(nums)):
            d = nums[k]
            if k in used:
                continue
            gap = text[e : d.span[0]]
            if re.fullmatch("[\\s]*[（(【\\[〔]?[\\s]*", gap):
                used.add(k)
                item.number = d
                close = re.match("[\\s]*[)）】\\]〕]", text[d.span[1] :])
                item.end = d.span[1] + (close.end() if close else 0)
            break
        items.append(item)
    unnumbered = {it.start: it for it in reversed(items) if it.number is None}  # the first at each place
    for k, d in enumerate(nums):
        if k in used:
            continue
        nxt = unnumbered.pop(d.span[1], None)
        if nxt is not None:  # 厦府办〔2015〕134号《厦门市人民政府办公厅关于…的通知》
            nxt.number, nxt.start = d, d.span[0]
            continue
        items.append(_Item(None, d, d.span[0], d.span[1]))
    return sorted(items, key=lambda it: it.start)


@lru_cache(maxsize=8)
def _section_starts(text: str) -> tuple[int, ...]:
    """Where the numbered section headings start: the matches of the ``sections`` cue. A cue
    anchored at line starts ((?m)^…) is tried at each line start only, past the previous match."""
    rx = _rx("sections")
    if not rx.pattern.startswith("(?m)^"):
        return tuple(m.start() for m in rx.finditer(text))
    out: list[int] = []
    pos = end = 0
    for line in text.split("\n"):
        if pos >= end:
            m = rx.match(text, pos)
            if m:
                out.append(m.start())
                end = m.end()
        pos += len(line) + 1
    return tuple(out)


def _opening_end(text: str) -> int:
    """Where the opening part of a notice ends: at its first numbered section heading."""
    starts = _section_starts(text)
    return starts[0] if starts else min(len(text), 800)


def _basis_sections(text: str) -> list[tuple[int, int]]:
    """Spans of the sections whose heading names the basis (一、政策依据 … up to the next heading)."""
    heads = _section_starts(text)
    out = []
    for i, start in enumerate(heads):
        eol = text.find("\n", start)
        heading = text[start : eol if eol >= 0 else len(text)]
        if len(heading.strip()) <= 20 and _rx("basis_section").search(heading):  # a heading line
            out.append((start, heads[i + 1] if i + 1 < len(heads) else len(text)))
    return out


def _purpose_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _rx("purpose").finditer(text):
        s = max(text.rfind(c, 0, m.start()) for c in "。\n") + 1
        e = m.end()
        spans.append((s, e))
    return spans


def _wrapped(text: str, j: int) -> bool:
    """Whether the line break at ``j`` only wraps a paragraph (a long line ending mid-sentence)."""
    line = text[text.rfind("\n", 0, j) + 1 : j].rstrip()
    return len(line.strip()) >= 15 and line[-1] not in "。；;！？!?：:"


def _in_list(text: str, j: int, items: list[_Item]) -> bool:
    """Whether the comma at ``j`` separates two citations of a list (《A》，《B》)."""
    k = j + 1
    while k < len(text) and text[k].isspace():
        k += 1
    i = j - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    after, before = _item_at(items, k), _item_at(items, i)
    return after is not None and after.start == k and before is not None and before.end == i + 1


def _start(item: _Item) -> int:
    return item.start


def _item_at(items: list[_Item], j: int) -> _Item | None:
    """The citation (of ``items``, in order of start) that covers position ``j``, if any."""
    i = bisect_right(items, j, key=_start)
    return items[i - 1] if i and j < items[i - 1].end else None


def _clause_before(text: str, pos: int, items: list[_Item]) -> str:
    """The clause before ``pos``: back to a boundary outside brackets, other citations removed."""
    depth, j = 0, pos - 1
    while j >= 0:
        hit = _item_at(items, j)
        if hit is not None:
            j = hit.start - 1
            continue
        ch = text[j]
        if ch in _CLOSE_BR:
            depth += 1
        elif ch in _OPEN_BR and depth:
            depth -= 1
        elif depth == 0 and ch in _BOUNDARY and not (ch == "\n" and _wrapped(text, j)):
            break
        elif depth == 0 and ch in _COMMA and not _in_list(text, j, items):
            break
        j -= 1
    start = j + 1
    parts, k = [], start
    first = max(0, bisect_right(items, start, key=_start) - 1)
    for it in items[first : bisect_left(items, pos, key=_start)]:
        if it.end <= start or it.start >= pos:
            continue
        parts.append(text[k : it.start])
        k = it.end
    parts.append(text[k:pos])
    return "".join(parts)


def _clause_after(text: str, pos: int, items: list[_Item]) -> str:
    """The clause after ``pos`` up to a boundary, other citations removed."""
    out, j, depth = [], pos, 0
    while j < len(text):
        hit = _item_at(items, j)
        if hit is not None:
            j = hit.end
            continue
        ch = text[j]
        if ch in _OPEN_BR:
            depth += 1
        elif ch in _CLOSE_BR and depth:
            depth -= 1
        elif depth == 0 and (
            (ch in _BOUNDARY and not (ch == "\n" and _wrapped(text, j))) or (ch in _COMMA and out)
        ):
            break
        out.append(ch)
        j += 1
        if len(out) > 60:
            break
    return "".join(out)


_SENTENCE_END = set("。！？!?；;")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``: from the previous 。！？； or line break that ends
    a paragraph, to the next one."""
    i = start - 1
    while i >= 0 and start - i < 400:
        ch = text[i]
        if ch in _SENTENCE_END or (ch == "\n" and not _wrapped(text, i)):
            break
        i -= 1
    j = end
    while j < len(text) and j - end < 400:
        ch = text[j]
        if ch in _SENTENCE_END or (ch == "\n" and not _wrapped(text, j)):
            break
        j += 1
    return text[i + 1 : j]


def _not_own_basis(text: str, item: _Item, stripped_before: str) -> bool:
    """Whether a citation is ruled out as the notice's basis by where it stands: an instruction
    to the addressees (各地要按照《X》), a background sentence (近年来…贯彻落实《X》…取得积极进展),
    the appeal-rights formula (如不服…申请行政复议) or an editorial note (本通知…废止)."""
    if _rx("instruction").search(stripped_before):
        return True
    sentence = _sentence(text, item.start, item.end)
    if _rx("appeal").search(sentence) or _rx("editorial").search(sentence):
        return True
    return bool(_rx("background").search(sentence)) and not _rx("background", "purpose_regex").search(sentence)


def _classify(
    text: str, items: list[_Item], item: _Item, opening: int, purposes: list, sections: list
) -> CitationKind:
    before = _clause_before(text, item.start, items)
    stripped = re.sub(f"{_CONNECT.pattern}$", "", before)
    if _rx("draft_before").search(stripped):
        return "draft"
    in_opening = item.start < opening or any(s <= item.start < e for s, e in purposes)
    in_section = any(s <= item.start < e for s, e in sections)
    if (in_opening and _rx("basis").search(before)) or in_section:
        if not _not_own_basis(text, item, stripped):
            return "basis"
    if _rx("draft_after").search(_clause_after(text, item.end, items)):
        return "draft"
    return "mention"


@cache
def _self_rx() -> re.Pattern[str]:
    types = "|".join(sorted(meta.doctype_suffixes(), key=len, reverse=True))
    return re.compile(_cues()["self_reference"]["regex"].replace("{types}", types))


def _self_reference(title: str) -> bool:
    """《方案》, 《本办法》: the notice itself or its attachment, not a citation."""
    return bool(_self_rx().match(title.strip()))


def find_citations(
    text: str, own: DocNumber | None = None, *, exclude_titles: Iterable[str] = ()
) -> list[Citation]:
    """Every citation in ``text``, in order.

    ``own`` is the notice's own number (never a citation); ``exclude_titles`` its own title and
    the title it promulgates (compared by ``title_key``).
    """
    excluded = {title_key(t) for t in exclude_titles if t}
    excluded |= {title_key(_EDITION.sub("", t)) for t in exclude_titles if t}  # without （2021版）
    items = _attach(text, find_titles(text), docnumber.find_all(text))
    opening, purposes, sections = _opening_end(text), _purpose_spans(text), _basis_sections(text)
    out: list[Citation] = []
    for it in items:
        title, number = it.title, it.number
        if title is not None and _rx("not_documents").search(title):
            title = None  # 《…许可证》《…申请表》: a form or a licence, not a document
        if own is not None and number == own:
            number = None
        if title is not None and title_key(title) in excluded:
            title = None
            if number is not None and it.title is not None:
                number = None  # the own title with a number is the header, not a citation
        if title is None and number is None:
            continue
        if title is not None and (not title_key(title) or _self_reference(title)):
            title = None
            if number is None:
                continue
        kind = _classify(text, items, it, opening, purposes, sections)
        out.append(Citation(title, number, kind, (it.start, it.end)))
    out += _bare_laws(text, items, opening, purposes, excluded)
    out = _forwarded(text, out)
    if not any(c.kind == "basis" for c in out) and not _rx("purpose").search(text, 0, opening):
        out = _guiding_basis(text, items, out)
    return sorted(out, key=lambda c: c.span)


def _forwarded(text: str, found: list[Citation]) -> list[Citation]:
    """In a cover notice forwarding a superior's document, that document (named in the 转发
    statement's sentence or the one before) is the basis; the forwarded text's own basis and
    citations are mentions."""
    fw = meta.forward_cover(text)
    if fw is None or fw.adopted or fw.end is None:
        return found
    previous = text.rfind("。", 0, fw.statement[0])  # the end of the sentence before the statement's
    start = text.rfind("。", 0, previous) + 1 if previous >= 0 else 0
    start = max(start, text.rfind("\n", 0, fw.statement[0]) + 1)  # within the statement's paragraph
    out = []
    for c in found:
        if c.span[0] >= fw.end and c.kind == "basis":
            c = Citation(c.title, c.number, "mention", c.span)
        elif start <= c.span[0] < fw.statement[1] and c.kind != "draft":
            c = Citation(c.title, c.number, "basis", c.span)
        out.append(c)
    return out


def _guiding_basis(text: str, items: list[_Item], found: list[Citation]) -> list[Citation]:
    """A document without a preamble: the basis named in the first paragraph of its 总体要求 or
    指导思想 section (按照《X》《Y》的部署要求，…)."""
    rx = _rx("guiding_section")
    for start in _section_starts(text):
        eol = text.find("\n", start)
        eol = len(text) if eol < 0 else eol
        if not rx.match(text[start:eol]):
            continue
        end = eol + 1
        while end < len(text):  # the paragraph: up to a line break that is no wrap
            nxt = text.find("\n", end)
            if nxt < 0:
                end = len(text)
                break
            end = nxt + 1
            if not _wrapped(text, nxt):
                break
        out = []
        for c in found:
            item = next((it for it in items if it.start == c.span[0]), None)
            if (
                item is not None
                and eol < c.span[0] < end
                and c.kind == "mention"
                and _rx("basis").search(_clause_before(text, item.start, items))
                and not _not_own_basis(text, item, "")
            ):
                c = Citation(c.title, c.number, "basis", c.span)
            out.append(c)
        return out
    return found


def _bare_laws(text: str, items: list[_Item], opening: int, purposes: list, excluded: set[str]) -> list[Citation]:
    """Laws the notice names as its basis without 《》 (依据中华人民共和国水法，制定本办法)."""
    if "中华人民共和国" not in text:
        return []
    out: list[Citation] = []
    seen: set[str] = set()
    for start, end in [(0, opening), *purposes]:
        for m in _rx("bare_law").finditer(text, start, end):
            if any(it.start <= m.start() < it.end for it in items) or title_key(m.group()) in excluded:
                continue
            law = _Item(m.group(), None, m.start(), m.end())
            if m.group() not in seen and _classify(text, items, law, opening, purposes, []) == "basis":
                seen.add(m.group())
                out.append(Citation(m.group(), None, "basis", m.span()))
    return out


def cited_facts(
    c: Citation, context: Region | None = None
) -> tuple[tuple[Agency, ...], str | None, Region | None]:
    """Issuers, level and region of a cited document, from its title's leading organ names
    (福建省人民政府办公厅关于…, 中共中央、国务院关于…) and/or its number's 机关代字.

    ``context`` is the citing notice's region, used for relative names (省政府关于… in a Fujian
    notice).
    """
    issuers: list[Agency] = []
    level: str | None = None
    region: Region | None = None
    if c.title:
        for surface in meta.title_organs(c.title):
            agency, lvl, reg = meta.organ_facts(surface, context)
            issuers.append(agency)
            if level is None and lvl is not None:
                level, region = lvl, reg
    if c.number is not None and (not issuers or level is None):
        guess = meta.issuer_from_code(c.number.code)
        if guess is not None:
            agency, lvl, reg = guess
            if not issuers:
                issuers.append(agency)
            if level is None:
                level, region = lvl, reg
    return tuple(issuers), level, region
