"""Responsibility clauses: shapes, roles, the first-listed-leads convention, finding clauses in text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policykg.loaders import responsibility
from policykg.loaders.models import ROLES, Region
from policykg.loaders.responsibility import find_clauses, parse_clause, states_first_leads

DATA = Path(responsibility.__file__).parent / "data"

XIAMEN = Region("厦门市", "municipal", "福建省", None, "福建省")
JIAOZUO = Region("焦作市", "municipal", "河南省", None, "河南省")
ZHANJIANG = Region("湛江市", "municipal", "广东省", None, "广东省")
LIAONING = Region("辽宁省", "provincial", None, None, "辽宁省")
SHANDONG = Region("山东省", "provincial", None, None, "山东省")
QINGDAO = Region("青岛市", "municipal", "山东省", None, "山东省")
NATIONAL = Region("中华人民共和国", "national", None, "100000")
BY_NAME = {r.name: r for r in (XIAMEN, JIAOZUO, ZHANJIANG, LIAONING, SHANDONG, QINGDAO, NATIONAL)}


def roles(clause: str, region: Region | None, **kw) -> list[tuple[str, str]]:
    return [(r.agency.name, r.role) for r in parse_clause(clause, region, **kw)]


CASES = [
    (
        "（省科技厅、人民银行山东省分行牵头，省委金融办、省财政厅、金融监管总局山东监管局配合）",
        SHANDONG,
        [
            ("山东省科学技术厅", "lead"),
            ("中国人民银行山东省分行", "lead"),
            ("中共山东省委金融工作办公室", "participating"),
            ("山东省财政厅", "participating"),
            ("国家金融监督管理总局山东监管局", "participating"),
        ],
    ),
    (
        "（牵头单位：市科技局、市发展改革委，责任单位：市工业和信息化局、市自然资源和规划局）",
        Region("济南市", "municipal", "山东省", None, "山东省"),
        [
            ("济南市科学技术局", "lead"),
            ("济南市发展和改革委员会", "lead"),
            ("济南市工业和信息化局", "responsible"),
            ("济南市自然资源和规划局", "responsible"),
        ],
    ),
    (
        "（责任单位：市科技局、市工业和信息化局，青岛海洋科技中心、崂山实验室）",
        QINGDAO,
        [
            ("青岛市科学技术局", "responsible"),
            ("青岛市工业和信息化局", "responsible"),
            ("青岛海洋科技中心", "responsible"),
            ("崂山实验室", "responsible"),
        ],
    ),
    (
        "（国家卫生健康委、国务院办公厅牵头，相关部门及各地区按职责分工负责）",
        NATIONAL,
        [
            ("国家卫生健康委员会", "lead"),
            ("国务院办公厅", "lead"),
            ("相关部门", "responsible"),
            ("各地区", "responsible"),
        ],
    ),
    (
        "（商务部、民政部、国家卫生健康委等相关部门按职责分工负责）",
        NATIONAL,
        [
            ("商务部", "responsible"),
            ("民政部", "responsible"),
            ("国家卫生健康委员会", "responsible"),
            ("相关部门", "responsible"),
        ],
    ),
    (
        "（省质监局牵头，省委宣传部及省直有关部门参加）",
        LIAONING,
        [
            ("辽宁省质量技术监督局", "lead"),
            ("中共辽宁省委宣传部", "participating"),
            ("辽宁省直有关部门", "participating"),
        ],
    ),
    (
        "(省工业和信息化厅、省通信管理局分工负责)",
        SHANDONG,
        [("山东省工业和信息化厅", "responsible"), ("山东省通信管理局", "responsible")],
    ),
    (
        "（教育局、人社局、财政局按职责分工负责）",
        JIAOZUO,
        [
            ("焦作市教育局", "responsible"),
            ("焦作市人力资源和社会保障局", "responsible"),
            ("焦作市财政局", "responsible"),
        ],
    ),
    (
        "【牵头单位】：市财政局；【配合单位】：市税务局",
        QINGDAO,
        [("青岛市财政局", "lead"), ("国家税务总局青岛市税务局", "participating")],
    ),
    (
        "（市质监局牵头，市教育局协助，市政府办公厅统筹协调）",
        XIAMEN,
        [
            ("厦门市质量技术监督局", "lead"),
            ("厦门市教育局", "participating"),
            ("厦门市人民政府办公厅", "coordinating"),
        ],
    ),
]


@pytest.mark.parametrize(("clause", "region", "expected"), CASES)
def test_parse_clause(clause, region, expected):
    assert roles(clause, region) == expected


def test_seed_clauses():
    assert roles("(市教育局、市人社局、市质监局、厦门检验检疫局等按职责分工负责)", XIAMEN) == [
        ("厦门市教育局", "responsible"),
        ("厦门市人力资源和社会保障局", "responsible"),
        ("厦门市质量技术监督局", "responsible"),
        ("厦门出入境检验检疫局", "responsible"),
    ]
    found = parse_clause("(省质监局牵头,省教育厅、省住房城乡建设厅、省交通厅、省国资委参加)", LIAONING)
    assert [(r.agency.name, r.role) for r in found][0] == ("辽宁省质量技术监督局", "lead")
    assert [r.agency.surface for r in found] == [
        "省质监局",
        "省教育厅",
        "省住房城乡建设厅",
        "省交通厅",
        "省国资委",
    ]


def test_spans_point_at_surface_forms():
    clause = "牵头部门:市财政局:参与部门:市发展和改革局、湛江银保监分局。"
    found = parse_clause(clause, ZHANJIANG)
    assert [clause[a:b] for a, b in (r.span for r in found)] == [
        "市财政局",
        "市发展和改革局",
        "湛江银保监分局",
    ]
    assert [r.role for r in found] == ["lead", "participating", "participating"]
    assert found[2].agency.vertical


def test_first_listed_leads():
    clause = "（人力资源社会保障部、财政部负责。列第一位者为牵头单位）"
    assert states_first_leads(clause)
    assert roles(clause, NATIONAL) == [("人力资源和社会保障部", "lead"), ("财政部", "responsible")]
    later = "（教育部、人力资源社会保障部负责）"
    assert roles(later, NATIONAL) == [("教育部", "responsible"), ("人力资源和社会保障部", "responsible")]
    assert roles(later, NATIONAL, first_leads=True) == [
        ("教育部", "lead"),
        ("人力资源和社会保障部", "responsible"),
    ]
    # an explicit lead wins over the convention; a group never becomes the lead
    assert roles("（工业和信息化部牵头，财政部负责）", NATIONAL, first_leads=True)[0] == (
        "工业和信息化部",
        "lead",
    )
    assert roles("（各地区、财政部负责）", NATIONAL, first_leads=True)[0] == ("各地区", "responsible")


def test_first_leads_shapes():
    cue = json.loads((DATA / "role_cues.json").read_text(encoding="utf-8"))
    pattern = re.compile(cue["first_leads"])
    for example in cue["first_leads_examples"]:
        assert pattern.fullmatch(example), example
    assert states_first_leads("（省委教育工委、省委宣传部、团省委负责，列第一位者为牵头部门，下同）")
    assert not states_first_leads("（省委教育工委负责）")


@pytest.mark.parametrize(
    "text",
    [
        "（以下简称协调委）",
        "（不含任务或课题负责人）",
        "（以联合体形式申报时，牵头单位填写）",
        "（联合体牵头人名称）",
        "（由企业负责）",
        "",
    ],
)
def test_not_clauses(text):
    assert parse_clause(text, NATIONAL) == []


def test_role_cues_examples():
    cue = json.loads((DATA / "role_cues.json").read_text(encoding="utf-8"))
    roles_allowed = {"lead", "responsible", "participating", "coordinating", "guiding"}
    assert all(x["role"] in roles_allowed for x in cue["labels"] + cue["verbs"])
    for ex in cue["examples"]:
        region = BY_NAME[ex["jurisdiction"]]
        assert [list(x) for x in roles(ex["clause"], region)] == ex["roles"], ex["clause"]


def test_find_clauses_in_text():
    text = (
        "（一）开展专项整治。加强监管（重点是食品）。（质监局、工商局负责）\n"
        "（二）加强计量建设。\n　　责任单位：市市场监管局、市科技局\n"
        "（三）做好宣传（以下简称宣传工作）。\n"
        "（四）推进认证。牵头单位：省科技厅；配合单位：省财政厅。\n"
    )
    found = find_clauses(text)
    assert [c.text for c in found] == [
        "（质监局、工商局负责）",
        "责任单位：市市场监管局、市科技局",
        "牵头单位：省科技厅；配合单位：省财政厅。",
    ]
    assert all(text[a:b] == c.text for c, (a, b) in zip(found, (c.span for c in found), strict=True))


# ---------------------------------------------------------------- shapes beyond the common ones
# Invented places and agencies (the regions are given, so nothing depends on the gazetteer).

YUNFENG = Region("云峰市", "municipal", "江西省", None, "江西省")
HUBEI = Region("湖北省", "provincial", None, "420000", "湖北省")
QINGSHUI = Region("清水县", "county", "云峰市", None, "江西省")


def surfaces(clause: str, region: Region | None, **kw) -> list[tuple[str, str]]:
    return [(r.agency.surface, r.role) for r in parse_clause(clause, region, **kw)]


SHAPES = [
    (  # labels of four roles in one clause, 支撑单位 supporting
        "（牵头责任单位：市发展改革局；责任单位：市财政局、市统计局；配合单位：市税务局；支撑单位：市信息中心）",
        YUNFENG,
        [
            ("市发展改革局", "lead"),
            ("市财政局", "responsible"),
            ("市统计局", "responsible"),
            ("市税务局", "participating"),
            ("市信息中心", "participating"),
        ],
    ),
    (  # 牵头承办 / 协办 as verbs
        "（市商务局牵头承办，市财政局、市市场监管局协办）",
        YUNFENG,
        [("市商务局", "lead"), ("市财政局", "participating"), ("市市场监管局", "participating")],
    ),
    (  # …as labels
        "牵头承办单位：县农业农村局；协办单位：县水利局、县林业局",
        QINGSHUI,
        [("县农业农村局", "lead"), ("县水利局", "participating"), ("县林业局", "participating")],
    ),
    (  # X牵头，Y、Z按职责分工负责: Y and Z responsible
        "（省民政厅牵头，省财政厅、省卫生健康委按职责分工负责）",
        HUBEI,
        [("省民政厅", "lead"), ("省财政厅", "responsible"), ("省卫生健康委", "responsible")],
    ),
    (  # guiding: a fifth role
        "（省科技厅、省教育厅指导，各市州负责）",
        HUBEI,
        [("省科技厅", "guiding"), ("省教育厅", "guiding"), ("各市州", "responsible")],
    ),
    (
        "（指导单位：市卫生健康委；责任单位：市疾控中心）",
        YUNFENG,
        [("市卫生健康委", "guiding"), ("市疾控中心", "responsible")],
    ),
    (  # a shared prefix distributed over the list
        "（省发展改革委、财政厅、自然资源厅负责）",
        HUBEI,
        [("省发展改革委", "responsible"), ("省财政厅", "responsible"), ("省自然资源厅", "responsible")],
    ),
    (  # …a party prefix too, and a list of its own after the comma
        "（市委宣传部、组织部、市文明办负责）",
        YUNFENG,
        [("市委宣传部", "responsible"), ("市委组织部", "responsible"), ("市文明办", "responsible")],
    ),
    (  # names with 和 stay whole; 和 between two complete names splits
        "（市委宣传部和市文明办牵头，市文化和旅游局、市商务和投资促进局配合）",
        YUNFENG,
        [
            ("市委宣传部", "lead"),
            ("市文明办", "lead"),
            ("市文化和旅游局", "participating"),
            ("市商务和投资促进局", "participating"),
        ],
    ),
    (
        "（国家粮食和物资储备局、国家发展改革委负责）",
        NATIONAL,
        [("国家粮食和物资储备局", "responsible"), ("国家发展改革委", "responsible")],
    ),
    (  # name endings 馆 台 院 中心 站 所 办
        "（市图书馆、市广播电视台、市气象台、市农科院、市农技推广站、市质检所、市政府办负责）",
        YUNFENG,
        [
            ("市图书馆", "responsible"),
            ("市广播电视台", "responsible"),
            ("市气象台", "responsible"),
            ("市农科院", "responsible"),
            ("市农技推广站", "responsible"),
            ("市质检所", "responsible"),
            ("市政府办", "responsible"),
        ],
    ),
    (  # a role in brackets after a name
        "（责任单位：市发展改革委（牵头）、市财政局、市统计局）",
        YUNFENG,
        [("市发展改革委", "lead"), ("市财政局", "responsible"), ("市统计局", "responsible")],
    ),
    (  # labels without their punctuation between them
        "（牵头单位：市发改委　配合单位：市财政局，完成时限：2025年底）",
        YUNFENG,
        [("市发改委", "lead"), ("市财政局", "participating")],
    ),
    (  # 会同 names the lead; a name holding 联合 stays whole
        "（由县城管局会同县住建局、县公安局负责）",
        QINGSHUI,
        [("县城管局", "lead"), ("县住建局", "participating"), ("县公安局", "participating")],
    ),
    ("（县工商联合会、县联合办负责）", QINGSHUI, [("县工商联合会", "responsible"), ("县联合办", "responsible")]),
    (  # an action word after the role verb
        "（市发展改革委牵头推进，市财政局、市统计局配合实施）",
        YUNFENG,
        [("市发展改革委", "lead"), ("市财政局", "participating"), ("市统计局", "participating")],
    ),
    (  # groups stay groups, written over a 、
        "（责任单位：市住房城乡建设局，各区、市政府）",
        YUNFENG,
        [("市住房城乡建设局", "responsible"), ("各区、市政府", "responsible")],
    ),
    (
        "（责任单位：县交通运输局，有关乡、镇政府）",
        QINGSHUI,
        [("县交通运输局", "responsible"), ("有关乡、镇政府", "responsible")],
    ),
]


@pytest.mark.parametrize(("clause", "region", "expected"), SHAPES)
def test_clause_shapes(clause, region, expected):
    assert surfaces(clause, region) == expected
    groups = {r.agency.surface for r in parse_clause(clause, region) if r.agency.kind == "group"}
    assert groups == {s for s, _ in expected if s.startswith(("各", "有关"))}


def test_shared_prefix_gives_the_full_names():
    names = [r.agency.name for r in parse_clause("（省发展改革委、财政厅、自然资源厅负责）", HUBEI)]
    assert names == ["湖北省发展和改革委员会", "湖北省财政厅", "湖北省自然资源厅"]
    # a provincial department listed after a provincial one in a city's notice stays provincial
    city = parse_clause("（省农业农村厅、林业局牵头，市农业农村局配合）", YUNFENG)
    assert [r.agency.name for r in city][:2] == ["江西省农业农村厅", "江西省林业局"]
    # bodies with a name of their own take no prefix
    mixed = parse_clause("（省科技厅、人民银行湖北省分行、中国科学院武汉分院负责）", HUBEI)
    assert [r.agency.surface for r in mixed] == ["省科技厅", "人民银行湖北省分行", "中国科学院武汉分院"]


@pytest.mark.parametrize(
    "statement",
    [
        "列第一位者为牵头单位",
        "列第一位者为牵头责任单位",
        "列第一位者为牵头部门",
        "排在第一位的为牵头单位",
        "排在首位的部门为牵头部门",
        "排列第一的单位为牵头单位",
        "列首位的为牵头部门",
    ],
)
def test_first_leads_wordings(statement):
    clause = f"（市民政局、市财政局、市卫生健康委负责，{statement}，下同）"
    assert states_first_leads(clause)
    assert surfaces(clause, YUNFENG) == [
        ("市民政局", "lead"),
        ("市财政局", "responsible"),
        ("市卫生健康委", "responsible"),
    ]


def test_first_leads_carried_forward_and_others_role():
    # a later clause under the convention: the first leads, a single agency leads
    assert surfaces("（县财政局、县审计局负责）", QINGSHUI, first_leads=True) == [
        ("县财政局", "lead"),
        ("县审计局", "responsible"),
    ]
    assert surfaces("（县审计局负责）", QINGSHUI, first_leads=True) == [("县审计局", "lead")]
    # the others' role when the convention names it
    assert surfaces("（省交通运输厅、省公安厅负责，排在首位的为牵头单位，其余为配合单位）", HUBEI) == [
        ("省交通运输厅", "lead"),
        ("省公安厅", "participating"),
    ]
    # a group's name holding 牵头 is not a lead, and a group never takes the lead
    assert surfaces("（省发展改革委、省“强链”工作专班牵头部门负责）", HUBEI, first_leads=False) == [
        ("省发展改革委", "responsible"),
        ("省“强链”工作专班牵头部门", "responsible"),
    ]
    assert surfaces("（各市州、省财政厅负责）", HUBEI, first_leads=True)[1] == ("省财政厅", "lead")


def test_cue_data_examples():
    cue = json.loads((DATA / "role_cues.json").read_text(encoding="utf-8"))
    others = re.compile(cue["others"])
    for example in cue["others_examples"]:
        m = others.fullmatch(example)
        assert m and m.group(1) in cue["others_roles"], example
    assert set(cue["others_roles"].values()) <= set(ROLES)


# ---------------------------------------------------------------- roles stated in a task's text


def test_statement_examples():
    cue = json.loads((DATA / "role_cues.json").read_text(encoding="utf-8"))["statements"]
    assert {role for _, role in cue["verbs"]} <= set(ROLES)
    for text, expected in cue["examples"]:
        found = responsibility.stated_roles(text, 0, len(text), None)
        assert [[text[a:b], r.role] for r, (a, b) in zip(found, (r.span for r in found), strict=True)] == expected


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        (
            "（三）完善标准体系。由县市场监管局牵头，县工信局、县住建局参与，年底前出台实施细则。",
            QINGSHUI,
            [("清水县市场监督管理局", "lead"), ("清水县工业和信息化局", "participating"),
             ("清水县住房和城乡建设局", "participating")],
        ),
        (
            "2.推进数据共享。省大数据局负责建设全省共享平台；省财政厅负责保障所需经费。",
            HUBEI,
            [("湖北省大数据局", "responsible"), ("湖北省财政厅", "responsible")],
        ),
        (  # a group opening the sentence is no statement; a mention in mid-sentence neither
            "（四）加强监管。各地要负责落实属地责任，积极配合市市场监管局开展检查。",
            YUNFENG,
            [],
        ),
    ],
)
def test_stated_roles(text, region, expected):
    assert roles_of(responsibility.stated_roles(text, 0, len(text), region)) == expected


def roles_of(found) -> list[tuple[str, str]]:
    return [(r.agency.name, r.role) for r in found]


def test_stated_roles_only_where_no_clause():
    from policykg.loaders.tasks import extract_tasks

    text = (
        "一、重点任务\n"
        "（一）建设数据平台。由市大数据局牵头，市财政局配合，建设统一平台。\n"
        "（二）培育服务企业。市商务局负责制定扶持办法。（牵头单位：市工信局；配合单位：市商务局）\n"
    )
    found = extract_tasks(text, YUNFENG)
    assert [roles_of(t.roles) for t in found] == [
        [("云峰市大数据局", "lead"), ("云峰市财政局", "participating")],
        [("云峰市工业和信息化局", "lead"), ("云峰市商务局", "participating")],
    ]


# ---------------------------------------------------------------- labelled corpus notices


def _gold_roles(found) -> dict[str, set[str]]:
    """The scoring view of a task's roles: groups left out; participants are the agencies other
    than the lead where there is a lead, and those given a participating role."""
    agencies_ = [r for r in found if r.agency.kind != "group"]
    has_lead = any(r.role == "lead" for r in agencies_)
    out: dict[str, set[str]] = {"lead": set(), "participants": set(), "coordinators": set(), "responsible": set()}
    for r in agencies_:
        out["responsible"].add(r.agency.surface)
        if r.role == "lead":
            out["lead"].add(r.agency.surface)
        elif has_lead or r.role != "responsible":
            out["participants"].add(r.agency.surface)
        if r.role == "coordinating":
            out["coordinators"].add(r.agency.surface)
    return out


@pytest.mark.corpus
def test_gold_evidence_clauses(corpus_dir):
    """Each labelled responsibility example's evidence, read as the loader reads it (a clause,
    else a statement in the task's words), gives the labelled agencies and roles."""
    regions = pytest.importorskip("policykg.loaders.regions")
    gold_path = corpus_dir.parent / "eval" / "dev_gold.jsonl"
    if not gold_path.exists():
        pytest.skip("labelled notices not present")
    texts = {}
    for line in (corpus_dir / "notices.jsonl").read_text(encoding="utf-8").splitlines():
        n = json.loads(line)
        texts[n["id"]] = n["text"]
    right = total = 0
    wrong = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        region = regions.NATIONAL if g.get("region") in (None, "全国") else regions.lookup(g["region"])
        text = texts[g["id"]]
        for ex in g.get("task_agency_examples") or []:
            evidence = ex["evidence"]
            before = text[: max(0, text.find(evidence))]
            first_leads = any(states_first_leads(c.text) for c in find_clauses(before))
            found = parse_clause(evidence, region, first_leads=first_leads) or responsibility.stated_roles(
                evidence, 0, len(evidence), region
            )
            got = _gold_roles(found)
            expected = {
                "lead": set(ex["lead"]),
                "participants": set(ex["participants"]) | set(ex["coordinators"]),
                "coordinators": set(ex["coordinators"]),
                "responsible": set(ex["responsible"]),
            }
            total += 1
            if got == expected:
                right += 1
            else:
                wrong.append((g["id"], evidence, got, expected))
    assert total >= 25
    assert right / total >= 0.95, wrong


