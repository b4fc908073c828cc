"""Responsibility clauses: who leads, is responsible for, takes part in or coordinates a task.

Handles the trailing clauses of task lists in all their common shapes:
(市教育局、市人社局等按职责分工负责), (省质监局牵头,省教育厅参加), (…负责,省食品安全办协调),
labelled lists (牵头单位：…；配合单位：…, also with a stray ":" between labels), and the
national convention （人力资源社会保障部、财政部负责。列第一位者为牵头单位）. Cues are data in
``loaders/data/role_cues.json``; agency names go through ``agencies.normalize_agency``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from policykg.loaders import agencies
from policykg.loaders.models import AgencyRole, Region, Span
from policykg.loaders.scan import char_positions

__all__ = ["parse_clause", "find_clauses", "states_first_leads", "Clause"]

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
    first_leads: re.Pattern[str]
    noise: re.Pattern[str]
    quick: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data: dict[str, Any] = json.loads((_DATA / "role_cues.json").read_text(encoding="utf-8"))
    labels = sorted((x["cue"] for x in data["labels"]), key=len, reverse=True)
    verbs = sorted(((x["cue"], x["role"]) for x in data["verbs"]), key=lambda v: -len(v[0]))
    words = sorted({*labels, *(v for v, _ in verbs)}, key=len, reverse=True)
    return _Cues(
        labels=re.compile(r"[【\[]?(" + "|".join(map(re.escape, labels)) + r")[】\]]?\s*[:：]"),
        label_roles={x["cue"]: x["role"] for x in data["labels"]},
        verbs=tuple(verbs),
        verb_cues=tuple(v for v, _ in verbs),
        first_leads=re.compile(data["first_leads"]),
        noise=re.compile("|".join(map(re.escape, data["noise"]))),
        quick=re.compile("|".join(map(re.escape, words))),
    )


def states_first_leads(clause: str) -> bool:
    """Whether a clause states that the first agency listed leads (列第一位者为牵头单位)."""
    return _cues().first_leads.search(clause) is not None


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
    stripped = piece.rstrip(" \u3000。")
    if not stripped.endswith(_cues().verb_cues):
        return None
    for cue, role in _cues().verbs:
        if stripped.endswith(cue):
            return cue, role
    return None


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split an agency list into (start, end) items: on 、 及, and around 等 (…等相关部门)."""
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
    result: list[tuple[int, int]] = []
    for a, b in out:
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
    while a < b and text[a] in ' \t\u3000\xa0“"由和':
        a += 1
    while b > a and text[b - 1] in ' \t\u3000\xa0”"。等':
        b -= 1
    return a, b


