"""A notice's own facts, function by function, and the layout data files."""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources

import pytest

from policykg.loaders import meta


def _data(name: str) -> dict:
    return json.loads(resources.files("policykg.loaders").joinpath("data", name).read_text(encoding="utf-8"))


# -- metadata fields ----------------------------------------------------------------------------


@pytest.mark.parametrize("example", _data("meta_fields.json")["examples"])
def test_fields_examples(example):
    assert meta.fields(example["text"]) == example["fields"]


def test_fields_ignore_body_labels():
    text = "各区人民政府：\n" + "正文。" * 900 + "\n发文字号：国发〔2012〕9号"
    assert "number" not in meta.fields(text)


# -- own number ---------------------------------------------------------------------------------

OWN_NUMBER = [
    (
        "厦府办〔2015〕134号《厦门市人民政府办公厅关于印发…的通知》\n各区人民政府：\n正文",
        "厦府办〔2015〕134号",
    ),
    (
        "沪民救发〔2017〕9号\n上海市民政局关于印发《2017年上海民政减灾救灾工作要点》的通知\n各区民政局：",
        "沪民救发〔2017〕9号",
    ),
    ("鲁政办字【2019】12号\n山东省人民政府办公厅关于…的通知\n各市人民政府：", "鲁政办字〔2019〕12号"),
    ("关于…的通知\n（市监标技发（2022）34号）\n各省：", "市监标技发〔2022〕34号"),
    ("上海市人民政府令\n\n（第19号）\n《…办法》已经…通过，现予公布。", "上海市人民政府令第19号"),
    (
        "中华人民共和国商务部令\n\n2018 年 第 2 号\n\n《…规则》已经…通过，现予发布。",
        "中华人民共和国商务部令2018年第2号",
    ),
    (
        "发布机关 焦作市人民政府 成文日期 标 题 焦作市…意见 发文字号 焦政〔2017〕12号 发布时间 2017年05月12日",
        "焦政〔2017〕12号",
    ),
    # a list of repealed documents below the addressee line holds other numbers
    (
        "沪科〔2014〕12号\n关于《…》等5件规范性文件失效的通知\n各有关单位：\n现予废止：\n1.…办法\n发文单位：市科委\n文号：沪科合〔2005〕11号\n",
        "沪科〔2014〕12号",
    ),
    # cited, not own
    ("辽宁省人民政府办公厅关于印发…的通知\n\n各市人民政府：\n根据《…》(国办发[2012]27号)精神", None),
    ("各区人民政府：\n按照国办发〔2015〕19号要求，…", None),
]


@pytest.mark.parametrize(("text", "expected"), OWN_NUMBER)
def test_own_number(text, expected):
    d = meta.own_number(text)
    assert (d.canonical if d else None) == expected
    if d is not None:
        assert text[d.span[0] : d.span[1]] == d.surface


# -- title --------------------------------------------------------------------------------------

OWN_TITLE = [
    (
        "厦府办〔2015〕134号《厦门市人民政府办公厅关于印发X的通知》\n各区人民政府：",
        "厦门市人民政府办公厅关于印发X的通知",
    ),
    ("热点信息\n各省、自治区、直辖市质量技术监督局:\n现将《2015年质量管理工作要点》印发给你们。", None),
    (
        "市工业和信息化局关于组织做好2021年\n国家技术创新示范企业申报推荐工作的通知\n各区工业和信息化主管部门：",
        "市工业和信息化局关于组织做好2021年国家技术创新示范企业申报推荐工作的通知",
    ),
    ("湛江市开展质量提升行动的方案\n为深入贯彻习近平总书记重要讲话精神，", "湛江市开展质量提升行动的方案"),
    ("上海市人民政府令\n（第19号）\n", None),
    (
        "标　　题：\n国务院办公厅关于加强三级公立医院绩效考核工作的意见\n",
        "国务院办公厅关于加强三级公立医院绩效考核工作的意见",
    ),
]


