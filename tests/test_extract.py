"""extract_notice on the seeds, on real corpus notices (tests/data/notices_sample.jsonl) and on
written variants; the corpus-wide figures when the development corpus is present."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from policykg.loaders.extract import extract_notice
from policykg.loaders.models import Notice

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"
SAMPLE = Path(__file__).parent / "data" / "notices_sample.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus" / "notices.jsonl"


def seed(n: str) -> Notice:
    path = next(SEEDS.glob(f"{n}_*.txt"))
    return extract_notice(path.read_text(encoding="utf-8"), source=path.name, sha256="0" * 64)


def text_notice(text: str) -> Notice:
    return extract_notice(text, source="variant.txt", sha256="0" * 64)


def facts(n: Notice) -> dict:
    return {
        "number": n.number.canonical if n.number else None,
        "title": n.title,
        "issuers": [a.name for a in n.issuers],
        "date": n.date,
        "level": n.level,
        "region": n.region.name if n.region else None,
    }


# -- seeds ------------------------------------------------------------------------------------


def test_seed_000():
    n = seed("000")
    assert facts(n) == {
        "number": "厦府办〔2015〕134号",
        "title": "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
        "issuers": ["厦门市人民政府办公厅"],
        "date": date(2015, 7, 15),
        "level": "municipal",
        "region": "厦门市",
    }
    assert n.region.province == "福建省"
    assert n.published == date(2015, 7, 16)  # 厦门市人民政府办公厅2015年7月16日印发
    assert n.doctype == "通知"
    assert n.promulgates == "厦门市贯彻实施质量发展纲要2015年行动计划"
    basis = [(c.title, c.number.canonical if c.number else None) for c in n.citations if c.kind == "basis"]
    assert basis[0] == ("质量发展纲要(2011-2020年)", None)
    assert [b[1] for b in basis[1:]] == ["国办发〔2015〕19号", "闽政办〔2015〕74号", "厦府〔2015〕114号"]
    assert {c.title for c in n.citations if c.kind == "draft"} >= {"厦门市电梯安全管理办法"}
    assert all(c.number is None or c.number.canonical != "厦府办〔2015〕134号" for c in n.citations)
    assert all(c.title != n.title and c.title != n.promulgates for c in n.citations)


def test_seed_001():
    n = seed("001")
    assert facts(n) == {
        "number": "焦政〔2017〕12号",
        "title": "焦作市人民政府关于深入开展质量强市建设的实施意见",
        "issuers": ["焦作市人民政府"],
        "date": date(2017, 5, 3),
        "level": "municipal",
        "region": "焦作市",
    }
    assert n.region.province == "河南省"
    assert n.published == date(2017, 5, 12)
    assert n.doctype == "实施意见"
    assert n.promulgates is None
    basis = [c.number.canonical for c in n.citations if c.kind == "basis"]
    assert basis == ["豫政〔2015〕29号", "豫政办〔2016〕193号", "焦政文〔2014〕111号"]
    assert [c.kind for c in n.citations if c.number and c.number.canonical == "国发〔2012〕9号"] == [
        "mention"
    ]


def test_seed_002():
    n = seed("002")
    assert n.number is None
    assert n.title == "湛江市开展质量提升行动的方案"
    assert (n.level, n.region.name, n.region.province) == ("municipal", "湛江市", "广东省")
    assert n.doctype == "方案"
    assert [c.title for c in n.citations if c.kind == "basis"] == [
        "中共中央、国务院关于开展质量提升行动的指导意见",
        "中共广东省委、广东省人民政府印发<关于开展质量提升行动的方案>的通知",
    ]


def test_seed_003():
    n = seed("003")
    assert n.number is None  # it cites 国办发[2012]27号 but states no number of its own
    assert (
        n.title == "辽宁省人民政府办公厅关于印发辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案的通知"
    )
    assert [a.name for a in n.issuers] == ["辽宁省人民政府办公厅"]
    assert (n.level, n.region.name) == ("provincial", "辽宁省")
    assert n.promulgates == "辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案"
    assert [c.number.canonical for c in n.citations if c.kind == "basis"] == ["国办发〔2012〕27号"]


def test_seed_004():
    n = seed("004")
    assert n.number is None
    assert n.title == "2015年质量管理工作要点"  # no title line: the promulgated heading
    assert n.doctype == "工作要点"
    (issuer,) = n.issuers
    assert issuer.name == "国家质量监督检验检疫总局质量管理司" and issuer.surface == "质量管理司"
    assert n.date == date(2015, 2, 15)
    assert n.level == "national" and n.region.level == "national"
    assert not [c for c in n.citations if c.kind == "basis"]
    assert ("贯彻实施质量发展纲要2015年行动计划", "draft") in [(c.title, c.kind) for c in n.citations]


# -- real corpus notices (copied) -------------------------------------------------------------

# id → expected facts (only the keys given are checked)
SAMPLE_EXPECTED = {
    "govcn_content_5362266": {  # gov.cn metadata table
        "number": "国办发〔2019〕4号",
        "title": "国务院办公厅关于加强三级公立医院绩效考核工作的意见",
        "issuers": ["国务院办公厅"],
        "date": date(2019, 1, 16),
        "published": date(2019, 1, 30),
        "level": "national",
        "doctype": "意见",
    },
    "govcn_content_5351718": {  # gov.cn table, joint issuers
        "number": "国办发〔1996〕25号",
        "issuers_surface": ["国务院办公厅", "中央军委办公厅"],
        "date": date(1996, 6, 29),
        "level": "national",
        "doctype": "通知",
    },
    "pt_301789": {  # provincial portal table (文号:), joint title organs with a full-width space
        "number": "浙政发〔2004〕4号",
        "issuers": ["浙江省人民政府", "浙江省军区"],
        "date": date(2004, 2, 2),
        "level": "provincial",
        "region": "浙江省",
        "doctype": "通报",
    },
    "pt_167051": {  # number line above the title line, municipal bureau of a provincial-level city
        "number": "沪民救发〔2017〕9号",
        "title": "上海市民政局关于印发《2017年上海民政减灾救灾工作要点》的通知",
        "issuers": ["上海市民政局"],
        "date": date(2017, 2, 21),
        "region": "上海市",
        "promulgates": "2017年上海民政减灾救灾工作要点",
    },
    "pt_292218": {  # an order, signed by the governor, Chinese-numeral date
        "number": "湖北省人民政府令第282号",
        "title": "湖北省推广使用车用乙醇汽油试点办法",
        "issuers": ["湖北省人民政府"],
        "date": date(2005, 11, 21),
        "level": "provincial",
        "doctype": "办法",
    },
    "pt_95047": {  # a ministry's department with its number before the title
        "number": "自然资矿保函〔2020〕5号",
        "issuers": ["自然资源部矿产资源保护监督司"],
        "level": "national",
        "doctype": "函",
    },
    "pt_176849": {"number": "农办计〔2016〕92号", "issuers_surface": ["农业部办公厅"], "doctype": "批复"},
    "sd_shandong_8": {  # a Shandong bureau notice without number
        "number": None,
        "issuers": ["青岛市工业和信息化局"],
        "date": date(2019, 4, 17),
        "level": "municipal",
        "region": "青岛市",
    },
    "sd_shandong_30": {"number": None, "issuers": [], "level": "provincial"},  # 各市工业和信息化局：
    "sd_shandong_5": {
        "number": None,
        "issuers": ["山东省人民政府"],
        "level": "provincial",
        "region": "山东省",
    },
    "sd_shandong_32": {  # three bureaus in the header of a joint notice
        "number": "济工信装备字〔2022〕1号",
        "issuers": ["济南市工业和信息化局", "济南市公安局", "济南市城乡交通运输局"],
        "level": "municipal",
        "region": "济南市",
        "promulgates": "济南市智能网联汽车道路测试与示范应用管理办法（试行）",
    },
    "sd_central_21": {"number": None, "level": "national"},  # addressed to 各省、自治区、直辖市…
    "sd_central_39": {
        "title": "中小企业数字化转型指南",
        "issuers": ["工业和信息化部办公厅"],
        "date": date(2022, 11, 3),
        "level": "national",
    },
    "mk_广东省公共数据管理办法(FBM-CLI.11.4619854)": {
        "number": "广东省人民政府令第290号",
        "title": "广东省公共数据管理办法",
        "issuers": ["广东省人民政府"],
        "date": date(2021, 10, 18),
        "region": "广东省",
    },
}


def _sample() -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}


@pytest.mark.parametrize("doc_id", sorted(SAMPLE_EXPECTED))
def test_sample_notice(doc_id):
    row = _sample()[doc_id]
    n = extract_notice(row["text"], source=doc_id, sha256="0" * 64)
    got = facts(n) | {
        "published": n.published,
        "doctype": n.doctype,
        "promulgates": n.promulgates,
        "issuers_surface": [a.surface for a in n.issuers],
    }
    for key, want in SAMPLE_EXPECTED[doc_id].items():
        assert got[key] == want, (doc_id, key)
    if row.get("doc_number"):
        assert got["number"] == row["doc_number"]


def test_sample_sd_central_5_mixed_brackets():
    n = extract_notice(_sample()["sd_central_5"]["text"], source="x", sha256="0")
    assert [(c.number.canonical, c.kind) for c in n.citations if c.number] == [
        ("人社部发〔2021〕73号", "basis"),
        ("人社厅发〔2021〕71号", "basis"),
    ]


# -- written variants -------------------------------------------------------------------------

COUNTY = """长汀县人民政府办公室关于印发长汀县质量强县工作方案的通知
汀政办〔2016〕45号
各乡（镇）人民政府，县直各单位：
《长汀县质量强县工作方案》已经县人民政府同意，现印发给你们，请认真贯彻执行。
长汀县人民政府办公室
二〇一六年三月十日
长汀县质量强县工作方案
为贯彻落实《龙岩市人民政府关于开展质量强市活动的实施意见》（龙政综〔2015〕88号），结合我县实际，制定本方案。
一、工作目标
（一）到2018年，全县产品质量合格率达到95%。（县市场监管局牵头，县发改局配合）
"""


def test_county_variant():
    n = text_notice(COUNTY)
    assert facts(n) == {
        "number": "汀政办〔2016〕45号",
        "title": "长汀县人民政府办公室关于印发长汀县质量强县工作方案的通知",
        "issuers": ["长汀县人民政府办公室"],
        "date": date(2016, 3, 10),
        "level": "county",
        "region": "长汀县",
    }
    assert n.region.province == "福建省"
    assert n.promulgates == "长汀县质量强县工作方案"
    assert [(c.number.canonical, c.kind) for c in n.citations] == [("龙政综〔2015〕88号", "basis")]


BRACKETS = """鲁政办字【2019】12号
山东省人民政府办公厅关于推进质量提升的意见
各市人民政府，各县（市、区）人民政府，省政府各部门、各直属机构：
根据国务院办公厅（国办发[2018]10号）要求，经省政府同意，现提出如下意见。
一、总体要求
……
山东省人民政府办公厅
2019年3月1日
（此件公开发布）
"""


def test_bracket_variant():
    n = text_notice(BRACKETS)
    assert facts(n) == {
        "number": "鲁政办字〔2019〕12号",
        "title": "山东省人民政府办公厅关于推进质量提升的意见",
        "issuers": ["山东省人民政府办公厅"],
        "date": date(2019, 3, 1),
        "level": "provincial",
        "region": "山东省",
    }
    assert n.doctype == "意见"
    assert [(c.number.canonical, c.kind) for c in n.citations] == [("国办发〔2018〕10号", "basis")]


def test_paren_number_and_chinese_date_variant():
    text = (
        "成都市人民政府关于加快质量强市建设的实施意见\n成府发(2018)7号\n各区（市）县政府，市政府各部门：\n"
        "为落实《四川省人民政府关于加快建设质量强省的意见》（川府发〔2017〕40号），提出如下意见。\n一、总体要求\n"
        "成都市人民政府\n二○一八年四月二日\n"
    )
    n = text_notice(text)
    assert facts(n) == {
        "number": "成府发〔2018〕7号",
        "title": "成都市人民政府关于加快质量强市建设的实施意见",
        "issuers": ["成都市人民政府"],
        "date": date(2018, 4, 2),
        "level": "municipal",
        "region": "成都市",
    }


def test_empty_text():
    n = text_notice("")
    assert (n.number, n.title, n.issuers, n.date, n.level, n.citations) == (None, None, (), None, None, ())


# -- the development corpus -------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="development corpus absent")
def test_corpus_agreement():
    from policykg.loaders.docnumber import canonicalize

    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    numbered = [r for r in rows if r.get("doc_number")]
    agree = 0
    for r in numbered:
        n = extract_notice(r["text"], source=r["id"], sha256="0")
        agree += bool(n.number and n.number.canonical == canonicalize(r["doc_number"]))
    assert agree == len(numbered)
