"""Tasks: the numbered work items of a notice, with who is responsible for them.

Numbered items are found in every common style (一、 (一) （一） 1. 1、 (1) ①), nested by
the order the styles appear and checked as sequences (so a stray "2." inside a sentence is not
an item). Parts headed 指导思想, 基本原则, 主要目标 … hold no tasks; the level of the tasks is
the level that carries the responsibility clauses, or the items directly under the sections.
Task tables (工作任务 | 主要内容 | 责任部门) are read too, and their rows attached to the body
task of the same heading. Layout cues are data in ``loaders/data/task_layout.json``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from policykg.loaders import agencies, responsibility
from policykg.loaders.models import Agency, AgencyRole, Article, Provision, Region, Span, Task

__all__ = ["extract_tasks", "extract_structure", "Structure"]

_DATA = Path(__file__).parent / "data"
_HAN = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_SPACE = " \t\r\u3000\xa0\u2002\u2003\u2009\u200b\ufeff"
_HEADING_END = re.compile(r"[。！？!?；;：:\n|]")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]\s*$")
_TOC = re.compile(r"(?:[.．…·•]\s*){4,}\s*\d*$")


def han_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105."""
    total, current = 0, 0
    for ch in text:
        if ch in _HAN:
            current = _HAN[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _number(text: str, numerals: str) -> int:
    if numerals == "han" or (numerals == "mixed" and not text[0].isdigit()):
        return han_number(text)
    if numerals == "circled":
        return _CIRCLED.index(text) + 1
    return int(text.translate(_FULL_DIGITS))


@dataclass(frozen=True)
class _Layout:
    markers: tuple[tuple[str, re.Pattern[str], str, bool], ...]
    firsts: tuple[frozenset[str] | None, ...]  # of each marker: the characters it opens with
    inline_after: re.Pattern[str]
    after: tuple[re.Pattern[str], ...] | None  # see _after_patterns
    goals: frozenset[str]
    safeguards: frozenset[str]
    task_parts: frozenset[str]
    strong: tuple[str, ...]  # phrases: a part so named is a task part; its clause-less siblings hold no tasks
    goal_phrases: tuple[str, ...]
    safeguard_phrases: tuple[str, ...]
    closing: tuple[str, ...]  # cues of a closing safeguard part
    describe: tuple[str, ...]  # endings of parts that describe (scope, conditions, lists)
    attachment: re.Pattern[str]
    attachment_describe: re.Pattern[str]
    box: re.Pattern[str]
    directive: re.Pattern[str]
    modal: re.Pattern[str]
    approval: re.Pattern[str]
    list_lead: re.Pattern[str]
    joiners: re.Pattern[str]
    end_lines: re.Pattern[str]  # any of the patterns, as one
    end_line: Any  # end_lines.match when every pattern is anchored at the start, else .search
    signature: re.Pattern[str]
    table_headers: frozenset[str]


def _first_chars(regex: str) -> frozenset[str] | None:
    """The characters every match of ``regex`` opens with, when the regex says so plainly (a
    literal, a class of literals and ranges, a group or repeat of one, alternatives); else None."""
    try:
        from re import _parser  # the regex engine's own parser

        parsed = _parser.parse(regex)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
            return None

        def firsts(items: Any) -> set[str] | None:
            if not items:
                return None
            op, av = items[0]
            if op is _parser.LITERAL:
                return {chr(av)}
            if op is _parser.IN:
                out: set[str] = set()
                for kind, value in av:
                    if kind is _parser.LITERAL:
                        out.add(chr(value))
                    elif kind is _parser.RANGE and value[1] - value[0] < 512:
                        out.update(map(chr, range(value[0], value[1] + 1)))
                    else:
                        return None
                return out
            if op is _parser.SUBPATTERN and not av[1] and not av[2]:
                return firsts(av[3].data)
            if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT) and av[0] >= 1:
                return firsts(av[2].data)
            if op is _parser.BRANCH:
                union: set[str] = set()
                for branch in av[1]:
                    got = firsts(branch.data)
                    if got is None:
                        return None
                    union |= got
                return union
            return None

        found = firsts(parsed.data)
    except Exception:  # noqa: BLE001 - an unreadable regex is searched in full
        return None
    return frozenset(found) if found and not set(found) & set(_SPACE + "\n") else None


def _after_patterns(markers: list[dict[str, Any]], inline_after: str) -> tuple[re.Pattern[str], ...] | None:
    """For each character ``inline_after`` reads, a pattern of it and the spaces after it, where
    a character an inline marker opens with follows (one literal first: quick to search).
    None when the characters are not known."""
    chars = _first_chars(inline_after)
    firsts = [_first_chars(m["regex"]) for m in markers if m["inline"]]
    if chars is None or any(f is None for f in firsts):
        return None
    wanted = "".join(sorted(re.escape(c) for f in firsts for c in f))  # type: ignore[union-attr]
    return tuple(re.compile(f"{re.escape(ch)}[{_SPACE}]*(?=[{wanted}])") for ch in sorted(chars))


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    d: dict[str, Any] = json.loads((_DATA / "task_layout.json").read_text(encoding="utf-8"))
    end_lines = re.compile("|".join(f"(?:{p})" for p in d["end_lines"]))
    anchored = all(p.startswith("^") for p in d["end_lines"])  # ^ matches only where a line starts
    return _Layout(
        markers=tuple((m["style"], re.compile(m["regex"]), m["numerals"], m["inline"]) for m in d["markers"]),
        firsts=tuple(_first_chars(m["regex"]) for m in d["markers"]),
        inline_after=re.compile(d["inline_after"]),
        after=_after_patterns(d["markers"], d["inline_after"]),
        goals=frozenset(d["goal_headings"]),
        safeguards=frozenset(d["safeguard_headings"]),
        task_parts=frozenset(d["task_headings"]),
        strong=tuple(d["strong_task_phrases"]),
        goal_phrases=tuple(d["goal_phrases"]),
        safeguard_phrases=tuple(d["safeguard_phrases"]),
        closing=tuple(d["closing_safeguard_cues"]),
        describe=tuple(d["describe_endings"]),
        attachment=re.compile(d["attachment_line"]),
        attachment_describe=re.compile(d["attachment_describe"]),
        box=re.compile(d["box_line"]),
        directive=re.compile(d["directive"]),
        modal=re.compile(d["modal"]),
        approval=re.compile(d["approval"]),
        list_lead=re.compile(d["list_lead"]),
        joiners=re.compile(d["heading_joiners"]),
        end_lines=end_lines,
        end_line=end_lines.match if anchored else end_lines.search,
        signature=re.compile(d["signature_line"]),
        table_headers=frozenset(d["table_headers"]),
    )


