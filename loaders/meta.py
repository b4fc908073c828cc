"""A notice's own facts: its number, title, issuers, dates, type, level and region.

Pure functions over the cleaned text; ``extract.extract_notice`` calls them. The layout
knowledge is data: ``data/meta_fields.json`` (metadata tables), ``data/meta_organs.json`` (what an
organ name, a relative name and an addressee line look like), ``data/meta_levels.json`` (how a
notice without header or signature speaks of itself: 全省, 我市, 县直, 各省（自治区、直辖市）…),
``data/doctypes.json`` and ``data/national_units.json`` (national organs, and 司/局 units signing
by their bare name). A 转发 cover notice (``forward_cover``) is signed and dated by its own block
or bare date line above the forwarded text.

Other loaders are used when present: ``regions`` (place names), ``agencies`` (normalization of
organ names) and ``codes`` (机关代字 → issuer); without them the facts they give are None.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from types import ModuleType
from typing import Any

from policykg.loaders import dates, docnumber
from policykg.loaders.models import Agency, DocNumber, Level, Region

__all__ = [
    "Header",
    "fields",
    "header",
    "own_number",
    "own_title",
    "promulgated_in_text",
    "issuers",
    "signature",
    "doc_date",
    "published_date",
    "doctype",
    "title_organs",
    "organ_facts",
    "issuer_from_code",
    "level_region",
    "addressee_level",
    "national_unit",
    "header_organs",
    "print_line",
    "doctype_suffixes",
    "order_issuer",
    "is_organ",
    "addressee_line",
    "self_level",
    "self_region",
    "self_named_title",
    "Forward",
    "forward_cover",
]

_CJK = "\u4e00-\u9fff"
_SP = "[ \\t\\u3000\\u00a0]"
_TOP_LINES = 15
_TITLE_MAX = 90
_NATIONAL_FALLBACK = Region("中华人民共和国", "national", None, "100000")


# -- data and optional modules ------------------------------------------------------------------


@cache
def _data(name: str) -> Any:
    with resources.files("policykg.loaders").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _module(name: str) -> ModuleType | None:
    """A sibling loader module, or None while it does not exist."""
    try:
        return importlib.import_module(f"policykg.loaders.{name}")
    except ImportError:
        return None


def _national() -> Region:
    regions = _module("regions")
    return getattr(regions, "NATIONAL", None) or _NATIONAL_FALLBACK


@cache
def _organ_rx() -> re.Pattern[str]:
    return re.compile(_data("meta_organs.json")["organ"]["regex"])


@cache
def _national_rxs() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(o["regex"]) for o in _data("national_units.json")["organs"])


def _squeeze(s: str) -> str:
    """Spaces dropped between Chinese characters (国 家 能 源 局 → 国家能源局)."""
    return re.sub(f"(?<=[{_CJK}]){_SP}+(?=[{_CJK}])", "", s.strip())


def is_organ(name: str) -> bool:
    """Whether ``name`` looks like the name of an issuing organ."""
    return bool(_organ_rx().match(_squeeze(name)))


# -- metadata fields -----------------------------------------------------------------------------


@cache
def _label_rx() -> re.Pattern[str]:
    # A label opens the text or follows a space: tested after its first character, as "not a
    # character other than a space before it", so that the regex engine skips to where one starts.
    alts = []
    for entry in sorted(_data("meta_fields.json")["labels"], key=lambda e: -len(e["label"])):
        label = entry["label"]
        alts.append(re.escape(label[0]) + "(?<![^\\s].)" + "".join(f"{_SP}*{re.escape(c)}" for c in label[1:]))
    return re.compile(f"(?P<label>{'|'.join(alts)}){_SP}*[：:]?")


@cache
def _label_field() -> dict[str, str | None]:
    return {e["label"]: e["field"] for e in _data("meta_fields.json")["labels"]}


def fields(text: str, limit: int = 2500) -> dict[str, str]:
    """The metadata fields in the head of ``text``: field → value as written (first one wins).

    A value runs to the next label or the end of its line; a label alone on its line takes the
    next line (gov.cn's table). The head ends at the addressee line: labels below it belong to
    the body (a list of repealed documents with their 文号).
    """
    head = text[:limit]
    pos = 0
    for raw in head.split("\n"):
        if _is_addressee(raw.strip()):
            head = head[:pos]
            break
        pos += len(raw) + 1
    found = list(_label_rx().finditer(head))
    out: dict[str, str] = {}
    for i, m in enumerate(found):
        field = _label_field().get(re.sub(f"{_SP}", "", m.group("label")))
        end = found[i + 1].start() if i + 1 < len(found) else len(head)
        rest = head[m.end() : end]
        if rest.strip(" \t\u3000\u00a0").startswith("\n") or not rest.split("\n", 1)[0].strip():
            value = rest.strip().split("\n", 1)[0] if rest.strip() else ""
        else:
            value = rest.split("\n", 1)[0]
        value = _field_value(field, value.strip())
        if field and value and field not in out:
            out[field] = value
    return out


def _field_value(field: str | None, value: str) -> str:
    """A date or number field keeps only its date or number (one-line tables run on)."""
    if field in ("date", "published"):
        found = dates.find_dates(value)
        return value[found[0][1][0] : found[0][1][1]] if found else ""
    if field == "number":
        found = docnumber.find_all(value)
        return found[0].surface if found else value
    return value


# -- header lines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The top of a notice above its addressee line or first paragraph."""

    lines: tuple[tuple[str, int], ...]  # (line stripped, offset of the line in the text)


@lru_cache(maxsize=16)  # asked for by several facts of the same notice
def header(text: str) -> Header:
    """The lines above the addressee line (各…：) or the first long paragraph, at most 15."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        line = raw.strip()
        offset = pos + (len(raw) - len(raw.lstrip()))
        pos += len(raw) + 1
        if not line:
            continue
        if len(out) >= _TOP_LINES or _is_addressee(line) or len(line) > _TITLE_MAX + 30:
            break
        out.append((line, offset))
    return Header(tuple(out))


def _is_addressee(line: str) -> bool:
    if line.startswith(("各省、自治区", "省、自治区、直辖市")) and re.search("[：:]", line[:160]):
        return True  # an addressee line that runs on into the first paragraph
    return (
        line.endswith(("：", ":"))  # lines come stripped
        and not _label_rx().search(line)
        and (line.startswith("各") or len(line) > 8)
    )


def addressee_line(text: str) -> str | None:
    """The addressee line (各区人民政府,市直各委、办、局…:) near the top, if any."""
    for raw in text[:4000].split("\n"):
        line = raw.strip()
        if _is_addressee(line) and len(line) < 400:
            return re.split("[：:]", line, maxsplit=1)[0] + "："
    return None


def addressee_level(text: str) -> Level | None:
    """The issuer's level as implied by whom the notice addresses (各省、自治区、直辖市… → national)."""
    line = addressee_line(text)
    if not line:
        return None
    for entry in _data("meta_organs.json")["addressees"]:
        if re.search(entry["regex"], line):
            return entry["level"]
    return None


# -- level and region from self-references ------------------------------------------------------

_LOCAL: tuple[Level, ...] = ("county", "municipal", "provincial")
_SELF_SCAN = 30000  # characters of a notice read for its self-references and places
_PLACE_LEVELS: dict[str, tuple[str, ...]] = {
    "provincial": ("provincial", "municipal"),
    "municipal": ("provincial", "municipal"),
    "county": ("provincial", "municipal", "county"),  # the province or city resolves 朝阳区, 鼓楼区
}


@cache
def _level_cues() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((c["level"], c["strength"], re.compile(c["regex"])) for c in _data("meta_levels.json")["cues"])


@cache
def _levels_rx(name: str) -> re.Pattern[str]:
    return re.compile(_data("meta_levels.json")[name]["regex"])


def self_level(text: str) -> Level | None:
    """The level a notice implies by how it speaks of itself and its addressees: 全省/我省/省直
    /省X厅 → provincial; 全市/我市/市直/市X局/各区县 → municipal; 全县/县直 → county; 全区/我区 →
    county, or provincial in an autonomous region; 各省（自治区、直辖市） → national; 我国 and
    党中央、国务院 count for a third, as local notices echo them (``data/meta_levels.json``)."""
    head = text[:_SELF_SCAN]
    weights = _data("meta_levels.json")["weights"]
    counts = dict.fromkeys(("national", "provincial", "municipal", "county", "district"), 0.0)
    for level, strength, rx in _level_cues():
        n = len(rx.findall(head))
        counts[level] += n * weights[strength] if level == "national" else n
    if counts["district"]:
        counts["provincial" if _levels_rx("autonomous").search(head) else "county"] += counts["district"]
    best: Level | None = None
    for level in (*_LOCAL, "national"):  # a tie goes to the more local level
        if counts[level] and (best is None or counts[level] > counts[best]):
            best = level  # type: ignore[assignment]
    return best


def self_region(text: str, level: Level) -> tuple[Level, Region | None]:
    """The region of a notice of ``level`` that does not name its issuer: the place of that level
    it names most often (counting the places inside it), a place in 结合X实际 counting extra. A
    直辖市 is provincial even where the notice says 全市 or 我市."""
    if level == "national":
        return level, _national()
    regions = _module("regions")
    if regions is None:
        return level, None
    head = text[:_SELF_SCAN]
    wanted = {level} | ({"provincial"} if level == "municipal" else set())
    municipalities = set(getattr(regions, "MUNICIPALITIES", ()))
    score: dict[Region, int] = {}
    first: dict[Region, int] = {}

    def credit(region: Region | None, weight: int, at: int) -> None:
        while region is not None:
            if region.level in wanted and (region.level == level or region.name in municipalities):
                score[region] = score.get(region, 0) + weight
                first.setdefault(region, at)
            region = regions.parent(region)

    found = regions.mentions(head, _PLACE_LEVELS[level])
    if not any(r.level == level or r.name in municipalities for r, _ in found) and level != "county":
        found += regions.mentions(head, ("county",))  # only districts named (浦东新区, 闵行区)
    for region, (at, _) in found:
        credit(region, 1, at)
    around = [r for r, _ in found if r.level != "county"]
    within = max(around, key=around.count) if around else None  # resolves 朝阳区 of 结合朝阳区实际
    practice = _data("meta_levels.json")["practice"]
    for m in _levels_rx("practice").finditer(head):
        place = m.group("place").removeprefix("本").removeprefix("我")
        credit(regions.lookup(place, within) if len(place) >= 2 else None, practice["weight"], m.start())
    if not score:
        return level, None
    best = max(score, key=lambda r: (score[r], -first[r]))
    return (best.level if best.name in municipalities else level), best


# -- own number ----------------------------------------------------------------------------------


def own_number(text: str, flds: dict[str, str] | None = None) -> DocNumber | None:
    """The notice's own 发文字号 where it states it: a 发文字号/文号 field, or a header line that
    is a number (alone, in brackets, before the 《title》, or an order's 第N号 under 令) —
    never a number cited in the text."""
    flds = fields(text) if flds is None else flds
    if "number" in flds:
        d = docnumber.parse(flds["number"]) or next(iter(docnumber.find_all(flds["number"])), None)
        if d is not None:
            return _respan(d, text)
    lines = header(text).lines
    for i, (line, offset) in enumerate(lines):
        bare = line.strip("（）() ")
        d = docnumber.parse(bare)
        if d is not None and _squeeze(bare).startswith(_squeeze(d.surface)[:2]):
            return _respan(d, text, offset)
        if d is not None and is_organ(_squeeze(bare[: bare.find(d.surface)])):
            return _respan(d, text, offset)  # 交通运输部发改基础〔2018〕1886号: glued to the last organ
        found = docnumber.find_all(line)
        if found and found[0].span[0] == 0 and line[found[0].span[1] :].lstrip().startswith("《"):
            return _respan(found[0], text, offset)
        if _is_order_head(line) and i + 1 < len(lines):
            nxt, nxt_offset = lines[i + 1]
            d = docnumber.parse(line + nxt.strip("（）() "))
            if d is not None:  # 上海市人民政府令 / （第19号）: the span covers both lines
                end = nxt_offset + len(nxt)
                return DocNumber(d.canonical, d.code, d.year, d.serial, text[offset:end], (offset, end))
    return None


def _respan(d: DocNumber, text: str, near: int = 0) -> DocNumber:
    """``d`` with the span of its surface in ``text`` (searched from ``near``)."""
    at = text.find(d.surface, near)
    if at < 0:
        return d
    return DocNumber(d.canonical, d.code, d.year, d.serial, d.surface, (at, at + len(d.surface)))


# -- title ---------------------------------------------------------------------------------------


@cache
def _doctype_suffixes() -> tuple[tuple[str, str], ...]:
    pairs = [(s, t["type"]) for t in _data("doctypes.json")["types"] for s in t["suffixes"]]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def doctype_suffixes() -> tuple[str, ...]:
    """Every title ending that names a document type (通知, 实施方案, 行动计划 …)."""
    return tuple(suffix for suffix, _ in _doctype_suffixes())


_TRAILING_BRACKET = re.compile("(?:[（(][^（()）]{1,20}[)）]|〔[^〔〕]{1,20}〕)$")


def doctype(title: str | None) -> str | None:
    """The document type a title ends with (通知, 实施意见, 方案, 行动计划, 工作要点 …)."""
    if not title:
        return None
    t = title.strip().strip("《》")
    while _TRAILING_BRACKET.search(t):
        t = _TRAILING_BRACKET.sub("", t).rstrip()
    for suffix, kind in _doctype_suffixes():
        if t.endswith(suffix):
            return kind
    return None


def _titleish(line: str) -> bool:
    """Whether a line reads as a title: short, no sentence punctuation (outside quotes and
    《》), balanced 《》, ending in a document type."""
    s = line.strip()
    if s.startswith("《") and s.endswith("》"):
        s = s[1:-1]
    bare = re.sub("“[^”]*”|《[^》]*》|<[^>]*>|〈[^〉]*〉", "", s)
    if not s or len(s) > _TITLE_MAX or re.search("[。；;！？，,：:]", bare) or s.count("《") != s.count("》"):
        return False
    if docnumber.parse(s) is not None or dates.parse_date(s) is not None:
        return False
    return doctype(s) is not None and len(s) >= 4


def _mid_sentence(prev: str) -> bool:
    """Whether a line is a piece of a paragraph broken over lines (so the next is no title)."""
    return len(prev) >= 20 and bool(re.search(f"[{_CJK}，、（(“]$", prev))


def own_title(text: str, flds: dict[str, str] | None = None) -> str | None:
    """The notice's title: the 标题 field, the 《…》 of a header line (after its number), the
    first header line (or lines joined, with an edition in brackets on the next line) that reads
    as a title ending in a document type, else the name it gives itself (制定《X》。)."""
    flds = fields(text) if flds is None else flds
    if flds.get("title") and _titleish(flds["title"]):
        return _clean_title(flds["title"])
    lines = [line for line, _ in header(text).lines]
    for i, line in enumerate(lines):
        if _label_rx().match(line) or _is_order_head(line) or (i and _mid_sentence(lines[i - 1])):
            continue
        rest = line
        d = next(iter(docnumber.find_all(line)), None)
        if d is not None and d.span[0] == 0:
            rest = line[d.span[1] :].strip()
        if rest.startswith("《") and rest.endswith("》") and _titleish(rest):
            return _clean_title(rest[1:-1])
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        opened = re.search("关于|印发|转发", rest) or rest.count("《") > rest.count("》")
        tail = _TRAILING_BRACKET.sub("", nxt)
        if (
            nxt
            and not _titleish(rest)
            and (opened or not _titleish(nxt) or len(tail) <= 10)
            and len(rest) >= 4
        ):
            joined = rest + nxt
            if _titleish(joined) and not re.search("[，,。：:]", rest):
                return _clean_title(joined)
            wrapped = _wrapped_title(rest, lines[i + 1 : i + 5])
            if wrapped:
                return wrapped
        if _titleish(rest):
            if _is_edition(nxt):  # 国家智能制造标准体系建设指南 / （2021 版）
                return _clean_title(rest + nxt)
            return _clean_title(rest)
    return self_named_title(text)


_QUALIFIER = re.compile("^[（(][^（）()。，；：,;:]{1,16}[)）]$")


def _is_edition(line: str) -> bool:
    """A line that only qualifies the title above it: （2021 版）, （试行）, （征求意见稿）; not a
    number, a date or a note such as （此件公开发布）, （…会议通过）."""
    return (
        bool(_QUALIFIER.match(line))
        and not docnumber.find_all(line)
        and not dates.find_dates(line)
        and not re.search("公开|发布|印发|通过|删减|摘要", line)
    )
_SELF_NAMED = re.compile("(?:特|现)?(?:研究)?(?:制定|编制|制订)(?:了)?《(?P<t>[^《》\n]{2,80})》[。\n]")


def self_named_title(text: str) -> str | None:
    """The title a notice without a title line gives itself in its opening: "…，制定《X》。"."""
    m = _SELF_NAMED.search(text, 0, 1500)
    return m.group("t") if m else None


def _wrapped_title(first: str, after: list[str]) -> str | None:
    """A title wrapped over three to five lines (国务院办公厅转发国家教委 / 关于内地西藏班（校）
    扩大规模 / 有关问题请示的通知): the lines joined read as a title saying 关于/印发/转发, and
    no line before the last is a title, a number, a date or a sentence by itself."""
    joined = first
    for k, line in enumerate(after):
        if (k == 0 and _titleish(joined)) or re.search("[，,。：:；;]", joined) or len(joined) > _TITLE_MAX:
            return None
        if docnumber.parse(line) is not None or dates.parse_date(line) is not None or _label_rx().match(line):
            return None
        joined += line
        goes_on = k + 1 < len(after) and after[k + 1].startswith("的")  # …办法》 / 的通知
        if k >= 1 and not goes_on and _titleish(joined) and re.search("关于|印发|转发|批转", joined):
            return _clean_title(joined)
    return None


def _is_order_head(line: str) -> bool:
    """An order's heading line (上海市人民政府令, 中华人民共和国商务部令): not the title."""
    return line.endswith("令") and len(line) <= 30 and is_organ(line[:-1] + "局")


def _clean_title(t: str) -> str:
    t = re.sub("\u3000+", "\u3000", re.sub("[ \t\u00a0]+", " ", t)).strip()
    if t.startswith("《") and t.endswith("》"):
        t = t[1:-1]
    return t


_PROMULGATED_IN_TEXT = re.compile(
    "现将《(?P<a>[^》\\n]{2,120})》(?:[^。\\n]{0,20})?(?:印发|转发|发布|予以公布|公布)"
    "|《(?P<b>[^》\\n]{2,120})》已经[^。\\n]{0,40}(?:同意|通过|审定|批准)[，,]?\\s*现(?:予)?(?:印发|发布|公布|转发)"
    "|制定了《(?P<c>[^》\\n]{2,120})》[，,]?\\s*现(?:印发|发布)"
)


def promulgated_in_text(text: str) -> str | None:
    """X of "现将《X》印发给你们" / "《X》已经市政府研究同意,现印发给你们" in the cover letter."""
    m = _PROMULGATED_IN_TEXT.search(text[:3000])
    if not m:
        return None
    return next(g for g in m.groups() if g)


# -- a cover notice that forwards another body's document -----------------------------------------


@dataclass(frozen=True)
class Forward:
    """A 转发 cover notice: where its statement (现将…转发给你们) stands, where the cover ends (after
    its own date line; None when it has none) and whether the forwarder adopts the text as its
    own (X已经国务院同意，现转发给你们; 批转; a 请示)."""

    statement: tuple[int, int]
    end: int | None
    adopted: bool
    date: date | None = None


@cache
def _forward_rx(key: str) -> re.Pattern[str]:
    return re.compile(_data("citation_cues.json")["forward"][key])


@lru_cache(maxsize=16)
def forward_cover(text: str) -> Forward | None:
    """The 转发 statement of a cover notice near the top of ``text``, with the cover's end: its
    first date line after the statement (a bare date line counts), else None."""
    m = _forward_rx("regex").search(text, 0, 4000)
    if m is None:
        return None
    start = max(text.rfind(c, 0, m.start()) for c in "。\n") + 1
    stop = min((i for i in (text.find(c, m.end()) for c in "。\n") if i >= 0), default=len(text))
    adopted = bool(_forward_rx("adopted").search(text, start, stop))
    pos = text.find("\n", m.end())
    end, when = None, None
    while 0 <= pos < len(text) and pos - m.end() < 3000:
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1 : nxt if nxt >= 0 else len(text)].strip()
        if line and len(re.sub("\\s", "", line)) <= 24:
            d = dates.parse_date(line)
            if d is not None:
                end, when = (nxt if nxt >= 0 else len(text)), d
                break
        pos = nxt
    return Forward((m.start(), m.end()), end, adopted, when)