def test_convention_stated_outside_the_clauses():
    from policykg.loaders.tasks import extract_tasks

    text = (
        "各项任务中排在第一位的为牵头单位。\n"
        "一、重点任务\n"
        "（一）建设数据平台。（县大数据局、县财政局负责）\n"
        "（二）培育服务企业。（县商务局负责）\n"
    )
    assert responsibility.leads_from(text, find_clauses(text)) == 0
    found = extract_tasks(text, QINGSHUI)
    assert [roles_of(t.roles) for t in found] == [
        [("清水县大数据局", "lead"), ("清水县财政局", "responsible")],
        [("清水县商务局", "lead")],
    ]
    plain = text.split("\n", 1)[1]
    assert responsibility.leads_from(plain, find_clauses(plain)) is None
    assert [roles_of(t.roles)[0][1] for t in extract_tasks(plain, QINGSHUI)] == ["responsible", "responsible"]


def test_seed_list_shares_its_prefix(seeds_dir):
    from policykg.loaders.read import read_path
    from policykg.loaders.tasks import extract_tasks

    text = read_path(seeds_dir / "002_5cb87e2d2ab2f10e.txt").text
    found = extract_tasks(text, ZHANJIANG)
    listed = [r for t in found for r in t.roles if text[r.span[0] : r.span[1]] == "文化广电旅游体育局"]
    assert listed and all(
        (r.agency.surface, r.agency.name) == ("市文化广电旅游体育局", "湛江市文化广电旅游体育局") for r in listed
    )