# ---------------------------------------------------------------- numbered items


@dataclass(eq=False)
class _Item:
    label: str
    style: str
    value: int
    start: int  # where the marker starts
    body: int  # where the text after the marker starts
    block: int
    depth: int = 0
    parent: _Item | None = None
    children: list[_Item] = field(default_factory=list)
    own_end: int = 0  # start of the next item of any level
    end: int = 0  # end of the item with everything under it
    heading: str = ""
    attached: bool = False  # in an attachment
    boxed: bool = False  # in a 专栏 box
    kind: str = ""  # task, article, drop, or a Provision kind (see _classify)
    path: str = ""


def _line_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in _SPACE:
        i -= 1
    return i < 0 or text[i] == "\n"


def _inline_ok(text: str, pos: int, style: str) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in _SPACE:
        i -= 1
    if style == "han_paren" and i < pos - 1:  # 二、重点任务 （一）… in text without line breaks
        return True
    return i >= 0 and _layout().inline_after.match(text[i]) is not None


def _line_heads(text: str) -> list[int]:
    """Where each line's text starts (after the spaces that open it)."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append(pos + len(line) - len(line.lstrip(_SPACE)))
        pos += len(line) + 1
    return out


def _spaced(text: str, chars: frozenset[str]) -> list[int]:
    """Where one of ``chars`` follows a space."""
    out: list[int] = []
    for ch in chars:
        i = text.find(ch, 1)
        while i >= 0:
            if text[i - 1] in _SPACE:
                out.append(i)
            i = text.find(ch, i + 1)
    return out


def _marker_places(text: str, heads: list[int]) -> list[Any]:
    """For each marker pattern, where a match may count (None: anywhere): at the head of a line,
    and for an inline style also after ``inline_after`` and, for han_paren, after a space;
    only where the text holds a character the marker opens with. A marker holds no line break,
    and no character of ``inline_after`` but as its last, so no match at such a place is hidden
    by an earlier one of the same pattern."""
    lay = _layout()
    size = len(text)
    inline_places: list[int] | None = None
    if lay.after is not None:
        after = [m.end() for rx in lay.after for m in rx.finditer(text)]
        inline_places = sorted({*(q for q in heads if q < size), *after})
    out: list[Any] = []
    for (style, _, _, inline), firsts in zip(lay.markers, lay.firsts, strict=True):
        if not inline:
            out.append([q for q in heads if q < size and text[q] in firsts] if firsts is not None else heads)
        elif firsts is None or inline_places is None:
            out.append(None)
        else:
            places = [q for q in inline_places if text[q] in firsts]
            if style == "han_paren":
                places = sorted({*places, *_spaced(text, firsts)})
            out.append(places)
    return out


def _candidates(text: str, masked: list[Span]) -> list[tuple[int, int, str, int, str]]:
    """(start, end, style, value, label) of every marker in an allowed position."""
    found: dict[int, tuple[int, int, str, int, str]] = {}
    lay = _layout()
    all_places = _marker_places(text, _line_heads(text))
    for (style, pattern, numerals, inline), places in zip(lay.markers, all_places, strict=True):
        matches = pattern.finditer(text) if places is None else map(pattern.match, [text] * len(places), places)
        for m in matches:
            if m is None:
                continue
            pos, end = m.start(), m.end()
            if masked and any(a <= pos < b for a, b in masked):
                continue
            if not (_line_start(text, pos) or (inline and _inline_ok(text, pos, style))):
                continue
            nxt = text[end : end + 1]
            if not nxt or nxt in "、，,。.．)）|":
                continue
            value = _number(m.group("num"), numerals)
            if value <= 0:
                continue
            label = m.group(0).strip(_SPACE)
            if pos not in found or end - pos > found[pos][1] - found[pos][0]:
                found[pos] = (pos, end, style, value, label)
    return [found[k] for k in sorted(found)]


def _breaks(text: str) -> list[Span]:
    """Lines that close the task area (attachments, signature and date, page furniture)."""
    lay = _layout()
    out: list[Span] = []
    pos = 0
    lines = text.split("\n")
    starts = []
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    for n, line in enumerate(lines):
        stripped = line.strip(_SPACE)
        if not stripped or not lay.end_line(stripped):
            continue
        start = starts[n]
        k = n - 1
        while k >= 0 and not lines[k].strip(_SPACE):
            k -= 1
        if k >= 0 and re.search(r"\d{4}\s*年", stripped) and lay.signature.match(lines[k].strip(_SPACE)):
            start = starts[k]
        out.append((start, starts[n] + len(line)))
    return out


_GARBLED = (
    # 二、 run into the end of the paragraph before it: …水平，三、优化审核流程⏎
    re.compile(r"[，,；;。][ \t\u3000]*(?P<m>(?P<num>[一二三四五六七八九十]{1,3})、)(?=[^\n。，；]{2,30}\n)"),
    # （三） that lost its opening bracket: …一条。三)科学设置…
    re.compile(r"[。；;][ \t\u3000]*(?P<m>(?P<num>[一二三四五六七八九十]{1,3})[)）])(?=[\u4e00-\u9fff])"),
)
_GARBLED_STYLES = ("han", "han_paren")


def _garbled(text: str, masked: list[Span]) -> list[tuple[int, int, str, int, str]]:
    """Markers of a numbering garbled by lost line breaks or brackets: taken only where they
    continue their sequence exactly (see _build)."""
    out = []
    for pattern, style in zip(_GARBLED, _GARBLED_STYLES, strict=True):
        for m in pattern.finditer(text):
            a, b = m.span("m")
            if not any(x <= a < y for x, y in masked):
                out.append((a, b, style, han_number(m.group("num")), m.group("m")))
    return out


_DATE_LINE = re.compile(
    r"^\S{0,40}?[〇零○一二三四五六七八九十0-9０-９]{2,4}\s*年\s*[〇一二三四五六七八九十0-9０-９]{1,3}\s*月"
    r"\s*[〇一二三四五六七八九十0-9０-９]{1,3}\s*日"
)


def _marks(text: str) -> tuple[int, list[int]]:
    """Where the first attachment starts (len(text) when none), and where 专栏 box lines start.
    An attachment starts at a line 附件 (附件1, 附件：) standing alone, or at a list line
    附件：X followed by the signature's date (a list of attachments at the top of a page, or in a
    table of contents, starts none)."""
    lay = _layout()
    attachment, boxes = len(text), []
    lines = text.split("\n")
    pos = 0
    for n, line in enumerate(lines):
        stripped = line.strip(_SPACE)
        if stripped[:2] in ("附件", "专栏"):
            if pos < attachment and lay.attachment.match(stripped) and not _TOC.search(stripped):
                title = re.sub(r"^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?", "", stripped).strip(_SPACE)
                after = [x.strip(_SPACE) for x in lines[n + 1 : n + 12] if x.strip(_SPACE)][:8]
                if not title or any(_DATE_LINE.match(x) for x in after):
                    attachment = pos
            elif lay.box.match(stripped):
                boxes.append(pos)
        pos += len(line) + 1
    return attachment, boxes


def _continues(stack: list[_Item], last: dict[str, int], style: str, value: int) -> bool:
    """Whether a marker continues a numbering in ``stack`` or starts a new level under it."""
    idx = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].style == style), None)
    if idx is not None:
        return value == stack[idx].value + 1
    return value == 1 or value == last.get(style, -9) + 1


def _build(text: str, masked: list[Span]) -> list[_Item]:
    """Accept markers that continue a numbering sequence and nest them; returns items in order.
    Items after the first attachment line are marked ``attached``; the items of a 专栏 box (from
    its line until a marker continues the numbering outside it) ``boxed``."""
    breaks = _breaks(text) + [(a, b) for a, b in masked]
    attachment, boxes = _marks(text)
    events: list[tuple[int, int, Any]] = [(a, 0, (a, b)) for a, b in breaks]
    events += [(q, 1, None) for q in boxes]
    events += [(c[0], 2, c) for c in _candidates(text, masked)]
    events += [(c[0], 3, c) for c in _garbled(text, masked)]
    events.sort(key=lambda e: (e[0], e[1]))
    items: list[_Item] = []
    stack: list[_Item] = []
    last: dict[str, int] = {}
    outside: tuple[list[_Item], dict[str, int]] | None = None  # the numbering around an open box
    block = 0
    fence = -1  # markers inside a break span are ignored
    for pos, kind, payload in events:
        if kind == 0:
            stack, last, block, outside = [], {}, block + 1, None
            fence = max(fence, payload[1])
            continue
        if kind == 1:
            if outside is None:
                outside = (stack, last)
            stack, last = [], {}
            continue
        if pos < fence:
            continue
        start, end, style, value, label = payload
        if kind == 3 and not any(i.style == style and i.value + 1 == value for i in stack):
            continue  # a garbled marker counts only where it continues its sequence
        if outside is not None and not _continues(stack, last, style, value):
            if _continues(*outside, style, value):
                (stack, last), outside = outside, None
        idx = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].style == style), None)
        if idx is not None:
            if value == stack[idx].value + 1:
                parent = stack[idx].parent
                stack = stack[:idx]
            elif idx == 0 and value == 1 and outside is None:
                stack, last, block, parent = [], {}, block + 1, None
            else:
                continue
        elif style in _RANK:  # 第N章, 第N节, 第N条: under the nearest of a higher rank, else on top
            if value != 1 and style in last and value != last[style] + 1:
                continue
            up = next((k for k in range(len(stack) - 1, -1, -1) if _RANK.get(stack[k].style, 9) < _RANK[style]), None)
            stack = stack[: up + 1] if up is not None else []
            parent = stack[-1] if stack else None
        else:
            opens = not stack and style not in last and style == "han" and value <= 3
            if not (value == 1 or value == last.get(style, -9) + 1 or opens):
                continue  # a sequence starts at 1 (a block also at 二、/三、 where the first is garbled)
            if not stack and value != 1 and style not in last and not opens:
                continue
            parent = stack[-1] if stack else None
        item = _Item(label, style, value, start, end, block, len(stack), parent)
        item.attached = start > attachment
        item.boxed = outside is not None
        if parent is not None:
            parent.children.append(item)
        stack.append(item)
        last[style] = value
        items.append(item)
    _close(items, breaks + [(q, q) for q in boxes], len(text))
    for item in items:
        item.heading = _heading(text, item.body, item.own_end)
    return items


def _close(items: list[_Item], breaks: list[Span], size: int) -> None:
    stops = sorted(a for a, _ in breaks)
    for n, item in enumerate(items):
        nxt = items[n + 1].start if n + 1 < len(items) else size
        brk = next((a for a in stops if a > item.start), size)
        item.own_end = min(nxt, brk)
    for n, item in enumerate(items):
        end = item.own_end
        for later in items[n + 1 :]:
            if later.boxed and not item.boxed:
                continue
            if later.block != item.block or later.depth <= item.depth:
                break
            end = later.own_end
        item.end = end


def _heading(text: str, start: int, stop: int) -> str:
    seg = text[start:stop].lstrip(_SPACE + "\n")
    m = _HEADING_END.search(seg)
    head = seg[: m.start()] if m else seg
    stripped = head.strip()  # a note in brackets at the end is not part of the heading
    head = (_TRAILING_NOTE.sub("", stripped) if stripped.endswith(("）", ")")) else stripped) or stripped
    return head.strip(_SPACE + "，,、")


@lru_cache(maxsize=8192)
def _heading_kind(heading: str, phrases: bool = True) -> str | None:
    """What a part's heading says it holds: 'goal' (指导思想, 主要目标, background, descriptions),
    'safeguard' (保障措施, 实施步骤 …), 'strong' (主要任务, 重点任务 …), 'task' (政策措施,
    重点工作 …), 'describe' (scope, conditions, lists: 申报条件, 集中采购范围及形式); else None.
    A phrase counts where it ends the heading or one of its joined words; ``phrases=False``: the
    heading's words only (for an item that holds no items: 加强组织领导和监督检查 is a task)."""
    lay = _layout()
    core = re.sub(r"[\s。．.：:（）()]", "", heading)
    if not core or lay.approval.match(core):
        return None
    parts = [p for p in lay.joiners.split(core) if p]
    if all(p in lay.goals for p in parts):
        return "goal"
    if phrases and any(p.endswith(lay.strong) for p in parts):
        return "strong"
    if all(p in lay.goals or p in lay.safeguards for p in parts) or (
        phrases and any(p.endswith(lay.safeguard_phrases) for p in parts)
    ):
        return "safeguard"
    if all(p in lay.goals or p in lay.safeguards or p in lay.task_parts for p in parts):
        return "task"
    if not phrases:
        return None
    if any(p.endswith(lay.goal_phrases) for p in parts):
        return "goal"
    if len(core) <= 16 and parts[-1].endswith(lay.describe) and not lay.directive.match(core):
        return "describe"
    return None


