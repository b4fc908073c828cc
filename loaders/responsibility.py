"""Responsibility clauses: who leads, is responsible for, takes part in, coordinates or guides a task.

Handles the trailing clauses of task lists in all their common shapes:
(市教育局、市人社局等按职责分工负责), (省质监局牵头,省教育厅参加), (…负责,省食品安全办协调),
(X、Y指导), 牵头承办/协办, labelled lists (牵头单位：…；配合单位：…, 牵头责任单位, 支撑单位, 指导单位,
also with a stray ":" between labels), and the convention that the first listed agency leads
(列第一位者为牵头单位, 排在首位的为牵头部门 …; from the clause that states it on, 下同). Agency
lists share the jurisdiction they open with (省发展改革委、财政厅 → 省财政厅); 和 splits two complete
names only. A task without a clause may state its roles in its own words (由X牵头，Y配合…;
X负责…): ``stated_roles``. Cues are data in ``loaders/data/role_cues.json``; agency names go
through ``agencies.normalize_agency``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from policykg.loaders import agencies
from policykg.loaders.models import AgencyRole, Region, Span
from policykg.loaders.scan import char_positions

__all__ = ["parse_clause", "find_clauses", "states_first_leads", "leads_from", "stated_roles", "Clause"]

_DATA = Path(__file__).parent / "data"
_OPEN, _CLOSE = "（(", "）)"
_SEPARATORS = "，,；;。:："
_MAX_CLAUSE = 400


@dataclass(frozen=True)
class Clause:
    """A responsibility clause found in a text: as written, with its span."""

    text: str
    span: Span


@dataclass(frozen=True)
class _Cues:
    labels: re.Pattern[str]
    label_roles: dict[str, str]
    verbs: tuple[tuple[str, str], ...]
    verb_cues: tuple[str, ...]  # the cues of ``verbs``, for a quick test
    tails: tuple[str, ...]  # action words that may follow a role verb (配合实施)
    first_leads: re.Pattern[str]
    others: re.Pattern[str]
    others_roles: dict[str, str]
    marker: re.Pattern[str]  # a role in brackets after a name: 市发展改革委（牵头）
    joined: re.Pattern[str]  # 会同: the agencies before it lead
    noise: re.Pattern[str]
    quick: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data: dict[str, Any] = json.loads((_DATA / "role_cues.json").read_text(encoding="utf-8"))
    labels = sorted((x["cue"] for x in data["labels"]), key=len, reverse=True)
    alt = "|".join(map(re.escape, labels))
    verbs = sorted(((x["cue"], x["role"]) for x in data["verbs"]), key=lambda v: -len(v[0]))
    words = sorted({*labels, *(v for v, _ in verbs)}, key=len, reverse=True)
    return _Cues(
        labels=re.compile(rf"[【\[](?P<boxed>{alt})[】\]]\s*[:：]?|(?P<plain>{alt})\s*[:：]"),
        label_roles={x["cue"]: x["role"] for x in data["labels"]},
        verbs=tuple(verbs),
        verb_cues=tuple(v for v, _ in verbs),
        tails=tuple(data["verb_tails"]),
        first_leads=re.compile(data["first_leads"]),
        others=re.compile(data["others"]),
        others_roles={cue: role for cue, role in data["others_roles"].items()},
        joined=re.compile("|".join(map(re.escape, data["with_lead"]))),
        marker=re.compile(r"[（(](" + "|".join(map(re.escape, words)) + r")[）)]\s*$"),
        noise=re.compile("|".join(map(re.escape, data["noise"]))),
        quick=re.compile("|".join(map(re.escape, words))),
    )


def states_first_leads(clause: str) -> bool:
    """Whether a clause states that the first agency listed leads (列第一位者为牵头单位)."""
    return _cues().first_leads.search(clause) is not None


def leads_from(text: str, clauses: list[Clause]) -> int | None:
    """Where the convention that the first listed agency leads starts to apply: at the first
    clause that states it (…负责，列第一位者为牵头部门，下同), or, stated elsewhere (a note before
    or after the tasks: 以下各项任务中排在第一位的为牵头单位), from the start of the text; None
    when the notice does not state it."""
    stated = next((c.span[0] for c in clauses if states_first_leads(c.text)), None)
    if stated is not None:
        return stated
    pattern = _cues().first_leads
    for word in ("牵头", "主责", "主办"):  # the pattern ends with one of these and a word or two
        for p in _find_all(text, word, 0, len(text)):
            if pattern.search(text, max(0, p - 16), p + 8) is not None:
                return 0
    return None


# ---------------------------------------------------------------- parsing


def _unwrap(clause: str) -> tuple[str, int]:
    """The clause without its outer brackets, and the offset of what remains."""
    start, end = 0, len(clause)
    while start < end and clause[start].isspace():
        start += 1
    while end > start and clause[end - 1] in " \t\r\n\u3000。；;，,":
        end -= 1
    if end - start >= 2 and clause[start] in _OPEN and clause[end - 1] in _CLOSE:
        start, end = start + 1, end - 1
    return clause[start:end], start


def _blank(text: str, pattern: re.Pattern[str], fill: str = "，") -> str:
    return pattern.sub(lambda m: fill * len(m.group(0)), text)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] on clause punctuation, outside quotes and brackets."""
    out, depth, piece = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in "（(“《":
            depth += 1
        elif ch in "）)”》" and depth:
            depth -= 1
        elif depth == 0 and ch in _SEPARATORS:
            out.append((piece, i))
            piece = i + 1
    out.append((piece, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _verb(piece: str) -> tuple[str, str] | None:
    """The role verb a piece ends with, as written (with an action word after it: 配合实施), and
    its role."""
    cues = _cues()
    stripped = piece.rstrip(" \u3000。")
    tail = next((t for t in cues.tails if stripped.endswith(t) and len(stripped) > len(t)), "")
    if tail and stripped[: -len(tail)].endswith(cues.verb_cues):
        stripped = stripped[: -len(tail)]  # 省财政厅配合实施: 配合
    elif not stripped.endswith(cues.verb_cues):
        return None
    else:
        tail = ""
    for cue, role in cues.verbs:
        if stripped.endswith(cue):
            return cue + tail, role
    return None


_ADMIN = r"(?:[省市县区州盟旗乡镇、（）()]|自治区|自治州|区县|县区|街道)+"
_ADMIN_FRAGMENT = re.compile(rf"(?:各|有关|相关){_ADMIN}")  # 各区 of 各区、市政府
_ADMIN_REST = re.compile(rf"{_ADMIN}(?:人民)?(?:政府|党委|党委和政府|党委、政府|党委政府|办事处)?")


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split an agency list into (start, end) items: on 、 及, and around 等 (…等相关部门). A
    group written over a 、 stays one item (各区、市政府; 各市、县（市、区）人民政府)."""
    out: list[tuple[int, int]] = []
    piece = start
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "（(“":
            depth += 1
        elif ch in "）)”" and depth:
            depth -= 1
        elif depth == 0 and ch in "、及":
            out.append((piece, i - 1 if ch == "及" and i > piece and text[i - 1] == "以" else i))
            piece = i + 1
    out.append((piece, end))
    merged: list[tuple[int, int]] = []
    for a, b in out:
        if merged and text[merged[-1][1] : merged[-1][1] + 1] == "、":
            pa, pb = merged[-1]
            if _ADMIN_FRAGMENT.fullmatch(text[pa:pb].strip(" \u3000")) and _ADMIN_REST.fullmatch(
                text[a:b].strip(" \u3000")
            ):
                merged[-1] = (pa, b)
                continue
        merged.append((a, b))
    result: list[tuple[int, int]] = []
    for a, b in merged:
        seg = text[a:b]
        k = seg.find("等")
        if k > 0:  # 国家卫生健康委等相关部门 → 国家卫生健康委, 相关部门
            result.append((a, a + k))
            if seg[k + 1 :].strip():
                result.append((a + k + 1, b))
        else:
            result.append((a, b))
    return [(a, b) for a, b in result if text[a:b].strip(" \u3000")]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    if text.startswith(("将由", "均由", "另由", "拟由"), a):
        a += 2
    while a < b and text[a] in ' \t\r\n\u3000\xa0“"由和请':
        a += 1
    while b > a and text[b - 1] in ' \t\r\n\u3000\xa0”"。等':
        b -= 1
    return a, b


def _split_and(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """市委宣传部和市文明办 → two items, when each side is a complete name by itself; a name that
    holds 和 stays whole (国家粮食和物资储备局, 市文化和旅游局)."""
    seg = text[a:b]
    if "和" not in seg and "与" not in seg:
        return [(a, b)]
    for k, ch in enumerate(seg):
        if ch in "和与" and 0 < k < len(seg) - 1:
            left, right = seg[:k], seg[k + 1 :]
            if agencies.complete_name(left) and agencies.complete_name(right) and len(right) > 2:
                return [(a, a + k), *_split_and(text, a + k + 1, b)]
    return [(a, b)]


class _Parsed(NamedTuple):
    """A clause read without a jurisdiction: each agency as (surface, role, span, list number),
    whether the clause states that the first listed leads, and the role it gives the others."""

    items: tuple[tuple[str, str, Span, int], ...]
    first_leads: bool
    others: str | None


@lru_cache(maxsize=4096)
def _parse(clause: str) -> _Parsed:
    cues = _cues()
    body, off = _unwrap(clause)
    if not body or len(body) > _MAX_CLAUSE:
        return _Parsed((), False, None)
    leads = states_first_leads(body)
    others_match = cues.others.search(body) if leads else None
    others = cues.others_roles.get(others_match.group(1)) if others_match else None
    masked = _blank(_blank(_blank(body, cues.first_leads), cues.others), cues.noise)
    regions: list[tuple[str | None, int, int]] = []  # (label role or None, start, end)
    labels = list(cues.labels.finditer(masked))
    cursor = 0
    for n, m in enumerate(labels):
        if m.start() > cursor:
            regions.append((None, cursor, m.start()))
        stop = labels[n + 1].start() if n + 1 < len(labels) else len(masked)
        regions.append((cues.label_roles[m.group("boxed") or m.group("plain")], m.end(), stop))
        cursor = stop
    if cursor < len(masked):
        regions.append((None, cursor, len(masked)))

    found: list[tuple[int, int, str, int]] = []
    explicit_lead = False
    lists = 0
    for label_role, start, end in regions:
        pending: list[tuple[int, int]] = []
        for a, b in _pieces(masked, start, end):
            verb = _verb(masked[a:b])
            if verb is not None:
                cue, role = verb
                stop = b
                while stop > a and masked[stop - 1] in " \u3000。":
                    stop -= 1
                lst = (a, stop - len(cue))
                for x, y in [*pending, lst]:
                    for (x2, y2), given in _with(masked, x, y, role):
                        explicit_lead |= given == "lead"
                        lists += 1
                        found.extend((p, q, given, lists) for p, q in _list_items(masked, x2, y2))
                pending = []
            elif label_role is not None:
                for (x2, y2), given in _with(masked, a, b, label_role):
                    explicit_lead |= given == "lead"
                    lists += 1
                    found.extend((p, q, given, lists) for p, q in _list_items(masked, x2, y2))
            else:
                pending.append((a, b))
    out: list[tuple[str, str, Span, int]] = []
    for a, b, role, n in found:
        marked = cues.marker.search(body, a, b)  # 市发展改革委（牵头）
        if marked is not None and marked.end() == b:
            role, b = cues.label_roles.get(marked.group(1)) or dict(cues.verbs)[marked.group(1)], marked.start()
        surface = body[a:b]
        if agencies.looks_like_agency(surface):
            out.append((surface, role, (off + a, off + b), n))
    return _Parsed(tuple(out), leads and not explicit_lead, others)


def _with(text: str, a: int, b: int, role: str) -> list[tuple[Span, str]]:
    """A list that names its lead with 会同 (市城管局会同市住建局负责): the agencies before it lead
    (when the list is responsible or leads), those after take part."""
    m = _cues().joined.search(text, a, b)
    if m is None or role not in ("lead", "responsible"):
        return [((a, b), role)]
    left = re.split("[、及]", text[a : m.start()])[-1]
    right = re.split("[、及]", text[m.end() : b])[0]
    if not (agencies.complete_name(left.strip(" 由")) and agencies.looks_like_agency(right)):
        return [((a, b), role)]  # 市联合办: part of a name
    return [((a, m.start()), "lead"), ((m.end(), b), "participating")]


def _list_items(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    for x, y in _items(text, a, b):
        x, y = _trim(text, x, y)
        if x < y:
            out.extend(_split_and(text, x, y))
    return out


def _surfaces(parsed: _Parsed, jurisdiction: Region | None) -> list[str]:
    """The surface of each agency, with the jurisdiction its list opens with where it names
    none of its own (省发展改革委、财政厅 → 省财政厅)."""
    out: list[str] = []
    prefix, current = "", 0
    for written, _, _, n in parsed.items:
        surface = _WRAP.sub("", written)  # a name wrapped over two lines is one name
        if n != current:
            current, prefix = n, agencies.list_prefix(surface, jurisdiction)
            out.append(surface)
        else:
            out.append(agencies.shared_prefix(surface, prefix, jurisdiction) + surface)
    return out


def parse_clause(clause: str, jurisdiction: Region | None, *, first_leads: bool = False) -> list[AgencyRole]:
    """The agencies and roles of one responsibility clause, in the order written.

    ``first_leads`` applies the convention that the first agency of a plain list leads (stated
    earlier in the notice: 列第一位者为牵头单位, 下同); a clause that states it applies it itself.
    Spans are offsets into ``clause``. A clause naming no agency gives [].
    """
    parsed = _parse(clause)
    out: list[AgencyRole] = []
    seen: set[tuple[str, str, str]] = set()
    items = parsed.items
    promote = (first_leads or parsed.first_leads) and items and not any(r == "lead" for _, r, _, _ in items)
    first = True
    for surface, (_, role, span, _) in zip(_surfaces(parsed, jurisdiction), items, strict=True):
        agency = agencies.normalize_agency(surface, jurisdiction)
        if promote and agency.kind != "group" and role == "responsible":
            if first:
                role = "lead"
            elif parsed.others:
                role = parsed.others
        if agency.kind != "group":
            first = False
        key = (agency.name, agency.kind, role)
        if key in seen:
            continue
        seen.add(key)
        out.append(AgencyRole(agency, role, span))  # type: ignore[arg-type]
    return out


# ---------------------------------------------------------------- roles stated in a task's text


@lru_cache(maxsize=1)
def _statement_cues() -> tuple[re.Pattern[str], dict[str, str], tuple[str, ...]]:
    """The opening of a sentence that states a role (由X牵头, X负责…): a pattern whose group
    ``list`` is the agency list and ``verb`` the role verb; the verbs' roles; what may not follow."""
    data: dict[str, Any] = json.loads((_DATA / "role_cues.json").read_text(encoding="utf-8"))["statements"]
    alt = lambda words: "|".join(map(re.escape, sorted(words, key=len, reverse=True)))  # noqa: E731
    verbs = {v: r for v, r in data["verbs"]}
    pattern = re.compile(
        rf"(?:{alt(data['openers'])})?(?P<list>[^，,。；;：:！？!?（）()\n]{{2,80}}?)"
        rf"(?:{alt(data['adverbs'])})?(?P<verb>{alt(verbs)})"
    )
    return pattern, verbs, tuple(data["not_after"])


# a sentence ends at 。；！？, or at a line break after punctuation (a wrapped line goes on)
_SENTENCE_END = re.compile(r"[。；;！!？?]|(?<=[。；;！!？?：:）)])[ \t\u3000]*\n")


_STATEMENT_REACH = 100  # a statement's verb stands this close to the start of its sentence


def _verb_sentences(text: str, start: int, end: int, verbs: dict[str, str]) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` that hold a statement verb near their start, found
    from the verbs. A wrapped line (no punctuation before the break) starts no sentence."""
    places = sorted({p for v in verbs for p in _find_all(text, v, start, end)})
    out: list[tuple[int, int]] = []
    for p in places:
        if out and out[-1][0] <= p < out[-1][1]:
            continue
        lo = max(start, p - _STATEMENT_REACH)
        ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, p)]
        if not ends and lo > start:
            continue  # the sentence opens too far before its verb
        a = ends[-1] if ends else start
        m = _SENTENCE_END.search(text, p, end)
        out.append((a, m.start() if m else end))
    return out


def _find_all(text: str, word: str, start: int, end: int) -> list[int]:
    out, i = [], text.find(word, start, end)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1, end)
    return out


def _agency_list(text: str, a: int, b: int, j: Region | None) -> list[tuple[int, int]] | None:
    """The items of ``text[a:b]`` when every one is a recognised agency or a group, and one at
    least is no group."""
    items = _list_items(text, a, b)
    if not items or not all(_plain_name(text[x:y]) for x, y in items):
        return None
    found = [agencies.recognize_full(text[x:y], j) for x, y in items]
    if not all(r.known or r.agency.kind == "group" for r in found):
        return None  # prose names only agencies it recognises
    return None if all(r.agency.kind == "group" for r in found) else items


_NOT_IN_NAMES = re.compile(r"[\s的由在对将把是为从向按其该本此要]|^第|(?:部门|单位|机构|方面)$|^(?:办公室|领导小组|工作组|专班)$")


def _plain_name(s: str) -> bool:
    """A name as a sentence opens with it: an agency's shape, short, no word of a phrase
    (入围标准的具体指标由…办公室, 第五条 县级以上人民政府)."""
    return len(s) <= 20 and _NOT_IN_NAMES.search(s) is None and agencies.looks_like_agency(s)


def stated_roles(text: str, start: int, end: int, jurisdiction: Region | None) -> list[AgencyRole]:
    """Roles stated in the running text of a task (``text[start:end]``) rather than in a
    clause: a sentence that opens with 由X牵头 or X负责/X牵头… (将由信息产业部牵头，…;
    国家中医药局负责组织实施…), and the lists with role verbs that follow it in the same sentence
    (由市发展改革委牵头，市财政局配合，…). Spans are offsets into ``text``."""
    pattern, verbs, not_after = _statement_cues()
    found: list[tuple[int, int, str]] = []
    for a, b in _verb_sentences(text, start, end, verbs):
        while a < b and text[a] in " \t\u3000\xa0":
            a += 1
        m = pattern.match(text, a, b)
        if m is None or text.startswith(not_after, m.end()):
            continue
        items = _agency_list(text, *m.span("list"), jurisdiction)
        if items is None:
            continue
        found.extend((x, y, verbs[m.group("verb")]) for x, y in items)
        rest = m.end()
        while rest < b and text[rest] not in _SEPARATORS:  # the rest of the piece the verb opens
            rest += 1
        for pa, pb in _pieces(text, rest, b):  # 市财政局、市统计局配合 …
            verb = _verb(text[pa:pb])
            if verb is None:
                break
            stop = pb
            while stop > pa and text[stop - 1] in " \u3000。":
                stop -= 1
            more = _agency_list(text, pa, stop - len(verb[0]), jurisdiction)
            if more is None:
                break
            found.extend((x, y, verb[1]) for x, y in more)
    out: list[AgencyRole] = []
    seen: set[tuple[str, str, str]] = set()
    for x, y, role in found:
        agency = agencies.normalize_agency(text[x:y], jurisdiction)
        key = (agency.name, agency.kind, role)
        if key not in seen:
            seen.add(key)
            out.append(AgencyRole(agency, role, (x, y)))  # type: ignore[arg-type]
    return out


# ---------------------------------------------------------------- finding clauses


def _closings(text: str) -> dict[int, int]:
    """Opening bracket → the index just past the bracket that closes it, for the brackets closed
    within ``_MAX_CLAUSE`` characters and on the same line (or the next, for a wrapped line)."""
    marks = char_positions(text, "（()）")
    out: dict[int, int] = {}
    for k, start in enumerate(marks):
        if text[start] not in _OPEN:
            continue
        limit = start + _MAX_CLAUSE
        depth = 0
        for n in range(k, len(marks)):
            pos = marks[n]
            if pos >= limit:
                break
            if text[pos] in _OPEN:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    if _one_line(text, start, pos):
                        out[start] = pos + 1
                    break
    return out


_WRAP = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")
_WRAP_REACH = 80  # a clause wrapped onto the next line closes within this many characters of the break


def _one_line(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is on one line, or on two where the first line was wrapped
    (no punctuation ends it: (济南市绿色低碳高 / 质量发展先行区建设办公室负责))."""
    nl = text.find("\n", start, end)
    if nl < 0:
        return True
    if text.find("\n", nl + 1, end) >= 0 or end - nl > _WRAP_REACH:
        return False
    before = text[start:nl].rstrip(" \t\r\u3000")
    return len(before) > 1 and before[-1] not in "。；;！!？?：:，,"


_BREAKS = "\n。；;"
_LABEL_REACH = 12  # characters before a colon that may hold a label (【牵头承办单位】 and spaces)


@lru_cache(maxsize=1)
def _label_before_colon() -> re.Pattern[str]:
    """A label (牵头单位, 【配合单位】) just before a colon."""
    labels = sorted(_cues().label_roles, key=len, reverse=True)
    cue = "|".join(map(re.escape, labels))
    return re.compile(rf"[【\[]?(?:{cue})[】\]]?\s*$")


def _label_lines(text: str) -> list[int]:
    """Where a labelled list (牵头单位：…) opens a line or follows the end of a sentence, after
    the spaces before it: looked for before each colon."""
    pattern, labels = _label_before_colon(), _cues().labels
    starts: set[int] = set()
    for colon in char_positions(text, ":："):
        window = max(0, colon - _LABEL_REACH)
        m = pattern.search(text, window, colon)
        if m is not None:
            starts.add(m.start())
    for box in char_positions(text, "【["):  # 【牵头单位】市发改委, without a colon
        m = labels.match(text, box)
        if m is not None and m.group("boxed"):
            starts.add(box)
    out: list[int] = []
    for start in sorted(starts):
        k = start
        while k and text[k - 1] in " \t\u3000":
            k -= 1
        if not k or text[k - 1] in _BREAKS:
            out.append(start)
    return out


def find_clauses(text: str) -> list[Clause]:
    """Responsibility clauses in ``text``: bracketed clauses with a role cue, and labelled lines."""
    cues = _cues()
    out: list[Clause] = []
    bracketed: list[Span] = []  # in order, not overlapping
    i = 0
    for start, end in _closings(text).items():  # in order of the opening brackets
        if start < i:
            continue
        chunk = text[start:end]
        if cues.quick.search(chunk) and _parse(chunk).items:
            out.append(Clause(chunk, (start, end)))
            bracketed.append((start, end))
            i = end
    labelled_end = 0  # the end of the furthest labelled list so far (the lines come in order)
    for start in _label_lines(text):
        k = bisect_right(bracketed, (start, len(text) + 1))
        if start < labelled_end or (k and start < bracketed[k - 1][1]):
            continue
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        label = cues.labels.match(text, start, stop)
        if label is not None and not text[label.end() : stop].strip(" \t\u3000"):  # the list on the next line
            nxt = text.find("\n", stop + 1)
            stop = len(text) if nxt < 0 else nxt
        chunk = text[start:stop].rstrip()
        if cues.labels.match(chunk) and _parse(chunk).items:
            out.append(Clause(chunk, (start, start + len(chunk))))
            labelled_end = max(labelled_end, start + len(chunk))
    return sorted(out, key=lambda c: c.span)
