"""机关代字 → issuer: the derived table, the rules, and their examples."""

from __future__ import annotations

import csv
import functools
import json
import re
from pathlib import Path

import pytest

from policykg.loaders import codes, docnumber, regions
from policykg.loaders.codes import IssuerGuess
from policykg.loaders.models import LEVELS

DATA = Path(__file__).resolve().parent.parent / "loaders" / "data"
RULES = json.loads((DATA / "issuer_codes_rules.json").read_text(encoding="utf-8"))


def _table() -> list[dict[str, str]]:
    with (DATA / "issuer_codes.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


CASES = [
    # code, issuer, level, region
    ("国办发", "国务院办公厅", "national", "中华人民共和国"),
    ("国发", "国务院", "national", "中华人民共和国"),
    ("国函", "国务院", "national", "中华人民共和国"),
    ("国办函", "国务院办公厅", "national", "中华人民共和国"),
    ("国办发明电", "国务院办公厅", "national", "中华人民共和国"),
    ("中发", "中共中央", "national", "中华人民共和国"),
    ("中办发", "中共中央办公厅", "national", "中华人民共和国"),
    ("闽政办", "福建省人民政府办公厅", "provincial", "福建省"),
    ("豫政", "河南省人民政府", "provincial", "河南省"),
    ("豫政办", "河南省人民政府办公厅", "provincial", "河南省"),
    ("厦府", "厦门市人民政府", "municipal", "厦门市"),
    ("厦府办", "厦门市人民政府办公室", "municipal", "厦门市"),
    ("焦政", "焦作市人民政府", "municipal", "焦作市"),
    ("焦政文", "焦作市人民政府", "municipal", "焦作市"),
    ("粤府", "广东省人民政府", "provincial", "广东省"),
    ("粤府办", "广东省人民政府办公厅", "provincial", "广东省"),
    ("辽政发", "辽宁省人民政府", "provincial", "辽宁省"),
    ("辽政办发", "辽宁省人民政府办公厅", "provincial", "辽宁省"),
    ("沪府办", "上海市人民政府办公厅", "provincial", "上海市"),
    ("晋政办发", "山西省人民政府办公厅", "provincial", "山西省"),
    ("川府函", "四川省人民政府", "provincial", "四川省"),
    ("川办发", "四川省人民政府办公厅", "provincial", "四川省"),
    ("黔府发", "贵州省人民政府", "provincial", "贵州省"),
    ("云政发", "云南省人民政府", "provincial", "云南省"),
    ("内政发", "内蒙古自治区人民政府", "provincial", "内蒙古自治区"),
    ("宁政办发", "宁夏回族自治区人民政府办公厅", "provincial", "宁夏回族自治区"),
    ("人社部发", "人力资源和社会保障部", "national", "中华人民共和国"),
    ("工信部联科", "工业和信息化部", "national", "中华人民共和国"),
    ("国科发火", "科学技术部", "national", "中华人民共和国"),
    ("榕政办", "福州市人民政府办公室", "municipal", "福州市"),  # 榕 for 福州, attested in the data
    ("乌海政发", "乌海市人民政府", "municipal", "乌海市"),
    ("宁夏回族自治区人民政府令", "宁夏回族自治区人民政府", "provincial", "宁夏回族自治区"),
    ("财税", "财政部", "national", "中华人民共和国"),  # 财 opens only 财政部 codes in the data
    ("发改价格", "国家发展和改革委员会", "national", "中华人民共和国"),
    # departments: region prefix + a stem learned from the table (not seen as such)
    ("辽住建", "辽宁省住房和城乡建设厅", "provincial", "辽宁省"),
    ("辽财税", "辽宁省财政厅", "provincial", "辽宁省"),
    ("辽人社", "辽宁省人力资源和社会保障厅", "provincial", "辽宁省"),
    ("闽教", "福建省教育厅", "provincial", "福建省"),
    ("沪教委基", "上海市教育委员会", "provincial", "上海市"),
    ("厦科", "厦门市科学技术局", "municipal", "厦门市"),
    ("焦科", "焦作市科学技术局", "municipal", "焦作市"),
]


@pytest.mark.parametrize(("code", "issuer", "level", "region"), CASES)
def test_issuer_for_code(code, issuer, level, region):
    guess = codes.issuer_for_code(code)
    assert guess is not None, code
    assert (guess.name, guess.level, guess.region.name) == (issuer, level, region)


def test_parent_region_of_guess():
    guess = codes.issuer_for_code("厦府办")
    assert guess.region == regions.lookup("厦门市")
    assert guess.region.province == "福建省"


def test_code_as_written_in_text():
    # stray spaces and half-width brackets are normalized for lookup
    assert codes.issuer_for_code(" 豫政办 ").name == "河南省人民政府办公厅"
    d = docnumber.parse("豫政办 〔2016〕193号")
    assert codes.issuer_for_code(d.code).name == "河南省人民政府办公厅"
    assert codes.normalize_code("宁建(科)发") == "宁建（科）发"


def test_unknown_codes():
    assert codes.issuer_for_code("") is None
    assert codes.issuer_for_code("辽工商发") is None  # 工商 is not 工信: no guess rather than a wrong one
    assert codes.issuer_for_code("台科") is None or codes.issuer_for_code("台科").region.name == "台州市"
    assert codes.issuer_for_code("政发") is None  # a suffix without a region
    assert codes.issuer_for_code("某某某") is None


def test_within_breaks_ties():
    # 宁 is 宁夏's 简称, and also stands for 南京 in Jiangsu
    assert codes.issuer_for_code("宁政发").region.name == "宁夏回族自治区"
    nj = codes.issuer_for_code("宁政发", within=regions.lookup("江苏省"))
    assert nj.region.name == "南京市"
    # 青科字 is 青岛's in the data; in a Qinghai notice it is read as the province's department
    assert codes.issuer_for_code("青科字").name == "青岛市科学技术局"
    xn = codes.issuer_for_code("青科字", within=regions.lookup("西宁市"))
    assert (xn.name, xn.level) == ("青海省科学技术厅", "provincial")


def test_issuer_region():
    assert codes.issuer_region("福建省人民政府办公厅").name == "福建省"
    assert codes.issuer_region("厦门市思明区教育局").name == "思明区"
    assert codes.issuer_region("国务院办公厅") == regions.NATIONAL
    assert codes.issuer_region("中共福建省委").name == "福建省"


def test_guess_is_frozen():
    g = codes.issuer_for_code("国发")
    assert isinstance(g, IssuerGuess)
    with pytest.raises(AttributeError):
        g.name = "x"  # type: ignore[misc]


# ---------------------------------------------------------------- data


def test_rules_examples_hold():
    assert RULES["examples"]
    for ex in RULES["examples"]:
        guess = codes.issuer_for_code(ex["code"])
        assert guess is not None, ex
        assert (guess.name, guess.level) == (ex["issuer"], ex["level"]), ex


def test_rules_schema():
    for suffix, spec in RULES["suffixes"].items():
        assert re.fullmatch(r"[\u4e00-\u9fff]+", suffix)
        assert spec["role"] in ("government", "office")
        for prefix in spec.get("prefixes", ()):
            assert regions.lookup(prefix).level == "provincial"
    for code, name in RULES["national"].items():
        assert name.startswith(("国务院", "中共中央")), code
    for prefix, name in RULES["province_prefixes"].items():
        assert regions.lookup(name).level == "provincial", prefix


def test_table_rows_are_consistent():
    rows = _table()
    assert len(rows) > 1000
    for row in rows:
        assert row["level"] in LEVELS, row
        assert int(row["support"]) >= 1
        assert set(row["source"].split("+")) <= {"pkulaw", "notices", "citations"}, row
        if row["level"] == "national":
            assert row["region_code"] == "100000" and row["region"] == "中华人民共和国"
            continue
        region = _by_code().get(row["region_code"])
        assert region is not None and region.name == row["region"] and region.level == row["level"], row
        assert row["issuer"].startswith(region.name) or region.name[:2] in row["issuer"], row


@functools.cache
def _by_code() -> dict:
    return {r.code: r for r in regions.regions()}


def test_table_rows_answered_as_recorded():
    """A code the table lists resolves to one of its recorded regions, or to a province by the
    rule (宁政发: 宁夏, though 南京 uses it too)."""
    by_code: dict[str, set[str]] = {}
    for row in _table():
        by_code.setdefault(row["code"], set()).add(row["region"])
    for code, region_names in by_code.items():
        guess = codes.issuer_for_code(code)
        assert guess is not None, code
        assert guess.region.name in region_names or guess.level == "provincial", (code, guess)


def test_sample_coverage():
    """Most codes of the bundled sample of real numbers resolve."""
    sample = (Path(__file__).parent / "data" / "doc_numbers_sample.txt").read_text(encoding="utf-8")
    found = {d.code for line in sample.splitlines() if (d := docnumber.parse(line.strip())) and d.year}
    answered = {c for c in found if codes.issuer_for_code(c)}
    assert len(found) > 50
    assert len(answered) / len(found) > 0.7


@pytest.mark.corpus
def test_corpus_coverage(corpus_dir):
    seen = set()
    for line in (corpus_dir / "doc_numbers.txt").read_text(encoding="utf-8").splitlines():
        d = docnumber.parse(line.strip())
        if d and d.year:
            seen.add(codes.normalize_code(d.code))
    answered = {c for c in seen if codes.issuer_for_code(c)}
    assert len(answered) / len(seen) > 0.75