# ---------------------------------------------------------------- which items are tasks

_STRUCTURAL = ("chapter", "section")
_RANK = {"chapter": 0, "section": 1, "article": 2}  # the structural levels, outermost first
_NO_TASKS = {"goal": "goal", "safeguard": "safeguard", "describe": "list"}  # heading kind → provision kind


def _mark(item: _Item, kind: str) -> None:
    """``item`` and everything under it are provisions of ``kind``."""
    item.kind = kind
    for c in item.children:
        _mark(c, kind)


def _directs(text: str, item: _Item, modal: bool = False) -> bool:
    """Whether an item (with what is under it) assigns work: a sentence, with a directive word
    (``modal``: 应, 要, 须, 请 …) outside the sentences that only approve (同意…, 准予…)."""
    lay = _layout()
    cue = lay.modal if modal else lay.directive
    body = text[item.body : item.end]
    if not _SENTENCE.search(body):
        return False  # a name, a title: an entry of a list
    if not lay.approval.match(body.lstrip(_SPACE + "\n")):
        return cue.search(body) is not None
    rest = " ".join(s for s in _SENTENCES.split(body) if s.strip(_SPACE) and not lay.approval.match(s.strip(_SPACE)))
    return cue.search(rest) is not None


_SENTENCE = re.compile(r"[。；;！!]")
_SENTENCES = re.compile(r"[。；;，,\n]")