# -- organs: title prefixes, signatures, facts ---------------------------------------------------


def title_organs(title: str) -> list[str]:
    """The organ names a title starts with: 福建省人民政府办公厅关于… → [福建省人民政府办公厅];
    中共中央、国务院关于… → two; 中共广东省委、广东省人民政府印发<…>的通知 → two."""
    t = title.strip().strip("《》")
    m = re.search("关于|印发|转发|颁布|发布|对(?=.*(?:建议|提案|议案)的(?:答复|复函)$)", t)
    if not m or m.start() < 2:
        return []
    names = [_squeeze(p) for p in re.split(f"[、，,]|{_SP}+", t[: m.start()]) if p.strip()]
    return names if names and all(is_organ(n) for n in names) else []


def signature(text: str) -> tuple[list[str], date | None, tuple[int, int] | None]:
    """The first signature block: organ lines right above a line that is a date. Returns
    (organ names, date, span of the date line). A person's title line (省长 罗清泉) counts as
    a signature without organ. A 转发 cover is signed by its own block (or a bare date line)
    above the forwarded text."""
    fw = forward_cover(text)
    if fw is not None and fw.end is not None:  # a 转发 cover: its own signature, not the forwarded one's
        organs, d, span = _signature(text[: fw.end])
        return list(organs), d or fw.date, span
    organs, d, span = _signature(text)
    return list(organs), d, span