@pytest.mark.parametrize(("text", "expected"), OWN_TITLE)
def test_own_title(text, expected):
    assert meta.own_title(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "各区人民政府：\n《厦门市贯彻实施质量发展纲要2015年行动计划》已经市政府研究同意,现印发给你们。",
            "厦门市贯彻实施质量发展纲要2015年行动计划",
        ),
        ("各市：\n经省政府同意，现将《辽宁省…工作方案》印发给你们，请认真组织实施。", "辽宁省…工作方案"),
        (
            "我部制定了《2022年推进智慧水利建设水资源管理工作要点》，现印发你们。",
            "2022年推进智慧水利建设水资源管理工作要点",
        ),
        (
            "《反倾销和反补贴调查听证会规则》已经2018年3月14日商务部第111次部务会议审议通过，现予发布。",
            "反倾销和反补贴调查听证会规则",
        ),
        ("为贯彻落实《质量发展纲要》，制定本方案。", None),
    ],
)
def test_promulgated_in_text(text, expected):
    assert meta.promulgated_in_text(text) == expected


@pytest.mark.parametrize("example", _data("doctypes.json")["examples"])
def test_doctype_examples(example):
    assert meta.doctype(example["title"]) == example["type"]


def test_doctype_none():
    assert meta.doctype("热点信息") is None and meta.doctype(None) is None


# -- signature, dates ---------------------------------------------------------------------------


def test_signature_single_and_joint():
    assert meta.signature("…执行。\n厦门市人民政府办公厅\n2015年7月15日\n正文")[:2] == (
        ["厦门市人民政府办公厅"],
        date(2015, 7, 15),
    )
    names, d, _ = meta.signature("…\n工业和信息化部办公厅 国家标准化管理委员会办公室\n2018年1月15日")
    assert names == ["工业和信息化部办公厅", "国家标准化管理委员会办公室"] and d == date(2018, 1, 15)
    names, _, _ = meta.signature("…\n国家自然科学基金委员会\n国际合作局\n2019年9月10日")
    assert names == ["国家自然科学基金委员会国际合作局"]
    names, _, _ = meta.signature("…\n（国家粮食局办公室代章）\n2018年5月2日")
    assert names == ["国家粮食局办公室"]
    names, d, _ = meta.signature("现予公布。\n省长　罗清泉\n二○○五年十一月二十一日\n")
    assert names == [] and d == date(2005, 11, 21)


def test_print_line():
    text = "正文。\n抄送：省委各部门。\n山东省人民政府办公厅2020年12月10日印发\n"
    assert meta.print_line(text) == ("山东省人民政府办公厅", date(2020, 12, 10))
    assert meta.print_line("交通运输部办公厅 ２０１９年５月１４日印发") == (
        "交通运输部办公厅",
        date(2019, 5, 14),
    )
    assert meta.print_line("正文，2019年1月3日印发的通知要求") == (None, None)
    assert (
        meta.level_region([], None, None, "各单位：\n正文。\n济南市人民政府办公厅 2019年１月３日印发")[1].name
        == "济南市"
    )


def test_signed_date_line():
    names, d, _ = meta.signature("正文。\n科 技 部\n2018年7月30日签发\n")
    assert names == ["科技部"] and d == date(2018, 7, 30)


def test_doc_date_and_published():
    text = "发布时间 2017年05月12日 发布日期:2017-05-12 09:52\n各县区：\n正文。\n\n2017年5月3日\n\n标签:"
    assert meta.doc_date(text) == date(2017, 5, 3)
    assert meta.published_date(text) == date(2017, 5, 12)
    printed = "厦门市人民政府办公厅\n2015年7月15日\n正文\n厦门市人民政府办公厅2015年7月16日印发\n"
    assert meta.doc_date(printed) == date(2015, 7, 15)
    assert meta.published_date(printed) == date(2015, 7, 16)
    assert meta.published_date("某某通知\n\n2012-11-30 15:18:43来源:网络\n\n各市：") == date(2012, 11, 30)
    footer = (
        "各高校：\n正文。\n教育部社会科学司\n二ОО六年六月八日\n\n扫一扫分享本页\n发布日期：2008-04-25\n下载"
    )
    assert (meta.doc_date(footer), meta.published_date(footer)) == (date(2006, 6, 8), date(2008, 4, 25))


# -- organs, levels -----------------------------------------------------------------------------


