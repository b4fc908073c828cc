"""Synthetic policy notices for benchmarks: text files shaped like real ones, with their truth.

    .venv/bin/python bench/generate.py --count 1000 --seed 1 -o /tmp/notices

Notices come in implementation chains, national → (ministry →) provincial → municipal → county,
3 to 5 documents deep: each cites its superior (and sometimes the superior's own superior) by
《title》(发文字号) in an opening 为贯彻落实/根据/按照 sentence. Region and agency names come from
the project's gazetteers (``loaders/data``): regions with their GB/T 2260 hierarchy, province
简称, 机关代字 seen in real numbers, department names and their abbreviations, national bodies.
Each notice has 10–40 numbered tasks in the layouts of the seed notices (一、 sections with (一)
or 1. items, goal sections that hold no tasks, 保障措施), responsibility clauses in their usual
shapes, a signature and a Chinese date, and is 5–40 KB long. 发文字号 are written in every
bracket style (〔〕 [] 【】 () （） ﹝﹞), sometimes with a stray space or full-width digits; a
tenth of the files are GB18030.

Output: ``DIR/NNN/NNNNNN.txt`` (a thousand per folder) and ``DIR/manifest.jsonl``, one line of
truth per notice (number, issuer, level, region, date, citations with the files they name,
tasks with labels and roles) in file order. Everything is a function of ``--seed``; the first
N notices of a larger run are the N notices of a smaller one. Memory stays flat: one
implementation tree (at most about 1,100 notices of small records) is held at a time.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from policykg.loaders import regions as gazetteer
from policykg.loaders.agencies import qualified  # full names start with it (厦门市思明区)
from policykg.loaders.models import Region

MIN_BYTES, MAX_BYTES = 5 * 1024, 40 * 1024
MIN_TASKS, MAX_TASKS = 10, 40
PER_FOLDER = 1000
EXCLUDED_PROVINCES = ("71", "81", "82")  # Taiwan, Hong Kong, Macao: no notices of this kind
BRACKETS = (("〔", "〕"), ("[", "]"), ("【", "】"), ("(", ")"), ("（", "）"), ("﹝", "﹞"))
SUB_PROVINCIAL = ("厦门市", "深圳市", "宁波市", "青岛市", "大连市", "广州市", "武汉市", "成都市", "西安市",
                  "南京市", "杭州市", "济南市", "沈阳市", "长春市", "哈尔滨市")  # their offices are 办公厅
NOT_GOVERNMENTS = ("开发", "园区", "高新", "管理区", "示范区", "实验区", "试验区")
VERTICAL_OR_VAGUE = ("税务", "地方金融监督管理")  # a vertical body; a name notices seldom write
HAN_DIGITS = "〇一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# -- phrase banks (synthetic wording; names of places and agencies come from the gazetteers) ----
THEMES = (
    "质量发展", "质量提升", "食品安全", "安全生产", "知识产权保护", "就业创业", "生态环境保护", "乡村振兴",
    "营商环境优化", "数字经济发展", "科技创新", "标准化", "品牌建设", "全民健身", "职业技能提升",
    "养老服务", "城市精细化管理", "节能减排", "消费升级", "外贸稳增长", "中小企业发展", "文化和旅游融合",
    "教育现代化", "基层医疗卫生服务", "水污染防治", "大气污染防治", "人才发展", "社会信用体系建设",
    "政务服务改革", "农产品质量安全", "工业互联网", "现代物流", "住房保障", "应急管理能力建设",
)
VERBS = ("加强", "推进", "深化", "完善", "健全", "提升", "强化", "实施", "开展", "推动", "加快", "建立",
         "优化", "规范", "创新", "支持", "培育", "扩大", "巩固", "夯实")
OBJECTS = ("{t}工作机制", "{t}基础设施建设", "{t}监督检查", "{t}标准体系", "{t}信息化建设", "{t}人才队伍建设",
           "重点领域{t}", "{t}宣传教育", "{t}考核评价", "{t}示范创建", "{t}政策支持", "{t}统计监测",
           "企业主体责任", "部门协同联动", "基层能力建设", "社会共治格局", "诚信体系建设", "财政资金保障",
           "信息公开工作", "区域交流合作", "{t}风险防控", "{t}公共服务平台", "{t}专项整治", "{t}科技支撑",
           "{t}法规制度", "{t}投融资机制", "{t}国际合作", "{t}试点工作")
ADVERBS = ("进一步", "积极", "全面", "大力", "切实", "认真", "持续", "着力", "稳步", "加快", "不断", "深入")
ACTIONS = ("完善", "健全", "推广", "规范", "加强", "创新", "建立", "推行", "改进", "强化", "整合", "提高")
NOUNS = ("管理制度", "服务体系", "监管能力", "评价体系", "示范项目", "重点企业", "信息共享", "督促检查",
         "技术改造", "宣传培训", "应急预案", "数据平台", "标准规范", "检验检测能力", "政策措施", "人才培养",
         "资金投入", "市场秩序", "长效机制", "协作机制", "服务质量", "基础设施", "公共服务", "社会监督",
         "追溯体系", "信用记录", "行政审批", "执法力度", "考核办法", "激励机制")
TAILS = ("形成工作合力", "提高工作效能", "确保取得实效", "推动工作常态化", "营造良好氛围",
         "增强群众获得感", "提升治理水平", "夯实发展基础", "防范化解风险", "促进高质量发展")
GOALS = ("指导思想", "主要目标", "基本原则", "总体目标")
SAFEGUARDS = ("加强组织领导", "强化督促检查", "加大资金投入", "加强宣传引导", "完善考核机制", "强化人才支撑",
              "健全工作机制", "营造良好环境")
LAWS = ("产品质量法", "食品安全法", "安全生产法", "标准化法", "环境保护法", "就业促进法", "专利法",
        "农产品质量安全法", "中小企业促进法", "科学技术进步法")
SECTIONS = ("夯实{t}基础", "突出{t}重点", "强化{t}保障", "提高{t}水平", "创新{t}机制", "扩大{t}成效",
            "完善{t}体系", "推动{t}转型")
BASIS_CUES = ("为贯彻落实", "为深入贯彻落实", "根据", "按照", "依据")
ADDRESSEES = {
    "national": "各省、自治区、直辖市人民政府,国务院各部委、各直属机构:",
    "ministry": "各省、自治区、直辖市及计划单列市、副省级城市有关部门:",
    "provincial": "各市人民政府,省人民政府各部门、各直属机构:",
    "municipal": "各县(市、区)人民政府,市人民政府各部门,各有关单位:",
    "county": "各乡镇人民政府、街道办事处,{p}直各有关单位:",
}


# -- gazetteer data ----------------------------------------------------------------------------

def _data(name: str) -> Any:
    return json.loads(resources.files("policykg.loaders").joinpath("data", name).read_text(encoding="utf-8"))


def _tsv(name: str) -> list[dict[str, str]]:
    with resources.files("policykg.loaders").joinpath("data", name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t",
                                   quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class Department:
    """A department kind: how a notice writes it (发展改革) and its full core and suffixes."""

    word: str
    core: str
    provincial: str
    municipal: str
    national: str | None


@dataclass(frozen=True)
class Gazetteer:
    provinces: tuple[Region, ...]
    children: dict[str, tuple[Region, ...]]
    abbrev: dict[str, str]
    gov_codes: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # region code → (government, office)
    ministries: tuple[tuple[str, str], ...]  # (name, 机关代字)
    national_bodies: dict[str, str]  # full name → the form national notices write
    departments: tuple[Department, ...]
    prefix_words: frozenset[str]  # one-character words read before a 发文字号, never a code's start


def _issues_notices(county: str) -> bool:
    """Whether a county-level entry has a people's government issuing notices (not 中沙群岛的岛礁及其
    海域, not a development zone run by a 管委会)."""
    return county[-1] in "县区市旗" and not any(w in county for w in NOT_GOVERNMENTS)


@cache
def gazetteer_data() -> Gazetteer:
    """Regions, codes and agency names from ``policykg.loaders`` data, read once."""
    all_regions = [r for r in gazetteer.regions() if not (r.code or "").startswith(EXCLUDED_PROVINCES)
                   and (r.level != "county" or _issues_notices(r.name))]
    children: dict[str, list[Region]] = {}
    for r in all_regions:
        parent = gazetteer.parent(r)
        if parent is not None and parent.code:
            children.setdefault(parent.code, []).append(r)
    abbrev = {row["name"]: row["abbrev"].split("|")[0] for row in _tsv("regions_abbrev.tsv")}
    gov: dict[str, tuple[list[str], list[str]]] = {}
    names = {r.code: r.name for r in all_regions}
    bodies = {b["name"]: b for b in _data("agency_national.json")["bodies"]}
    ministries: dict[str, str] = {}
    for row in _tsv("issuer_codes.tsv"):
        code, issuer = row["code"], row["issuer"]
        if any(w in code for w in ("函", "便", "令", "提案", "公告", "规", "字")) or len(code) > 5:
            continue
        if row["level"] != "national" and names.get(row["region_code"]) and issuer == names[row["region_code"]] + "人民政府":
            slot = gov.setdefault(row["region_code"], ([], []))
            slot[1 if code.endswith("办") else 0].append(code)
        elif (row["level"] == "national" and issuer in bodies and not bodies[issuer].get("nongov")
              and not issuer.startswith("国务院") and int(row["support"]) >= 2):
            ministries.setdefault(issuer, code)
    national_forms = {}
    for name, body in bodies.items():
        if body.get("nongov") or body.get("kind") == "government" or name.startswith(("国务院", "中央")):
            continue
        forms = body.get("national_aliases") or [a for a in body.get("aliases", []) if len(a) > 2] or [name]
        national_forms[name] = forms[0] if name.startswith("国家") and len(forms[0]) < len(name) else name
    departments = tuple(
        Department(d["words"][0], d["core"], d["provincial"], d["municipal"], d.get("national"))
        for d in _data("agency_departments.json")["departments"]
        if d.get("provincial") and d.get("municipal") and d["core"] not in VERTICAL_OR_VAGUE
    )
    return Gazetteer(
        provinces=tuple(r for r in all_regions if r.level == "provincial"),
        children={k: tuple(v) for k, v in children.items()},
        abbrev=abbrev,
        gov_codes={k: (tuple(sorted(set(v[0]))), tuple(sorted(set(v[1])))) for k, v in gov.items()},
        ministries=tuple(sorted(ministries.items())),
        national_bodies=national_forms,
        departments=departments,
        prefix_words=frozenset(w for key in ("words", "organ_unsafe")
                               for w in _data("docnumber_prefix_words.json")[key] if len(w) == 1),
    )


# -- the documents of a tree -------------------------------------------------------------------

@dataclass
class Doc:
    """One notice's facts, decided before its text is written."""

    id: int
    tree: int
    level: str  # national | provincial | municipal | county
    region: Region | None
    issuer: str
    kind: str  # national | ministry | provincial | municipal | county (the addressee set)
    title: str
    promulgates: str | None
    number: str | None  # canonical
    code: str | None
    date: date
    theme: str
    parents: list[Doc] = field(default_factory=list)
    depth: int = 0