def _task_group(text: str, group: list[_Item], explicit: bool, each: bool = False, modal: bool = False) -> None:
    """Sibling items in a task area. Under a part that names tasks they are tasks; elsewhere they
    are when most of them assign work (``each``: those that do; ``modal``: by 应, 要, 须, 请 …)."""
    if explicit:
        for item in group:
            _task_tree(text, item, True)
        return
    directs = [_directs(text, item, modal) for item in group]
    for item, does in zip(group, directs, strict=True):
        if does if each else 2 * sum(directs) >= len(group):
            _task_tree(text, item, False)
        else:
            _mark(item, "list")


def _task_tree(text: str, item: _Item, explicit: bool) -> None:
    """An item in a task area: a task unless its heading says otherwise; the items under it
    likewise, unless they are a list (conditions, materials …)."""
    kind = _heading_kind(item.heading, bool(item.children))
    if kind in _NO_TASKS:
        _mark(item, _NO_TASKS[kind])
        return
    item.kind = "task"
    if not item.children:
        return
    lead = text[item.body : item.children[0].start].rstrip(_SPACE + "\n")
    if _layout().list_lead.search(lead):
        for c in item.children:
            _mark(c, "list")
        return
    _task_group(text, item.children, explicit)


def _parts(text: str, nodes: list[_Item]) -> None:
    """Sibling parts (the top items of a block, or the items of a chapter): which hold tasks."""
    lay = _layout()
    kinds = [_heading_kind(n.heading) for n in nodes]
    work = [n for n, kind in zip(nodes, kinds, strict=True) if kind is None]
    if not (bool(work) and 2 * sum(1 for n in work if n.children) >= len(work)):
        # items, not parts (一、加强组织领导。各地要…): one that holds no items is read by its words only
        kinds = [_heading_kind(n.heading, bool(n.children)) for n in nodes]
    if "safeguard" not in kinds and len(nodes) >= 3 and kinds[-1] is None and nodes[-1].children:
        if any(cue in nodes[-1].heading for cue in lay.closing):
            kinds[-1] = "safeguard"  # a closing part: 加强领导，明确职责
    first_goal = next((k for k, kind in enumerate(kinds) if kind == "goal"), 0)
    for k in range(first_goal):
        if kinds[k] is None:
            kinds[k] = "goal"  # background before 总体要求
    strong = "strong" in kinds
    work = [n for n, kind in zip(nodes, kinds, strict=True) if kind is None]
    sectioned = bool(work) and 2 * sum(1 for n in work if n.children) >= len(work)
    flat: list[_Item] = []
    for node, kind in zip(nodes, kinds, strict=True):
        if kind in _NO_TASKS:
            _mark(node, _NO_TASKS[kind])
        elif strong and kind != "strong":
            _mark(node, "part")  # a sibling of 重点任务: no tasks but those with a clause
        elif node.style in _STRUCTURAL and node.children:
            node.kind = "part"
            if kind in ("task", "strong") and node.children[0].style not in _STRUCTURAL:
                _task_group(text, node.children, True)
            else:
                _parts(text, node.children)
        elif kind in ("task", "strong"):
            if node.children:
                node.kind = "part"
                _task_group(text, node.children, True)
            else:
                _task_tree(text, node, True)
        elif sectioned and node.children:
            node.kind = "part"
            _task_group(text, node.children, False)
        else:
            flat.append(node)
    if flat:  # items that are not parts: in a reply, each on its own (同意… is no task)
        reply = any(lay.approval.match(text[i.body : i.own_end].lstrip(_SPACE + "\n")) for i in flat)
        _task_group(text, flat, False, each=reply or sectioned, modal=reply)