def test_organ_examples():
    data = _data("meta_organs.json")
    for name in data["organ"]["examples"]:
        assert meta.is_organ(name), name
    for name in data["organ"]["counter_examples"]:
        assert not meta.is_organ(name), name
    for entry in data["relative"]:
        for ex in entry["examples"]:
            assert re.search(entry["regex"], ex)
    person = re.compile(data["signature_person"]["regex"])
    assert all(person.match(ex) for ex in data["signature_person"]["examples"])


@pytest.mark.parametrize(
    ("entry", "example"),
    [(e, ex) for e in _data("meta_organs.json")["addressees"] for ex in e["examples"]],
)
def test_addressee_examples(entry, example):
    line = example if re.search("[：:]$", example) else example + "："
    assert meta.addressee_level(f"标题\n{line}\n正文。") == entry["level"]


def test_national_organ_examples():
    for entry in _data("national_units.json")["organs"]:
        for ex in entry["examples"]:
            assert re.search(entry["regex"], ex), ex


@pytest.mark.parametrize(
    ("unit", "example"), [(u, ex) for u in _data("national_units.json")["units"] for ex in u["examples"]]
)
def test_national_unit_examples(unit, example):
    assert meta.national_unit(unit["unit"], example["year"], example["addressees"]) == example["name"]


def test_national_unit_period_by_year():
    assert (
        meta.national_unit("质量管理司", 2019, "各省、自治区、直辖市市场监管局：")
        == "国家市场监督管理总局质量发展局"
    )
    assert meta.national_unit("质量管理司", 2015, None) == "国家质量监督检验检疫总局质量管理司"
    assert meta.national_unit("某某司", 2015, None) is None


@pytest.mark.parametrize(
    ("title", "organs"),
    [
        ("福建省人民政府办公厅关于印发…的通知", ["福建省人民政府办公厅"]),
        ("中共中央、国务院关于开展质量提升行动的指导意见", ["中共中央", "国务院"]),
        (
            "中共广东省委、广东省人民政府印发<关于开展质量提升行动的方案>的通知",
            ["中共广东省委", "广东省人民政府"],
        ),
        ("浙江省人民政府　浙江省军区 关于表彰…的通报", ["浙江省人民政府", "浙江省军区"]),
        ("关于印发《X》的通知", []),
        ("质量发展纲要(2011-2020年)", []),
    ],
)
def test_title_organs(title, organs):
    assert meta.title_organs(title) == organs


def test_organ_facts_levels():
    _, level, region = meta.organ_facts("国务院办公厅")
    assert level == "national" and region.level == "national"
    _, level, region = meta.organ_facts("辽宁省人民政府办公厅")
    assert level == "provincial" and region.name == "辽宁省"
    _, level, region = meta.organ_facts("长汀县人民政府办公室")
    assert level == "county" and region.name == "长汀县"
    _, level, _ = meta.organ_facts("省政府")
    assert level == "provincial"
    _, level, region = meta.organ_facts("中共广东省委")
    assert level == "provincial" and region.name == "广东省"


def test_order_issuer():
    assert meta.order_issuer(meta.docnumber.parse("湖北省人民政府令第282号")) == "湖北省人民政府"
    assert meta.order_issuer(meta.docnumber.parse("国办发〔2015〕19号")) is None


# -- level and region from self-references --------------------------------------------------------


def _level_cue_cases() -> list:
    data = _data("meta_levels.json")
    entries = [*data["cues"], data["autonomous"], data["practice"]]
    return [(e["regex"], e["examples"], e["counter_examples"]) for e in entries]


@pytest.mark.parametrize(("regex", "examples", "counter"), _level_cue_cases())
def test_level_cue_examples(regex, examples, counter):
    rx = re.compile(regex)
    assert all(rx.search(x) for x in examples), [x for x in examples if not rx.search(x)]
    assert not any(rx.search(x) for x in counter), [x for x in counter if rx.search(x)]


