"""The region gazetteer: data checks, lookup, find, hierarchy."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from policykg.loaders import regions
from policykg.loaders.models import LEVELS, Region

DATA = Path(__file__).resolve().parent.parent / "loaders" / "data"


def _tsv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


# ---------------------------------------------------------------- data


def test_regions_tsv_schema_and_hierarchy():
    rows = _tsv("regions.tsv")
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows), "codes are unique"
    levels = Counter(r["level"] for r in rows)
    assert levels["provincial"] == 34
    assert levels["municipal"] >= 330 and levels["county"] >= 2800
    for r in rows:
        assert re.fullmatch(r"\d{6}", r["code"])
        assert r["level"] in LEVELS
        if r["level"] == "provincial":
            assert r["parent"] == ""
        else:
            assert r["parent"] in codes and r["code"][:2] == r["parent"][:2]


def test_abbrev_table_covers_every_province():
    rows = _tsv("regions_abbrev.tsv")
    by_code = {r["code"]: r for r in _tsv("regions.tsv")}
    assert len(rows) == 34
    for r in rows:
        assert by_code[r["code"]]["name"] == r["name"]
        assert by_code[r["code"]]["level"] == "provincial"
        for a in r["abbrev"].split("|"):
            assert regions.lookup(a).name == r["name"]


# ---------------------------------------------------------------- lookup

LOOKUPS = [
    # name, expected name, level, parent, province
    ("厦门市", "厦门市", "municipal", "福建省", "福建省"),
    ("厦门", "厦门市", "municipal", "福建省", "福建省"),
    ("闽", "福建省", "provincial", None, "福建省"),
    ("豫", "河南省", "provincial", None, "河南省"),
    ("黔", "贵州省", "provincial", None, "贵州省"),
    ("滇", "云南省", "provincial", None, "云南省"),
    ("蜀", "四川省", "provincial", None, "四川省"),
    ("陇", "甘肃省", "provincial", None, "甘肃省"),
    ("秦", "陕西省", "provincial", None, "陕西省"),
    ("蒙", "内蒙古自治区", "provincial", None, "内蒙古自治区"),
    ("内蒙古", "内蒙古自治区", "provincial", None, "内蒙古自治区"),
    ("广西", "广西壮族自治区", "provincial", None, "广西壮族自治区"),
    ("新疆", "新疆维吾尔自治区", "provincial", None, "新疆维吾尔自治区"),
    ("福建", "福建省", "provincial", None, "福建省"),
    ("湛江市", "湛江市", "municipal", "广东省", "广东省"),
    ("焦作", "焦作市", "municipal", "河南省", "河南省"),
    ("上海市", "上海市", "provincial", None, "上海市"),
    ("重庆", "重庆市", "provincial", None, "重庆市"),
    ("浦东新区", "浦东新区", "county", "上海市", "上海市"),
    ("延边州", "延边朝鲜族自治州", "municipal", "吉林省", "吉林省"),
    ("锡林郭勒盟", "锡林郭勒盟", "municipal", "内蒙古自治区", "内蒙古自治区"),
    ("阿里地区", "阿里地区", "municipal", "西藏自治区", "西藏自治区"),
    ("济源市", "济源市", "county", "河南省", "河南省"),  # 省直辖县级市
    ("深圳市", "深圳市", "municipal", "广东省", "广东省"),  # 计划单列市 stays municipal
    ("襄樊市", "襄阳市", "municipal", "湖北省", "湖北省"),  # withdrawn name → successor
    ("吉林", "吉林省", "provincial", None, "吉林省"),  # province before the city of the same name
    ("吉林市", "吉林市", "municipal", "吉林省", "吉林省"),
]


@pytest.mark.parametrize(("name", "expected", "level", "parent", "province"), LOOKUPS)
def test_lookup(name, expected, level, parent, province):
    r = regions.lookup(name)
    assert r is not None
    assert (r.name, r.level, r.parent, r.province) == (expected, level, parent, province)


def test_lookup_unknown_and_national():
    assert regions.lookup("不存在市") is None
    assert regions.lookup("") is None
    assert regions.lookup("中华人民共和国") == regions.NATIONAL
    assert regions.NATIONAL == Region("中华人民共和国", "national", None, "100000", None)


def test_duplicate_county_names_need_within():
    assert regions.lookup("鼓楼区") is None  # 福州, 南京, 徐州, 开封 …
    fz = regions.lookup("鼓楼区", within=regions.lookup("福州市"))
    nj = regions.lookup("鼓楼区", within=regions.lookup("南京市"))
    assert (fz.parent, fz.level, fz.code) == ("福州市", "county", "350102")
    assert (nj.parent, nj.province) == ("南京市", "江苏省")
    assert regions.lookup("鼓楼区", within=regions.lookup("福建省")).parent == "福州市"
    # within a county of the same city: resolved through the enclosing province
    assert regions.lookup("朝阳区", within=regions.lookup("海淀区")).parent == "北京市"


def test_within_district():
    xm = regions.lookup("厦门市")
    sm = regions.lookup("思明区", within=xm)
    assert (sm.name, sm.level, sm.parent, sm.province) == ("思明区", "county", "厦门市", "福建省")
    # a name outside `within` is still found
    assert regions.lookup("北京市", within=xm).level == "provincial"


def test_parent_and_province_of():
    sm = regions.lookup("思明区", within=regions.lookup("厦门市"))
    assert regions.parent(sm).name == "厦门市"
    assert regions.parent(regions.parent(sm)).name == "福建省"
    assert regions.parent(regions.lookup("福建省")) is None
    assert regions.province_of(sm).name == "福建省"
    assert regions.province_of(regions.lookup("湛江市")).name == "广东省"
    assert regions.province_of(regions.lookup("上海市")).name == "上海市"
    assert regions.parent(regions.lookup("浦东新区")).name == "上海市"
    assert regions.province_of(regions.NATIONAL) is None


def test_regions_iterates_everything_once():
    all_regions = list(regions.regions())
    assert len(all_regions) == len({r.code for r in all_regions}) > 3000
    for r in all_regions:
        assert r.province is not None
        assert regions.province_of(r).name == r.province


# ---------------------------------------------------------------- find


def _found(text: str) -> list[tuple[str, str]]:
    return [(r.name, text[s:e]) for r, (s, e) in regions.find(text)]


def test_find_with_spans():
    text = "福建省人民政府办公厅关于转发厦门市质量强市工作方案的通知"
    hits = regions.find(text)
    assert [(r.name, span) for r, span in hits] == [("福建省", (0, 3)), ("厦门市", (14, 17))]


FINDS = [
    ("河南省焦作市人民政府", [("河南省", "河南省"), ("焦作市", "焦作市")]),
    ("湛江市开展质量提升行动的方案", [("湛江市", "湛江市")]),
    ("广西壮族自治区人民政府办公厅", [("广西壮族自治区", "广西壮族自治区")]),
    ("主动对接珠三角,积极与珠海、佛山和深圳南山开展产业合作", [("珠海市", "珠海"), ("佛山市", "佛山"), ("深圳市", "深圳")]),
    ("厦门市思明区教育局", [("厦门市", "厦门市"), ("思明区", "思明区")]),
    # an ambiguous district resolved by the city named before it
    ("南京市鼓楼区人民政府", [("南京市", "南京市"), ("鼓楼区", "鼓楼区")]),
    ("北京市朝阳区和辽宁省朝阳市", [("北京市", "北京市"), ("朝阳区", "朝阳区"), ("辽宁省", "辽宁省"), ("朝阳市", "朝阳市")]),
    # generic words are not places: 城区, 矿区; county short names are not looked for
    ("加快城区和矿区建设,维护和平", []),
]


@pytest.mark.parametrize(("text", "expected"), FINDS)
def test_find(text, expected):
    assert _found(text) == expected


def test_find_on_seed_openings(seeds_dir):
    text = (seeds_dir / "001_2de2f1255edc3fc5.txt").read_text(encoding="utf-8")
    names = {r.name for r, _ in regions.find(text)}
    assert {"焦作市", "河南省"} <= names


@pytest.mark.corpus
def test_province_abbreviations_attested_in_numbers(corpus_dir):
    """Every province's primary 简称 opens some government 发文字号 in the real list."""
    text = (corpus_dir / "doc_numbers.txt").read_text(encoding="utf-8")
    firsts = Counter(line.strip()[:1] for line in text.splitlines() if re.match(r"\s*\S(?:政|府)", line))
    for row in _tsv("regions_abbrev.tsv"):
        if row["code"] in ("710000", "810000", "820000"):
            continue
        abbrevs = row["abbrev"].split("|")
        assert any(firsts[a[0]] for a in abbrevs) or row["name"] in text, row


def test_mentions_counts_places_of_the_levels_asked():
    text = "推动济南、青岛建设，支持历下区发展，山东省要加强统筹。"
    found = [r.name for r, _ in regions.mentions(text)]
    assert found == ["济南市", "青岛市", "山东省"]
    county = [r.name for r, _ in regions.mentions(text, ("county",))]
    assert county == ["历下区"]
