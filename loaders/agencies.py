"""Agency names: from the form written in a notice to one agency node.

``normalize_agency`` qualifies a surface form by jurisdiction (市质监局 in a Xiamen notice →
厦门市质量技术监督局), expands abbreviations, keeps national bodies national, recognises
vertically managed bodies (厦门检验检疫局 → 厦门出入境检验检疫局) and groups (省直有关部门).
``find_mentions`` finds agencies named in running text with jieba. An agency whose jurisdiction
the notice neither states nor implies (市工业和信息化局 without a city) is ``local``: known only
within its notice. ``list_prefix``/``shared_prefix`` share the jurisdiction a list opens with
(省发展改革委、财政厅 → 省财政厅); ``complete_name`` tells a name from a list's department word.
All names, abbreviations and patterns are data in ``loaders/data/agency_*.json`` and
``functions.json``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from math import log
from pathlib import Path
from typing import Any

from policykg.loaders.models import Agency, Region

__all__ = [
    "normalize_agency",
    "find_mentions",
    "functions",
    "recognize",
    "looks_like_agency",
    "complete_name",
    "list_prefix",
    "shared_prefix",
]

_DATA = Path(__file__).parent / "data"
NATIONAL_NAME = "中华人民共和国"
_ADMIN_CHARS = ("自治区", "省", "市", "区", "县", "州", "盟", "旗")
_REGION_END = "(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|区|县|州|盟|旗)"
_FULL_REGION = re.compile(rf"^[\u4e00-\u9fff]{{2,12}}?{_REGION_END}")
_ETHNIC = re.compile(
    "(?:"
    + "|".join(
        "壮族 回族 维吾尔族 维吾尔 藏族 蒙古族 朝鲜族 苗族 土家族 彝族 侗族 布依族 瑶族 白族 哈尼族 傣族 黎族 傈僳族 佤族 畲族 "
        "拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
        "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 "
        "哈萨克族 哈萨克 满族 各族".split()
    )
    + ")+$"
)
_STRIP = " \t\r\n\u3000\xa0“”\"‘’'「」《》<>〈〉：:；;，,。.、"
_CONTINUATIONS = frozenset(
    "部门 部分 部署 部位 局面 局势 局部 会议 会同 会商 会员 会上 院校 院士 院长 办法 办理 办公 办事 办学 "
    "行动 行业 行为 行政 行使 关系 关于 关注 关键 关联 处理 处置 处罚 所有 所在 所属 室内 委托 委员 "
    "厅长 署名 队伍 站点 司法 组织 组建 组成 团体 团队 团结 中心".split()
)


def _load(name: str) -> Any:
    return json.loads((_DATA / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- data tables


@dataclass(frozen=True)
class _Tables:
    stems: dict[str, str]
    components: tuple[tuple[str, str], ...]  # (short, full), longest short first
    fulls: tuple[str, ...]  # full forms, longest first (never expanded again)
    suffixes: tuple[tuple[str, str, tuple[str, ...]], ...]
    dept_endings: tuple[str, ...]
    not_dept_endings: tuple[str, ...]
    national: dict[str, dict[str, Any]]  # alias or name → entry (any context)
    national_ctx: dict[str, dict[str, Any]]  # aliases valid in national notices only
    vertical_patterns: tuple[tuple[re.Pattern[str], str], ...]
    vertical_stems: dict[str, str]
    groups: tuple[re.Pattern[str], ...]
    any_group: re.Pattern[str] | None  # all of groups as one (see _any_of)
    party: tuple[tuple[re.Pattern[str], str], ...]
    nongov: tuple[re.Pattern[str], ...]
    any_nongov: re.Pattern[str] | None
    org_endings: tuple[str, ...]
    not_org_endings: tuple[str, ...]
    not_relative_words: tuple[str, ...]
    national_prefixes: tuple[str, ...]
    zone_words: tuple[str, ...]
    departments: dict[str, dict[str, Any]]  # bare department word → entry
    list_endings: tuple[str, ...]
    functions: tuple[tuple[str, tuple[str, ...]], ...]


def _any_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One pattern that matches where any of ``patterns`` does (for a quick search), or None when
    they cannot be joined so (group references, inline flags)."""
    if not patterns or any(re.search(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]", p) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error:
        return None


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    ab = _load("agency_abbreviations.json")
    nat = _load("agency_national.json")
    ver = _load("agency_vertical.json")
    kinds = _load("agency_kinds.json")
    deps = _load("agency_departments.json")
    funcs = _load("functions.json")
    components = sorted(((c["short"], c["full"]) for c in ab["components"]), key=lambda p: -len(p[0]))
    fulls = sorted({c["full"] for c in ab["components"]}, key=len, reverse=True)
    national: dict[str, dict[str, Any]] = {}
    national_ctx: dict[str, dict[str, Any]] = {}
    for body in nat["bodies"]:
        for alias in [body["name"], *body.get("aliases", [])]:
            national[alias] = body
        for alias in body.get("national_aliases", []):
            national_ctx[alias] = body
    departments = {w: d for d in deps["departments"] for w in d["words"]}
    return _Tables(
        stems={s["short"]: s["full"] for s in ab["stems"]},
        components=tuple(components),
        fulls=tuple(fulls),
        suffixes=tuple((s["short"], s["full"], tuple(s["unless"])) for s in ab["suffixes"]),
        dept_endings=tuple(sorted(ab["department_endings"], key=len, reverse=True)),
        not_dept_endings=tuple(ab["not_department_endings"]),
        national=national,
        national_ctx=national_ctx,
        vertical_patterns=tuple((re.compile(p["regex"]), p["name"]) for p in ver["patterns"]),
        vertical_stems={s["stem"]: s["name"] for s in ver["stems"]},
        groups=tuple(re.compile(p) for p in kinds["group_patterns"]),
        any_group=_any_of(kinds["group_patterns"]),
        party=tuple((re.compile(p["regex"]), p["name"]) for p in kinds["party"]),
        nongov=tuple(re.compile(p) for p in kinds["nongov_patterns"]),
        any_nongov=_any_of(kinds["nongov_patterns"]),
        org_endings=tuple(sorted(kinds["org_endings"], key=len, reverse=True)),
        not_org_endings=tuple(kinds.get("not_org_endings", ())),
        not_relative_words=tuple(kinds.get("not_relative_words", ())),
        national_prefixes=tuple(kinds["national_prefixes"]),
        zone_words=tuple(kinds["zone_words"]),
        departments=departments,
        list_endings=tuple(sorted(deps["list_endings"], key=len, reverse=True)),
        functions=tuple((f["key"], tuple(f["keywords"])) for f in funcs["functions"]),
    )


def functions() -> list[dict[str, str]]:
    """The functional classification (a SKOS concept scheme): key, zh and en label of each function."""
    return [{"key": f["key"], "zh": f["zh"], "en": f["en"]} for f in _load("functions.json")["functions"]]


def function_scheme() -> dict[str, str]:
    """Key and labels of the function scheme itself."""
    return dict(_load("functions.json")["scheme"])


_GENERAL = "government_general"


@lru_cache(maxsize=1)
def _function_keywords() -> tuple[re.Pattern[str], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """A test for any keyword; the (keyword, function) pairs of the specific functions, longest
    keyword first (the table's order among equals); the keywords of the general one."""
    pairs = [(kw, key) for key, keywords in _tables().functions for kw in keywords]
    specific = [p for p in pairs if p[1] != _GENERAL]
    ordered = sorted(range(len(specific)), key=lambda n: (-len(specific[n][0]), n))
    words = sorted({kw for kw, _ in pairs if kw}, key=len, reverse=True)
    anyword = re.compile("|".join(map(re.escape, words))) if words else re.compile("(?!)")
    general = tuple(kw for kw, key in pairs if key == _GENERAL)
    return anyword, tuple(specific[n] for n in ordered), general


@lru_cache(maxsize=8192)
def _function(name: str) -> str | None:
    """The function whose keyword is the longest match in ``name``; the general one only as fallback."""
    anyword, specific, general = _function_keywords()
    held = "人民政府" in name
    name = name.replace("人民政府", "\0")  # 民政 is not in 人民政府
    if anyword.search(name) is None:
        return _GENERAL if held else None
    for kw, key in specific:
        if kw in name:
            return key
    if held or any(kw in name for kw in general):
        return _GENERAL
    return None


# ---------------------------------------------------------------- regions


@lru_cache(maxsize=1)
def _regions_module() -> Any:
    try:
        from policykg.loaders import regions  # written alongside; optional here
    except Exception:  # noqa: BLE001 - a missing or broken gazetteer must not break agencies
        return None
    return regions if hasattr(regions, "lookup") else None


def _lookup(name: str, within: Region | None = None) -> Region | None:
    mod = _regions_module()
    if mod is None:
        return None
    try:
        return mod.lookup(name, within=within)
    except Exception:  # noqa: BLE001
        return None


def _national() -> Region:
    mod = _regions_module()
    nat = getattr(mod, "NATIONAL", None) if mod else None
    return nat if isinstance(nat, Region) else Region(NATIONAL_NAME, "national", None, "100000")


@lru_cache(maxsize=4096)
def short_name(name: str) -> str:
    """厦门市 → 厦门, 广西壮族自治区 → 广西, 思明区 → 思明 (names of two characters stay whole)."""
    for end in ("特别行政区", "自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(end):
            core = _ETHNIC.sub("", name[: -len(end)])
            return core if len(core) >= 2 else name
    if len(name) > 2 and name[-1] in "省市区县州盟旗":
        return name[:-1]
    if name.endswith("地区") and len(name) > 3:
        return name[:-2]
    return name


def qualified(region: Region) -> str:
    """The name an agency of ``region`` starts with: 厦门市, 辽宁省, and 厦门市思明区 for a city's district."""
    if (
        region.level == "county"
        and region.name.endswith("区")
        and region.parent
        and region.parent.endswith("市")
    ):
        if not region.name.startswith(short_name(region.parent)):
            return region.parent + region.name
    return region.name


def _is_national(j: Region | None) -> bool:
    return j is not None and j.level == "national"


@lru_cache(maxsize=4096)
def _chain(j: Region | None) -> tuple[Region, ...]:
    """The jurisdiction and the regions above it: 思明区 → (思明区, 厦门市, 福建省)."""
    if j is None or j.level == "national":
        return ()
    out = [j]
    if j.level == "county" and j.parent and j.parent != j.province:
        out.append(_lookup(j.parent) or Region(j.parent, "municipal", j.province, None, j.province))
    if j.province and j.province != j.name:
        out.append(_lookup(j.province) or Region(j.province, "provincial", None, None, j.province))
    return tuple(out)


def _by_admin_char(char: str, chain: tuple[Region, ...]) -> Region | None:
    """The region a bare 市/省/区/县 prefix refers to."""
    for r in chain:
        if char == "省" and r.level == "provincial" and r.name.endswith("省"):
            return r
        if char == "自治区" and r.name.endswith("自治区"):
            return r
        if char == "市" and r.name.endswith("市"):
            return r
        if char in ("县", "州", "盟", "旗") and r.name.endswith(char):
            return r
        if char == "区" and r.level == "county" and r.name.endswith("区"):
            return r
    if char == "区":  # 区直各部门 in Guangxi: the autonomous region
        return next((r for r in chain if r.name.endswith("自治区")), None)
    return None


@dataclass(frozen=True)
class _Split:
    region: Region | None
    prefix: str  # as written ("市", "厦门", "厦门市", "")
    how: str  # "char", "short", "full" or ""
    stem: str


@lru_cache(maxsize=16384)
def _split_region(s: str, j: Region | None) -> _Split:
    """Split a leading region (厦门市, 厦门, 市, 省) off a name."""
    chain = _chain(j)
    region: Region | None = None
    prefix, how, rest = "", "", s
    for _ in range(3):  # 厦门市思明区教育局: region, then region within it
        found = _one_region(rest, chain, region or j)
        if found is None:
            break
        region, p, how, rest = found
        prefix += p
        chain = (region, *chain)
        if how == "char":
            break
    return _Split(region, prefix, how, rest)


@lru_cache(maxsize=4096)
def _chain_names(chain: tuple[Region, ...]) -> tuple[tuple[str, Region, str], ...]:
    """(name, region, "full" or "short") of the regions of a chain, longest name first."""
    names = [(r.name, r, "full") for r in chain] + [(short_name(r.name), r, "short") for r in chain]
    return tuple(sorted(names, key=lambda t: -len(t[0])))


def _one_region(
    s: str, chain: tuple[Region, ...], within: Region | None
) -> tuple[Region, str, str, str] | None:
    for text, r, how in _chain_names(chain):
        if s.startswith(text) and len(s) > len(text) and len(text) >= 2:
            return r, text, how, s[len(text) :]
    if s.startswith(_tables().not_relative_words):  # 市场监督管理局 is not 市 + 场监督管理局
        return None
    for char in _ADMIN_CHARS:
        if s.startswith(char) and len(s) > len(char):
            r = _by_admin_char(char, chain)
            if r is not None:
                return r, char, "char", s[len(char) :]
            return None
    t = _tables()
    m = _FULL_REGION.match(s)
    if m is not None and len(m.group(0)) < len(s):
        text = m.group(0)
        looked = _lookup(text, within=within)
        if looked is not None:
            return looked, text, "full", s[len(text) :]
        if _regions_module() is None and not text.endswith(t.zone_words):
            return _guess_region(text), text, "full", s[len(text) :]
    if _regions_module() is not None:  # 湛江海关 in a Guangdong notice: a short name not in the chain
        for k in (3, 2):
            rest = s[k:]
            if len(s) <= k or rest.startswith(_ADMIN_CHARS) or rest in t.national:
                continue
            if rest in t.vertical_stems or (_is_department(rest) and _function(expand(rest))):
                looked = _lookup(s[:k], within=within)
                if looked is not None and looked.level != "national" and short_name(looked.name) == s[:k]:
                    return looked, s[:k], "short", rest
    return None


def _guess_region(text: str) -> Region:
    """A region known only by its name (no gazetteer): level from the ending."""
    if text.endswith(("省", "自治区")):
        return Region(text, "provincial", None, None, text)
    return Region(text, "county" if text.endswith(("县", "区", "旗")) else "municipal")


# ---------------------------------------------------------------- expansion


def _is_department(stem: str) -> bool:
    t = _tables()
    if stem.endswith(t.not_dept_endings):
        return False
    return stem.endswith(t.dept_endings) or stem in t.stems


@lru_cache(maxsize=1)
def _expander() -> tuple[re.Pattern[str], dict[str, str]]:
    t = _tables()
    mapping = {full: full for full in t.fulls}
    for short, full in t.components:
        mapping.setdefault(short, full)
    alternatives = [*t.fulls, *(short for short, _ in t.components)]  # full forms win where written
    return re.compile("|".join(map(re.escape, alternatives))), mapping


@lru_cache(maxsize=8192)
def expand(stem: str) -> str:
    """Expand abbreviations in a department stem: 质监局 → 质量技术监督局, 发改委 → 发展和改革委员会."""
    t = _tables()
    if stem in t.stems:
        return t.stems[stem]
    pattern, mapping = _expander()

    def component(m: re.Match[str]) -> str:
        # an abbreviation is a part of a department's name only where the name goes on with an
        # ending, a conjunction or another part (科技局, 科技和工业信息化局), not inside a word of
        # its own (中关村科技园区管理委员会, 科技创新委员会)
        rest = stem[m.end():]
        if not rest or rest.startswith((*t.org_endings, "和", "与", "、")) or pattern.match(rest):
            return mapping[m.group(0)]
        return m.group(0)

    text = pattern.sub(component, stem)
    for short, full, unless in t.suffixes:
        if text.endswith(short) and not text.endswith(unless):
            text = text[: -len(short)] + full
    return text


# ---------------------------------------------------------------- normalisation


@dataclass(frozen=True)
class Resolution:
    """An agency and whether its name was recognised (a known body, department or pattern)."""

    agency: Agency
    known: bool


_SPACES = re.compile(r"[\s\u3000\xa0]+")
_OPENING = re.compile(r"^(?:[将均另拟并]?由|请)")
_TRAILING_DENG = re.compile(r"等$")


@lru_cache(maxsize=16384)
def _clean(surface: str) -> str:
    s = _SPACES.sub("", surface)
    s = s.replace("“", "").replace("”", "").replace('"', "")
    s = s.strip(_STRIP)
    s = _OPENING.sub("", s)
    s = _TRAILING_DENG.sub("", s)
    return s


@lru_cache(maxsize=16384)
def _nongov(name: str) -> bool:
    t = _tables()
    found = t.any_nongov.search(name) is not None if t.any_nongov else any(p.search(name) for p in t.nongov)
    return found or name.startswith(("中共", "共青团", "中国共产党"))


def _make(
    name: str,
    surface: str,
    kind: str = "agency",
    region: Region | None = None,
    vertical: bool = False,
    government: str | None = "auto",
) -> Agency:
    if government == "auto":
        government = None
        if kind == "agency" and not vertical and not _nongov(name) and region is not None:
            if region.name.endswith(_tables().zone_words):  # a zone's 管委会 is its own administration
                return Agency(name, kind, region, _function(name), vertical, None, surface)  # type: ignore[arg-type]
            government = "国务院" if region.level == "national" else f"{qualified(region)}人民政府"
    function = None if kind == "group" else _function(name)
    return Agency(name, kind, region, function, vertical, government, surface)  # type: ignore[arg-type]


def _national_body(s: str, national_ctx: bool, surface: str) -> Agency | None:
    t = _tables()
    body = t.national.get(s) or (t.national_ctx.get(s) if national_ctx else None)
    if body is None:
        e = expand(s)
        body = t.national.get(e) or (t.national_ctx.get(e) if national_ctx else None)
    if body is None:
        return None
    kind = body.get("kind", "agency")
    gov = None if kind == "government" or body.get("nongov") else "国务院"
    return _make(body["name"], surface, kind, _national(), False, gov)


def _fill(template: str, region: Region | None, written: str, groups: dict[str, str]) -> str:
    name = region.name if region else written
    short = short_name(region.name) if region else short_name(written)
    return template.format(name=name, short=short, written=written, **groups)


def _region_of(text: str, j: Region | None) -> Region | None:
    for r in _chain(j):
        if text in (r.name, short_name(r.name)):
            return r
    found = _lookup(text, within=j)
    if found is None and _regions_module() is None and _FULL_REGION.fullmatch(text):
        found = _guess_region(text)
    return found


def _as_national(s: str, surface: str, j: Region | None) -> Resolution | None:
    body = _national_body(s, _is_national(j), surface)
    return Resolution(body, True) if body is not None else None


@lru_cache(maxsize=16384)
def _is_group(s: str) -> bool:
    """Whether ``s`` names a group of bodies (省直有关部门) by a pattern of ``agency_kinds.json``."""
    t = _tables()
    return t.any_group.search(s) is not None if t.any_group else any(p.search(s) for p in t.groups)


def _as_group(s: str, surface: str, j: Region | None) -> Resolution | None:
    if _is_group(s):
        return Resolution(_group(s, surface, j), True)
    return None


def _as_vertical_pattern(s: str, surface: str, j: Region | None) -> Resolution | None:
    """人行厦门市中心支行, 金融监管总局山东监管局: the region is inside the name."""
    for pattern, template in _tables().vertical_patterns:
        m = pattern.match(s)
        if m is None:
            continue
        written = m.group("region")
        region = _region_of(written, j)
        if region is not None:
            groups = {k: v for k, v in m.groupdict().items() if k != "region" and v is not None}
            name = _fill(template, region, written, groups)
            return Resolution(_make(name, surface, "agency", region, True), True)
    return None


def _as_party(s: str, surface: str, j: Region | None) -> Resolution | None:
    """市委宣传部 → 中共厦门市委宣传部, 团市委 → 共青团厦门市委员会."""
    for pattern, template in _tables().party:
        m = pattern.match(s)
        region = _by_admin_char(m.group("prefix"), _chain(j)) if m else None
        if m is None or region is None:
            continue
        rest = expand(m.groupdict().get("rest") or "")
        name = template.format(name=qualified(region), rest=rest)
        if not rest and "团" not in template:
            name = f"中共{qualified(region)}委员会"
        return Resolution(_make(name, surface, "agency", region, False, None), True)
    return None


def _as_central(s: str, surface: str, j: Region | None) -> Resolution | None:
    """Names that start 国家/中国/中央…: central bodies, kept as written (expanded)."""
    if not s.startswith(_tables().national_prefixes):
        return None
    name = expand(s) if _is_department(s) else s
    return Resolution(_make(name, surface, "agency", _national(), False, "auto"), _function(name) is not None)


def _as_regional(s: str, surface: str, j: Region | None) -> Resolution:
    """A department of a region: 市质监局, 厦门检验检疫局, 省政府, 教育局 (the notice's own region)."""
    t = _tables()
    national_ctx = _is_national(j)
    sp = _split_region(s, j)
    region, stem = sp.region, sp.stem

    if region is not None and stem.startswith("委") and region.name.endswith(_ADMIN_CHARS):
        where = qualified(region)  # 厦门市委宣传部
        name = f"中共{where}委{expand(stem[1:])}" if len(stem) > 1 else f"中共{where}委员会"
        return Resolution(_make(name, surface, "agency", region, False, None), True)
    if stem.startswith(t.national_prefixes) and region is not None:  # 厦门国家高新区…: as written
        return Resolution(_make(s, surface, "agency", region), False)

    department = _is_department(stem)
    exp = expand(stem) if department else stem

    vertical = t.vertical_stems.get(exp) or t.vertical_stems.get(stem)
    if vertical is not None:
        where = region or (j if j is not None and not national_ctx else None)
        if where is not None:
            name = _fill(vertical, where, sp.prefix, {})
            return Resolution(_make(name, surface, "agency", where, True), True)

    if exp in ("人民政府", "政府"):
        where = region or (j if j is not None and not national_ctx else None)
        if where is None and s[:1] in _ADMIN_CHARS:  # 市政府 of a notice that does not tell which city
            return Resolution(replace(_make(s[:1] + "人民政府", surface, "government", None, False, None), local=True), True)
        if where is None:
            return Resolution(_make("国务院", surface, "government", _national(), False, None), national_ctx)
        name = f"{qualified(where)}人民政府"
        return Resolution(_make(name, surface, "government", where, False, None), True)

    function = _function(exp)
    if region is None:
        if national_ctx:
            return Resolution(_make(exp, surface, "agency", j, False, "auto" if department else None), False)
        if department and function is not None and j is not None and s[:1] not in _ADMIN_CHARS:
            return Resolution(_make(f"{qualified(j)}{exp}", surface, "agency", j), True)
        unstated = _unstated(s)
        if unstated is not None:  # 市工业和信息化局 where the notice does not tell which city
            name = unstated[0] + expand(unstated[1])
            kind = "government" if unstated[1] in ("政府", "人民政府") else "agency"
            return Resolution(replace(_make(name, surface, kind, None, False, None), local=True),
                              _function(name) is not None or kind == "government")
        known = not department and function is not None  # 崂山实验室: a named institution
        return Resolution(_make(exp, surface, "agency", None, False, None), known)

    keep_written = sp.how == "short" and (not department or function is None or stem.startswith(t.zone_words))
    agency = _make((sp.prefix if keep_written else qualified(region)) + exp, surface, "agency", region)
    return Resolution(agency, agency.function is not None)


def _unstated(s: str) -> tuple[str, str] | None:
    """(prefix, stem) of a name whose jurisdiction is written relatively or not at all: 市 +
    工业和信息化局, 市委 + 宣传部, "" + 教育局; None for other names."""
    prefix = s[:1] if s[:1] in _ADMIN_CHARS and len(s) >= 2 else ""
    stem = s[len(prefix) :]
    if prefix and stem.startswith("委"):
        return prefix + "委", stem[1:]
    if _is_department(stem) and _function(expand(stem)) is not None:
        return prefix, stem
    return None


_RESOLVERS = (_as_national, _as_group, _as_vertical_pattern, _as_party, _as_central)


@lru_cache(maxsize=20000)
def recognize_full(surface: str, jurisdiction: Region | None = None) -> Resolution:
    """Normalise ``surface`` and say whether it was recognised (for measuring unknown forms)."""
    s = _clean(surface)
    if not s:
        return Resolution(_make(surface, surface, region=jurisdiction, government=None), False)
    for resolver in _RESOLVERS:
        found = resolver(s, surface, jurisdiction)
        if found is not None:
            return found
    return _as_regional(s, surface, jurisdiction)


def _group(s: str, surface: str, j: Region | None) -> Agency:
    if j is None:  # 各区县政府 of a notice that does not tell where
        return replace(_make(s, surface, "group", None, False, None), local=True)
    if _is_national(j):
        return _make(s, surface, "group", j, False, None)
    sp = _split_region(s, j)
    if sp.region is not None and sp.how in ("full", "char"):
        return _make(qualified(sp.region) + sp.stem, surface, "group", sp.region, False, None)
    if sp.region is not None:
        return _make(s, surface, "group", sp.region, False, None)
    return _make(qualified(j) + s, surface, "group", j, False, None)


def normalize_agency(surface: str, jurisdiction: Region | None = None) -> Agency:
    """The agency a surface form names in a notice of ``jurisdiction``.

    >>> normalize_agency("市质监局", Region("厦门市", "municipal", "福建省", None, "福建省")).name
    '厦门市质量技术监督局'
    """
    return recognize_full(surface, jurisdiction).agency


@lru_cache(maxsize=16384)
def looks_like_agency(surface: str) -> bool:
    """Whether a string has the shape of an organisation name (ends like one, or is a known body)."""
    t = _tables()
    s = _clean(surface)
    if not s or len(s) > 40 or re.search(r"[，。；：:;！？\d]", s):
        return False
    if s in t.national or s in t.national_ctx or s in t.departments:
        return True
    if _is_group(s):
        return True
    if s.endswith(t.not_org_endings):
        return False
    return s.endswith(t.org_endings) or s.endswith(tuple(t.vertical_stems)) or s in t.stems


def complete_name(surface: str) -> bool:
    """Whether a string names an agency by itself (市委宣传部, 国家粮食和物资储备局), not only a
    department word of a list (商务 in 市商务、工信等部门): the test for splitting 甲和乙."""
    return looks_like_agency(surface) and _clean(surface) not in _tables().departments


@lru_cache(maxsize=16384)
def list_prefix(surface: str, jurisdiction: Region | None = None) -> str:
    """The jurisdiction an agency list opens with, as written, that the later names of the list
    share: 省 of 省发展改革委、财政厅、自然资源厅; 市委 of 市委宣传部、组织部; "" when there is none."""
    s = _clean(surface)
    sp = _split_region(s, jurisdiction)
    if not sp.prefix or not s.startswith(sp.prefix) or not sp.stem:
        prefix = next((c for c in _ADMIN_CHARS if s.startswith(c)), "")
        if not prefix or len(s) < len(prefix) + 2:
            return ""
        stem = s[len(prefix) :]  # a jurisdiction the notice does not name (市 in a text without its city)
    else:
        prefix, stem = sp.prefix, sp.stem
    if stem.startswith("委") and len(stem) > 1:
        return prefix + "委"
    return prefix if _is_department(stem) else ""


@lru_cache(maxsize=16384)
def shared_prefix(surface: str, prefix: str, jurisdiction: Region | None = None) -> str:
    """What a later name of a list takes from the ``prefix`` the list opens with (财政厅 after
    省发展改革委 takes 省; 组织部 after 市委宣传部 takes 市委, 教育局 after it 市), or "" for a
    name of its own: one with a jurisdiction, a national, central, vertically managed or party
    body, a group or a named institution."""
    s = _clean(surface)
    t = _tables()
    if not s or not prefix or s.startswith(_ADMIN_CHARS) or _is_group(s):
        return ""
    if s in t.national or s in t.national_ctx or s.startswith(t.national_prefixes) or _names_place(s):
        return ""
    if prefix.endswith("委") and s.endswith("部") and len(s) <= 6:  # 市委宣传部、组织部
        return prefix
    region = prefix.removesuffix("委") if prefix.endswith("委") else prefix
    if not region or not _is_department(s) or _function(expand(s)) is None:
        return ""
    if any(p.match(s) for p, _ in t.vertical_patterns) or any(p.match(s) for p, _ in t.party):
        return ""
    return region


def _names_place(s: str) -> bool:
    """Whether a name holds a place name (人民银行济南分行营管部, 青岛海洋科技中心)."""
    mod = _regions_module()
    try:
        return bool(mod.find(s)) if mod is not None else _FULL_REGION.match(s) is not None
    except Exception:  # noqa: BLE001
        return False


def recognize(surface: str, jurisdiction: Region | None = None) -> Agency | None:
    """The agency named by ``surface``, or None when it does not look like an organisation."""
    return normalize_agency(surface, jurisdiction) if looks_like_agency(surface) else None


# ---------------------------------------------------------------- mentions (jieba)


def _userdict_words() -> Iterable[str]:
    t = _tables()
    yield from t.national
    yield from t.national_ctx
    yield from t.departments
    yield from t.vertical_stems
    for short, full in t.components:
        yield full
        if len(short) >= 2:
            yield short
    for short, full in t.stems.items():
        yield short
        yield full
    for word, d in t.departments.items():
        for level in ("provincial", "municipal"):
            suffix = d.get(level)
            if suffix:
                yield word + suffix
                yield d["core"] + suffix
                yield ("省" if level == "provincial" else "市") + word + suffix


def _region_words() -> Iterable[str]:
    """Every region's full name and short name (厦门市, 厦门), so segmentation never depends on
    which notices a process has seen before."""
    mod = _regions_module()
    for r in mod.regions() if mod is not None else ():
        yield r.name
        yield short_name(r.name)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for word in sorted(set(_userdict_words()) | set(_region_words())):
        if len(word) >= 2:
            tk.add_word(word, freq=max(tk.FREQ.get(word, 0), 5000))
    return tk


def tokenize(text: str, jurisdiction: Region | None = None) -> list[tuple[str, int, int]]:
    """jieba tokens (word, start, end) of ``text``, agency names kept whole."""
    return list(_tokenizer().tokenize(text))


_PUNCT = re.compile(r"[^\u4e00-\u9fffA-Za-z“”]")


# Words that open a phrase rather than a name: 会同财政部 is not 会同县财政部.
_LEADING = frozenset(
    "会同 由 和 及 与 同 对 向 在 将 把 为 经 请 从 按 按照 根据 报 报请 配合 协调 组织 牵头 联合 依托 支持 鼓励 指导 督促 "
    "推动 推进 加强 建设 完善 实施 开展 落实 贯彻 会 并".split()
)
_BAD_ENDINGS = (
    "布局",
    "格局",
    "大局",
    "全局",
    "结局",
    "开局",
    "变局",
    "新局",
    "时局",
    "当局",
    "定局",
    "国家局",
    "总部",
    "内部",
    "外部",
    "全部",
    "局部",
)
_STRICT_ENDINGS = ("局", "厅", "委", "办", "部", "署", "委员会", "办公室")
_NAME_ENDINGS = (*_STRICT_ENDINGS, "院", "联合会", "工会", "中心", "支行", "分行", "海关", "政府", "联", "协")
_STOP_CHARS = "的了对将把在要是为有关相关各等与及并或从向以由按其该本此"
_STOP = re.compile(f"[{_STOP_CHARS}]")


@lru_cache(maxsize=32768)
def _mention_viable(s: str, after: str) -> bool:
    """False when ``_mention`` rejects ``s`` (followed by ``after``) in any jurisdiction: its
    tests that do not depend on the jurisdiction, asked first and cached on the strings alone."""
    t = _tables()
    if _PUNCT.search(s) or len(s) < 2 or _clean(s) != s:
        return False
    if s[-1:] + after in _CONTINUATIONS or s.endswith(_BAD_ENDINGS):
        return False
    if s in t.national or s in t.national_ctx:
        return True
    if not s.endswith(t.org_endings) or s.endswith(
        ("单位", "部门", "地区", "机构", "方面", "各地", "地方", "组")
    ):
        if not s.endswith(tuple(t.vertical_stems)):
            return False
    return not (_is_group(s) or _stray_and(s))


@lru_cache(maxsize=16384)
def _mention(s: str, after: str, j: Region | None) -> Agency | None:
    t = _tables()
    if _PUNCT.search(s) or len(s) < 2 or _clean(s) != s:
        return None
    if s[-1:] + after in _CONTINUATIONS or s.endswith(_BAD_ENDINGS):
        return None
    if s in t.national or (s in t.national_ctx and _is_national(j)):
        return normalize_agency(s, j)
    if not s.endswith(t.org_endings) or s.endswith(
        ("单位", "部门", "地区", "机构", "方面", "各地", "地方", "组")
    ):
        if not s.endswith(tuple(t.vertical_stems)):
            return None
    if _is_group(s) or _stray_and(s):
        return None
    sp = _split_region(s, j)
    if not _plausible(sp.stem, sp.how):  # the cheaper test first: both must pass
        return None
    res = recognize_full(s, j)
    if not res.known or res.agency.kind == "group":
        return None
    return res.agency


@lru_cache(maxsize=1)
def _anchors() -> tuple[str, ...]:
    t = _tables()
    words = {*t.departments, *t.stems, *t.stems.values(), *t.vertical_stems, "人民政府", "政府", "委"}
    for short, full in t.components:
        words.update((short, full))
    for d in t.departments.values():
        words.add(d["core"])
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _and_words() -> tuple[str, ...]:
    """Anchor words, then national bodies, that hold a 和 (住房和城乡建设, 工业和信息化部)."""
    return (*(w for w in _anchors() if "和" in w), *(b for b in _tables().national if "和" in b))


def _stray_and(s: str) -> bool:
    """A 和 that is not part of a name (河北省委和省政府): two names run together."""
    if "和" not in s and "与" not in s:
        return False
    for word in _and_words():
        s = s.replace(word, "")
    return "和" in s or "与" in s.replace("海洋与渔业", "")


@lru_cache(maxsize=1)
def _anchors_by_first() -> dict[str, tuple[str, ...]]:
    """The anchors by their first character, longest first."""
    out: dict[str, list[str]] = {}
    for a in _anchors():
        out.setdefault(a[0], []).append(a)
    return {k: tuple(v) for k, v in out.items()}


def _plausible(stem: str, how: str) -> bool:
    """A stem found in running text reads as a department name: a known word, then a short ending.

    Without a region prefix only the usual department endings count (教育局, not 智慧法院).
    """
    anchor = next((a for a in _anchors_by_first().get(stem[:1], ()) if stem.startswith(a)), None)
    if anchor is None:  # 湖北省地震局: a full region name and a department-like ending
        return how == "full" and len(stem) <= 8 and not _STOP.search(stem) and stem.endswith(_STRICT_ENDINGS)
    if not how and anchor in ("政府", "人民政府", "委"):
        return False
    rest = stem[len(anchor) :]
    if len(rest) > (10 if anchor == "委" else 6) or _STOP.search(rest):
        return False
    if anchor == "委":
        return True
    return (rest or anchor).endswith(_NAME_ENDINGS if how else _STRICT_ENDINGS)


@lru_cache(maxsize=4096)
def _list_prefixes(j: Region | None) -> frozenset[str]:
    """What a department list may open with: 市, 省 …, or a name of the jurisdiction's regions."""
    names = {n for r in _chain(j) for n in (r.name, short_name(r.name))}
    return frozenset({"市", "省", "县", "区", "州", "自治区", *names})


def _department_list(
    tokens: list[tuple[str, int, int]], words: list[str], i: int, text: str, j: Region | None
):
    t = _tables()
    pos, prefix = i, ""
    if words[pos] in _list_prefixes(j):
        prefix = words[pos]
        pos += 1
    found: list[tuple[str, int, int]] = []
    while pos < len(words) and words[pos] in t.departments:
        found.append(tokens[pos])
        pos += 1
        if pos < len(words) and words[pos] in ("、", "和", "及", "与") and pos + 1 < len(words):
            if words[pos + 1] in t.departments:
                pos += 1
                continue
        break
    if not found:
        return None
    rest = text[tokens[pos][1] :] if pos < len(tokens) else ""
    ending = next((e for e in t.list_endings if rest.startswith(e)), None)
    if ending is None or not (prefix or len(found) >= 2 or ending.startswith("等")):
        return None
    region = _by_admin_char(prefix, _chain(j)) if prefix in _ADMIN_CHARS else None
    if prefix and region is None:
        region = next((r for r in _chain(j) if prefix in (r.name, short_name(r.name))), None)
    if region is None:
        region = j
    agencies = []
    for word, _, _ in found:
        agency = _department_agency(word, prefix, region, j)
        if agency is not None:
            agencies.append(agency)
    end = tokens[pos][1] + len(ending) if pos < len(tokens) else len(text)
    return agencies, end


def _department_agency(word: str, prefix: str, region: Region | None, j: Region | None) -> Agency | None:
    d = _tables().departments[word]
    if region is None or region.level == "national":
        name = d.get("national")
        return _make_surface(name, prefix + word, j) if name else None
    suffix = d.get("provincial" if region.level == "provincial" else "municipal")
    if suffix is None:
        return None
    return _make_surface(qualified(region) + d["core"] + suffix, prefix + word, j)


def _make_surface(name: str, surface: str, j: Region | None) -> Agency:
    a = normalize_agency(name, j)
    return Agency(a.name, a.kind, a.region, a.function, a.vertical, a.government, surface)


@lru_cache(maxsize=1)
def _final_chars() -> frozenset[str]:
    t = _tables()
    names = [*t.org_endings, *t.national, *t.national_ctx, *t.vertical_stems, *_NAME_ENDINGS]
    return frozenset(n[-1] for n in names if n)


# ---------------------------------------------------------------- mentions: where jieba is needed
#
# jieba segments each run of Chinese characters, letters and digits on its own, so a stretch of
# text cut at other characters is segmented as it is within the whole text. A mention never
# crosses a character ``_PUNCT`` rejects, and a department list crosses only a 、. So jieba runs
# only on the runs below that hold the shape of a name ``_mention`` can accept or of a department
# list ``_department_list`` can read (patterns built from the same tables); the other runs cannot
# start, end or hold a mention, and stand in the token list as one blank token each.

_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9+#&._%\-“”]+")  # jieba's blocks, and what _PUNCT lets pass
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z]+")  # the characters of a name _mention accepts
_TOKEN_CHARS = re.compile(r"[\u4e00-\u9fd5A-Za-z0-9+#&._%\-]+")  # those of a jieba word of several
_LIST_JOINERS = ("、", "和", "及", "与")
_REGION_LAST = "".join(sorted({w[-1] for w in _REGION_END[3:-1].split("|")}))  # 区, 县, 市 …


def _alt(words: Iterable[str], chars: re.Pattern[str] = _NAME_CHARS) -> str:
    """A regex of the words made of ``chars`` (the others cannot be read where it is used), as
    a trie: every branch opens with a character of its own, so the regex engine skips quickly to
    where one of them starts."""
    trie: dict[str, Any] = {}
    for w in words:
        if w and chars.fullmatch(w):
            node = trie
            for ch in w:
                node = node.setdefault(ch, {})
            node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _without(chars: str) -> str:
    """A character class of name characters other than ``chars``."""
    ranges, lo = [], 0x4E00
    for code in sorted({ord(c) for c in chars if "\u4e00" <= c <= "\u9fff"}):
        if code > lo:
            ranges.append(f"{chr(lo)}-{chr(code - 1)}")
        lo = code + 1
    ranges.append(f"{chr(lo)}-\u9fff")
    return "[" + "".join(ranges) + "A-Za-z]"


def _ends(words: Iterable[str]) -> str:
    """A test that the text before the current position ends with one of ``words`` (their last
    characters tested first, which fails fast)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    each = "(?:" + "|".join(f"(?<={re.escape(w)})" for w in ordered) + ")"
    if not ordered or not all(ordered):
        return each
    return f"(?<=[{''.join(sorted({re.escape(w[-1]) for w in ordered}))}]){each}"


@lru_cache(maxsize=1)
def _not_continued() -> str:
    """A test that the next character does not continue the last into a word (部门, 会议)."""
    followers: dict[str, str] = {}
    for word in sorted(_CONTINUATIONS):
        followers[word[0]] = followers.get(word[0], "") + word[1]
    return "(?!" + "|".join(f"(?<={re.escape(c)})[{re.escape(f)}]" for c, f in followers.items()) + ")"


@lru_cache(maxsize=64)
def _name_shapes(region_ends: str) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """What every name ``_mention`` accepts looks like in the text, from ``_mention`` and
    ``_plausible``: a national body; 委 and at most ten characters to an organisation ending;
    an anchor word, at most six characters (no ``_STOP``) and a name ending; or the last
    character of a full region name (``region_ends``) and one to eight characters to a strict
    ending. Each is followed by no character that continues its last one (``_CONTINUATIONS``).
    Returns the first two, and the last two (which end in a name ending, see ``_name_ending``)."""
    t = _tables()
    free, cont = _without(_STOP_CHARS), _not_continued()
    organisation = _ends(w for w in (*t.org_endings, *t.vertical_stems) if _NAME_CHARS.fullmatch(w))
    anywhere = (
        _alt([*t.national, *t.national_ctx]),
        f"委{free}{{0,10}}{organisation}",
    )
    named = (
        f"{_alt(_anchors())}{free}{{0,6}}{_ends(_NAME_ENDINGS)}",
        f"[{re.escape(region_ends)}]{free}{{1,8}}{_ends(_STRICT_ENDINGS)}",  # strict endings are name endings
    )
    return tuple(re.compile(x + cont) for x in anywhere), tuple(re.compile(x + cont) for x in named)


@lru_cache(maxsize=1)
def _name_ending() -> re.Pattern[str]:
    """A name ending not continued into a word: text without one holds no name of the last two
    shapes of ``_name_shapes`` (a quick test that spares scanning for them)."""
    return re.compile(_alt(_NAME_ENDINGS) + _not_continued())


@lru_cache(maxsize=1)
def _list_shape() -> re.Pattern[str]:
    """What every department list ``_department_list`` reads looks like: departments joined by
    、和及与, then a list ending (市质监、工商、农业、食药监等部门)."""
    t = _tables()
    dept = _alt(t.departments, _TOKEN_CHARS)
    joiners = "".join(_LIST_JOINERS)
    # an ending is read from the text after the last department: what opens it within the run
    endings = _alt({m.group() if (m := _TOKEN_CHARS.match(e)) else "" for e in t.list_endings}, _TOKEN_CHARS)
    if any(not _TOKEN_CHARS.match(e) for e in t.list_endings):
        endings = ""  # an ending that leaves the run at once: any list of departments may end so
    return re.compile(f"(?:{dept})(?:[{joiners}](?:{dept}))*(?:{endings})")


@lru_cache(maxsize=1)
def _gazetteer_ends() -> frozenset[str]:
    """The last characters of the gazetteer's region names (苏滁现代产业园, 乌拉盖管委会)."""
    mod = _regions_module()
    return frozenset(r.name[-1] for r in mod.regions() if r.name) if mod is not None else frozenset()


@lru_cache(maxsize=4096)
def _region_ends(j: Region | None) -> str:
    """The last characters a full region name before a department may have: of the names
    ``_REGION_END`` reads, of the gazetteer's and of the jurisdiction's regions."""
    return "".join(sorted({*_REGION_LAST, *_gazetteer_ends(), *(r.name[-1] for r in _chain(j) if r.name)}))


@lru_cache(maxsize=1)
def _list_ending_cores() -> tuple[str, ...]:
    """The list endings that hold no other (a text holds an ending when it holds one of these)."""
    ends = set(_tables().list_endings)
    return tuple(sorted(e for e in ends if not any(o != e and o in e for o in ends)))


def _live_runs(text: str, j: Region | None) -> list[tuple[int, int]]:
    """Spans of the runs of ``text`` that may hold a mention or a department list, in order."""
    rev = text[::-1]

    def run_at(pos: int) -> tuple[int, int]:
        back = _RUN.match(rev, len(text) - pos)
        return pos - (back.end() - back.start() if back else 0), _RUN.match(text, pos).end()  # type: ignore[union-attr]

    live: set[tuple[int, int]] = set()
    anywhere, named = _name_shapes(_region_ends(j))
    for shape in anywhere + named if _name_ending().search(text) else anywhere:
        live.update(run_at(m.start()) for m in shape.finditer(text))
    lists = _list_shape().finditer(text) if any(e in text for e in _list_ending_cores()) else ()
    for m in lists:  # a list may go on over runs joined by 、
        a, b = run_at(m.start())
        live.add((a, b))
        while a >= 2 and text[a - 1] == "、" and _RUN.match(text, a - 2, a - 1):
            a, b = run_at(a - 2)
            live.add((a, b))
        a, b = run_at(m.start())
        while text[b : b + 1] == "、" and _RUN.match(text, b + 1):
            a, b = run_at(b + 1)
            live.add((a, b))
    return sorted(live)


def _route(block: str, freq: dict[str, int], logtotal: float) -> list[tuple[float, int]]:
    """jieba's best route through ``block`` (``Tokenizer.get_DAG`` and ``calc`` in one pass from
    the end, with the same arithmetic, so the same route)."""
    n = len(block)
    route: list[tuple[float, int]] = [(0, 0)] * (n + 1)
    for k in range(n - 1, -1, -1):
        best: tuple[float, int] | None = None
        i, frag = k, block[k]
        while i < n and frag in freq:
            f = freq[frag]
            if f:
                cand = (log(f) - logtotal + route[i + 1][0], i)
                if best is None or cand > best:
                    best = cand
            i += 1
            frag = block[k : i + 1]
        if best is None:
            best = (log(freq.get(block[k]) or 1) - logtotal + route[k + 1][0], k)
        route[k] = best
    return route


def _flush(buf: str, freq: dict[str, int], out: list[str]) -> None:
    """Single characters gathered on jieba's route: one, a known word cut into characters, or
    an unknown one cut by the HMM (as ``Tokenizer.__cut_DAG`` does)."""
    from jieba import finalseg

    if len(buf) == 1:
        out.append(buf)
    elif not freq.get(buf):
        out.extend(finalseg.cut(buf))
    else:
        out.extend(buf)


def _cut_block(block: str, tk: Any) -> list[str]:
    """jieba's ``Tokenizer.__cut_DAG`` (accurate mode with HMM) of one block."""
    freq = tk.FREQ
    route = _route(block, freq, log(tk.total))
    out: list[str] = []
    x, buf, n = 0, "", len(block)
    while x < n:
        y = route[x][1] + 1
        word = block[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                _flush(buf, freq, out)
                buf = ""
            out.append(word)
        x = y
    if buf:
        _flush(buf, freq, out)
    return out


@lru_cache(maxsize=16384)
def _run_tokens(run: str) -> tuple[tuple[str, int, int], ...]:
    """jieba's tokens of one run, as ``Tokenizer.tokenize`` gives them (its dictionary is
    complete once loaded, so they depend on the run alone)."""
    import jieba

    tk = _tokenizer()
    words: list[str] = []
    for blk in jieba.re_han_default.split(run):
        if not blk:
            continue
        if jieba.re_han_default.match(blk):
            words.extend(_cut_block(blk, tk))
        else:
            for x in jieba.re_skip_default.split(blk):
                if jieba.re_skip_default.match(x):
                    words.append(x)
                else:
                    words.extend(x)
    out, start = [], 0
    for w in words:
        out.append((w, start, start + len(w)))
        start += len(w)
    return tuple(out)


def _mention_tokens(text: str, j: Region | None) -> list[tuple[str, int, int]]:
    """The jieba tokens of ``text`` where a mention may be; each stretch between is one blank
    token (" "), or the 、 that joins two runs of a list. ``find_mentions`` reads them as it
    would read the tokens of the whole text."""
    tokens: list[tuple[str, int, int]] = []
    pos = 0
    for a, b in _live_runs(text, j):
        if a > pos:
            tokens.append((text[pos:a] if text[pos:a] == "、" else " ", pos, a))
        tokens.extend((w, a + s, a + e) for w, s, e in _run_tokens(text[a:b]))
        pos = b
    if tokens and pos < len(text):
        tokens.append((" ", pos, len(text)))
    return tokens


def find_mentions(text: str, jurisdiction: Region | None = None) -> list[Agency]:
    """Agencies named in running text, in order of first mention, each once.

    Finds full or abbreviated names (市质监局, 国家质检总局, 厦门检验检疫局) and department lists
    (市质监、工商、农业、食药监等部门 → four agencies).
    """
    if not text.strip():
        return []
    tokens = _mention_tokens(text, jurisdiction)
    words = [w for w, _, _ in tokens]
    out: list[Agency] = []
    seen: set[tuple[str, str]] = set()
    i = 0
    finals = _final_chars()
    ends = [w[-1:] in finals for w in words]
    prefixes, departments = _list_prefixes(jurisdiction), _tables().departments  # what a list opens with
    size = len(tokens)
    while i < size:
        hit: list[Agency] = []
        nxt = i + 1
        word = words[i]
        if _PUNCT.match(word[:1] or " ") or word in _LEADING:
            i += 1
            continue
        opens = word in prefixes or word in departments
        listed = _department_list(tokens, words, i, text, jurisdiction) if opens else None
        if listed is not None and listed[0]:
            hit = listed[0]
            while nxt < size and tokens[nxt][1] < listed[1]:
                nxt += 1
        else:
            for k in range(min(size, i + 6), i, -1):
                if not ends[k - 1]:
                    continue
                s = "".join(words[i:k])
                after = text[tokens[k - 1][2] : tokens[k - 1][2] + 1]
                agency = _mention(s, after, jurisdiction) if _mention_viable(s, after) else None
                if agency is not None:
                    hit, nxt = [agency], k
                    break
        for agency in hit:
            key = (agency.name, agency.kind)
            if key not in seen:
                seen.add(key)
                out.append(agency)
        i = nxt
    return out