# Body-only notices written for the tests: invented programmes, places of several provinces.
SELF_LEVEL = [
    (  # national: 我国, 党中央、国务院, the provinces addressed as a whole
        "为贯彻落实党中央、国务院关于发展低空物流的决策部署，推动我国低空物流产业健康发展，制定本方案。\n"
        "一、总体要求\n各省（自治区、直辖市）要结合实际制定配套措施。",
        "national",
        "中华人民共和国",
    ),
    (  # provincial, in Henan's wording: 全省, 结合河南实际, 省X厅
        "为加快全省冷链物流骨干网建设，结合河南实际，制定本方案。\n一、主要任务\n"
        "（一）建设郑州、洛阳冷链枢纽。（省商务厅牵头，省交通运输厅配合）\n（二）全省各地要完善网络。",
        "provincial",
        "河南省",
    ),
    (  # provincial, Sichuan: 我省, 省直, places inside the province
        "我省茶产业规模持续扩大。为推动茶产业提质增效，制定本措施。\n一、支持雅安、宜宾建设茶叶基地。\n"
        "二、省直有关部门要加强协调，成都市要做好品牌推广。",
        "provincial",
        "四川省",
    ),
    (  # municipal: 全市, 我市, 市X局, 各区县; the city named in the text (Anhui)
        "为推进全市智慧停车设施建设，结合我市实际，制定本方案。\n一、重点任务\n"
        "（一）在芜湖主城区建设停车诱导系统。（市交通运输局牵头，市财政局配合）\n（二）各区县要落实用地。",
        "municipal",
        "芜湖市",
    ),
    (  # municipal although the province is named too, and 在全省率先 is no self-reference
        "为打造赣州南部物流枢纽，结合我市实际，制定本计划。\n一、力争在全省率先建成多式联运示范工程。"
        "\n二、全市各部门要按照江西省部署，推动章贡区、南康区物流园区建设。",
        "municipal",
        "赣州市",
    ),
    (  # an autonomous region's 全区 is provincial
        "为加快全区边境贸易发展，结合广西实际，制定本方案。\n一、支持南宁、崇左建设口岸经济带。\n"
        "二、自治区各有关部门要按照职责抓好落实。",
        "provincial",
        "广西壮族自治区",
    ),
    (  # a city district's 我区 is county level
        "为提升武侯区社区养老服务水平，结合我区实际，制定本方案。\n一、全区各街道要建设养老服务站。"
        "\n二、区直有关部门要做好保障。",
        "county",
        "武侯区",
    ),
    (  # a district of Beijing: 朝阳区 is also a district of Changchun; 北京市 tells which
        "为推进我区老旧小区改造，结合朝阳区实际，制定本方案。\n一、全区各街道要摸清底数，按照北京市统一部署推进。"
        "\n二、区直有关部门要做好保障。",
        "county",
        "朝阳区",
    ),
    (  # an autonomous region's 全区, Inner Mongolia's wording
        "为加快全区草原生态保护，结合内蒙古实际，制定本方案。\n一、自治区有关部门要加强协调，支持呼伦贝尔、锡林郭勒盟建设示范区。",
        "provincial",
        "内蒙古自治区",
    ),
    (  # a municipal notice naming only its districts and its province
        "为推进全市智慧停车建设，结合我市实际，制定本方案。\n一、历下区、市中区、槐荫区要率先推进。\n二、全市各部门要落实山东省有关要求。",
        "municipal",
        "济南市",
    ),
    (  # a county: 全县, 县直, 各乡镇, 县X局
        "为推进全县竹产业转型升级，制定本方案。\n一、各乡镇要落实安吉县竹林经营规划。\n"
        "二、县农业农村局牵头，县直有关单位配合。",
        "county",
        "安吉县",
    ),
]


@pytest.mark.parametrize(("text", "level", "region"), SELF_LEVEL)
def test_self_level_and_region(text, level, region):
    assert meta.self_level(text) == level
    got_level, got_region = meta.self_region(text, level)
    assert (got_level, got_region.name if got_region else None) == (level, region)


MUNICIPALITIES = [
    ("北京", "为推进本市副中心建设，结合北京实际，制定本方案。\n一、全市各部门要支持通州区发展。", "北京市"),
    ("上海", "为做好本市垃圾分类工作，制定本办法。\n一、浦东新区、闵行区要率先推进。\n二、全市上下要形成合力。", "上海市"),
    ("天津", "市水务局关于对天津市滨海新区泵站工程的批复\n你单位请示收悉。经研究，我市同意该工程。", "天津市"),
    ("重庆", "为促进全市山地农业发展，结合我市实际，制定本方案。\n一、支持万州区、涪陵区建设示范园。", "重庆市"),
]


