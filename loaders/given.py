"""Facts a source states about a notice outside its text: a saved page's meta tags and 政府信息
公开 block, or the metadata columns of a table of notices.

``apply_given`` lays them over what extraction found in the text. For number, title, issuer and
date the stated field wins (it was entered by the publisher, the text is parsed); a field that
disagrees with the text is recorded in ``Notice.conflicts`` so a load can report it. Level and
region are taken from the stated value, else from a stated issuer, when the text gave none.

Keys of ``given`` (every value a string, ``issuer`` also a list of strings):
``number``, ``title``, ``issuer``, ``date`` (成文日期), ``published`` (发布日期), ``level``,
``region``, ``url``, ``validity`` (有效性: 现行有效, 已废止, 失效 …); ``publisher`` (a page's
发布机构 or ContentSource) is taken as the issuer only when neither ``issuer`` nor the text names one.
A stated issuer written relative to its place (省财政厅, 省政府办公厅, as 发布机构 fields often are)
takes the place from the title's own issuer when the title names it in full (河北省财政厅关于…).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from policykg.loaders import docnumber, meta, regions
from policykg.loaders.dates import parse_date
from policykg.loaders.models import Agency, Conflict, InForce, Level, Notice, Region

__all__ = ["FIELDS", "apply_given", "in_force_of", "split_names", "strip_validity_prefix"]

FIELDS: tuple[str, ...] = (
    "number", "title", "issuer", "date", "published", "level", "region", "url", "validity",
)


@cache
def _vocab() -> dict[str, Any]:
    with resources.files("policykg.loaders").joinpath("data", "given_values.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def _squeeze(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def in_force_of(value: str | None) -> InForce | None:
    """ELI's in-force concept a validity value states (现行有效 → inForce, 已废止 → notInForce,
    部分失效 → partiallyInForce), or None when it states none."""
    if not value:
        return None
    v = _squeeze(value).strip("[]【】()（）")
    for concept, words in _vocab()["validity"].items():
        if v in words.get("exact", ()):
            return concept  # type: ignore[return-value]
    for word, concept in _validity_words():
        if word in v:
            return concept  # type: ignore[return-value]
    return None


@cache
def _validity_words() -> tuple[tuple[str, str], ...]:
    """(word, concept), longest word first: 部分失效 is partial before 失效 is not in force."""
    pairs = [(w, c) for c, words in _vocab()["validity"].items() for w in words["contains"]]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def _prefix_rx() -> re.Pattern[str]:
    words = sorted({w for e in _vocab()["validity"].values() for w in e["prefix"]}, key=len, reverse=True)
    return re.compile(r"^\s*[\[【［〔(（]\s*(" + "|".join(map(re.escape, words)) + r")\s*[\]】］〕)）]\s*")


def strip_validity_prefix(title: str) -> tuple[str, InForce | None]:
    """``[已废止]关于…的通知`` → (关于…的通知, notInForce); a title without such a prefix as it is."""
    m = _prefix_rx().match(title)
    if not m:
        return title, None
    return title[m.end():].strip(), in_force_of(m.group(1))


def split_names(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Issuer cells as names: a list, a list literal (``['科技部', '财政部']``) or a string joined
    with 、，,；; or spaces between full names."""
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        s = value.strip()
        if s.startswith("[") and s.endswith("]"):
            try:
                parsed = json.loads(s.replace("'", '"'))
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return split_names([str(v) for v in parsed])
        items = _split_outside_brackets(s)
    names = [_squeeze(i) for i in items]
    return [n for n in names if n]


_SEPARATOR = re.compile(r"[、，,；;|\n]|\s{2,}")
_OPEN, _CLOSE = "(（[［【〔《", ")）]］】〕》"


def _split_outside_brackets(s: str) -> list[str]:
    """``s`` split at separators that are not inside brackets: 国家发展和改革委员会（含原国家计划
    委员会、原国家经济贸易委员会） stays one name."""
    items: list[str] = []
    depth = start = 0
    for m in _SEPARATOR.finditer(s):
        depth = sum((ch in _OPEN) - (ch in _CLOSE) for ch in s[:m.start()])
        if depth <= 0:
            items.append(s[start:m.start()])
            start = m.end()
    items.append(s[start:])
    return items