_SIGNED = re.compile("签发$")


@lru_cache(maxsize=16)
def _signature(text: str) -> tuple[tuple[str, ...], date | None, tuple[int, int] | None]:
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((raw.strip(), pos + len(raw) - len(raw.lstrip())))
        pos += len(raw) + 1
    person = re.compile(_data("meta_organs.json")["signature_person"]["regex"])
    for i, (line, offset) in enumerate(lines):
        d = dates.parse_date(_SIGNED.sub("", line) if "签发" in line else line) if line else None
        if d is None or _label_rx().search(lines[i - 1][0] if i else ""):
            continue
        organs: list[str] = []
        j, seen = i - 1, 0
        while j >= 0 and seen < _SIGNATURE_LINES:
            prev = lines[j][0]
            if not prev:
                j -= 1
                continue
            if person.match(prev) and not organs:
                return (), d, (offset, offset + len(line))
            parts = _organ_parts(prev)
            if parts:
                organs[:0] = parts
                j, seen = j - 1, seen + 1
                continue
            break
        if organs:
            organs += _later_blocks(lines, i + 1)
            return tuple(_merge_units(organs)), d, (offset, offset + len(line))
    return (), None, None


_SIGNATURE_LINES = 12  # organ lines of one signature block, at most


def _later_blocks(lines: list[tuple[str, int]], k: int) -> list[str]:
    """The organs of the signature blocks right below a first one (a joint notice signed by
    each issuer with its own date line): organ lines, each group closed by a date line."""
    out: list[str] = []
    block: list[str] = []
    while k < len(lines) and len(block) < _SIGNATURE_LINES:
        line = lines[k][0]
        k += 1
        if not line:
            continue
        parts = _organ_parts(line)
        if parts:
            block += parts
        elif block and dates.parse_date(line) is not None:
            out += block
            block = []
        else:
            break
    return out