@pytest.mark.parametrize(("city", "text", "region"), MUNICIPALITIES)
def test_municipalities_are_provincial(city, text, region):
    """北京, 上海, 天津 and 重庆 are provincial whatever they call themselves (全市, 本市, 我市)."""
    assert meta.self_level(text) == "municipal"
    level, got = meta.self_region(text, "municipal")
    assert (level, got.name if got else None) == ("provincial", region)


def test_self_level_national_echo_outweighed():
    """A municipal notice echoes 党中央、国务院 and 我国; its own 全市/我市 decide."""
    text = (
        "我国数字经济快速发展。为贯彻党中央、国务院决策部署，结合我市实际，制定本方案。\n"
        "一、全市要加快建设算力中心。\n二、市工业和信息化局负责统筹，推动绵阳高新区建设。"
    )
    assert meta.self_level(text) == "municipal"
    assert meta.self_region(text, "municipal")[1].name == "绵阳市"


def test_self_level_none():
    assert meta.self_level("为规范管理，制定本办法。\n第一条 本办法自发布之日起施行。") is None


def test_level_region_body_only():
    """level_region falls back on self-references when no issuer, title place or number says it."""
    text = "为推进全市智慧停车设施建设，结合我市实际，制定本方案。\n一、在芜湖主城区建设停车诱导系统。"
    level, region = meta.level_region([], None, None, text)
    assert (level, region.name if region else None) == ("municipal", "芜湖市")


def _corpus_rows(corpus_dir) -> dict[str, dict]:
    rows = (json.loads(line) for line in (corpus_dir / "notices.jsonl").read_text(encoding="utf-8").splitlines())
    return {r["id"]: r for r in rows}


# Labelled body-only notices of the development corpus: no header, no signature.
CORPUS_LEVELS = [
    ("sd_central_82", "national", "中华人民共和国"),
    ("sd_central_8", "national", "中华人民共和国"),
    ("sd_central_70", "national", "中华人民共和国"),
    ("sd_central_166", "provincial", "山东省"),
    ("sd_shandong_52", "provincial", "山东省"),
    ("sd_shandong_25", "municipal", "济南市"),
    ("sd_shandong_47", "municipal", "济南市"),
    ("pt_150057", "provincial", "天津市"),  # 我市 of Tianjin
]


@pytest.mark.corpus
@pytest.mark.parametrize(("nid", "level", "region"), CORPUS_LEVELS)
def test_corpus_body_only_levels(corpus_dir, nid, level, region):
    from policykg.loaders.extract import extract_notice

    n = extract_notice(_corpus_rows(corpus_dir)[nid]["text"], source=nid, sha256="0")
    assert (n.level, n.region.name if n.region else None) == (level, region)


# -- 转发 cover notices ------------------------------------------------------------------------

FORWARD_SIGNED = (
    "各区县科技局：\n近日，省科技厅印发了《关于开展科技特派员服务行动的通知》（晋科农〔2031〕21号）。"
    "现将有关通知转发给你们，请按照要求组织申报。\n沁州市科学技术局\n2031年3月2日\n"
    "关于开展科技特派员服务行动的通知\n各市科技局：\n为贯彻落实《关于深入推行科技特派员制度的若干意见》"
    "（国办发〔2016〕32号），现就有关事项通知如下：\n一、服务内容\n略。\n山西省科学技术厅\n2031年2月20日\n"
)
FORWARD_BARE_DATE = (
    "各县人民政府：\n现将《江川省人民政府办公厅关于加强河湖管护的通知》（江政办发〔2030〕9号）转发给你们，"
    "请认真贯彻落实。\n二〇三〇年五月六日\n江川省人民政府办公厅关于加强河湖管护的通知\n各市人民政府：\n"
    "根据《某某河湖管理条例》，现就有关事项通知如下：\n一、加强巡查。\n江川省人民政府办公厅\n2030年4月28日\n"
)