def _short(region: Region) -> str:
    name = region.name
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _prefix(region: Region) -> str:
    """What a notice puts before a department of its own region: 省, 自治区, 市, 州, 盟, 地区, 县, 区, 旗."""
    name = region.name
    if region.level == "provincial":
        return "自治区" if name.endswith("自治区") else "市" if name.endswith("市") else "省"
    if region.level == "municipal":
        for ending, prefix in (("自治州", "州"), ("地区", "地区"), ("盟", "盟")):
            if name.endswith(ending):
                return prefix
        return "市"
    last = name[-1]
    return last if last in "县区市旗" else "县"


class Numbers:
    """Serial numbers per (机关代字, year), increasing as real ones do."""

    def __init__(self) -> None:
        self.next: dict[tuple[str, int], int] = {}

    def take(self, rng: random.Random, code: str, year: int) -> str:
        serial = self.next.get((code, year)) or rng.randint(1, 40)
        self.next[(code, year)] = serial + rng.randint(1, 6)
        return f"{code}〔{year}〕{serial}号"


def _gov_code(rng: random.Random, g: Gazetteer, region: Region, office: bool) -> str:
    known = g.gov_codes.get(region.code or "")
    if known and known[1 if office else 0]:
        return rng.choice(known[1 if office else 0])
    if region.level == "provincial":
        head = g.abbrev.get(region.name) or _short(region)[0]
    else:  # a character of the name that is not a word read before numbers (如: "such as")
        head = next((c for c in _short(region) if c not in g.prefix_words), _short(region)[0])
    return f"{head}政{'办' if office else ''}"


