"""The 发文字号 parser: tricky cases, a real sample, the data files, the full list (corpus)."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from policykg.loaders import docnumber
from policykg.loaders.docnumber import canonicalize, find_all, kind, parse

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "doc_numbers.txt"


def _data(name: str) -> dict:
    return json.loads(resources.files("policykg.loaders").joinpath("data", name).read_text(encoding="utf-8"))


# (as written, canonical, code, year, serial, kind)
PARSE_CASES = [
    ("厦府办〔2015〕134号", "厦府办〔2015〕134号", "厦府办", 2015, "134", "number"),
    ("豫政办 〔2016〕193号", "豫政办〔2016〕193号", "豫政办", 2016, "193", "number"),
    ("渝府发〔2022〕32 号", "渝府发〔2022〕32号", "渝府发", 2022, "32", "number"),
    ("国发〔２０１７〕３５号", "国发〔2017〕35号", "国发", 2017, "35", "number"),
    ("人社部发〔2021)73号", "人社部发〔2021〕73号", "人社部发", 2021, "73", "number"),
    ("人社厅发(2021〕71号", "人社厅发〔2021〕71号", "人社厅发", 2021, "71", "number"),
    ("国办发[2012]27号", "国办发〔2012〕27号", "国办发", 2012, "27", "number"),
    ("川科外【2019】12号", "川科外〔2019〕12号", "川科外", 2019, "12", "number"),
    ("交办科技函﹝2022﹞72号", "交办科技函〔2022〕72号", "交办科技函", 2022, "72", "number"),
    ("淄教教研字（2019）2号", "淄教教研字〔2019〕2号", "淄教教研字", 2019, "2", "number"),
    ("国科科函字〔2020〕第44号", "国科科函字〔2020〕44号", "国科科函字", 2020, "44", "number"),
    ("闽政〔2015〕第12号", "闽政〔2015〕12号", "闽政", 2015, "12", "number"),
    ("渝府办发〔 2022 〕96 号", "渝府办发〔2022〕96号", "渝府办发", 2022, "96", "number"),
    ("\u200b渝府办发〔2019〕103号", "渝府办发〔2019〕103号", "渝府办发", 2019, "103", "number"),
    ("洪府发[2021]]27号", "洪府发〔2021〕27号", "洪府发", 2021, "27", "number"),
    ("冀文物发[2019[150号", "冀文物发〔2019〕150号", "冀文物发", 2019, "150", "number"),
    ("榕民〔2019〕406", "榕民〔2019〕406号", "榕民", 2019, "406", "number"),
    ("晋政发〔2014〕号16", "晋政发〔2014〕16号", "晋政发", 2014, "16", "number"),
    ("皖科办复〔2022年〕第236号", "皖科办复〔2022〕236号", "皖科办复", 2022, "236", "number"),
    ("湘科发2022〔137〕号", "湘科发〔2022〕137号", "湘科发", 2022, "137", "number"),
    ("(2021)国科科函字第99号", "国科科函字〔2021〕99号", "国科科函字", 2021, "99", "number"),
    ("[2021]苏科提复45号", "苏科提复〔2021〕45号", "苏科提复", 2021, "45", "number"),
    ("陕科(农)函〔2021〕322号", "陕科（农）函〔2021〕322号", "陕科（农）函", 2021, "322", "number"),
    ("陕科协发(2022)宣字4号", "陕科协发〔2022〕宣字4号", "陕科协发", 2022, "4", "number"),
    ("国科发火〔2016〕32号", "国科发火〔2016〕32号", "国科发火", 2016, "32", "number"),
    ("控方案的通知粤府〔2020〕71号", "粤府〔2020〕71号", "粤府", 2020, "71", "number"),
    ("市政发〔2019〕1号(1)", "市政发〔2019〕1号", "市政发", 2019, "1", "number"),
    (
        "宁夏回族自治区人民政府令第127号",
        "宁夏回族自治区人民政府令第127号",
        "宁夏回族自治区人民政府令",
        None,
        "127",
        "order",
    ),
    ("省政府令 第174号", "省政府令第174号", "省政府令", None, "174", "order"),
    ("重庆市人民政府令第 359 号", "重庆市人民政府令第359号", "重庆市人民政府令", None, "359", "order"),
    ("国家质检总局第144号令", "国家质检总局令第144号", "国家质检总局令", None, "144", "order"),
    (
        "国家税务总局公告2015年第41号",
        "国家税务总局公告2015年第41号",
        "国家税务总局公告",
        2015,
        "41",
        "announcement",
    ),
    ("海关总署2012年第26号公告", "海关总署公告2012年第26号", "海关总署公告", 2012, "26", "announcement"),
    (
        "山西省人民代表大会常务委员会公告第30号",
        "山西省人民代表大会常务委员会公告第30号",
        "山西省人民代表大会常务委员会公告",
        None,
        "30",
        "announcement",
    ),
    (
        "北京市人民代表大会常务委员会公告〔15届〕第19号",
        "北京市人民代表大会常务委员会公告〔15届〕第19号",
        "北京市人民代表大会常务委员会公告",
        None,
        "19",
        "session",
    ),
    (
        "辽宁省人民代表大会常务委员会公告﹝13届﹞第78号",
        "辽宁省人民代表大会常务委员会公告〔13届〕第78号",
        "辽宁省人民代表大会常务委员会公告",
        None,
        "78",
        "session",
    ),
]


@pytest.mark.parametrize(("written", "canonical", "code", "year", "serial", "form"), PARSE_CASES)
def test_parse_table(written, canonical, code, year, serial, form):
    d = parse(written)
    assert d is not None
    assert (d.canonical, d.code, d.year, d.serial, kind(d)) == (canonical, code, year, serial, form)
    assert canonicalize(d.canonical) == canonical


@pytest.mark.parametrize(
    "written",
    [
        "(2012)曲中法执字第66号",  # court case numbers: the year comes before the court's code
        "(2019)京01民初123号",
        "（2020）最高法民申1234号",
        "吉林省科学技术厅",
        "钦南政函〔2022〕号",  # no serial
        "[2019]47号",  # no 机关代字
        "中山科发〔2019〕305号、中山科规字〔2019〕8号",  # two numbers: find_all, not parse
        "",
    ],
)
def test_parse_rejects(written):
    assert parse(written) is None
    assert canonicalize(written) is None


# (running text, canonical numbers found in order)
FIND_CASES = [
    ("按照国办发〔2015〕19号文件要求", ["国办发〔2015〕19号"]),
    ("根据《福建省…通知》和闽政办〔2015〕74号精神", ["闽政办〔2015〕74号"]),
    ("为贯彻落实国发〔2012〕9号及国发〔2013〕5号,", ["国发〔2012〕9号", "国发〔2013〕5号"]),
    ("《…的通知》（豫政办 〔2016〕193号）和", ["豫政办〔2016〕193号"]),
    ("《…的通知》(国办发[2012]27号)精神", ["国办发〔2012〕27号"]),
    ("转发国办发〔2015〕19号、印发鄂政发〔2016〕3号", ["国办发〔2015〕19号", "鄂政发〔2016〕3号"]),
    ("现将国办发〔2015〕19号转发给你们", ["国办发〔2015〕19号"]),
    ("（国发〔２０１７〕３５号）", ["国发〔2017〕35号"]),
    ("依据《办法》【苏政办发〔2019〕12号】", ["苏政办发〔2019〕12号"]),
    ("(人社部发〔2021)73号)、《…》(人社厅发(2021〕71号)", ["人社部发〔2021〕73号", "人社厅发〔2021〕71号"]),
    ("根据《…条例》(国务院令第735号)《…》", ["国务院令第735号"]),
    ("2018年12月18日中华人民共和国国务院令第707号第四次修订", ["中华人民共和国国务院令第707号"]),
    ("原海关总署2012年第26号公告附件", ["海关总署公告2012年第26号"]),
    ("（上海市人民政府令第26号）中关于", ["上海市人民政府令第26号"]),
    ("落实国办公开办函〔2019〕12号要求", ["国办公开办函〔2019〕12号"]),
    ("判决书(2012)曲中法执字第66号及(2019)京01民初123号", []),
    ("受2019年第9号台风影响", []),
    ("到2020年(2016)12项", []),
    ("《规划（2016-2020年）》", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_all_table(text, expected):
    found = find_all(text)
    assert [d.canonical for d in found] == expected
    for d in found:
        assert text[d.span[0] : d.span[1]] == d.surface
        assert parse(d.surface) == d


def test_find_all_seed_000():
    text = (Path(__file__).resolve().parents[1] / "samples" / "seeds" / "000_08e496a476ab88e2.txt").read_text(
        encoding="utf-8"
    )
    got = [d.canonical for d in find_all(text)]
    assert got == [
        "厦府办〔2015〕134号",
        "厦府办〔2015〕134号",
        "国办发〔2015〕19号",
        "闽政办〔2015〕74号",
        "厦府〔2015〕114号",
    ]


def test_equality_is_on_canonical_form():
    a, b = parse("豫政办 〔2016〕193号"), parse("豫政办〔2016〕193号")
    assert a == b and a.surface != b.surface


def test_sample_all_parse_and_round_trip():
    lines = [
        x for x in (DATA / "doc_numbers_sample.txt").read_text(encoding="utf-8").split("\n") if x.strip()
    ]
    assert len(lines) >= 300
    for line in lines:
        d = parse(line)
        assert d is not None, line
        assert canonicalize(d.canonical) == d.canonical, line
        assert not re.search(r"[\s０-９\[\]【】()（）﹝﹞]", d.canonical.replace(d.code, "")), d.canonical


def test_prefix_words_data():
    data = _data("docnumber_prefix_words.json")
    codes = _data("docnumber_codes.json")["codes"]
    assert set(data["organ_unsafe"]) <= set(data["words"])
    # a prefix word inside a known code is allowed only where the code itself is known
    for w in data["words"]:
        inside = [c for c in codes if w in c and not c.endswith(("公告", "令"))]
        assert all(parse(f"根据{c}〔2019〕1号") and parse(f"根据{c}〔2019〕1号").code == c for c in inside), w
    for ex in data["examples"]:
        found = find_all(ex["text"])
        assert found and found[0].code == ex["code"], ex


def test_court_data():
    data = _data("docnumber_court.json")
    for p in data["patterns"]:
        for ex in p["examples"]:
            assert re.search(p["regex"], ex), (p["regex"], ex)
    for ex in data["examples"]:
        assert (parse(ex["text"]) is None) == ex["court"], ex


def test_codes_data():
    data = _data("docnumber_codes.json")
    assert len(data["codes"]) > 1000
    for code in data["examples"]:
        assert code in data["codes"]
    for code in list(data["codes"])[::50]:
        assert parse(f"{code}〔2020〕5号").code == code


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="development corpus absent")
def test_corpus_doc_numbers():
    lines = [x for x in CORPUS.read_text(encoding="utf-8").split("\n") if x.strip()]
    failed = [x for x in lines if parse(x) is None]
    # 6 strings are not numbers (吉林省科学技术厅, [2019]47号, 钦南政函〔2022〕号 …) and 11 hold two numbers
    assert len(failed) <= 17, failed[:20]
    assert all(len(find_all(x)) == 2 for x in failed if "、" in x)
    for x in lines[::7]:
        c = canonicalize(x)
        assert c is None or canonicalize(c) == c


def test_module_exports():
    assert set(docnumber.__all__) >= {"parse", "find_all", "canonicalize"}


def _glued() -> dict:
    return json.loads(
        resources.files("policykg.loaders").joinpath("data", "docnumber_prefix_words.json").read_text(encoding="utf-8")
    )["glued_organ"]


@pytest.mark.parametrize(("text", "expected"), _glued()["examples"] + _glued()["counter_examples"])
def test_glued_organ(text, expected):
    """A 发文字号 glued to the organ before it loses the organ; a 机关代字 holding 部/厅 keeps it."""
    assert parse(text).canonical == expected
    assert [d.canonical for d in find_all("联合印发" + text + "，")] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("按照江医保办(203112号文件要求", ["江医保办〔2031〕12号"]),
        ("见沁农发（20307号）", ["沁农发〔2030〕7号"]),
        ("沁农发（2030）7号", ["沁农发〔2030〕7号"]),  # closed: the ordinary form
    ],
)
def test_lost_closing_bracket(text, expected):
    assert [d.canonical for d in find_all(text)] == expected