def test_forward_cover_signed():
    fw = meta.forward_cover(FORWARD_SIGNED)
    assert fw is not None and not fw.adopted and fw.date == date(2031, 3, 2)
    assert FORWARD_SIGNED[: fw.end].endswith("2031年3月2日")
    assert meta.signature(FORWARD_SIGNED)[:2] == (["沁州市科学技术局"], date(2031, 3, 2))


def test_forward_cover_bare_date_line():
    """A bare date line closes the cover: its date, and no issuer from the forwarded text."""
    assert meta.signature(FORWARD_BARE_DATE)[:2] == ([], date(2030, 5, 6))
    assert meta.doc_date(FORWARD_BARE_DATE) == date(2030, 5, 6)
    assert meta.issuers(FORWARD_BARE_DATE, None) == []


def test_forward_adopted():
    text = "各省人民政府：\n某部《关于清理整顿某某协会的意见》已经国务院同意，现转发给你们，请认真贯彻执行。\n国务院办公厅\n1997年4月8日\n"
    fw = meta.forward_cover(text)
    assert fw is not None and fw.adopted


def test_forward_cover_in_extract():
    from policykg.loaders.extract import extract_notice

    n = extract_notice(FORWARD_SIGNED, source="x.txt", sha256="0")
    basis = [(c.title, c.number.canonical if c.number else None) for c in n.citations if c.kind == "basis"]
    assert basis == [("关于开展科技特派员服务行动的通知", "晋科农〔2031〕21号")]
    assert [a.name for a in n.issuers] == ["沁州市科学技术局"]
    assert n.date == date(2031, 3, 2)
    assert n.promulgates is None


@pytest.mark.corpus
def test_forward_cover_corpus(corpus_dir):
    """sd_shandong_8: a Qingdao bureau forwards a provincial notice; that notice is the basis."""
    from policykg.loaders.extract import extract_notice

    n = extract_notice(_corpus_rows(corpus_dir)["sd_shandong_8"]["text"], source="x", sha256="0")
    assert [c.number.canonical for c in n.citations if c.kind == "basis" and c.number] == ["鲁工信技〔2019〕56号"]
    assert {c.number.canonical for c in n.citations if c.number} == {"鲁工信技〔2019〕56号", "鲁工信技〔2018〕9号"}
    assert (n.date, n.level, n.region.name) == (date(2019, 4, 17), "municipal", "青岛市")


WRAPPED_TITLES = [
    (
        "国务院办公厅转发国家教委\n关于内地西藏班（校）扩大规模\n有关问题请示的通知\n国办发〔1996〕32号\n\n各省人民政府：\n正文。",
        "国务院办公厅转发国家教委关于内地西藏班（校）扩大规模有关问题请示的通知",
    ),
    (
        "江川省农业农村厅 江川省财政厅\n关于印发《江川省高标准农田\n建设项目管理办法》\n的通知\n江农发〔2031〕7号\n各市农业农村局：\n正文。",
        "江川省农业农村厅 江川省财政厅关于印发《江川省高标准农田建设项目管理办法》的通知",
    ),
]


WRAPPED_TITLES += [
    ("江川省智慧农业标准体系建设指南\n（2031 版）\n2031 年 3 月\n目 录\n", "江川省智慧农业标准体系建设指南（2031 版）"),
    ("江川省农业农村厅关于某某的通知\n（江农函〔2031〕3号）\n各市：\n", "江川省农业农村厅关于某某的通知"),
    (  # no title line: the name the opening gives it
        "为推动智慧渔业标准化，制定《江川省智慧渔业标准体系建设指南》。\n一、总体要求\n略。",
        "江川省智慧渔业标准体系建设指南",
    ),
]


@pytest.mark.parametrize(("text", "title"), WRAPPED_TITLES)
def test_title_wrapped_over_three_or_more_lines(text, title):
    assert meta.own_title(text) == title


# -- joint notices: every co-issuer ---------------------------------------------------------------


def test_joint_header_with_glued_number():
    text = (
        "江川省发展和改革委员会\n江川省交通运输厅江发改基础〔2031〕18号\n\n"
        "关于推进某某物流通道建设的通知\n各市发展改革委：\n正文。"
    )
    assert meta.header_organs(text) == ["江川省发展和改革委员会", "江川省交通运输厅"]
    assert meta.own_number(text).canonical == "江发改基础〔2031〕18号"