def _organ_parts(line: str) -> list[str]:
    """The organ names of a signature or header line (several for a joint notice), else []."""
    line = re.sub("^[（(](.+?)代章[)）]$", "\\1", line.strip())
    whole = _squeeze(line)
    if not whole or len(whole) > 60 or not is_organ(whole):
        return []
    groups = [_squeeze(g) for g in re.split("[ \t\u00a0]{2,}|\u3000+", line) if g.strip()]
    if len(groups) > 1 and all(len(g) >= 3 and is_organ(g) for g in groups):
        return groups  # 中 央 网 信 办    国 家 发 展 改 革 委: letter-spaced names, wider gaps between
    parts = [_squeeze(p) for p in re.split(f"{_SP}+", line) if p.strip()]
    if len(parts) > 1 and all(is_organ(p) and len(p) >= 3 for p in parts):
        return parts
    return [whole] if len(whole) <= 30 else []


def _merge_units(names: list[str]) -> list[str]:
    """A bare unit on the line below its organ is part of it (国家自然科学基金委员会 / 国际合作局)."""
    out: list[str] = []
    for n in names:
        bare = not _region_start(n) and not _is_national(n) and _relative_level(n) is None
        if (
            out
            and bare
            and re.search("(?:司|局|处|办公室|办公厅)$", n)
            and national_unit(n, None, None) is None
        ):
            out[-1] += n
        else:
            out.append(n)
    return out