def _classify(text: str, items: list[_Item], clauses: list[responsibility.Clause], issued: bool) -> None:
    """Set each item's ``kind``: task, article, drop (table of contents, 专栏 boxes, attachments of
    a notice that issues nothing, or attachments that are lists), or a Provision kind."""
    lay = _layout()
    blocks: dict[int, list[_Item]] = {}
    for item in items:
        blocks.setdefault(item.block, []).append(item)
    ordered = list(blocks.values())
    for n, block in enumerate(ordered):
        roots = [i for i in block if i.parent is None and not i.boxed]
        if n + 1 < len(ordered) and _contents(text, block, ordered[n + 1]):
            for i in block:
                i.kind = "drop"
            continue
        if block[0].attached and not issued:
            for i in block:
                i.kind = "drop"
            continue
        if block[0].attached:
            before = text[: block[0].start].rstrip(_SPACE + "\n").rsplit("\n", 3)[-3:]
            if any(lay.attachment_describe.search(line) and "任务" not in line for line in before):
                for i in block:
                    i.kind = "drop"
                continue
        articles = [i for i in block if i.style == "article"]
        for i in block:
            if i.boxed or _TOC.search(i.heading):  # 一、总体要求……………… 1
                _mark(i, "drop")
        if len(articles) >= 2:
            for i in block:
                if i.kind == "drop":
                    continue
                if i.style == "article":
                    i.kind = "article"
                elif i.style in _STRUCTURAL:
                    i.kind = "part"
                else:
                    i.kind = "clause" if any(p.style == "article" for p in _ancestors(i)) else "part"
            continue
        _parts(text, [r for r in roots if r.kind != "drop"])
    # an item with a responsibility clause of its own is a task wherever it stands
    live = [i for i in items if i.kind not in ("drop", "article", "clause")]
    starts = [i.start for i in live]
    for clause in clauses:
        pos = clause.span[0]
        k = bisect_right(starts, pos)
        if k and pos < live[k - 1].own_end and live[k - 1].kind != "task":
            live[k - 1].kind = "task"


def _contents(text: str, block: list[_Item], following: list[_Item]) -> bool:
    """Whether a block is a table of contents without leaders: headings with no text of their
    own, the first of them heading the next block too."""
    bare = sum(1 for i in block if len(text[i.body : i.own_end].strip(_SPACE + "\n")) <= len(i.heading) + 2)
    return 2 * bare > len(block) and bool(following) and following[0].heading == block[0].heading


def _ancestors(item: _Item) -> list[_Item]:
    out = []
    p = item.parent
    while p is not None:
        out.append(p)
        p = p.parent
    return out


def _paths(items: list[_Item]) -> None:
    """Each item's path: the labels from the outermost numbered level (an article's from itself)."""
    for item in items:
        p = item.parent
        if item.kind == "article" or p is None or p.kind == "drop":
            item.path = item.label
        else:
            item.path = p.path + item.label


# ---------------------------------------------------------------- tables


@dataclass
class _Row:
    label: str
    heading: str
    content: str
    clauses: list[tuple[str, int]]  # (clause text, where it would start in the document)
    span: Span