def test_joint_signature_blocks():
    text = "各市教育局：\n现就有关事项通知如下。\n一、略。\n江川省教育厅\n2031年4月11日\n江川省科学技术厅\n2031年4月11日\n"
    assert meta.signature(text)[:2] == (["江川省教育厅", "江川省科学技术厅"], date(2031, 4, 11))


def test_joint_letter_spaced_signature():
    text = (
        "各省、自治区、直辖市有关部门：\n现就有关事项通知如下。\n"
        "中 央 网 信 办　　　国 家 发 展 改 革 委\n工 业 和 信 息 化 部    公 安 部\n2031年3月1日\n"
    )
    assert meta.signature(text)[0] == ["中央网信办", "国家发展改革委", "工业和信息化部", "公安部"]


def test_joint_summarised_in_title():
    title = "江川省科学技术厅等4部门关于印发某某人才计划的通知"
    text = (
        title + "\n各市科技局：\n为贯彻落实《某某意见》，江川省科学技术厅、江川省财政厅、江川省教育厅、"
        "江川省人力资源和社会保障厅联合制定了某某人才计划，现印发给你们。\n"
    )
    assert meta.issuers(text, title) == ["江川省科学技术厅", "江川省财政厅", "江川省教育厅", "江川省人力资源和社会保障厅"]


def test_joint_title_run_together_split_by_signature():
    title = "吉林省发展改革委吉林省能源局关于印发某某办法的通知"
    text = title + "\n各市：\n现印发给你们。\n吉林省发展改革委\n\n吉林省能源局\n\n2031年10月8日\n"
    assert meta.issuers(text, title) == ["吉林省发展改革委", "吉林省能源局"]


def test_print_line_organ_issues_an_unsigned_text_unless_an_office():
    body = "为推动某某标准化，制定本指南。\n一、总体要求\n略。\n"
    assert meta.issuers(body + "江川省市场监督管理局 2031年8月4日印发\n", None) == ["江川省市场监督管理局"]
    assert meta.issuers(body + "江川省人民政府办公厅2031年8月4日印发\n", None) == []


def test_signature_date_wins_over_the_table():
    text = "成文日期：\n2004年04月17日\n标题：\n某某复函\n黑龙江省人民政府：\n同意。\n国务院办公厅\n二〇〇四年四月二十七日\n"
    assert meta.doc_date(text) == date(2004, 4, 27)


@pytest.mark.parametrize("key", ["print_office", "summarised"])
def test_meta_organs_cue_examples(key):
    entry = _data("meta_organs.json")[key]
    rx = re.compile(entry["regex"])
    assert all(rx.search(x) for x in entry["examples"])
    assert not any(rx.search(x) for x in entry.get("counter_examples", []))


def test_level_region_from_the_first_line_when_nothing_else():
    text = "2031年青川市公共文化中心部门预算情况表\n单位：万元\n合计 0.5\n"
    assert meta.level_region([], None, None, text) == (None, None)  # 青川市 is no place
    text = "2031年上海公共文化信息中心部门预算情况表\n单位：万元\n合计 0.5\n"
    level, region = meta.level_region([], None, None, text)
    assert (level, region.name) == ("provincial", "上海市")


def test_self_level_a_ministry_acting_is_national():
    text = "2031年5月17日，某某峰会在青川举办。工业和信息化部信息化和软件服务业司司长出席峰会并致辞。"
    assert meta.self_level(text) == "national"
    assert meta.self_level("积极争取工业和信息化部支持，全市各部门要加强协作。") == "municipal"



@pytest.mark.parametrize(
    ("seed", "level", "region"),
    [
        ("000_08e496a476ab88e2.txt", "municipal", "厦门市"),
        ("001_2de2f1255edc3fc5.txt", "municipal", "焦作市"),
        ("002_5cb87e2d2ab2f10e.txt", "municipal", "湛江市"),
        ("003_908c98fe01b87dba.txt", "provincial", "辽宁省"),
        ("004_8acc31f584f50ad2.txt", "national", "中华人民共和国"),
    ],
)
def test_seed_bodies_without_header_or_signature(seed, level, region):
    """The seeds cut down to their body (no header, title, number or signature lines above the
    first paragraph) keep their level and region, from self-references alone."""
    from pathlib import Path

    lines = (Path(__file__).resolve().parent.parent / "samples" / "seeds" / seed).read_text(encoding="utf-8").split("\n")
    first = next(k for k, line in enumerate(lines) if len(line) > 60)
    body = "\n".join(lines[first:])
    assert meta.self_level(body) == level
    got_level, got = meta.self_region(body, level)
    assert (got_level, got.name) == (level, region)