def _region_start(name: str) -> bool:
    region = _region_in(name)
    return region is not None


def _standalone_dates(text: str) -> list[tuple[date, str]]:
    out = []
    for raw in text.split("\n"):
        line = raw.strip()
        if 6 <= len(re.sub("\\s", "", line)) <= 24:
            d = dates.parse_date(line)
            if d is not None:
                out.append((d, line))
    return out


def doc_date(text: str, flds: dict[str, str] | None = None) -> date | None:
    """成文日期: the date under the signature, else the 成文日期 field, else the last line that is
    a date."""
    flds = fields(text) if flds is None else flds
    _, d, _ = signature(text)
    if d is not None:  # the date under the signature wins over a table's 成文日期
        return d
    if flds.get("date"):
        found = dates.find_dates(flds["date"])
        if found:
            return found[0][0]
    lonely = _standalone_dates(text[2500:] if len(text) > 5000 else text)
    return lonely[-1][0] if lonely else None


def published_date(text: str, flds: dict[str, str] | None = None) -> date | None:
    """The publication date where given apart from the 成文日期: a 发布日期/发布时间 field, a
    "…2015年7月16日印发" print line, or the web page's date line at the top."""
    flds = fields(text) if flds is None else flds
    if flds.get("published"):
        found = dates.find_dates(flds["published"])
        if found:
            return found[0][0]
    m = re.search(
        f"(?:发布日期|发布时间){_SP}*[：:]?{_SP}*(\\d{{4}}[-年./]\\d{{1,2}}[-月./]\\d{{1,2}}日?)", text
    )
    if m:  # a page footer: 发布日期：2008-04-25
        return dates.parse_date(m.group(1))
    _, printed = print_line(text)
    if printed is not None:
        return printed
    for line, _ in header(text).lines[:6]:
        m = re.match(
            "^(?:日期[：:])?\\s*(\\d{4}-\\d{1,2}-\\d{1,2})(?:\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)?", line
        )
        if m:
            return dates.parse_date(m.group(1))
    return None