def _table_lines(text: str) -> list[tuple[int, int, list[tuple[str, int]]]]:
    """Lines that are table cells: (start, end, cells with their offsets)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        body = line.rstrip()
        if body.endswith("|") or body.count("|") >= 2 or body.count("\t") >= 2:
            sep = "|" if "|" in body else "\t"
            cells = []
            cursor = 0
            for part in body.split(sep):
                cell = part.strip(_SPACE)
                if cell:
                    cells.append((cell, start + cursor + part.index(cell[0])))
                cursor += len(part) + 1
            if cells:
                out.append((start, end, cells))
    return out


def _tables(text: str) -> list[tuple[Span, list[list[tuple[str, int]]], str | None]]:
    """Table regions: (span, lines of cells, title line)."""
    lines = _table_lines(text)
    groups: list[list[tuple[int, int, list[tuple[str, int]]]]] = []
    for line in lines:
        if groups and not text[groups[-1][-1][1] : line[0]].strip():
            groups[-1].append(line)
        else:
            groups.append([line])
    out = []
    for g in groups:
        if sum(len(c) for _, _, c in g) < 3:
            continue
        before = text[: g[0][0]].rstrip().rsplit("\n", 1)[-1].strip(_SPACE) or None
        out.append(((g[0][0], g[-1][1]), [c for _, _, c in g], before))
    return out


_MARKED = re.compile(
    r"^(?:[（(]?[0-9０-９一二三四五六七八九十]{1,3}[）)]|[0-9０-９]{1,3}[.．、]|[一二三四五六七八九十]{1,3}、)"
)


def _rows(cells_by_line: list[list[tuple[str, int]]]) -> tuple[list[str], list[list[tuple[str, int]]]]:
    """Header cells and rows of cells: one row per line, or one cell per line grouped by numbers."""
    if all(len(cells) == 1 for cells in cells_by_line):
        flat = [cells[0] for cells in cells_by_line]
        header: list[str] = []
        rows: list[list[tuple[str, int]]] = []
        for cell in flat:
            starts_row = bool(_MARKED.match(cell[0])) or cell[0].isdigit()
            if starts_row:
                rows.append([cell])
            elif rows:
                rows[-1].append(cell)
            else:
                header.append(cell[0])
        return header, rows
    header = [c for c, _ in cells_by_line[0]] if not _MARKED.match(cells_by_line[0][0][0]) else []
    return header, cells_by_line[1 if header else 0 :]


def _row(cells: list[tuple[str, int]], header: list[str]) -> _Row | None:
    cues = responsibility._cues()
    first, offset = cells[0]
    columns = (
        header[-len(cells) :] if len(header) >= len(cells) else header + [""] * (len(cells) - len(header))
    )
    rest = list(zip(columns[1:], cells[1:], strict=False))
    if first.isdigit() and rest:  # 序号 column
        label = first
        (_, (head_cell, _)), rest = rest[0], rest[1:]
    else:
        m = _MARKED.match(first)
        label = m.group(0) if m else ""
        head_cell = first[len(label) :]
    heading = _heading(head_cell, 0, len(head_cell))
    if not heading:
        return None
    content, clauses = [], []
    for col, (cell, off) in rest:
        if cues.quick.search(cell) and responsibility._parse(cell)[0]:
            clauses.append((cell, off))
        elif any(col.startswith(c) for c in cues.label_roles):
            composed = f"{col}：{cell}"
            if responsibility._parse(composed)[0]:
                clauses.append((composed, off - len(col) - 1))
        else:
            content.append(cell)
    end = cells[-1][1] + len(cells[-1][0])
    return _Row(
        label.strip(_SPACE), heading, "\n".join([head_cell.strip(_SPACE), *content]), clauses, (offset, end)
    )


_HEADER_CELL = 12  # a header cell of a table printed one cell per line is at most this long
_GROUP_ROW = re.compile(r"^[一二三四五六七八九十]{1,3}[、．.]")


def _cell_tables(text: str) -> list[tuple[Span, list[str], list[list[tuple[str, int]]], str | None]]:
    """Task tables printed one cell per line: a 序号 line, the other header cells (one of them
    names a role: 牵头单位, 责任单位 …), then rows each
    opened by its number (1, 2, …) on a line of its own; lines such as 一、…方面 between rows
    group them. A row with more lines than columns has the extra lines in its second column.
    (span, header, rows of cells with their offsets, title line)."""
    if "序号" not in text:
        return []
    lines: list[tuple[str, int]] = []
    pos = 0
    for line in text.split("\n"):
        cell = line.strip(_SPACE)
        if cell:
            lines.append((cell, pos + line.index(cell[0])))
        pos += len(line) + 1
    out = []
    k = 0
    while k < len(lines):
        if re.sub(r"\s", "", lines[k][0]) != "序号":
            k += 1
            continue
        header = ["序号"]
        j = k + 1
        while j < len(lines) and len(lines[j][0]) <= _HEADER_CELL and not lines[j][0].isdigit() and not _GROUP_ROW.match(lines[j][0]):
            header.append(re.sub(r"\s", "", lines[j][0]))
            j += 1
        if len(header) < 3 or not any(h in responsibility._cues().label_roles for h in header):
            k += 1  # not a table of tasks and who does them
            continue
        numbered: list[int] = []  # indexes of the lines that open a row
        expect, m = 1, j
        while m < len(lines):
            cell = lines[m][0]
            if cell.isdigit() and int(cell) == expect:
                numbered.append(m)
                expect += 1
            elif (m - numbered[-1] if numbered else m - j) > (4 * len(header) if numbered else 2):
                break
            m += 1
        rows: list[list[tuple[str, int]]] = []
        for n, start in enumerate(numbered):
            stop = numbered[n + 1] if n + 1 < len(numbered) else min(len(lines), start + len(header))
            cells = [c for c in lines[start + 1 : stop] if not _GROUP_ROW.match(c[0])]
            width = len(header) - 1
            if len(cells) > width >= 2:
                middle = cells[1 : len(cells) - (width - 2)]
                cells = [cells[0], ("\n".join(c for c, _ in middle), middle[0][1]), *cells[len(cells) - (width - 2) :]]
            rows.append([lines[start], *cells])
        if rows:
            last = rows[-1][-1]
            before = text[: lines[k][1]].rstrip().rsplit("\n", 1)[-1].strip(_SPACE) or None
            out.append(((lines[k][1], last[1] + len(last[0])), header, rows, before))
            k = numbered[-1] + 1
        else:
            k += 1
    return out


def _table_rows(text: str) -> tuple[list[_Row], list[Span], dict[int, str | None]]:
    rows: list[_Row] = []
    spans: list[Span] = []
    titles: dict[int, str | None] = {}
    found = [(span, *_rows(cells_by_line), title) for span, cells_by_line, title in _tables(text)]
    found += _cell_tables(text)
    for span, header, raw, title in found:
        if not raw:
            continue
        table_rows = [r for r in (_row(cells, header) for cells in raw) if r is not None]
        roles_column = any(h in responsibility._cues().label_roles for h in header)
        if not any(r.clauses for r in table_rows) and not (
            roles_column and set(header) & _layout().table_headers
        ):
            continue  # a table, but not of tasks and who does them
        for r in table_rows:
            titles[id(r)] = title
        rows += table_rows
        spans.append(span)
    return rows, spans, titles


def _norm(heading: str) -> str:
    return re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", heading)


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _similarity(a: str, b: str, ga: Counter[str] | None = None, gb: Counter[str] | None = None) -> float:
    """How alike two normalized headings are: 1 the same, 0.9 one inside the other, else the
    Dice coefficient of their character bigrams (``ga``, ``gb``: the bigrams, when known)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in b or b in a:
        return 0.9
    ga, gb = ga or _bigrams(a), gb or _bigrams(b)
    common = sum((ga & gb).values())
    return 2 * common / max(1, sum(ga.values()) + sum(gb.values()))


