"""Agency normalisation, mentions in running text, and the agency data tables."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from policykg.loaders import agencies
from policykg.loaders.agencies import expand, find_mentions, functions, normalize_agency, recognize_full
from policykg.loaders.models import Agency, Region

DATA = Path(agencies.__file__).parent / "data"

XIAMEN = Region("厦门市", "municipal", "福建省", None, "福建省")
JIAOZUO = Region("焦作市", "municipal", "河南省", None, "河南省")
ZHANJIANG = Region("湛江市", "municipal", "广东省", None, "广东省")
SUIXI = Region("遂溪县", "county", "湛江市", None, "广东省")
LIAONING = Region("辽宁省", "provincial", None, None, "辽宁省")
SHANDONG = Region("山东省", "provincial", None, None, "山东省")
GUANGXI = Region("广西壮族自治区", "provincial", None, None, "广西壮族自治区")
NATIONAL = Region("中华人民共和国", "national", None, "100000")
REGIONS = {r.name: r for r in (XIAMEN, JIAOZUO, ZHANJIANG, SUIXI, LIAONING, SHANDONG, GUANGXI, NATIONAL)}
REGIONS.update(
    {
        "济南市": Region("济南市", "municipal", "山东省", None, "山东省"),
        "青岛市": Region("青岛市", "municipal", "山东省", None, "山东省"),
        "广东省": Region("广东省", "provincial", None, None, "广东省"),
    }
)


def data(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# (surface, jurisdiction, name, kind, vertical, government, function)
CASES = [
    ("市质监局", XIAMEN, "厦门市质量技术监督局", "agency", False, "厦门市人民政府", "quality_supervision"),
    ("市人社局", XIAMEN, "厦门市人力资源和社会保障局", "agency", False, "厦门市人民政府", "human_resources"),
    ("厦门检验检疫局", XIAMEN, "厦门出入境检验检疫局", "agency", True, None, "quality_supervision"),
    ("人行厦门市中心支行", XIAMEN, "中国人民银行厦门市中心支行", "agency", True, None, "central_bank"),
    (
        "厦门银监局",
        XIAMEN,
        "中国银行业监督管理委员会厦门监管局",
        "agency",
        True,
        None,
        "financial_regulation",
    ),
    (
        "市国资委",
        XIAMEN,
        "厦门市人民政府国有资产监督管理委员会",
        "agency",
        False,
        "厦门市人民政府",
        "soe_assets",
    ),
    ("市卫计委", XIAMEN, "厦门市卫生和计划生育委员会", "agency", False, "厦门市人民政府", "health"),
    ("市文广新局", XIAMEN, "厦门市文化广电新闻出版局", "agency", False, "厦门市人民政府", "culture_tourism"),
    ("市委宣传部", XIAMEN, "中共厦门市委宣传部", "agency", False, None, "propaganda"),
    (
        "市质量强市工作领导小组成员单位",
        XIAMEN,
        "厦门市质量强市工作领导小组成员单位",
        "group",
        False,
        None,
        None,
    ),
    ("国家质检总局", XIAMEN, "国家质量监督检验检疫总局", "agency", False, "国务院", "quality_supervision"),
    ("省政府", XIAMEN, "福建省人民政府", "government", False, None, "government_general"),
    ("省质监局", LIAONING, "辽宁省质量技术监督局", "agency", False, "辽宁省人民政府", "quality_supervision"),
    ("省食品安全办", LIAONING, "辽宁省食品安全委员会办公室", "agency", False, "辽宁省人民政府", "food_drug"),
    (
        "省住房城乡建设厅",
        LIAONING,
        "辽宁省住房和城乡建设厅",
        "agency",
        False,
        "辽宁省人民政府",
        "housing_construction",
    ),
    ("省政府法制办", LIAONING, "辽宁省人民政府法制办公室", "agency", False, "辽宁省人民政府", "justice"),
    ("省直有关部门", LIAONING, "辽宁省直有关部门", "group", False, None, None),
    ("省农委", LIAONING, "辽宁省农业委员会", "agency", False, "辽宁省人民政府", "agriculture"),
    (
        "市市场监管局",
        ZHANJIANG,
        "湛江市市场监督管理局",
        "agency",
        False,
        "湛江市人民政府",
        "market_regulation",
    ),
    ("湛江海关", ZHANJIANG, "湛江海关", "agency", True, None, "customs"),
    (
        "湛江银保监分局",
        ZHANJIANG,
        "中国银行保险监督管理委员会湛江监管分局",
        "agency",
        True,
        None,
        "financial_regulation",
    ),
    ("市邮政管理局", ZHANJIANG, "湛江市邮政管理局", "agency", True, None, "communications"),
    (
        "文化广电旅游体育局",
        ZHANJIANG,
        "湛江市文化广电旅游体育局",
        "agency",
        False,
        "湛江市人民政府",
        "culture_tourism",
    ),
    ("市委编办", ZHANJIANG, "中共湛江市委机构编制委员会办公室", "agency", False, None, "organization"),
    ("团市委", ZHANJIANG, "共青团湛江市委员会", "agency", False, None, "mass_organizations"),
    ("市检察院", ZHANJIANG, "湛江市人民检察院", "agency", False, None, "justice"),
    ("市直相关单位", ZHANJIANG, "湛江市直相关单位", "group", False, None, None),
    ("教育局", JIAOZUO, "焦作市教育局", "agency", False, "焦作市人民政府", "education"),
    ("人社局", JIAOZUO, "焦作市人力资源和社会保障局", "agency", False, "焦作市人民政府", "human_resources"),
    ("县市场监管局", SUIXI, "遂溪县市场监督管理局", "agency", False, "遂溪县人民政府", "market_regulation"),
    (
        "市生态环境局遂溪分局",
        SUIXI,
        "湛江市生态环境局遂溪分局",
        "agency",
        False,
        "湛江市人民政府",
        "environment",
    ),
    ("县科工商务局", SUIXI, "遂溪县科工商务局", "agency", False, "遂溪县人民政府", "commerce"),
    (
        "自治区市场监管局",
        GUANGXI,
        "广西壮族自治区市场监督管理局",
        "agency",
        False,
        "广西壮族自治区人民政府",
        "market_regulation",
    ),
    ("区直有关部门", GUANGXI, "广西壮族自治区直有关部门", "group", False, None, None),
    (
        "广西银保监局",
        GUANGXI,
        "中国银行保险监督管理委员会广西监管局",
        "agency",
        True,
        None,
        "financial_regulation",
    ),
    ("人力资源社会保障部", NATIONAL, "人力资源和社会保障部", "agency", False, "国务院", "human_resources"),
    ("发展改革委", NATIONAL, "国家发展和改革委员会", "agency", False, "国务院", "development_reform"),
    ("国资委", NATIONAL, "国务院国有资产监督管理委员会", "agency", False, "国务院", "soe_assets"),
    ("中央网信办", NATIONAL, "中央网络安全和信息化委员会办公室", "agency", False, None, "communications"),
    ("各地区", NATIONAL, "各地区", "group", False, None, None),
    (
        "厦门市人民政府办公厅",
        None,
        "厦门市人民政府办公厅",
        "agency",
        False,
        "厦门市人民政府",
        "government_general",
    ),
    ("厦门市人民政府", None, "厦门市人民政府", "government", False, None, "government_general"),
    ("国务院", None, "国务院", "government", False, None, "government_general"),
]


@pytest.mark.parametrize(("surface", "region", "name", "kind", "vertical", "government", "function"), CASES)
def test_normalize(surface, region, name, kind, vertical, government, function):
    a = normalize_agency(surface, region)
    assert (a.name, a.kind, a.vertical, a.government, a.function) == (
        name,
        kind,
        vertical,
        government,
        function,
    )
    assert a.surface == surface


def test_same_name_same_agency_across_notices_and_surfaces():
    assert normalize_agency("市质监局", XIAMEN) == normalize_agency("厦门市质量技术监督局", XIAMEN)
    assert normalize_agency("市质监局", XIAMEN) == normalize_agency("厦门市质量技术监督局", None)
    assert normalize_agency("发展改革委", NATIONAL) == normalize_agency("国家发展改革委", XIAMEN)


def test_same_surface_other_jurisdiction_is_another_agency():
    assert normalize_agency("市质监局", XIAMEN) != normalize_agency("市质监局", JIAOZUO)
    assert normalize_agency("市质监局", JIAOZUO).name == "焦作市质量技术监督局"
    # a bare 发展改革委 is national only in a national notice
    assert normalize_agency("发展改革委", LIAONING).name == "辽宁省发展和改革委员会"


def test_region_of_agency():
    assert normalize_agency("市质监局", XIAMEN).region == XIAMEN
    assert normalize_agency("省质监局", XIAMEN).region.name == "福建省"
    assert normalize_agency("市生态环境局遂溪分局", SUIXI).region.name == "湛江市"


def test_districts_are_qualified_by_their_city():
    siming = Region("思明区", "county", "厦门市", None, "福建省")
    assert normalize_agency("区教育局", siming).name == "厦门市思明区教育局"
    assert normalize_agency("区教育局", siming).government == "厦门市思明区人民政府"
    assert normalize_agency("市教育局", siming).name == "厦门市教育局"
    assert normalize_agency("区委宣传部", siming).name == "中共厦门市思明区委宣传部"
    assert normalize_agency("县教育局", SUIXI).name == "遂溪县教育局"


def test_issuers():
    assert normalize_agency("辽宁省人民政府办公厅", None).government == "辽宁省人民政府"
    assert normalize_agency("国务院办公厅", None).government == "国务院"
    assert normalize_agency("焦作市人民政府", JIAOZUO).kind == "government"


def test_unknown_names_are_kept_and_flagged():
    res = recognize_full("省新动能基金管理公司", SHANDONG)
    assert res.agency.name == "山东省新动能基金管理公司"
    assert not res.known
    assert recognize_full("市质监局", XIAMEN).known


def test_expand_components_longest_first_and_full_forms_untouched():
    assert expand("质监局") == "质量技术监督局"
    assert expand("质量技术监督局") == "质量技术监督局"
    assert expand("人力资源社会保障厅") == "人力资源和社会保障厅"
    assert expand("国土资源局") == "国土资源局"
    assert expand("工商联") == "工商业联合会"
    assert expand("发改委") == "发展和改革委员会"


def test_looks_like_agency():
    assert agencies.looks_like_agency("市质监局")
    assert agencies.looks_like_agency("各地区")
    assert not agencies.looks_like_agency("以联合体形式申报时")
    assert not agencies.looks_like_agency("联合体牵头人名称")


# ---------------------------------------------------------------- mentions


def names(found: list[Agency]) -> list[str]:
    return [a.name for a in found]


def test_mentions_department_list():
    text = "市质监、工商、农业、食药监等部门要加强协同协作，采取联合行动。"
    assert names(find_mentions(text, JIAOZUO)) == [
        "焦作市质量技术监督局",
        "焦作市工商行政管理局",
        "焦作市农业局",
        "焦作市食品药品监督管理局",
    ]
    assert [a.surface for a in find_mentions(text, JIAOZUO)][0] == "市质监"


def test_mentions_department_list_at_province_level():
    text = "推进质检、商务、工商等部门间质量信用信息共享。"
    assert names(find_mentions(text, LIAONING)) == [
        "辽宁省质量技术监督局",
        "辽宁省商务厅",
        "辽宁省工商行政管理局",
    ]


def test_mentions_names_and_national_bodies():
    text = "贯彻落实国务院、省政府有关要求。根据国家质检总局要求，由市质监局会同厦门检验检疫局组织实施。"
    assert names(find_mentions(text, XIAMEN)) == [
        "国务院",
        "福建省人民政府",
        "国家质量监督检验检疫总局",
        "厦门市质量技术监督局",
        "厦门出入境检验检疫局",
    ]


def test_mentions_ignore_generic_words():
    text = "鼓励企业申报中国驰名商标和政府质量奖，发挥质量教育社会实践基地作用，在农业、制造业领域开展试点。"
    assert find_mentions(text, JIAOZUO) == []
    assert find_mentions("各部门要加强协调，卫生部门做好保障。", NATIONAL) == []


def test_mentions_national_context():
    text = "加强与发改等部门联动。联合中央文明办、全国总工会、团中央、全国妇联开展活动。"
    assert names(find_mentions(text, NATIONAL)) == [
        "国家发展和改革委员会",
        "中央精神文明建设指导委员会办公室",
        "中华全国总工会",
        "中国共产主义青年团中央委员会",
        "中华全国妇女联合会",
    ]


def test_jieba_is_quiet_and_keeps_names_whole():
    words = [w for w, _, _ in agencies.tokenize("市住房城乡建设、食药监等部门", JIAOZUO)]
    assert "住房城乡建设" in words and "食药监" in words
    assert logging.getLogger("jieba").level >= logging.WARNING


# ---------------------------------------------------------------- functions (SKOS scheme)


def test_functions_scheme():
    fs = functions()
    keys = [f["key"] for f in fs]
    assert len(keys) == len(set(keys)) >= 30
    assert {
        "quality_supervision",
        "market_regulation",
        "education",
        "human_resources",
        "development_reform",
    } <= set(keys)
    assert all(set(f) == {"key", "zh", "en"} and f["zh"] and f["en"] for f in fs)
    assert all(re.fullmatch(r"[a-z_]+", k) for k in keys)
    assert agencies.function_scheme()["key"] == "functions"


def test_functions_data_examples():
    for f in data("functions.json")["functions"]:
        assert f["keywords"], f["key"]
        for name in f["examples"]:
            assert agencies._function(name) == f["key"], (name, f["key"])


# ---------------------------------------------------------------- the data tables, tested as data


def test_abbreviation_examples():
    d = data("agency_abbreviations.json")
    for section in ("stems", "components", "suffixes"):
        for entry in d[section]:
            assert entry["short"] and entry["full"] and entry["examples"], entry
            for written, expanded in entry["examples"]:
                assert expand(written) == expanded, (section, written)


def test_abbreviation_shorts_unique():
    d = data("agency_abbreviations.json")
    for section in ("stems", "components"):
        shorts = [e["short"] for e in d[section]]
        assert len(shorts) == len(set(shorts)), section


def test_national_bodies():
    d = data("agency_national.json")
    seen: set[str] = set()
    for body in d["bodies"]:
        for alias in [body["name"], *body.get("aliases", [])]:
            assert alias not in seen, alias
            seen.add(alias)
            assert normalize_agency(alias, XIAMEN).name == body["name"]
        for alias in body.get("national_aliases", []):
            assert normalize_agency(alias, NATIONAL).name == body["name"]


def test_vertical_examples():
    d = data("agency_vertical.json")
    for entry in [*d["patterns"], *d["stems"]]:
        assert entry["examples"], entry
        for surface, where, expected in entry["examples"]:
            a = normalize_agency(surface, REGIONS.get(where) or Region(where, "municipal", None, None, None))
            assert (a.name, a.vertical, a.government) == (expected, True, None), surface


def test_vertical_pattern_examples_match_their_regex():
    for entry in data("agency_vertical.json")["patterns"]:
        pattern = re.compile(entry["regex"])
        for surface, _, _ in entry["examples"]:
            assert pattern.match(surface), (entry["regex"], surface)


def test_group_and_party_examples():
    d = data("agency_kinds.json")
    for surface in d["group_examples"]:
        assert normalize_agency(surface, SHANDONG).kind == "group", surface
    for surface in d["not_group_examples"]:
        assert normalize_agency(surface, SHANDONG).kind != "group", surface
    for entry in d["party"]:
        for surface, where, expected in entry["examples"]:
            a = normalize_agency(surface, REGIONS[where])
            assert (a.name, a.government) == (expected, None), surface


def test_department_examples():
    d = data("agency_departments.json")
    assert all(e["words"] and e["core"] for e in d["departments"])
    for ex in d["examples"]:
        assert names(find_mentions(ex["text"], REGIONS.get(ex["jurisdiction"]) or JIAOZUO)) == ex["agencies"]


# ---------------------------------------------------------------- jurisdiction not stated


@pytest.mark.parametrize(
    ("surface", "name", "kind"),
    [
        ("市工业和信息化局", "市工业和信息化局", "agency"),
        ("市国资委", "市人民政府国有资产监督管理委员会", "agency"),
        ("市委宣传部", "市委宣传部", "agency"),
        ("区政府", "区人民政府", "government"),
        ("教育局", "教育局", "agency"),
        ("各区县政府", "各区县政府", "group"),
    ],
)
def test_unstated_jurisdiction_is_local(surface, name, kind):
    a = normalize_agency(surface, None)
    assert (a.name, a.kind, a.local, a.region) == (name, kind, True, None)


def test_stated_or_implied_jurisdiction_is_not_local():
    assert not normalize_agency("市工业和信息化局", JIAOZUO).local
    assert normalize_agency("市工业和信息化局", JIAOZUO).name == "焦作市工业和信息化局"
    assert not normalize_agency("焦作市工业和信息化局", None).local
    assert not normalize_agency("崂山实验室", None).local  # a named institution is itself
    assert not normalize_agency("国家发展改革委", None).local
    # a provincial notice does not tell which city's bureau 市工业和信息化局 is
    assert normalize_agency("市工业和信息化局", SHANDONG).local
    assert normalize_agency("县教育局", SUIXI).name == "遂溪县教育局"


def test_list_prefix_and_complete_names():
    assert agencies.list_prefix("省发展改革委", SHANDONG) == "省"
    assert agencies.list_prefix("市委宣传部", JIAOZUO) == "市委"
    assert agencies.list_prefix("自治区市场监管局", GUANGXI) == "自治区"
    assert agencies.list_prefix("济南市科技局", SHANDONG) == "济南市"
    assert agencies.list_prefix("国家发展改革委", NATIONAL) == ""
    assert agencies.shared_prefix("财政厅", "省", SHANDONG) == "省"
    assert agencies.shared_prefix("组织部", "市委", JIAOZUO) == "市委"
    assert agencies.shared_prefix("教育局", "市委", JIAOZUO) == "市"
    assert agencies.shared_prefix("人民银行济南分行营管部", "市", SHANDONG) == ""
    assert agencies.shared_prefix("财政部", "省", SHANDONG) == ""
    assert agencies.shared_prefix("各区县政府", "市", SHANDONG) == ""
    assert agencies.complete_name("中国科学院") and not agencies.complete_name("国家粮食")
    assert not agencies.complete_name("商务")  # a department word of a list, not a name


def test_org_endings_examples():
    kinds = data("agency_kinds.json")
    for surface in kinds["org_ending_examples"]:
        assert agencies.looks_like_agency(surface), surface
    for surface in kinds["not_org_examples"]:
        assert not agencies.looks_like_agency(surface), surface


BODY_ONLY = """关于{title}的实施方案