def _office_name(region: Region) -> str:
    """The general office of a region's government: 办公厅 for provinces and sub-provincial cities."""
    big = region.level == "provincial" or region.name in SUB_PROVINCIAL
    return f"{region.name}人民政府{'办公厅' if big else '办公室'}"


def _plan_kind(rng: random.Random, year: int) -> tuple[str, str]:
    """(plan name tail, doctype) for a promulgated plan."""
    return rng.choice([
        (f"{year}年行动计划", "行动计划"),
        (f"三年行动计划({year}-{year + 2}年)", "行动计划"),
        ("实施方案", "方案"),
        (f"{year}年工作要点", "工作要点"),
        ("专项行动方案", "方案"),
    ])


class TreeBuilder:
    """Builds one implementation tree: its documents in the order they are written (parents first)."""

    def __init__(self, seed: int, tree: int, numbers: Numbers, first_id: int) -> None:
        self.rng = random.Random(f"{seed}:{tree}")
        self.tree = tree
        self.g = gazetteer_data()
        self.numbers = numbers
        self.next_id = first_id
        self.theme = THEMES[(tree * 7 + seed) % len(THEMES)]
        self.year = 2008 + (tree * 3 + seed) % 16
        self.variant = tree // len(THEMES)  # keeps titles apart when a theme comes back

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _tag(self) -> str:
        return "" if self.variant == 0 else f"(第{self.variant + 1}批)"

    def _date_after(self, d: date) -> date:
        return d + timedelta(days=self.rng.randint(15, 200))

    def root(self) -> Doc:
        rng, t, y = self.rng, self.theme, self.year
        d = date(y, rng.randint(1, 10), rng.randint(1, 28))
        if rng.random() < 0.5:
            issuer, code = "国务院", "国发"
            plan = f"{t}纲要({y}-{y + 10}年){self._tag()}"
        else:
            issuer, code = "国务院办公厅", "国办发"
            plan = f"{t}{y}年行动计划{self._tag()}"
        title = f"{issuer}关于印发{plan}的通知"
        return Doc(self._id(), self.tree, "national", gazetteer.NATIONAL, issuer, "national", title, plan,
                   self.numbers.take(rng, code, y), code, d, t)

    def ministry(self, parent: Doc) -> Doc:
        rng = self.rng
        name, code = rng.choice(self.g.ministries)
        d = self._date_after(parent.date)
        plan = f"贯彻实施{parent.promulgates or self.theme}{d.year}年工作要点"
        title = f"{name}关于印发{plan}的通知"
        return Doc(self._id(), self.tree, "national", gazetteer.NATIONAL, name, "ministry", title, plan,
                   self.numbers.take(rng, code, d.year), code, d, self.theme, [parent], parent.depth + 1)

    def local(self, region: Region, parent: Doc) -> Doc:
        rng = self.rng
        d = self._date_after(parent.date)
        office = rng.random() < 0.6
        issuer = qualified(region) + (_office_name(region) if office else f"{region.name}人民政府")[len(region.name):]
        code = _gov_code(rng, self.g, region, office)
        if rng.random() < 0.65:
            tail, _ = _plan_kind(rng, d.year)
            plan = f"{region.name}贯彻{self.theme}{tail}{self._tag()}"
            title, promulgates = f"{issuer}关于印发{plan}的通知", plan
        else:
            verb = rng.choice(("推进", "加快", "深入开展", "全面加强", "进一步做好"))
            title, promulgates = f"{issuer}关于{verb}{self.theme}工作{self._tag()}的实施意见", None
        number = None if rng.random() < 0.08 else self.numbers.take(rng, code, d.year)
        parents = [parent] + ([parent.parents[0]] if parent.parents and rng.random() < 0.35 else [])
        return Doc(self._id(), self.tree, region.level, region, issuer, region.level, title, promulgates,
                   number, code, d, self.theme, parents, parent.depth + 1)

    def docs(self) -> Iterator[Doc]:
        """The tree, depth first: root, (ministry), provinces, their cities, their counties."""
        rng, g = self.rng, self.g
        big = rng.random() < 0.06  # a flagship policy, implemented almost everywhere
        root = self.root()
        yield root
        top = root
        if rng.random() < 0.3:
            top = self.ministry(root)
            yield top
        provinces = list(g.provinces) if big else rng.sample(g.provinces, rng.randint(2, 8))
        for province in provinces:
            p = self.local(province, top)
            yield p
            below = g.children.get(province.code or "", ())
            cities = [c for c in below if c.level == "municipal"]
            counties_direct = [c for c in below if c.level == "county"]  # 直辖市 districts
            if cities:
                for city in rng.sample(cities, min(len(cities), rng.randint(6, 12) if big else rng.randint(0, 4))):
                    m = self.local(city, p)
                    yield m
                    counties = g.children.get(city.code or "", ())
                    for county in rng.sample(counties, min(len(counties), rng.randint(2, 5) if big else rng.randint(0, 3))):
                        yield self.local(county, m)
            elif counties_direct:
                for county in rng.sample(counties_direct, min(len(counties_direct), rng.randint(2, 8) if big else rng.randint(0, 4))):
                    yield self.local(county, p)


