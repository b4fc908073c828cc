"""Stated metadata (page fields, table columns) laid over what the text gives."""

from __future__ import annotations

import json
from datetime import date

import pytest

from policykg.loaders import given as g
from policykg.loaders.extract import extract_notice

BODY = """关于做好冬季清洁取暖工作的通知

各县（市、区）人民政府，市政府各部门：
为做好今冬清洁取暖工作，现将有关事项通知如下。
一、加强组织领导。
二、落实资金保障。

平川市人民政府办公室
2021年10月8日
"""


def _notice(**given: object):
    return extract_notice(BODY, source="x.txt", sha256="0" * 64, given=given or None)


@pytest.mark.parametrize(
    ("value", "concept"),
    [
        ("现行有效", "inForce"),
        ("有效", "inForce"),
        ("已废止", "notInForce"),
        ("失效", "notInForce"),
        ("部分失效", "partiallyInForce"),
        ("已被修改", "partiallyInForce"),
        ("【已废止】", "notInForce"),
        ("", None),
        ("暂无", None),
    ],
)
def test_validity_values(value: str, concept: str | None) -> None:
    assert g.in_force_of(value) == concept


@pytest.mark.parametrize(
    ("title", "clean", "concept"),
    [
        ("[已废止]青州市关于印发某办法的通知", "青州市关于印发某办法的通知", "notInForce"),
        ("【失效】 关于某事的通知", "关于某事的通知", "notInForce"),
        ("（部分失效）关于某事的通知", "关于某事的通知", "partiallyInForce"),
        ("关于【失效】文件清理的通知", "关于【失效】文件清理的通知", None),
    ],
)
def test_title_prefix(title: str, clean: str, concept: str | None) -> None:
    assert g.strip_validity_prefix(title) == (clean, concept)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("科学技术部、财政部", ["科学技术部", "财政部"]),
        ("['科学技术部', '财政部']", ["科学技术部", "财政部"]),
        ('["教育部"]', ["教育部"]),
        ("国家发展改革委，工业和信息化部;商务部", ["国家发展改革委", "工业和信息化部", "商务部"]),
        (["平川市人民政府", " 平川市财政局 "], ["平川市人民政府", "平川市财政局"]),
        ("国家发展和改革委员会(含原国家发展计划委员会、原国家计划委员会)、科技部",
         ["国家发展和改革委员会(含原国家发展计划委员会、原国家计划委员会)", "科技部"]),
        ("平川市人民政府办公室（平川市政府研究室、平川市外事办），平川市科技局",
         ["平川市人民政府办公室(平川市政府研究室、平川市外事办)", "平川市科技局"]),
    ],
)
def test_split_names(cell: object, names: list[str]) -> None:
    assert g.split_names(cell) == names  # type: ignore[arg-type]


def test_no_given_keeps_the_text_facts() -> None:
    n = _notice()
    assert n.title == "关于做好冬季清洁取暖工作的通知"
    assert n.date == date(2021, 10, 8)
    assert n.conflicts == ()
    assert n.in_force is None


def test_stated_fields_win_and_disagreements_are_recorded() -> None:
    n = _notice(
        number="平政办发[2021]37号",
        title="平川市人民政府办公室关于做好冬季清洁取暖工作的通知",
        issuer="平川市人民政府办公室",
        date="2021年10月9日",
        published="2021-10-12",
        validity="现行有效",
        url="http://www.example.gov.cn/zwgk/1.html",
    )
    assert n.number is not None and n.number.canonical == "平政办发〔2021〕37号"
    assert n.title == "平川市人民政府办公室关于做好冬季清洁取暖工作的通知"
    assert n.date == date(2021, 10, 9)
    assert n.published == date(2021, 10, 12)
    assert n.in_force == "inForce"
    assert n.url == "http://www.example.gov.cn/zwgk/1.html"
    fields = {c.field: (c.stated, c.found) for c in n.conflicts}
    assert fields["date"] == ("2021-10-09", "2021-10-08")
    assert fields["title"][1] == "关于做好冬季清洁取暖工作的通知"
    assert "number" not in fields  # the text states none: nothing to disagree with