为{title}，结合我市实际，制定本方案。

一、重点任务
（一）建设数据平台。统筹数据资源，建设统一平台。（责任单位：市工业和信息化局、市大数据局、各区县政府）
（二）培育服务企业。支持服务企业做大做强。（牵头单位：市商务局；配合单位：市财政局）
"""
WITH_ISSUER = """临沂市人民政府办公室关于推进智慧园区建设的通知

各县区人民政府，市政府各部门：
现就推进智慧园区建设通知如下。
一、建设园区数据平台。（责任单位：市工业和信息化局、市大数据局）
二、培育园区服务企业。（牵头单位：市商务局；配合单位：市财政局）

临沂市人民政府办公室
2024年3月5日
"""


def test_unstated_jurisdiction_one_node_per_document(tmp_path):
    from rdflib import Dataset

    from policykg.api import PolicyGraph
    from policykg.ontology.validate import validate

    (tmp_path / "a.txt").write_text(BODY_ONLY.format(title="加快智慧园区建设"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY_ONLY.format(title="推动县域商业发展"), encoding="utf-8")
    (tmp_path / "c.txt").write_text(WITH_ISSUER, encoding="utf-8")
    pg = PolicyGraph.open(memory=True)
    report = pg.load([tmp_path])
    assert report.documents == 3
    # 市工业和信息化局 市大数据局 市商务局 市财政局 in each body-only text; none in the signed one
    assert report.local_agencies == {"a.txt": 4, "b.txt": 4}
    rows = pg.store.select(
        """SELECT DISTINCT ?a WHERE { ?t <https://w3id.org/policykg/ontology#involvesAgency> ?a .
           ?a <http://www.w3.org/2004/02/skos/core#prefLabel> "市工业和信息化局"@zh }"""
    )
    local = sorted(r["a"] for r in rows)
    assert len(local) == 2 and all("/id/doc/" in a and a.endswith("/agency/市工业和信息化局") for a in local)
    signed = pg.store.select(
        """SELECT ?a WHERE { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> "临沂市工业和信息化局"@zh }"""
    )
    assert [r["a"] for r in signed] == ["https://w3id.org/policykg/id/agency/临沂市工业和信息化局"]
    ds = Dataset()
    ds.parse(data=pg.export("nquads"), format="nquads")
    conforms, text = validate(ds)
    assert conforms, text
    # a document's own agencies live in its graph: removing it removes them, not the other's
    of_a = pg.store.select(
        """SELECT DISTINCT ?a WHERE { ?d <http://purl.org/dc/terms/source> "a.txt" .
           ?t <http://data.europa.eu/eli/ontology#is_part_of> ?d ;
              <https://w3id.org/policykg/ontology#involvesAgency> ?a .
           ?a <http://www.w3.org/2004/02/skos/core#prefLabel> "市工业和信息化局"@zh }"""
    )
    assert len(of_a) == 1
    mine, other = of_a[0]["a"], next(a for a in local if a != of_a[0]["a"])
    pg.remove(["a.txt"])
    assert pg.store.select(f"SELECT ?p ?o WHERE {{ <{mine}> ?p ?o }}") == []
    assert pg.store.select(f"SELECT ?p ?o WHERE {{ <{other}> ?p ?o }}") != []