@lru_cache(maxsize=16)
def print_line(text: str) -> tuple[str | None, date | None]:
    """The colophon's print line (厦门市人民政府办公厅2015年7月16日印发): (printing organ, date)."""
    for raw in reversed(text.split("\n")):
        line = raw.strip()
        if not line.endswith("印发") or len(line) > 60:
            continue
        found = dates.find_dates(line)
        if not found:
            continue
        d, (start, end) = found[-1]
        if line[end:].strip() != "印发":
            continue
        organ = _squeeze(line[:start]) or None
        return (organ if organ and is_organ(organ) else None), d
    return None, None


def national_unit(name: str, year: int | None, addressees: str | None) -> str | None:
    """The full name of a national unit signing by its bare name (质量管理司 → 国家质量监督检验
    检疫总局质量管理司 in 2015), chosen by the year and the addressees."""
    for unit in _data("national_units.json")["units"]:
        if unit["unit"] != name:
            continue
        periods = unit["periods"]
        fit = [p for p in periods if addressees and re.search(p["addressees"], addressees)]
        dated = [
            p
            for p in (fit or periods)
            if year is None or (p["from"] <= year and (p["to"] is None or year <= p["to"]))
        ]
        pick = dated or fit
        if pick:
            return pick[0]["name"]
    return None