def test_labelled_lines_in_their_layouts():
    from policykg.loaders.tasks import extract_tasks

    text = (
        "一、重点任务\n"
        "（一）建设数据平台。统筹建设。\n"
        "牵头责任单位：市发改委\n"
        "配合单位：市财政局、市统计局\n"
        "（二）培育服务企业。支持企业。\n"
        "　　责任单位：\n"
        "　　市商务局、市工信局\n"
        "（三）推进改革。深化改革。\n"
        "　　【牵头单位】市发改委；【配合单位】市财政局\n"
        "（四）加强指导。做好培训。\n"
        "　　指导单位：市人社局\n"
    )
    found = extract_tasks(text, YUNFENG)
    assert [[(r.agency.surface, r.role) for r in t.roles] for t in found] == [
        [("市发改委", "lead"), ("市财政局", "participating"), ("市统计局", "participating")],
        [("市商务局", "responsible"), ("市工信局", "responsible")],
        [("市发改委", "lead"), ("市财政局", "participating")],
        [("市人社局", "guiding")],
    ]
    assert all(text[r.span[0] : r.span[1]] == r.agency.surface for t in found for r in t.roles)


def test_clause_wrapped_over_two_lines():
    text = "（三）建设先行区。打造示范场景。(云峰市绿色低碳高\n质量发展先行区建设办公室负责)\n（四）下一项。"
    found = find_clauses(text)
    assert [c.text for c in found] == ["(云峰市绿色低碳高\n质量发展先行区建设办公室负责)"]
    assert surfaces(found[0].text, YUNFENG) == [("云峰市绿色低碳高质量发展先行区建设办公室", "responsible")]
    # a bracket left open at the end of a sentence does not reach into the next line
    assert find_clauses("（说明：市财政局负责。\n市教育局配合）") == []