# how far (in task positions) from its own position a table row looks for a heading that is
# alike but not the same; the same heading is found at any distance
MATCH_WINDOW = 200


def _match_rows(headings: list[str], rows: list[_Row]) -> dict[int, int]:
    """Table row index → body task index, by heading (by position when counts agree).

    A row takes the unused task of the same heading nearest its position; failing that, the
    most alike (similarity ≥ 0.5, nearest on a tie) among the tasks within ``MATCH_WINDOW``
    positions. Each row looks at a bounded number of tasks, so a file of thousands of tables
    and tasks is matched in time proportional to its size."""
    out: dict[int, int] = {}
    used: set[int] = set()
    norms = [_norm(h) for h in headings]
    grams = [_bigrams(n) for n in norms]
    same: dict[str, list[int]] = {}  # heading → positions of the unused tasks with it, in order
    for k, n in enumerate(norms):
        if n:
            same.setdefault(n, []).append(k)

    def take(r: int, k: int) -> None:
        out[r] = k
        used.add(k)
        if norms[k]:
            same[norms[k]].remove(k)

    for r, row in enumerate(rows):
        norm = _norm(row.heading)
        free = same.get(norm, [])
        if free:  # the same heading: the nearest (the later on a tie)
            i = bisect_left(free, r)
            near = free[max(0, i - 1) : i + 1]
            take(r, max(near, key=lambda k: (-abs(k - r), k)))
            continue
        gram = _bigrams(norm)
        scored = [
            (_similarity(norm, norms[k], gram, grams[k]), -abs(k - r), k)
            for k in range(max(0, r - MATCH_WINDOW), min(len(headings), r + MATCH_WINDOW + 1))
            if k not in used
        ]
        if scored:
            score, _, k = max(scored)
            if score >= 0.5:
                take(r, k)
    if len(rows) == len(headings):
        for r in range(len(rows)):
            if r not in out and r not in used:
                take(r, r)
    return out


# ---------------------------------------------------------------- assembling tasks


def _roles(
    clauses: list[tuple[str, int]], jurisdiction: Region | None, leads_from: int | None
) -> list[AgencyRole]:
    out: list[AgencyRole] = []
    for clause, offset in clauses:
        first_leads = leads_from is not None and offset >= leads_from
        for role in responsibility.parse_clause(clause, jurisdiction, first_leads=first_leads):
            span = (offset + role.span[0], offset + role.span[1])
            out.append(AgencyRole(role.agency, role.role, span))
    return out


def _dedupe_roles(roles: list[AgencyRole]) -> tuple[AgencyRole, ...]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for r in roles:
        key = (r.agency.name, r.agency.kind, r.role)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)


def _mentions(
    text: str, start: int, end: int, clause_spans: list[Span], j: Region | None, longest: int | None = None
) -> tuple[Agency, ...]:
    """The agencies named in ``text[start:end]`` outside the clauses (``clause_spans``, in order
    of start; ``longest``: the length of the longest, when known), which are blanked out."""
    if longest is None:
        longest = max((b - a for a, b in clause_spans), default=0)
    near = clause_spans[bisect_left(clause_spans, (start - longest,)) : bisect_left(clause_spans, (end,))]
    pieces, pos = [], start  # the text with each clause inside it blanked out with "，"
    for a, b in sorted((max(a, start), min(b, end)) for a, b in near if a < end and b > start):
        if b > pos:
            a = max(a, pos)
            pieces += [text[pos:a], "，" * (b - a)]
            pos = b
    pieces.append(text[pos:end])
    return tuple(agencies.find_mentions("".join(pieces), j))


def _trim_last(text: str, item: _Item, clauses: list[Span]) -> None:
    """The last item of a block ends with its trailing clause when more paragraphs follow."""
    inside = [b for a, b in clauses if item.start <= a < item.end]
    if not inside:
        return
    last = max(inside)
    rest = text[last : item.end]
    if "\n" in rest and rest.strip(_SPACE + "\n。"):
        cut = last + len(rest) - len(rest.lstrip(_SPACE + "。"))
        item.end = min(item.end, cut)
        item.own_end = min(item.own_end, item.end)


_ISSUES = re.compile(r"(?:印发|转发|批转|发布)[^。\n]{0,6}《|《[^》\n]{2,80}》(?:已经[^。\n]{0,20}同意，)?现(?:予|将)?(?:印发|转发|发布)")


@dataclass(frozen=True)
class Structure:
    """The numbered units of a notice: tasks, articles, and the other provisions."""

    tasks: tuple[Task, ...] = ()
    articles: tuple[Article, ...] = ()
    provisions: tuple[Provision, ...] = ()


def extract_tasks(text: str, jurisdiction: Region | None) -> tuple[Task, ...]:
    """The numbered tasks of a notice, in order, with their responsible agencies and mentions."""
    return extract_structure(text, jurisdiction).tasks