@cache
def _level_words() -> tuple[tuple[str, str], ...]:
    """(word, level), longest word first: 县级市 is county-level before 市 is municipal."""
    pairs = [(w, level) for level, words in _vocab()["level"].items() for w in (level, *words)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _level(value: str) -> Level | None:
    v = _squeeze(value)
    for word, level in _level_words():
        if word in v:
            return level  # type: ignore[return-value]
    return None


def _issuers(names: list[str], region: Region | None) -> tuple[tuple[Agency, ...], Level | None, Region | None]:
    agencies: list[Agency] = []
    level: Level | None = None
    where: Region | None = None
    for name in names:
        agency, lv, rg = meta.organ_facts(name, region)
        if agency not in agencies:
            agencies.append(agency)
        if level is None and lv is not None and rg is not None:
            level, where = lv, rg
    return tuple(agencies), level, where


def _completed(name: str, title: str | None) -> str:
    """A relative organ name (省财政厅, 市政府办公室, as sites' 发布机构 fields write them) with
    its place, when the title's own issuer names it in full (河北省财政厅关于… → 河北省财政厅);
    the name as it is otherwise."""
    if not title or "关于" not in title:
        return name
    agency, level, where = meta.organ_facts(name)
    if where is not None or level is None:
        return name  # a full name, or no organ name at all
    for part in re.split(r"[\s、，,]+", title.split("关于", 1)[0]):
        if len(part) <= len(name):
            continue
        full, part_level, part_where = meta.organ_facts(part)
        if part_where is not None and part_level == level and (
                part.endswith(name) or full.name.endswith(agency.name)):
            return part
    return name


def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    s = _text(value)
    return parse_date(s) if s else None


def apply_given(notice: Notice, given: Mapping[str, Any]) -> Notice:
    """``notice`` with the stated facts of ``given`` laid over it (see the module docstring)."""
    changes: dict[str, Any] = {}
    conflicts: list[Conflict] = list(notice.conflicts)

    def take(field: str, stated: Any, found: Any, shown: str | None, found_shown: str | None) -> None:
        if stated is None:
            return
        if found is not None and found != stated:
            conflicts.append(Conflict(field, shown or str(stated), found_shown or str(found)))
        changes[field] = stated

    raw_number = _text(given.get("number"))
    if raw_number:
        number = docnumber.parse(raw_number)
        take("number", number, notice.number, raw_number, notice.number.canonical if notice.number else None)

    raw_title = _text(given.get("title"))
    in_force = in_force_of(_text(given.get("validity")))
    if raw_title:
        title, prefix_force = strip_validity_prefix(raw_title)
        in_force = in_force or prefix_force
        if _squeeze(title) != _squeeze(notice.title or "") and _squeeze(title) != _squeeze(notice.promulgates or ""):
            take("title", title, notice.title, None, None)
        elif notice.title is None:
            changes["title"] = title
    if in_force is not None:
        changes["in_force"] = in_force

    region = notice.region
    raw_region = _text(given.get("region"))
    if raw_region:
        stated_region = regions.lookup(raw_region)
        if stated_region is not None:
            take("region", stated_region, notice.region, raw_region, notice.region.name if notice.region else None)
            region = stated_region
    raw_level = _text(given.get("level"))
    stated_level = _level(raw_level) if raw_level else None
    if stated_level is not None:
        take("level", stated_level, notice.level, raw_level, notice.level)
    elif region is not None and raw_region:
        changes["level"] = region.level

    issuer = given.get("issuer")
    names = split_names(issuer) if issuer else []
    if not names and not notice.issuers and given.get("publisher"):
        names = split_names(given["publisher"])  # a page's 发布机构: the issuer when the text names none
    if names:
        title = changes.get("title") or notice.title
        names = [_completed(n, title) for n in names]
        agencies, level, where = _issuers(names, region)
        found = {a.name for a in notice.issuers}
        if notice.issuers and found != {a.name for a in agencies}:
            conflicts.append(Conflict("issuer", "、".join(names), "、".join(a.surface or a.name for a in notice.issuers)))
        changes["issuers"] = agencies
        if notice.level is None and "level" not in changes and level is not None:
            changes["level"], changes["region"] = level, where

    for field in ("date", "published"):
        stated_date = _date(given.get(field))
        if stated_date is not None:
            current = getattr(notice, field)
            take(field, stated_date, current, None, None)

    url = _text(given.get("url"))
    if url:
        changes["url"] = url
    if conflicts != list(notice.conflicts):
        changes["conflicts"] = tuple(conflicts)
    return replace(notice, **changes) if changes else notice