def _is_national(name: str) -> bool:
    return any(rx.search(name) for rx in _national_rxs())


def _region_in(name: str) -> Region | None:
    """The most specific region named at the start of an organ name (厦门市人民政府 → 厦门市)."""
    regions = _module("regions")
    if regions is None:
        return None
    lead = len(name) - len(name.removeprefix("中共"))  # 中共广东省委: the party committee of 广东省
    try:
        found = regions.find(name[lead:])
    except Exception:
        return None
    best = None
    for region, span in found:
        if span[0] > (best[1][1] if best else 0):
            break
        best = (region, span)
    return best[0] if best else None


def _relative_level(name: str) -> Level | None:
    for entry in _data("meta_organs.json")["relative"]:
        if re.search(entry["regex"], name):
            return entry["level"]
    return None


def organ_facts(surface: str, context: Region | None = None) -> tuple[Agency, Level | None, Region | None]:
    """An organ name as an Agency with its level and region.

    National organs (国务院, ministries, 国家…局) → national; a name starting with a place
    (福建省人民政府办公厅) → that place; a relative name (省政府, 市委) → the level it implies,
    and ``context`` as region when the levels agree.
    """
    name = _squeeze(surface)
    region = _region_in(name)
    level: Level | None = None
    if region is not None:
        level = region.level
    elif _is_national(name):
        region, level = _national(), "national"
    else:
        level = _relative_level(name)
        if level is not None and context is not None and context.level == level:
            region = context
    return _agency(name, region), level, region


def _agency(name: str, region: Region | None) -> Agency:
    agencies = _module("agencies")
    if agencies is not None:
        try:
            return agencies.normalize_agency(name, region)
        except Exception:
            pass
    kind = "government" if re.search("(?:人民政府|^国务院)$", name) else "agency"
    return Agency(name=name, kind=kind, region=region, surface=name)


def issuer_from_code(code: str) -> tuple[Agency, Level | None, Region | None] | None:
    """The issuer a 机关代字 stands for (国办发 → 国务院办公厅), from ``codes`` when present."""
    codes = _module("codes")
    if codes is None:
        return None
    try:
        guess = codes.issuer_for_code(code)
    except Exception:
        return None
    if guess is None:
        return None
    region = guess.region
    if guess.level == "national" and region is None:
        region = _national()
    return _agency(guess.name, region), guess.level, region