def extract_structure(text: str, jurisdiction: Region | None, *, issued: bool | None = None) -> Structure:
    """Every numbered unit of a notice: its tasks (a tree: ``Task.parent``), its articles, and
    its other provisions. ``issued``: whether the notice issues or forwards a document (印发,
    转发, 批转 …), whose attachments then count as its body; None: read from the text."""
    issued = bool(issued) or _ISSUES.search(text[:3000]) is not None
    rows, table_spans, titles = _table_rows(text)
    items = _build(text, table_spans)
    found = [
        c for c in responsibility.find_clauses(text) if not any(a <= c.span[0] < b for a, b in table_spans)
    ]
    _classify(text, items, found, issued)
    kept = [i for i in items if i.kind != "drop"]
    _paths(kept)
    clause_spans = [c.span for c in found]
    clause_starts = [a for a, _ in clause_spans]  # in order (find_clauses sorts them)
    longest = max((b - a for a, b in clause_spans), default=0)
    chosen = [i for i in kept if i.kind == "task"]
    for n, item in enumerate(chosen):
        last_in_block = n + 1 == len(chosen) or chosen[n + 1].block != item.block
        if last_in_block and not any(c.kind == "task" for c in item.children):
            _trim_last(text, item, clause_spans)

    leads_from = responsibility.leads_from(text, found)
    for row in rows:
        if leads_from is None and any(responsibility.states_first_leads(c) for c, _ in row.clauses):
            leads_from = row.span[0]

    def clauses_in(a: int, b: int) -> list[tuple[str, int]]:
        inside = found[bisect_left(clause_starts, a) : bisect_left(clause_starts, b)]
        return [(c.text, c.span[0]) for c in inside]

    owned = _clause_owners(text, chosen, found)
    drafts: list[dict[str, Any]] = []
    for item in chosen:
        stop = _own_stop(text, item, "task")
        parent = next((p for p in _ancestors(item) if p.kind == "task"), None)
        mine = [(c.text, c.span[0]) for c in owned.get(id(item), [])]
        part = next((p for p in _ancestors(item) if p.kind not in ("task", "drop")), None)
        roles = _roles(mine, jurisdiction, leads_from)
        if not roles:  # no clause: a role stated in the item's own words (由X牵头, X负责…)
            roles = responsibility.stated_roles(text, item.body, stop, jurisdiction)
        drafts.append(
            {
                "label": item.label,
                "heading": item.heading,
                "text": text[item.body : stop].strip(_SPACE + "\n"),
                "section": f"{part.label}{part.heading}" if part else None,
                "roles": roles,
                "mentions": _mentions(text, item.body, stop, clause_spans, jurisdiction, longest),
                "span": (item.start, stop),
                "path": item.path,
                "parent": parent.path if parent else None,
            }
        )

    matched = _match_rows([d["heading"] for d in drafts], rows) if drafts else {}
    for r, row in enumerate(rows):
        roles = _roles(row.clauses, jurisdiction, leads_from)
        if r in matched:
            drafts[matched[r]]["roles"] = drafts[matched[r]]["roles"] + roles
            continue
        clause_row = [(off, off + len(c)) for c, off in row.clauses]
        drafts.append(
            {
                "label": row.label,
                "heading": row.heading,
                "text": row.content or row.heading,
                "section": titles.get(id(row)),
                "roles": roles,
                "mentions": _mentions(text, row.span[0], row.span[1], clause_row, jurisdiction),
                "span": row.span,
                "path": row.label,
                "parent": None,
            }
        )
    tasks = tuple(
        Task(
            label=d["label"],
            ordinal=n,
            heading=d["heading"],
            text=d["text"],
            section=d["section"],
            roles=_dedupe_roles(d["roles"]),
            mentions=d["mentions"],
            span=d["span"],
            path=d["path"],
            parent=d["parent"],
        )
        for n, d in enumerate(drafts, start=1)
    )
    articles = tuple(
        Article(
            label=item.label,
            ordinal=n,
            text=text[item.body : _own_stop(text, item, "")].strip(_SPACE + "\n"),
            roles=_dedupe_roles(
                _roles(clauses_in(item.start, item.end) or _duty_clauses(text, item), jurisdiction, leads_from)
            ),
            span=(item.start, item.end),
        )
        for n, item in enumerate((i for i in kept if i.kind == "article"), start=1)
    )
    provisions = tuple(
        Provision(
            kind=item.kind,  # type: ignore[arg-type]
            label=item.label,
            path=item.path,
            ordinal=n,
            heading=item.heading,
            text=text[item.body : _own_stop(text, item, "any")].strip(_SPACE + "\n"),
            parent=item.parent.path if item.parent is not None and item.parent.kind != "drop" else None,
            span=(item.start, _own_stop(text, item, "any")),
        )
        for n, item in enumerate((i for i in kept if i.kind not in ("task", "article")), start=1)
    )
    return Structure(tasks, articles, provisions)


# An article's statement of duty: 市大数据局负责…, 由市商务局牵头… (its subject names one agency)
_DUTY = re.compile(
    r"(?:[，,]由|(?:^|[。；;：:\n])[ \t\u3000]*(?:由)?)(?P<who>[^。；;，,：:\n和及与等其本该各对]{2,40}?)(?P<verb>负责|牵头)"
)


def _duty_clauses(text: str, item: _Item) -> list[tuple[str, int]]:
    """The statements of duty of an article without a responsibility clause, as clauses."""
    body = text[item.body : item.end]
    return [(m.group("who") + m.group("verb"), item.body + m.start("who")) for m in _DUTY.finditer(body)]


def _clause_owners(
    text: str, chosen: list[_Item], clauses: list[responsibility.Clause]
) -> dict[int, list[responsibility.Clause]]:
    """Task item id → the clauses that are its own: each clause goes to the innermost task it
    stands in, or to that task's parent when the task opens on its parent's line (（2）推进….
    ①…；②…。（X牵头） names who does all of （2））."""
    starts = [i.start for i in chosen]
    out: dict[int, list[responsibility.Clause]] = {}
    for clause in clauses:
        pos = clause.span[0]
        k = bisect_right(starts, pos) - 1
        if k < 0:
            continue
        owner: _Item | None = chosen[k]
        while owner is not None and not owner.start <= pos < owner.end:
            owner = next((p for p in _ancestors(owner) if p.kind == "task"), None)
        while owner is not None:
            up = next((p for p in _ancestors(owner) if p.kind == "task"), None)
            if up is None or "\n" in text[up.start : owner.start]:
                break
            owner = up
        if owner is not None:
            out.setdefault(id(owner), []).append(clause)
    return out


def _own_stop(text: str, item: _Item, children: str) -> int:
    """Where an item's own text ends: at its first child task ('task'), at its first child
    ('any'), or with everything under it (''); trailing spaces left out."""
    if children == "any" and item.children:
        end = item.children[0].start
    elif children == "task":
        end = next((c.start for c in item.children if c.kind == "task"), item.end)
    else:
        end = item.end
    while end > item.start and text[end - 1] in _SPACE + "\n":
        end -= 1
    return end