def _basis(n) -> set[str]:
    return {c.number.canonical if c.number else c.title.replace(" ", "") for c in n.citations if c.kind == "basis"}


# Labelled corpus notices: each shape as the labels have it.
CORPUS_FACTS = [
    ("pt_176014", "basis", {"中发〔2015〕9号"}),  # the web page's note (…本通知中附件…废止) is no basis
    ("pt_176014", "issuers", ["国家发展和改革委员会", "国家能源局"]),  # run together in the title
    ("sd_central_63", "basis", {"中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要", "国家标准化发展纲要"}),
    ("sd_central_63", "title", "国家智能制造标准体系建设指南（2021 版）"),
    ("sd_central_86", "title", "国家新一代人工智能标准体系建设指南"),
    ("sd_central_86", "issuers", ["国家标准化管理委员会"]),
    ("sd_central_70", "basis", {"中华人民共和国道路交通安全法", "中华人民共和国公路法"}),
    ("govcn_content_5351624", "date", date(2004, 4, 27)),  # the signature's date, not the table's
    ("sd_central_80", "issuers", ["国家发展和改革委员会", "中央网络安全和信息化委员会办公室", "工业和信息化部", "国家能源局"]),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("nid", "fact", "expected"), CORPUS_FACTS)
def test_corpus_labelled_facts(corpus_dir, nid, fact, expected):
    from policykg.loaders.extract import extract_notice

    n = extract_notice(_corpus_rows(corpus_dir)[nid]["text"], source=nid, sha256="0")
    got = {"basis": lambda: _basis(n), "issuers": lambda: [a.name for a in n.issuers]}.get(fact, lambda: getattr(n, fact))()
    assert got == expected


def test_forward_cover_with_title_and_number():
    from policykg.loaders.extract import extract_notice

    text = (
        "沁州市人民政府办公室关于转发《江川省人民政府办公厅关于加强河湖管护的通知》的通知\n沁政办发〔2030〕21号\n"
        "各县人民政府，市直各部门：\n现将《江川省人民政府办公厅关于加强河湖管护的通知》（江政办发〔2030〕9号）"
        "转发给你们，请认真贯彻落实。\n沁州市人民政府办公室\n2030年5月6日\n"
        "江川省人民政府办公厅关于加强河湖管护的通知\n各市人民政府：\n根据《某某河湖管理条例》，现就有关事项通知如下：\n"
        "一、加强巡查。\n江川省人民政府办公厅\n2030年4月28日\n"
    )
    n = extract_notice(text, source="x", sha256="0")
    assert (n.number.canonical, n.date, n.promulgates) == ("沁政办发〔2030〕21号", date(2030, 5, 6), None)
    assert [a.name for a in n.issuers] == ["沁州市人民政府办公室"]
    basis = [(c.title, c.number.canonical if c.number else None) for c in n.citations if c.kind == "basis"]
    assert basis == [("江川省人民政府办公厅关于加强河湖管护的通知", "江政办发〔2030〕9号")]
    assert ("某某河湖管理条例", "mention") in [(c.title, c.kind) for c in n.citations]


@pytest.mark.parametrize(
    ("line", "edition"),
    [("（2021 版）", True), ("（试行）", True), ("（征求意见稿）", True), ("（2031—2035年）", True),
     ("（此件公开发布）", False), ("（2031年3月1日）", False), ("（沁政办发〔2030〕21号）", False)],
)
def test_edition_line(line, edition):
    assert meta._is_edition(line) is edition


def test_joint_signature_short_names_on_one_line():
    text = "各省财政厅、教育厅：\n现就有关事项通知如下。\n一、略。\n教育部 财政部\n2031年6月1日\n"
    assert meta.signature(text)[0] == ["教育部", "财政部"]