def _split_and(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """市委宣传部和市文明办 → two items, when each half is an agency and the whole is not."""
    seg = text[a:b]
    if agencies.looks_like_agency(seg) and "和" not in seg[:-3]:
        return [(a, b)]
    for k, ch in enumerate(seg):
        if ch in "和与" and 0 < k < len(seg) - 1:
            left, right = seg[:k], seg[k + 1 :]
            if agencies.looks_like_agency(left) and agencies.looks_like_agency(right) and len(right) > 2:
                if not agencies.recognize_full(seg).known:
                    return [(a, a + k), (a + k + 1, b)]
    return [(a, b)]


@lru_cache(maxsize=4096)
def _parse(clause: str) -> tuple[tuple[tuple[str, str, Span], ...], bool]:
    """(surface, role, span) of each agency in a clause, and whether it states that the first leads."""
    cues = _cues()
    body, off = _unwrap(clause)
    if not body or len(body) > _MAX_CLAUSE:
        return (), False
    leads = states_first_leads(body)
    masked = _blank(_blank(body, cues.first_leads), cues.noise)
    regions: list[tuple[str | None, int, int]] = []  # (label role or None, start, end)
    labels = list(cues.labels.finditer(masked))
    cursor = 0
    for n, m in enumerate(labels):
        if m.start() > cursor:
            regions.append((None, cursor, m.start()))
        stop = labels[n + 1].start() if n + 1 < len(labels) else len(masked)
        regions.append((cues.label_roles[m.group(1)], m.end(), stop))
        cursor = stop
    if cursor < len(masked):
        regions.append((None, cursor, len(masked)))

    found: list[tuple[int, int, str]] = []
    explicit_lead = False
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
                explicit_lead |= role == "lead"
                for span in [*pending, lst]:
                    found.extend((x, y, role) for x, y in _list_items(masked, *span))
                pending = []
            elif label_role is not None:
                explicit_lead |= label_role == "lead"
                found.extend((x, y, label_role) for x, y in _list_items(masked, a, b))
            else:
                pending.append((a, b))
    out: list[tuple[str, str, Span]] = []
    for a, b, role in found:
        surface = body[a:b]
        if agencies.looks_like_agency(surface):
            out.append((surface, role, (off + a, off + b)))
    return tuple(out), leads and not explicit_lead


def _list_items(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    for x, y in _items(text, a, b):
        x, y = _trim(text, x, y)
        if x < y:
            out.extend(_split_and(text, x, y))
    return out


def parse_clause(clause: str, jurisdiction: Region | None, *, first_leads: bool = False) -> list[AgencyRole]:
    """The agencies and roles of one responsibility clause, in the order written.

    ``first_leads`` applies the convention that the first agency of a plain list leads (stated
    earlier in the notice: 列第一位者为牵头单位, 下同); a clause that states it applies it itself.
    Spans are offsets into ``clause``. A clause naming no agency gives [].
    """
    parsed, states = _parse(clause)
    out: list[AgencyRole] = []
    seen: set[tuple[str, str, str]] = set()
    promote = (first_leads or states) and parsed and not any(r == "lead" for _, r, _ in parsed)
    for n, (surface, role, span) in enumerate(parsed):
        agency = agencies.normalize_agency(surface, jurisdiction)
        if promote and n == 0 and role == "responsible" and agency.kind != "group":
            role = "lead"
        key = (agency.name, agency.kind, role)
        if key in seen:
            continue
        seen.add(key)
        out.append(AgencyRole(agency, role, span))  # type: ignore[arg-type]
    return out


# ---------------------------------------------------------------- finding clauses


def _closings(text: str) -> dict[int, int]:
    """Opening bracket → the index just past the bracket that closes it, for the brackets closed
    within ``_MAX_CLAUSE`` characters and on the same line."""
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
                    if text.find("\n", start, pos) < 0:
                        out[start] = pos + 1
                    break
    return out


_LABEL_CUES = frozenset("牵头 责任 负责 主责 配合 参与 参加 协办 协同 协调 实施".split())
_LABEL_WORDS = ("单位", "部门", "处室")  # a label is a cue and one of these (牵头单位)
_LABEL_OPEN = "【["
_LINE_SPACE = " \t\u3000"
_LINE_BREAKS = "\n。；;"


def _label_lines(text: str) -> list[int]:
    """Where a labelled list (牵头单位：…) opens a line or follows the end of a sentence, after
    the spaces before it."""
    out: list[int] = []
    for word in _LABEL_WORDS:
        i = text.find(word, 2)
        while i >= 0:
            start = i - 2
            if text[start:i] in _LABEL_CUES:
                if start and text[start - 1] in _LABEL_OPEN:
                    start -= 1
                k = start
                while k and text[k - 1] in _LINE_SPACE:
                    k -= 1
                if not k or text[k - 1] in _LINE_BREAKS:
                    out.append(start)
            i = text.find(word, i + 1)
    return sorted(out)


def find_clauses(text: str) -> list[Clause]:
    """Responsibility clauses in ``text``: bracketed clauses with a role cue, and labelled lines."""
    cues = _cues()
    out: list[Clause] = []
    taken: list[Span] = []
    i = 0
    for start, end in _closings(text).items():  # in order of the opening brackets
        if start < i:
            continue
        chunk = text[start:end]
        if cues.quick.search(chunk) and _parse(chunk)[0]:
            out.append(Clause(chunk, (start, end)))
            taken.append((start, end))
            i = end
    for start in _label_lines(text):
        if any(a <= start < b for a, b in taken):
            continue
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        chunk = text[start:stop].rstrip()
        if cues.labels.match(chunk) and _parse(chunk)[0]:
            out.append(Clause(chunk, (start, start + len(chunk))))
            taken.append((start, start + len(chunk)))
    return sorted(out, key=lambda c: c.span)
