"""Citations: titles, numbers attached to them, kinds (basis / mention / draft), cue data."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from policykg.loaders import meta
from policykg.loaders.citations import (
    cited_facts,
    find_citations,
    find_titles,
    promulgated_title,
    title_key,
)
from policykg.loaders.docnumber import parse
from policykg.loaders.models import Citation

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"


def seed(n: str) -> str:
    return next(SEEDS.glob(f"{n}_*.txt")).read_text(encoding="utf-8")


def cites(text: str, **kw) -> list[tuple[str | None, str | None, str]]:
    return [(c.title, c.number.canonical if c.number else None, c.kind) for c in find_citations(text, **kw)]


def by_kind(cs, kind):
    return [(t, n) for t, n, k in cs if k == kind]


# -- seeds ------------------------------------------------------------------------------------


def test_seed_000():
    own = parse("厦府办〔2015〕134号")
    cs = cites(
        seed("000"),
        own=own,
        exclude_titles=[
            "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
            "厦门市贯彻实施质量发展纲要2015年行动计划",
        ],
    )
    assert by_kind(cs, "basis") == [
        ("质量发展纲要(2011-2020年)", None),
        ("国务院办公厅关于印发贯彻实施质量发展纲要2015年行动计划的通知", "国办发〔2015〕19号"),
        ("福建省人民政府办公厅关于印发福建省贯彻实施质量发展纲要2015年行动计划的通知", "闽政办〔2015〕74号"),
        ("厦门市人民政府关于印发进一步实施质量强市战略意见的通知", "厦府〔2015〕114号"),
    ]
    assert ("厦门市电梯安全管理办法", None, "draft") in cs
    assert ("计量发展规划(2013-2020)", None, "mention") in cs
    assert all(n != "厦府办〔2015〕134号" for _, n, _ in cs)


def test_seed_000_without_exclusions_still_drops_own_number():
    cs = cites(seed("000"), own=parse("厦府办〔2015〕134号"))
    assert all(n != "厦府办〔2015〕134号" for _, n, _ in cs)


def test_seed_001():
    cs = cites(seed("001"), own=parse("焦政〔2017〕12号"))
    assert [n for _, n in by_kind(cs, "basis")] == [
        "豫政〔2015〕29号",
        "豫政办〔2016〕193号",
        "焦政文〔2014〕111号",
    ]
    assert by_kind(cs, "basis")[0][0] == "河南省人民政府关于推动三个转变建设质量强省的实施意见"
    assert ("国务院关于印发质量发展纲要(2011-2020年)的通知", "国发〔2012〕9号", "mention") in cs


def test_seed_002_titles_without_numbers():
    cs = cites(seed("002"), exclude_titles=["湛江市开展质量提升行动的方案"])
    assert by_kind(cs, "basis") == [
        ("中共中央、国务院关于开展质量提升行动的指导意见", None),
        ("中共广东省委、广东省人民政府印发<关于开展质量提升行动的方案>的通知", None),
    ]


def test_seed_003_square_brackets():
    cs = cites(seed("003"))
    assert by_kind(cs, "basis") == [
        ("国务院办公厅关于印发贯彻实施质量发展纲要2012年行动计划的通知", "国办发〔2012〕27号")
    ]
    assert ("工业企业产品质量分类监管试行办法", None, "mention") in cs
    assert ("辽宁省食品安全条例", None, "draft") in cs  # …等地方法规的起草制定工作


def test_seed_004_drafts():
    cs = cites(seed("004"), exclude_titles=["2015年质量管理工作要点"])
    assert ("贯彻实施质量发展纲要2015年行动计划", None, "draft") in cs
    assert ("关于加快制造业质量升级促进经济持续健康发展的指导意见", None, "draft") in cs
    assert ("重大设备监理条例", None, "draft") in cs  # 完成《…》送审稿
    assert ("产品防伪监督管理条例", None, "draft") in cs  # 开展《…》立法研究
    assert ("质量发展纲要(2011-2020年)", None, "mention") in cs  # 开展《…》中期评估
    assert not by_kind(cs, "basis")


# -- variants ---------------------------------------------------------------------------------

VARIANTS = [
    # another province, full-width digits, a list after one cue
    (
        "为深入贯彻《国务院关于加快发展现代职业教育的决定》（国发〔２０１４〕１９号）、《浙江省人民政府关于"
        "印发浙江省现代职业教育体系建设规划的通知》（浙政发〔2015〕12号）和《杭州市职业教育条例》，"
        "结合我县实际，制定本方案。\n一、总体目标\n（一）对照《浙江省中长期教育改革和发展规划纲要》开展评估。",
        [
            ("国务院关于加快发展现代职业教育的决定", "国发〔2014〕19号", "basis"),
            ("浙江省人民政府关于印发浙江省现代职业教育体系建设规划的通知", "浙政发〔2015〕12号", "basis"),
            ("杭州市职业教育条例", None, "basis"),
            ("浙江省中长期教育改革和发展规划纲要", None, "mention"),
        ],
    ),
    # 【】 brackets, 按照国办发…, 和闽政办…
    (
        "按照国办发〔2015〕19号和闽政办〔2015〕74号文件精神，依据《龙岩市人民政府办公室关于加强质量工作的"
        "意见》【龙政办〔2016〕45号】，制定本计划。\n一、主要任务\n要抓紧修订《龙岩市质量奖管理办法》。",
        [
            (None, "国办发〔2015〕19号", "basis"),
            (None, "闽政办〔2015〕74号", "basis"),
            ("龙岩市人民政府办公室关于加强质量工作的意见", "龙政办〔2016〕45号", "basis"),
            ("龙岩市质量奖管理办法", None, "draft"),
        ],
    ),
    # a court case number is not cited; a number before its title is attached to it
    (
        "根据（2019）京01民初123号判决书，现将有关情况通报如下。\n一、基本情况\n"
        "参照国发〔2016〕5号《国务院关于深入推进新型城镇化建设的若干意见》执行。",
        [("国务院关于深入推进新型城镇化建设的若干意见", "国发〔2016〕5号", "mention")],
    ),
    # mixed brackets inside a list, 第一条 of a regulation as the purpose sentence
    (
        "第一章 总则\n第一条 根据《专业技术人才知识更新工程实施方案》(人社部发〔2021)73号)、"
        "《专业技术人才知识更新工程数字技术工程师培育项目实施办法》(人社厅发(2021〕71号)，制定本办法。\n"
        "第二条 本办法参照《职业技能等级认定工作规程》执行。",
        [
            ("专业技术人才知识更新工程实施方案", "人社部发〔2021〕73号", "basis"),
            ("专业技术人才知识更新工程数字技术工程师培育项目实施办法", "人社厅发〔2021〕71号", "basis"),
            ("职业技能等级认定工作规程", None, "mention"),
        ],
    ),
    # a comma-separated list and a title with an inner 《》
    (
        "为落实《关于印发《湖南省质量强省建设纲要》的通知》，《湖南省标准化条例》要求，制定本方案。\n一、",
        [
            ("关于印发《湖南省质量强省建设纲要》的通知", None, "basis"),
            ("湖南省标准化条例", None, "basis"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), VARIANTS)
def test_variants(text, expected):
    assert cites(text) == expected


def test_citation_spans_cover_title_and_number():
    text = "为贯彻落实《国务院关于印发质量发展纲要(2011-2020年)的通知》(国发〔2012〕9号)，制定本方案。"
    (c,) = find_citations(text)
    assert text[c.span[0] : c.span[1]] == "《国务院关于印发质量发展纲要(2011-2020年)的通知》(国发〔2012〕9号)"
    assert c.number.surface == "国发〔2012〕9号"


def test_find_titles_nested():
    text = "认真落实《中共广东省委、广东省人民政府印发<关于开展质量提升行动的方案>的通知》和《关于印发《A》的通知》"
    assert [t for t, _ in find_titles(text)] == [
        "中共广东省委、广东省人民政府印发<关于开展质量提升行动的方案>的通知",
        "关于印发《A》的通知",
    ]


# -- titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("质量发展纲要(2011-2020年)", "质量发展纲要（２０１１—２０２０年）"),
        ("《“十四五”数字经济发展规划》", "“十四五” 数字经济发展规划"),
        ("关于印发〈A〉的通知", "关于印发<A>的通知"),
        ("计量发展规划(2013~2020)", "计量发展规划（2013－2020）"),
    ],
)
def test_title_key_equal(a, b):
    assert title_key(a) == title_key(b)


def test_title_key_keeps_words():
    assert title_key("质量发展纲要(2011-2020年)") == "质量发展纲要20112020年"


@pytest.mark.parametrize(
    ("title", "inner"),
    [
        (
            "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
            "厦门市贯彻实施质量发展纲要2015年行动计划",
        ),
        ("国务院关于印发质量发展纲要(2011-2020年)的通知", "质量发展纲要(2011-2020年)"),
        ("上海市民政局关于印发《2017年上海民政减灾救灾工作要点》的通知", "2017年上海民政减灾救灾工作要点"),
        ("中共广东省委、广东省人民政府印发<关于开展质量提升行动的方案>的通知", "关于开展质量提升行动的方案"),
        (
            "国务院办公厅转发国家发展改革委关于推进价格机制改革若干意见的通知",
            "国家发展改革委关于推进价格机制改革若干意见",
        ),
        (
            "国家发展改革委国家能源局关于印发〈售电公司准入与退出管理办法〉和〈有序放开配电网业务管理办法〉的通知",
            "售电公司准入与退出管理办法",
        ),
        ("焦作市人民政府关于深入开展质量强市建设的实施意见", None),
        ("湛江市开展质量提升行动的方案", None),
    ],
)
def test_promulgated_title(title, inner):
    assert promulgated_title(title) == inner


# -- cited facts ------------------------------------------------------------------------------


def test_cited_facts_from_title():
    agencies, level, region = cited_facts(Citation("福建省人民政府办公厅关于印发…的通知", None, "basis"))
    assert [a.name for a in agencies] == ["福建省人民政府办公厅"]
    assert level == "provincial"
    assert region is not None and region.name == "福建省"


def test_cited_facts_joint_national():
    agencies, level, region = cited_facts(
        Citation("中共中央、国务院关于开展质量提升行动的指导意见", None, "basis")
    )
    assert len(agencies) == 2 and agencies[1].name == "国务院"
    assert level == "national" and region is not None and region.level == "national"


def test_cited_facts_municipal():
    _, level, region = cited_facts(
        Citation("厦门市人民政府关于印发进一步实施质量强市战略意见的通知", parse("厦府〔2015〕114号"))
    )
    assert level == "municipal" and region.name == "厦门市" and region.province == "福建省"


def test_cited_facts_from_number_only():
    agencies, level, region = cited_facts(Citation(None, parse("闽政办〔2015〕74号")))
    assert [a.name for a in agencies] == ["福建省人民政府办公厅"]
    assert (level, region.name) == ("provincial", "福建省")


def test_cited_facts_relative_name_in_context():
    from policykg.loaders import regions

    agencies, level, region = cited_facts(
        Citation("省政府关于加快发展的意见", None), regions.lookup("福建省")
    )
    assert level == "provincial" and region.name == "福建省"
    assert agencies[0].surface == "省政府"
    assert cited_facts(Citation("省政府关于加快发展的意见", None))[1:] == ("provincial", None)


def test_cited_facts_title_without_organ():
    assert cited_facts(Citation("质量发展纲要(2011-2020年)", None)) == ((), None, None)


# -- data -------------------------------------------------------------------------------------


def _cues() -> dict:
    return json.loads(
        resources.files("policykg.loaders").joinpath("data", "citation_cues.json").read_text(encoding="utf-8")
    )


def test_cue_examples():
    data = _cues()
    for name in ("basis", "draft_before", "draft_after", "instruction", "background", "appeal", "editorial", "not_documents", "bare_law", "forward", "guiding_section"):
        for ex in data[name]["examples"]:
            assert [c.kind for c in find_citations(ex["text"])] == ex["kinds"], ex["text"]
    for ex in data["basis_section"]["examples"]:
        assert [c.kind for c in find_citations(ex["text"])] == ex["kinds"], ex["text"]
    for ex in data["mention_examples"]:
        assert [c.kind for c in find_citations(ex["text"])] == ex["kinds"], ex["text"]


def test_purpose_and_section_examples():
    import re

    data = _cues()
    types = "|".join(meta.doctype_suffixes())
    for ex in data["purpose"]["examples"]:
        assert re.search(data["purpose"]["regex"].replace("{types}", types), ex), ex
    for ex in data["not_documents"]["counter_examples"]:
        assert not re.search(data["not_documents"]["regex"], ex), ex
    for ex in data["sections"]["examples"]:
        assert re.search(data["sections"]["regex"], ex)


def test_self_references_are_not_citations():
    text = (
        "现印发给你们。各试点城市要按照《方案》要求，结合实际；根据《本办法》和《国家标准化发展纲要》执行。"
    )
    assert [c.title for c in find_citations(text)] == ["国家标准化发展纲要"]
    for ex in _cues()["self_reference"]["examples"]:
        assert find_citations(f"按照《{ex}》执行") == []


# Basis and not-basis shapes in the wording of several provinces (invented documents and numbers).
BASIS_SHAPES = [
    (
        "依据《中华人民共和国安全生产法》和《江川省安全生产条例》等法律法规，结合本市实际，制定本细则。\n第一章",
        [("中华人民共和国安全生产法", "basis"), ("江川省安全生产条例", "basis")],
    ),
    (
        "按照省委办公厅、省政府办公厅《关于深化山区综合改革的意见》（江办发〔2030〕12号）精神，现就有关事项提出如下实施意见：\n一、",
        [("关于深化山区综合改革的意见", "basis")],
    ),
    (
        "第一条　为了规范河道采砂，根据中华人民共和国水法、中华人民共和国防洪法等法律，结合本省实际，制定本办法。\n第二条　略。",
        [("中华人民共和国水法", "basis"), ("中华人民共和国防洪法", "basis")],
    ),
    (
        "2029年，省政府印发了《江川省数字乡村建设规划》（江政发〔2029〕3号）。为推进数字乡村建设，制定本方案。\n一、",
        [("江川省数字乡村建设规划", "mention")],
    ),
    (
        "同意你单位的申请。如对本决定不服，可依照《中华人民共和国行政复议法》申请行政复议，或者依照《中华人民共和国行政诉讼法》提起行政诉讼。",
        [("中华人民共和国行政复议法", "mention"), ("中华人民共和国行政诉讼法", "mention")],
    ),
    (
        "为规范特种设备管理，依据《特种设备安全监察条例》，制定本办法。持《特种设备使用登记证》和《营业执照》办理。\n一、",
        [("特种设备安全监察条例", "basis")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BASIS_SHAPES)
def test_basis_shapes(text, expected):
    assert [(c.title, c.kind) for c in find_citations(text)] == expected