def issuers(
    text: str,
    title: str | None,
    flds: dict[str, str] | None = None,
    context: Region | None = None,
) -> list[str]:
    """Issuing organ names as written: the 发文机关 field, else the title's leading names
    (A、B关于…), else the header's or the signature's organs, else the 发布机构 field, else the
    organ of the closing print line."""
    flds = fields(text) if flds is None else flds
    if flds.get("issuer"):
        names = [_squeeze(p) for p in re.split(f"[、，,]|{_SP}+", flds["issuer"]) if p.strip()]
        if names and all(is_organ(n) for n in names):
            return names
    if title:
        names = title_organs(title)
        signed = signature(text)[0]
        if names and len(signed) > len(names) and "".join(signed) == "".join(names):
            return signed  # 国家发展改革委国家能源局关于…: the title runs the issuers together
        if names:
            return names
        summary = _summarised_rx().match(title.strip("《》"))
        if summary:  # X等9部门关于…: the departments are listed elsewhere
            listed = header_organs(text) or signed or _listed_after(text, summary.group("lead"))
            if len(listed) >= 2:
                return listed
            if is_organ(summary.group("lead")):
                return [_squeeze(summary.group("lead"))]
    names = header_organs(text)
    if names:
        return names
    names, _, _ = signature(text)
    if names:
        return names
    if flds.get("publisher") and is_organ(flds["publisher"]):
        return [_squeeze(flds["publisher"])]
    printer, _ = print_line(text)  # 国家标准化管理委员会 2020年8月4日印发, closing an unsigned text
    office = re.compile(_data("meta_organs.json")["print_office"]["regex"])
    return [printer] if printer and not office.search(printer) else []


@cache
def _summarised_rx() -> re.Pattern[str]:
    return re.compile(_data("meta_organs.json")["summarised"]["regex"])


def _listed_after(text: str, lead: str) -> list[str]:
    """The longest 、-list of organ names in ``text`` that starts with ``lead`` (工业和信息化部、
    国家发展改革委、…等九部门联合印发)."""
    best: list[str] = []
    for m in re.finditer(re.escape(lead), text):
        run = re.split("[，,。；;：:\n等]", text[m.start() : m.start() + 400], maxsplit=1)[0]
        names = [_squeeze(p) for p in re.split("、", run) if p.strip()]
        last = names[-1] if names else ""  # …保障厅联合制定了: the last name ends where an organ does
        names[-1:] = [next((last[:k] for k in range(2, len(last) + 1) if is_organ(last[:k])), last)]
        if len(names) > len(best) and all(is_organ(n) for n in names):
            best = names
    return best


def header_organs(text: str) -> list[str]:
    """Organ lines at the top of a notice printed as 文件 (济南市工业和信息化局 / 济南市公安局 …)."""
    names: list[str] = []
    for line, _ in header(text).lines:
        parts = _organ_parts(line)
        if parts:
            names.extend(parts)
            continue
        if names:  # the last organ with the number glued to it: 交通运输部发改基础〔2018〕1886号
            glued = next(iter(docnumber.find_all(line)), None)
            before = _squeeze(line[: glued.span[0]]) if glued and not line[glued.span[1] :].strip() else ""
            if before and is_organ(before):
                names.append(before)
            break
    return names


def order_issuer(number: DocNumber | None) -> str | None:
    """The organ that issues an order or announcement: 湖北省人民政府令第282号 → 湖北省人民政府."""
    if number is None or docnumber.kind(number) == "number":
        return None
    organ = re.sub("(?:令|公告)$", "", number.code)
    return organ if is_organ(organ) else None


def level_region(
    organs: list[str], title: str | None, number: DocNumber | None, text: str
) -> tuple[Level | None, Region | None]:
    """Level and region of a notice: from its first issuer, else a place at the start of its
    title, else its number's 机关代字, else the level its addressees, a relative issuer name or
    its self-references imply (region: the place of that level it names most), else the place
    its first line names."""
    for name in organs:
        _, level, region = organ_facts(name)
        if level is not None and region is not None:
            return level, region
    if title:
        region = _region_in(_squeeze(title))
        if region is not None:
            return region.level, region
        for name in title_organs(title):
            if _is_national(name):
                return "national", _national()
    if number is not None:
        guess = issuer_from_code(number.code)
        if guess is not None and guess[1] is not None:
            return guess[1], guess[2]
    printer, _ = print_line(text)
    if printer is not None:  # the office that prints a notice belongs to the issuer's government
        _, level, region = organ_facts(printer)
        if level is not None and region is not None:
            return level, region
    level = addressee_level(text)
    if level == "national":
        return level, _national()
    if level is None and organs:
        level = organ_facts(organs[0])[1]  # a relative name: 市水务局
    level = level or self_level(text)
    if level is None:
        return _first_line_place(text)
    return self_region(text, level)


def _first_line_place(text: str) -> tuple[Level | None, Region | None]:
    """The place named in the first line of a text that says nothing else of its level
    (2012年上海公共文化信息中心“三公”经费预算情况表 → 上海市): that place's level and itself."""
    regions = _module("regions")
    first = next((line.strip() for line in text[:500].split("\n") if line.strip()), "")
    if len(first) > 60 or re.search("[。，,；;]", first):
        return None, None  # a sentence (a news item's 在北京召开), not a title line
    found = regions.mentions(first) if regions is not None and first else []
    if not found:
        return None, None
    region = found[0][0]
    return region.level, region