def test_load_command_reports_local_agencies(tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY_ONLY.format(title="加快智慧园区建设"), encoding="utf-8")
    (folder / "c.txt").write_text(WITH_ISSUER, encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(folder), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "agencies of unstated jurisdiction (one node per document): 4 in 1 documents" in result.output
    assert "  a.txt: 4" in result.output


def test_words_that_begin_with_an_admin_character_are_not_relative_jurisdictions() -> None:
    """市场监督管理局 is not 市 + 场监督管理局: each example of agency_kinds.json is normalised as given."""
    import json
    from importlib import resources

    from policykg.loaders import regions

    data = json.loads(resources.files("policykg.loaders").joinpath("data", "agency_kinds.json").read_text("utf-8"))
    assert data["not_relative_examples"]
    for surface, place, name in data["not_relative_examples"]:
        assert normalize_agency(surface, regions.lookup(place)).name == name, surface


def test_abbreviations_expand_only_as_parts_of_a_department_name() -> None:
    from policykg.loaders import regions

    beijing, shenzhen = regions.lookup("北京市"), regions.lookup("深圳市")
    assert normalize_agency("市科技局", beijing).name == "北京市科学技术局"
    assert normalize_agency("中关村科技园区管理委员会", beijing).name.endswith("中关村科技园区管理委员会")
    assert normalize_agency("市科技创新委员会", shenzhen).name == "深圳市科技创新委员会"
    assert normalize_agency("市发改委", shenzhen).name == "深圳市发展和改革委员会"