# -- writing a notice --------------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    """Per-notice writing choices."""

    full_punct: bool
    layout: str  # promulgate | direct | table
    tasks: str  # han_paren | arabic
    clauses: str  # resp | lead | labels | first_leads
    restart: bool  # task numbers restart in each section


def _han_number(n: int) -> str:
    units = "一二三四五六七八九"
    if n < 10:
        return units[n - 1]
    if n < 20:
        return "十" + (units[n - 11] if n > 10 else "")
    return units[n // 10 - 1] + "十" + (units[n % 10 - 1] if n % 10 else "")


def _han_date(d: date) -> str:
    year = "".join(HAN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_han_number(d.month)}月{_han_number(d.day)}日"


def write_number(rng: random.Random, canonical: str) -> str:
    """A 发文字号 as a notice might write it: any bracket style, a stray space, full-width digits."""
    code, rest = canonical.split("〔", 1)
    year, serial = rest.split("〕", 1)
    left, right = rng.choice(BRACKETS)
    if rng.random() < 0.1:
        year, serial = year.translate(FULL_WIDTH), serial.translate(FULL_WIDTH)
    space = " " if rng.random() < 0.08 else ""
    return f"{code}{space}{left}{year}{right}{serial}"


class NoticeWriter:
    """Writes the text of one notice and its truth."""

    def __init__(self, doc: Doc, seed: int, attempt: int = 0, scale: float = 1.0) -> None:
        self.doc = doc
        self.rng = random.Random(f"{seed}:notice:{doc.id}:{attempt}")
        self.g = gazetteer_data()
        rng = self.rng
        self.encoding = "gb18030" if rng.random() < 0.1 else "utf-8"
        self.target = scale * MIN_BYTES * (MAX_BYTES / MIN_BYTES) ** rng.random()  # bytes on disk
        self.char_bytes = 2 if self.encoding == "gb18030" else 3
        national = doc.level == "national"
        self.style = Style(
            full_punct=rng.random() < 0.5,
            layout=rng.choice(("promulgate", "direct", "table")) if doc.promulgates else "direct",
            tasks=rng.choice(("han_paren", "arabic")),
            clauses=rng.choice(("first_leads", "resp", "lead")) if national else
            rng.choice(("resp", "lead", "labels", "first_leads")),
            restart=rng.random() < 0.3,
        )
        self.citations: list[dict[str, Any]] = []
        self.tasks: list[dict[str, Any]] = []
        self._pool = self._agency_pool()

    # punctuation
    def p(self, text: str) -> str:
        return text.translate(str.maketrans("(),:;", "（），：；")) if self.style.full_punct else text

    def _agency_pool(self) -> list[tuple[str, str]]:
        """(as written, full name) of the agencies this notice assigns tasks to."""
        rng, doc = self.rng, self.doc
        if doc.level == "national":
            bodies = sorted(self.g.national_bodies.items())
            chosen = rng.sample(bodies, min(len(bodies), rng.randint(12, 22)))
            return [(written, name) for name, written in chosen]
        region = doc.region
        assert region is not None
        prefix = _prefix(region)
        level = "provincial" if region.level == "provincial" else "municipal"
        pool = []
        for dep in rng.sample(self.g.departments, min(len(self.g.departments), rng.randint(12, 22))):
            suffix = getattr(dep, level)
            short = "委" if suffix == "委员会" else suffix
            written = f"{prefix}{dep.word}{short}"
            full = f"{qualified(region)}{dep.core}{suffix}"
            pool.append((full if rng.random() < 0.1 else written, full))
        seen: dict[str, tuple[str, str]] = {}
        for written, full in pool:
            seen.setdefault(full, (written, full))
        return list(seen.values())

    # sentences
    def sentence(self, theme: str) -> str:
        rng = self.rng
        shape = rng.random()
        if shape < 0.55:
            return (f"{rng.choice(ADVERBS)}{rng.choice(ACTIONS)}{theme}{rng.choice(NOUNS)},"
                    f"{rng.choice(ACTIONS)}{rng.choice(NOUNS)},{rng.choice(TAILS)}。")
        if shape < 0.8:
            return (f"围绕{theme}{rng.choice(NOUNS)},{rng.choice(ADVERBS)}{rng.choice(ACTIONS)}"
                    f"{rng.choice(NOUNS)}和{rng.choice(NOUNS)}。")
        return (f"到{self.doc.date.year + rng.randint(1, 3)}年,{theme}{rng.choice(NOUNS)}"
                f"{rng.choice(('覆盖率', '达标率', '满意度', '合格率'))}达到{rng.randint(80, 99)}%以上。")

    def clause(self, roles: list[tuple[str, str, str]], first: bool) -> str:
        """A responsibility clause for (written, full, role) agencies."""
        style = self.style.clauses
        names = [w for w, _, _ in roles]
        if style == "resp":
            etc = "等" if len(names) > 2 and self.rng.random() < 0.5 else ""
            return self.p(f"({'、'.join(names)}{etc}按职责分工负责)")
        if style == "lead":
            lead, rest = names[0], names[1:]
            if not rest:
                return self.p(f"({lead}牵头)")
            verb = self.rng.choice(("参加", "配合", "参与"))
            return self.p(f"({lead}牵头,{'、'.join(rest)}{verb})")
        if style == "labels":
            lead, rest = names[0], names[1:]
            text = f"牵头部门:{lead}"
            if rest:
                text += f";参与部门:{'、'.join(rest)}"
            return self.p(text + "。")
        text = f"({'、'.join(names)}负责"
        return self.p(text + ("。列第一位者为牵头单位)" if first else ")"))

    def roles_for(self, n: int) -> list[tuple[str, str, str]]:
        """(written, full, role) of ``n`` agencies under the notice's clause style."""
        chosen = self.rng.sample(self._pool, min(n, len(self._pool)))
        style = self.style.clauses
        out = []
        for i, (written, full) in enumerate(chosen):
            if style == "resp":
                role = "responsible"
            elif style == "first_leads":
                role = "lead" if i == 0 else "responsible"
            else:
                role = "lead" if i == 0 else "participating"
            out.append((written, full, role))
        return out

    # parts
    def cite(self, parent: Doc, kind: str = "basis") -> str:
        rng = self.rng
        by_plan = parent.promulgates is not None and rng.random() < 0.4
        title = parent.promulgates if by_plan else parent.title
        number = parent.number if rng.random() < 0.9 else None
        self.citations.append({"title": title, "number": number, "kind": kind, "doc": parent.id})
        if number is None:
            return f"《{title}》"
        return f"《{title}》" + self.p("(") + write_number(rng, number) + self.p(")")

    def opening(self) -> str:
        doc, rng = self.doc, self.rng
        cue = rng.choice(BASIS_CUES)
        cited = [self.cite(p) for p in doc.parents]
        joined = "、".join(cited[:-1]) + "和" + cited[-1] if len(cited) > 1 else cited[0]
        tail = {"为贯彻落实": "精神", "为深入贯彻落实": "精神", "根据": "要求", "按照": "部署", "依据": "规定"}[cue]
        here = {"national": "全国", "provincial": "我省", "municipal": "我市", "county": "本地"}[doc.level]
        end = ",现提出如下实施意见:" if "实施意见" in doc.title else f",制定本{'方案' if '方案' in doc.title else '计划'}。"
        return cue + joined + self.p(f"{tail},进一步做好{doc.theme}工作,结合{here}实际{end}")

    def body(self, budget: int) -> str:
        """The numbered parts: goals (no tasks), work sections with tasks, 保障措施 (items without a
        responsibility clause: no tasks)."""
        rng, t = self.rng, self.doc.theme
        n_tasks = rng.randint(MIN_TASKS, MAX_TASKS)
        n_safeguards = rng.randint(2, 4) if n_tasks > 12 else 0  # items besides the tasks
        n_work = n_tasks
        n_sections = max(1, min(6, n_work // rng.randint(3, 6)))
        split = sorted(rng.sample(range(1, n_work), n_sections - 1)) if n_sections > 1 else []
        sizes = [b - a for a, b in zip([0, *split], [*split, n_work], strict=True)]
        per_task = max(60, budget // max(1, n_tasks) // self.char_bytes)  # characters per task
        lines: list[str] = []
        section_no = 0
        ordinal = 0
        with_goals = rng.random() < 0.5
        if with_goals:
            section_no += 1
            lines.append(f"{_han_number(section_no)}、总体要求")
            for i, goal in enumerate(rng.sample(GOALS, 2), 1):
                lines.append(self.p(self._label(i, goal_part=True)) + f"{goal}。" + self.sentence(t) + self.sentence(t))
        headings = rng.sample([(v, o.format(t=t)) for v in VERBS for o in OBJECTS], n_work)
        sections = rng.sample(SECTIONS, min(len(SECTIONS), len(sizes)))
        first_clause = True
        for size, section in zip(sizes, sections, strict=True):
            section_no += 1
            lines.append(f"{_han_number(section_no)}、{section.format(t=t)}")
            for i in range(1, size + 1):
                ordinal += 1
                verb, obj = headings.pop()
                heading = f"{verb}{obj}"
                text = self._task_text(t, per_task)
                roles = self.roles_for(rng.randint(1, 5))
                clause = self.clause(roles, first_clause)
                first_clause = False
                label = self._label(i if self.style.restart else ordinal)
                self.tasks.append({"label": self.p(label), "heading": heading,
                                   "roles": [[full, role] for _, full, role in roles]})
                if self.style.clauses == "labels":
                    lines.append(f"{self.p(label)}{heading}。{text}")
                    lines.append(clause)
                else:
                    lines.append(f"{self.p(label)}{heading}。{text}{clause}")
        if n_safeguards:
            section_no += 1
            lines.append(f"{_han_number(section_no)}、保障措施")
            for i, heading in enumerate(rng.sample(SAFEGUARDS, n_safeguards), 1):
                ordinal += 1
                label = self._label(i if self.style.restart else ordinal)  # no clause: no task
                lines.append(f"{self.p(label)}{heading}。{self._task_text(t, per_task // 2)}")
        return "\n".join(lines)

    def _label(self, n: int, goal_part: bool = False) -> str:
        if self.style.tasks == "han_paren" or goal_part:
            return f"({_han_number(n)})"
        return f"{n}."

    def _task_text(self, theme: str, chars: int) -> str:
        rng = self.rng
        parts: list[str] = []
        size = 0
        while size < chars or not parts:
            s = self.sentence(theme)
            parts.append(s)
            size += len(s)
        if rng.random() < 0.08:
            law = rng.choice(LAWS)
            title = f"中华人民共和国{law}"
            self.citations.append({"title": title, "number": None, "kind": "mention", "doc": None})
            parts.insert(1 if len(parts) > 1 else 0, f"严格执行《{title}》有关规定,{rng.choice(TAILS)}。")
        elif rng.random() < 0.04 and self.doc.region is not None:
            title = f"{self.doc.region.name}{theme}促进条例"
            self.citations.append({"title": title, "number": None, "kind": "draft", "doc": None})
            parts.append(f"研究起草《{title}》,适时提请审议。")
        return "".join(parts)

    def signature(self) -> str:
        d = self.doc.date
        written = _han_date(d) if self.rng.random() < 0.2 else f"{d.year}年{d.month}月{d.day}日"
        return f"{self.doc.issuer}\n{written}"

    def text(self) -> str:
        doc, rng, style = self.doc, self.rng, self.style
        number = write_number(rng, doc.number) if doc.number else None
        addressees = ADDRESSEES[doc.kind].format(p=_prefix(doc.region) if doc.region else "")
        closing = (f"各地、各部门要加强对{doc.theme}工作的组织领导和统筹协调,结合各自实际,"
                   "制定方案、细化任务,明确时限和要求,确保各项任务落到实处。")
        head: list[str] = []
        if style.layout == "promulgate":
            if number and rng.random() < 0.3:
                head.append(f"{number}《{doc.title}》")
            head.append(doc.title)
            if number:
                head.append(number)
            head.append(self.p(addressees))
            head.append(self.p(f"《{doc.promulgates}》已经{self._approver()}同意,现印发给你们,请认真贯彻执行。"))
            head.append(self.signature())
            head.append(doc.promulgates or "")
        elif style.layout == "table":
            published = doc.date + timedelta(days=rng.randint(1, 9))
            head.append(doc.title)
            head.append(f"发布机关 {doc.issuer} 成文日期 {doc.date.year}年{doc.date.month:02d}月{doc.date.day:02d}日 "
                        f"标 题 {doc.title} 发文字号 {number or ''} 发布时间 "
                        f"{published.year}年{published.month:02d}月{published.day:02d}日")
            head.append(self.p(addressees))
        else:
            head.append(doc.title)
            if number:
                head.append(number)
            head.append(self.p(addressees))
        opening = self.opening() if doc.parents else self.p(
            f"为{rng.choice(ADVERBS)}推进{doc.theme}工作,{rng.choice(TAILS)},现就有关事项通知如下:")
        used = (sum(len(x) for x in head) + len(opening) + len(closing) + 60) * self.char_bytes
        body = self.body(int(self.target) - used)
        parts = [*head, opening, body, closing]
        if style.layout != "promulgate":
            parts.append(self.signature())
        elif rng.random() < 0.5:
            parts.append(f"{doc.issuer}{doc.date.year}年{doc.date.month}月{doc.date.day}日印发")
        return "\n".join(p for p in parts if p) + "\n"

    def _approver(self) -> str:
        return {"national": "国务院", "ministry": "部领导", "provincial": "省人民政府",
                "municipal": "市人民政府"}.get(self.doc.kind, f"{_prefix(self.doc.region)}人民政府" if self.doc.region else "")

    def truth(self, path: str, size: int) -> dict[str, Any]:
        doc = self.doc
        return {
            "file": path, "id": doc.id, "tree": doc.tree, "depth": doc.depth, "encoding": self.encoding, "bytes": size,
            "number": doc.number, "title": doc.title, "promulgates": doc.promulgates, "issuer": doc.issuer,
            "level": doc.level, "region": doc.region.name if doc.region else None,
            "region_code": doc.region.code if doc.region else None,
            "date": doc.date.isoformat(), "citations": self.citations, "tasks": self.tasks,
        }


# -- the stream --------------------------------------------------------------------------------

def documents(count: int, seed: int = 1) -> Iterator[Doc]:
    """The first ``count`` documents of the stream for ``seed``, in file order."""
    numbers = Numbers()
    made = 0
    tree = 0
    while made < count:
        builder = TreeBuilder(seed, tree, numbers, made)
        for doc in builder.docs():
            if made >= count:
                return
            yield doc
            made += 1
        tree += 1


def write_notice(doc: Doc, seed: int) -> tuple[NoticeWriter, bytes]:
    """The notice of ``doc`` encoded, between 5 and 40 KB (a notice that comes out too short or
    too long is written again, from its own random stream, with a corrected length)."""
    scale = 1.0
    for attempt in range(8):
        writer = NoticeWriter(doc, seed, attempt, scale)
        data = writer.text().encode(writer.encoding)
        if MIN_BYTES <= len(data) <= MAX_BYTES:
            return writer, data
        scale *= (MAX_BYTES * 0.9 if len(data) > MAX_BYTES else MIN_BYTES * 1.15) / len(data)
    raise RuntimeError(f"notice {doc.id}: cannot fit {MIN_BYTES}-{MAX_BYTES} bytes")


def relative_path(doc_id: int) -> str:
    return f"{doc_id // PER_FOLDER:03d}/{doc_id:06d}.txt"


def generate(out_dir: str | Path, count: int, seed: int = 1, *, progress: bool = False) -> dict[str, Any]:
    """Write ``count`` notices and ``manifest.jsonl`` under ``out_dir``; returns totals."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for doc in documents(count, seed):
            writer, data = write_notice(doc, seed)
            rel = relative_path(doc.id)
            path = out / rel
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            total += len(data)
            manifest.write(json.dumps(writer.truth(rel, len(data)), ensure_ascii=False) + "\n")
            if progress and (doc.id + 1) % 1000 == 0:
                print(f"{doc.id + 1} notices, {total / 1e6:.0f} MB", file=sys.stderr)
    return {"notices": count, "bytes": total, "dir": str(out)}


def read_manifest(out_dir: str | Path) -> Iterator[dict[str, Any]]:
    with (Path(out_dir) / "manifest.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="how many notices")
    parser.add_argument("--seed", type=int, default=1, help="the seed (same seed, same files)")
    parser.add_argument("-o", "--out", required=True, help="the folder to write")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    totals = generate(args.out, args.count, args.seed, progress=not args.quiet)
    if not args.quiet:
        print(f"{totals['notices']} notices, {totals['bytes'] / 1e6:.1f} MB in {totals['dir']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
