"""The region gazetteer: provinces, prefectures and counties of China.

Data: ``data/regions.tsv`` (generated from the JioNLP gazetteer by ``tools/build_regions.py``:
GB/T 2260 codes, names, hierarchy, short names, withdrawn names) and ``data/regions_abbrev.tsv``
(the one-character 简称 of the provinces: 闽, 豫, 黔 …). Both are read once, on first use.

Levels: provinces, autonomous regions and the four municipalities are ``provincial``;
prefecture-level cities, 自治州, 地区 and 盟 are ``municipal`` (计划单列市 and 副省级 cities too);
districts, counties, county-level cities and 旗 are ``county``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from policykg.loaders.models import Level, Region

__all__ = ["NATIONAL", "MUNICIPALITIES", "find", "lookup", "mentions", "parent", "province_of", "regions"]

NATIONAL = Region("中华人民共和国", "national", None, "100000", None)
_NATIONAL_NAMES = ("中华人民共和国", "中国")
# The four municipalities directly under the central government: provincial, whatever they call
# themselves (本市, 全市).
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_RANK = {"national": 0, "provincial": 1, "municipal": 2, "county": 3}
# Former names are kept only when they still read as a place name on their own.
_ADMIN_ENDS = ("省", "市", "县", "区", "州", "盟", "旗", "地区")


@dataclass(frozen=True)
class _Gazetteer:
    by_code: dict[str, Region]
    parent_code: dict[str, str]
    names: dict[str, tuple[Region, ...]]  # every lookup form → regions, best first
    find_names: dict[str, tuple[Region, ...]]  # the forms ``find`` looks for in running text
    find_lengths: tuple[int, ...]  # lengths of the find forms, longest first


def _rows(name: str) -> Iterator[dict[str, str]]:
    with resources.files("policykg.loaders").joinpath("data", name).open(encoding="utf-8") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def _split(field: str | None) -> list[str]:
    return [x for x in (field or "").split("|") if x]


@cache
def _gazetteer() -> _Gazetteer:
    rows = list(_rows("regions.tsv"))
    raw = {r["code"]: r for r in rows}

    def province_code(code: str) -> str:
        while raw[code]["parent"]:
            code = raw[code]["parent"]
        return code

    by_code: dict[str, Region] = {}
    for r in rows:
        level: Level = r["level"]  # type: ignore[assignment]
        parent_name = raw[r["parent"]]["name"] if r["parent"] else None
        by_code[r["code"]] = Region(r["name"], level, parent_name, r["code"],
                                    raw[province_code(r["code"])]["name"])
    parent_code = {r["code"]: r["parent"] for r in rows if r["parent"]}

    names: dict[str, list[Region]] = {}
    find_names: dict[str, list[Region]] = {}

    def add(index: dict[str, list[Region]], name: str, region: Region) -> None:
        bucket = index.setdefault(name, [])
        if region not in bucket:
            bucket.append(region)

    for r in rows:
        region = by_code[r["code"]]
        shorts = [s for s in _split(r["short"]) if len(s) >= 2]
        if region.name.endswith("自治州"):  # 延边朝鲜族自治州 → 延边州
            shorts += [s + "州" for s in shorts if not s.endswith("州")]
        former = [f for f in _split(r["former"])
                  if f.endswith(_ADMIN_ENDS) or region.level == "municipal"]
        for form in (region.name, *shorts, *former):
            add(names, form, region)
        # Running text: full names everywhere; short names of provinces and prefectures only
        # (county short names such as 和平, 城关 are ordinary words too often).
        if not (len(region.name) == 2 and region.name.endswith("区")):  # 城区, 矿区, 郊区
            add(find_names, region.name, region)
        for form in former:
            if form.endswith(_ADMIN_ENDS) and len(form) > 2:
                add(find_names, form, region)
        if region.level != "county":
            for form in shorts:
                add(find_names, form, region)
    for r in _rows("regions_abbrev.tsv"):
        for abbrev in _split(r["abbrev"]):
            add(names, abbrev, by_code[r["code"]])

    def ordered(index: dict[str, list[Region]]) -> dict[str, tuple[Region, ...]]:
        return {k: tuple(sorted(v, key=lambda x: (_RANK[x.level], x.code or ""))) for k, v in index.items()}

    return _Gazetteer(by_code, parent_code, ordered(names), ordered(find_names),
                      tuple(sorted({len(k) for k in find_names}, reverse=True)))


def _inside(region: Region, area: Region) -> bool:
    """Whether ``region`` is ``area`` or lies within it."""
    if area.level == "national" or region == area:
        return True
    g = _gazetteer()
    code = region.code
    while code in g.parent_code:
        code = g.parent_code[code]
        if code == area.code:
            return True
    return False


def _choose(candidates: tuple[Region, ...], within: Region | None) -> Region | None:
    """The one candidate meant: inside ``within`` (else its province), then the highest level."""
    if within is not None and within.level != "national":
        for area in (within, province_of(within)):
            if area is None:
                continue
            inside = tuple(c for c in candidates if _inside(c, area))
            if inside:
                candidates = inside
                break
    if not candidates:
        return None
    top = _RANK[candidates[0].level]
    best = [c for c in candidates if _RANK[c.level] == top]
    return best[0] if len(best) == 1 else None


def lookup(name: str, within: Region | None = None) -> Region | None:
    """The region called ``name``: a full name (厦门市), a short name (厦门, 广西, 延边州), a
    province's 简称 (闽, 黔) or a withdrawn name (襄樊市 → 襄阳市).

    A name shared by several regions (鼓楼区, 朝阳) resolves to the one inside ``within`` (or
    inside ``within``'s province), else to the single one of highest level (吉林 → 吉林省); when
    that is still ambiguous the answer is None.
    """
    name = "".join(name.split())
    if name in _NATIONAL_NAMES:
        return NATIONAL
    candidates = _gazetteer().names.get(name)
    return _choose(candidates, within) if candidates else None


def find(text: str) -> list[tuple[Region, tuple[int, int]]]:
    """Region names in ``text`` with their spans, longest match first, not overlapping.

    Full names are found anywhere; short names only for provinces and prefectures (福建, 厦门).
    A name shared by several regions is resolved against the regions found unambiguously in the
    same text (思明区 after 厦门市), else dropped when still ambiguous.
    """
    g = _gazetteer()
    hits: list[tuple[tuple[Region, ...], tuple[int, int]]] = []
    i, n = 0, len(text)
    while i < n:
        for length in g.find_lengths:
            if i + length <= n and (cands := g.find_names.get(text[i : i + length])):
                hits.append((cands, (i, i + length)))
                i += length
                break
        else:
            i += 1
    return _in_context(hits)


@cache
def _mention_rx(levels: tuple[str, ...]) -> re.Pattern[str]:
    forms = [k for k, v in _gazetteer().find_names.items() if any(r.level in levels for r in v)]
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


def mentions(text: str, levels: tuple[str, ...] = ("provincial", "municipal")) -> list[tuple[Region, tuple[int, int]]]:
    """Names of regions of ``levels`` in ``text``, as ``find`` reads them, but with one regex: a
    quick count of the places a long text speaks of (county names are many: ask for them only
    when needed)."""
    g = _gazetteer()
    hits = [(g.find_names[m.group()], m.span()) for m in _mention_rx(tuple(sorted(levels))).finditer(text)]
    return _in_context(hits)


def _in_context(hits: list[tuple[tuple[Region, ...], tuple[int, int]]]) -> list[tuple[Region, tuple[int, int]]]:
    """Each hit's region: a name shared by several regions (鼓楼区) resolved by the unambiguous
    names around it; dropped when still ambiguous."""
    context = [c[0] for c, _ in hits if len(c) == 1]
    out: list[tuple[Region, tuple[int, int]]] = []
    for cands, span in hits:
        region = cands[0] if len(cands) == 1 else _resolve_in_context(cands, context)
        if region is not None:
            out.append((region, span))
    return out


def _resolve_in_context(cands: tuple[Region, ...], context: list[Region]) -> Region | None:
    for area in sorted(context, key=lambda r: -_RANK[r.level]):  # nearest level first
        inside = [c for c in cands if c != area and _inside(c, area)]
        if len(inside) == 1:
            return inside[0]
    return _choose(cands, None)


def parent(region: Region) -> Region | None:
    """The region directly above (思明区 → 厦门市 → 福建省); None for a province."""
    g = _gazetteer()
    code = g.parent_code.get(region.code or "")
    return g.by_code[code] if code else None


def province_of(region: Region) -> Region | None:
    """The provincial-level region containing ``region`` (itself for a province)."""
    if region.level == "national":
        return None
    g = _gazetteer()
    if region.code in g.by_code:
        code = region.code
        while code in g.parent_code:
            code = g.parent_code[code]
        return g.by_code[code]
    return lookup(region.province) if region.province else None


def regions() -> Iterator[Region]:
    """Every region of the gazetteer, in code order (the country itself not included)."""
    g = _gazetteer()
    for code in sorted(g.by_code):
        yield g.by_code[code]