def test_same_value_is_no_conflict() -> None:
    n = _notice(date="2021-10-08", title="关于做好冬季清洁取暖工作的通知")
    assert n.conflicts == ()
    assert n.date == date(2021, 10, 8)


def test_issuer_gives_level_and_region_when_the_text_does_not() -> None:
    text = "关于开展某项检查的通知\n\n各有关单位：\n请按要求开展检查。\n"
    plain = extract_notice(text, source="y.txt", sha256="0" * 64)
    n = extract_notice(text, source="y.txt", sha256="0" * 64, given={"issuer": "湖南省科学技术厅"})
    assert [a.name for a in n.issuers] == ["湖南省科学技术厅"]
    assert n.level == "provincial" and n.region is not None and n.region.name == "湖南省"
    assert plain.level != "provincial" or plain.region is None or plain.region.name != "湖南省"


@pytest.mark.parametrize(
    ("level", "expected"),
    [("国家级", "national"), ("省级", "provincial"), ("市级", "municipal"), ("县级市", "county"),
     ("municipal", "municipal"), ("地方规范性文件", None)],
)
def test_stated_level(level: str, expected: str | None) -> None:
    text = "关于开展某项检查的通知\n\n各有关单位：\n请按要求开展检查。\n"
    n = extract_notice(text, source="y.txt", sha256="0" * 64, given={"level": level})
    plain = extract_notice(text, source="y.txt", sha256="0" * 64)
    assert n.level == (expected or plain.level)


def test_stated_region() -> None:
    text = "关于开展某项检查的通知\n\n各有关单位：\n请按要求开展检查。\n"
    n = extract_notice(text, source="y.txt", sha256="0" * 64, given={"region": "株洲市"})
    assert n.region is not None and n.region.name == "株洲市" and n.level == "municipal"


def test_values_file_is_consistent() -> None:
    from importlib import resources

    data = json.loads(resources.files("policykg.loaders").joinpath("data", "given_values.json").read_text("utf-8"))
    assert set(data["validity"]) == {"inForce", "partiallyInForce", "notInForce"}
    for entry in data["validity"].values():
        for word in entry["prefix"]:
            assert g.in_force_of(word) is not None
    assert set(data["level"]) == {"national", "provincial", "municipal", "county"}


@pytest.mark.parametrize("name, title, full", [
    ("省财政厅", "河北省财政厅关于青禾种子站的行政处罚决定书", "河北省财政厅"),
    ("省政府办公厅", "浙江省人民政府办公厅关于加快发展林下经济的意见", "浙江省人民政府办公厅"),
    ("省财政厅", "四川省发展改革委 四川省财政厅关于规范县域客运站收费的通知", "四川省财政厅"),
    ("县政府办", "临泽县人民政府办公室关于做好春季植树造林工作的通知", "临泽县人民政府办公室"),
    ("市政府", "关于做好防汛工作的通知", "市政府"),  # the title names no issuer
    ("省财政厅", "遵义市财政局关于做好预算公开的通知", "省财政厅"),  # another organ
    ("河北省财政厅", "河北省财政厅关于青禾种子站的行政处罚决定书", "河北省财政厅"),
])
def test_relative_stated_name_completed_from_the_title(name: str, title: str, full: str) -> None:
    assert g._completed(name, title) == full


def test_short_publisher_becomes_the_full_issuer_with_its_level() -> None:
    text = "青禾种子站：\n经查，你单位在政府采购活动中提供虚假材料，现决定处以罚款。"
    notice = extract_notice(text, source="a.html", sha256="0" * 64, given={
        "title": "河北省财政厅关于青禾种子站的行政处罚决定书", "publisher": "省财政厅", "number": "冀财处罚〔2031〕1号"})
    assert [a.name for a in notice.issuers] == ["河北省财政厅"]
    assert notice.level == "provincial" and notice.region.name == "河北省"
