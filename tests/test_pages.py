"""Saved government web pages: the facts a page states about itself, its article body, and how
they reach the graph (stated fields win, conflicts reported, eli:in_force, the page's URL)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.api import PolicyGraph
from policykg.cli import main
from policykg.graph import triples
from policykg.graph.store import ntriples as store_ntriples
from policykg.loaders import read
from policykg.loaders.extract import extract_notice
from policykg.loaders.given import FIELDS
from policykg.loaders.models import Conflict, Notice
from policykg.ontology.validate import validate

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "data" / "pages"
DATA = json.loads((ROOT / "loaders" / "data" / "page_fields.json").read_text(encoding="utf-8"))
ELI = "http://data.europa.eu/eli/ontology#"


def _notice(path: Path) -> tuple[read.SourceText, Notice]:
    data = path.read_bytes()
    src = read.read_bytes(data, path.name)
    notice = extract_notice(src.text, source=path.name, sha256=hashlib.sha256(data).hexdigest(),
                            encoding=src.encoding, given=src.metadata)
    return src, notice


# (file, encoding, number, title, issuers, date, level, in force, first line, last line,
#  furniture that must be gone)
CASES = [
    ("govcn_zhengce.html", "utf-8", "国办发〔2031〕9号", "国务院办公厅关于推进乡村供水设施提档升级的意见",
     ["国务院办公厅"], "2031-03-08", "national", None,
     "国务院办公厅关于推进乡村供水设施提档升级的意见", "（此件公开发布）",
     ["政策库", "分享到", "相关稿件", "水利部负责人解读", "责任编辑", "网站标识码", "ICP备", "索 引 号", "中国政府网"]),
    ("province_gbk.html", "gb18030", "甘政办发〔2031〕27号", "甘肃省人民政府办公厅关于加快发展林下经济的实施意见",
     ["甘肃省人民政府办公厅"], "2031-05-20", "provincial", "inForce",
     "甘肃省人民政府办公厅关于加快发展林下经济的实施意见", "（此件公开发布）",
     ["当前位置", "政策解读", "上一篇", "相关文章", "林下经济示范基地名单", "新浪微博", "字体", "浏览次数",
      "主办", "索引号", "620000/2031-00318"]),
    ("city_utf8_bom.html", "utf-8-sig", "遵府办发〔2031〕14号", "遵义市人民政府办公室关于印发遵义市城市更新行动实施方案的通知",
     ["遵义市人民政府办公室"], "2031-06-18", "municipal", None,
     "遵义市人民政府办公室关于印发遵义市城市更新行动实施方案的通知", "各地各部门要加强组织领导，确保各项任务落到实处。",
     ["首页 >", "文件通知", "政策解读", "推进会", "国土空间总体规划", "QQ空间", "扫一扫", "打印", "发布机构", "请输入关键字"]),
    ("county_gb2312_declared.html", "gb18030", "临政发〔2031〕3号", "临泽县人民政府关于印发临泽县农村人居环境整治实施方案的通知",
     ["临泽县人民政府"], "2031-02-10", "county", "inForce",
     "临泽县人民政府关于印发临泽县农村人居环境整治实施方案的通知", "2031年2月10日",
     ["您现在的位置", "网站首页", "招商引资", "县政府办文件", "打印本页", "字体", "版权所有", "ICP备", "时 效 性", "\u200b"]),
    ("joint_department.html", "gb18030", "川发改价格〔2031〕118号",
     "四川省发展和改革委员会 四川省财政厅关于规范县域客运站收费有关事项的通知",
     ["四川省发展和改革委员会", "四川省财政厅"], "2031-09-10", "provincial", None,
     "四川省发展和改革委员会 四川省财政厅关于规范县域客运站收费有关事项的通知", "2031年9月10日",
     ["当前位置", "信息公开", "相关链接", "定价目录", "主办单位", "索 引 号", "索引号", "价格、收费"]),
    ("municipality_brackets.html", "utf-8", "京政办发〔2031〕12号", "北京市人民政府办公厅关于进一步加强社区食堂建设的实施意见",
     ["北京市人民政府办公厅"], "2031-10-27", "provincial", "inForce",
     "北京市人民政府办公厅关于进一步加强社区食堂建设的实施意见", "2031年10月27日",
     ["政策文件", "[标题]", "民政、扶贫、救灾", "相关链接", "社区食堂名录", "分享到", "主办", "ICP备", "首都之窗"]),
    ("province_classify.html", "utf-8", "粤府办〔2031〕41号", "广东省人民政府办公厅关于推进海洋牧场高质量发展的通知",
     ["广东省人民政府办公厅"], "2031-11-25", "provincial", None,
     "广东省人民政府办公厅关于推进海洋牧场高质量发展的通知", "2031年11月25日",
     ["当前位置", "分类", "要闻动态", "来源：本网", "字号", "主办", "ICP备", "006939748"]),
    ("county_old_table.htm", "gb18030", "沁政办发〔2031〕16号", "关于印发沁源县秸秆综合利用工作方案的通知",
     ["沁源县人民政府办公室"], "2031-04-03", "county", None,
     "关于印发沁源县秸秆综合利用工作方案的通知", "2031年4月3日",
     ["新闻中心", "便民服务", "通知公告", "工作动态", "点击数", "版权所有", "ICP备"]),
    ("city_department.html", "utf-8", None, "关于开展2031年度中小学校园食品安全专项检查的通知",
     ["潍坊市教育局", "潍坊市卫生健康委员会"], "2031-03-16", "municipal", None,
     "关于开展2031年度中小学校园食品安全专项检查的通知", "2031年3月16日",
     ["首页", "阅读次数", "分享", "上一篇", "下一篇", "版权所有"]),
    ("city_signature_apart.html", "utf-8", "汉政办发〔2031〕52号", "汉中市人民政府办公室关于做好2031年度冬季取暖保障工作的通知",
     ["汉中市人民政府办公室"], "2031-10-30", "municipal", None,
     "汉中市人民政府办公室关于做好2031年度冬季取暖保障工作的通知", "2031年10月30日",
     ["您当前的位置", "发布时间", "来源：市政府办公室", "打印", "版权所有", "政务服务"]),
    ("municipality_th_labels.html", "utf-8", "沪府规〔2031〕8号", "上海市人民政府关于印发《上海市公共数据开放实施细则》的通知",
     ["上海市人民政府"], "2031-06-20", "provincial", None,
     "上海市人民政府关于印发《上海市公共数据开放实施细则》的通知", "第三条　本细则自2031年8月1日起施行。",
     ["索取号", "综合政务", "市政府文件", "打印本页", "政策解读", "答记者问", "ICP备"]),
    ("repealed.html", "utf-8", "雅府发〔2029〕21号", "雅安市人民政府关于印发雅安市城区户外广告设置管理办法的通知",
     ["雅安市人民政府"], "2029-08-28", "municipal", "notInForce",
     "[已废止]雅安市人民政府关于印发雅安市城区户外广告设置管理办法的通知", "第四条　本办法自2029年10月1日起施行，有效期5年。",
     ["»", "规范性文件", "分享到", "网站标识码", "索引号"]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_saved_page(case):
    name, encoding, number, title, issuers, date, level, in_force, first, last, gone = case
    src, notice = _notice(PAGES / name)
    assert (src.encoding, src.format) == (encoding, "html")
    assert (notice.number.canonical if notice.number else None) == number
    assert notice.title == title
    assert [a.name for a in notice.issuers] == issuers
    assert notice.date is not None and notice.date.isoformat() == date
    assert notice.level == level
    assert notice.in_force == in_force
    assert notice.conflicts == ()
    lines = src.text.split("\n")
    assert lines[0] == first
    assert lines[-1] == last
    for furniture in gone:
        assert furniture not in src.text, furniture
    assert set(src.metadata) <= set(FIELDS) | {"publisher"}


def test_govcn_page_states_everything():
    src, notice = _notice(PAGES / "govcn_zhengce.html")
    assert src.metadata == {
        "issuer": "国务院办公厅", "date": "2031年03月08日", "title": "国务院办公厅关于推进乡村供水设施提档升级的意见",
        "number": "国办发〔2031〕9号", "published": "2031年03月12日",
        "url": "https://www.gov.cn/zhengce/content/2031-03/12/content_7712345.htm",
    }  # ContentSource 中国政府网 names the website, not an agency: no publisher
    assert notice.published is not None and notice.published.isoformat() == "2031-03-12"
    assert notice.url == "https://www.gov.cn/zhengce/content/2031-03/12/content_7712345.htm"


def test_block_printed_twice_and_lowercase_meta_tags():
    src, notice = _notice(PAGES / "province_gbk.html")
    assert src.metadata == {
        "publisher": "甘肃省人民政府办公厅", "number": "甘政办发〔2031〕27号", "date": "2031年05月20日",
        "published": "2031年05月26日", "validity": "有效", "title": "甘肃省人民政府办公厅关于加快发展林下经济的实施意见",
        "url": "http://www.gansu.gov.cn/gsszf/c100055/203105/1234567.shtml",
    }
    assert src.text.count("甘政办发〔2031〕27号") == 1  # the number line of the body, not the two blocks


def test_gb2312_declared_page_with_gb18030_characters():
    data = (PAGES / "county_gb2312_declared.html").read_bytes()
    assert b"charset=gb2312" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    src = read.read_bytes(data, "county.html")
    assert src.encoding == "gb18030"
    assert "联系人：王\U00020BB7，朱镕" in src.text  # a four-byte GB18030 and a GBK-only character
    assert "以“三清一改”为重点" in src.text  # &ldquo; &rdquo;
    assert "县水务局&各乡镇人民政府配合" in src.text  # &amp;
    assert "现将《临泽县农村人居环境整治实施方案》印发给你们" in src.text  # &#12298; &#12299;
    # letter-spaced labels and zero-width characters in the block's values
    assert src.metadata["title"] == "临泽县人民政府关于印发临泽县农村人居环境整治实施方案的通知"
    assert src.metadata["issuer"] == "临泽县人民政府"
    assert src.metadata["validity"] == "有效"


def test_title_prefix_gives_validity_and_is_not_title():
    src, notice = _notice(PAGES / "repealed.html")
    assert src.metadata["title"].startswith("[已废止]")
    assert notice.title == "雅安市人民政府关于印发雅安市城区户外广告设置管理办法的通知"
    assert notice.in_force == "notInForce"


def test_conflict_stated_field_wins():
    src, notice = _notice(PAGES / "conflict.html")
    assert "泸府办发〔2031〕15号" in src.text and "51号" not in src.text
    assert notice.number is not None and notice.number.canonical == "泸府办发〔2031〕51号"
    assert notice.date is not None and notice.date.isoformat() == "2031-07-01"
    assert notice.level == "municipal"
    assert notice.conflicts == (Conflict("number", "泸府办发〔2031〕51号", "泸府办发〔2031〕15号"),
                                Conflict("date", "2031-07-01", "2031-07-02"))


def test_load_reports_conflicts_api(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("conflict.html", "govcn_zhengce.html"):
        (folder / name).write_bytes((PAGES / name).read_bytes())
    with PolicyGraph.open(memory=True) as pg:
        report = pg.load([folder])
    assert report.ok and report.documents == 2
    assert report.conflicts == [
        ("conflict.html", Conflict("number", "泸府办发〔2031〕51号", "泸府办发〔2031〕15号")),
        ("conflict.html", Conflict("date", "2031-07-01", "2031-07-02")),
    ]


def test_load_reports_conflicts_cli(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "conflict.html").write_bytes((PAGES / "conflict.html").read_bytes())
    result = CliRunner().invoke(main, ["load", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "conflicts (the page's stated field kept): 2" in result.output
    assert 'conflict.html: number: stated "泸府办发〔2031〕51号", text "泸府办发〔2031〕15号"' in result.output
    assert 'conflict.html: date: stated "2031-07-01", text "2031-07-02"' in result.output


def test_no_conflict_line_without_conflicts(tmp_path):
    result = CliRunner().invoke(main, ["load", str(PAGES / "govcn_zhengce.html"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "conflicts" not in result.output


# ---------------------------------------------------------------- graph


def _lines(path: Path) -> tuple[str, ...]:
    _, notice = _notice(path)
    own, shared = triples.notice_lines(notice)
    ref_own, ref_shared = triples.split_entities(triples.notice_triples(notice))
    assert (own, shared) == (tuple(dict.fromkeys(store_ntriples(ref_own))), tuple(dict.fromkeys(store_ntriples(ref_shared))))
    return own


def test_in_force_and_page_triples():
    repealed = _lines(PAGES / "repealed.html")
    assert sum(f"<{ELI}in_force> <{ELI}InForce-notInForce> ." in line for line in repealed) == 1
    province = _lines(PAGES / "province_gbk.html")
    assert any(line.endswith(f"<{ELI}in_force> <{ELI}InForce-inForce> .") for line in province)
    assert any(line.endswith("<http://purl.org/dc/terms/hasFormat> "
                             "<http://www.gansu.gov.cn/gsszf/c100055/203105/1234567.shtml> .") for line in province)
    city = _lines(PAGES / "city_utf8_bom.html")
    assert not any("in_force" in line or "hasFormat" in line for line in city)


def test_url_not_an_iri_is_encoded():
    notice = Notice(source="a.html", sha256="0" * 64, url="http://example.gov.cn/a b/通知.html", in_force="partiallyInForce")
    own, _ = triples.notice_lines(notice)
    assert any("<http://example.gov.cn/a%20b/%E9%80%9A%E7%9F%A5.html>" in line for line in own)
    assert any(line.endswith(f"<{ELI}InForce-partiallyInForce> .") for line in own)


def test_loaded_pages_conform_to_shapes():
    with PolicyGraph.open(memory=True) as pg:
        report = pg.load([PAGES])
        assert report.ok and report.documents == len(list(PAGES.iterdir()))
        conforms, text = validate(pg.store._ox)
    assert conforms, text


# ---------------------------------------------------------------- data and small layouts


@pytest.mark.parametrize("example", DATA["examples"], ids=lambda e: e["text"][:12])
def test_block_examples(example):
    assert read.block_fields(example["text"]) == example["fields"]


@pytest.mark.parametrize("example", DATA["title_examples"], ids=lambda e: e["title"][:12])
def test_title_examples(example):
    assert read.title_from_head(example["title"]) == example["expected"]


def test_furniture_examples():
    rx = re.compile(DATA["furniture"]["regex"])
    for example in DATA["furniture"]["examples"]:
        assert rx.search(example), example
    for counter in DATA["furniture"]["counter_examples"]:
        assert not rx.search(counter), counter


def test_every_label_field_is_known():
    fields = set(FIELDS) | {"publisher"}
    for entry in DATA["labels"]:
        assert entry["field"] is None or entry["field"] in fields, entry
    labels = {e["label"] for e in DATA["labels"]}
    assert set(DATA["strong_labels"]) <= labels
    assert set(DATA["meta_tags"].values()) <= fields | {"weak_title", "site", "column"}


def _page(body: str, head: str = "") -> str:
    return f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def test_breadcrumb_never_the_title():
    page = _page('<div class="bread">首页 &gt; 政务公开 &gt; 文件通知</div>'
                 '<div class="title">首页 &gt; 政务公开 &gt; 文件通知</div>'
                 '<div class="content"><p>各乡镇人民政府：</p><p>现将有关事项通知如下，请认真贯彻执行，确保按时完成各项工作任务。</p></div>',
                 "<title>文件通知 - 政务公开 - 青禾县人民政府</title>")
    src = read.read_bytes(page.encode("utf-8"), "a.html")
    assert "title" not in src.metadata
    assert src.text.split("\n")[0] == "各乡镇人民政府："
    assert ">" not in src.text


def test_weak_title_from_head_and_og():
    body = '<div id="zoom"><p>各乡镇人民政府：</p><p>现将有关事项通知如下，请认真贯彻执行，确保按时完成各项工作任务。</p></div>'
    # a weak title is no stated fact: it only heads the text, for extraction to weigh
    src = read.read_bytes(_page(body, "<title>关于做好春季植树造林工作的通知_青禾县人民政府</title>").encode(), "a.html")
    assert src.metadata == {}
    assert src.text.split("\n")[0] == "关于做好春季植树造林工作的通知"
    og = '<meta property="og:title" content="青禾县人民政府关于做好春季植树造林工作的通知"><title>青禾县人民政府门户网站</title>'
    src = read.read_bytes(_page(body, og).encode(), "a.html")
    assert src.metadata == {}
    assert src.text.split("\n")[0] == "青禾县人民政府关于做好春季植树造林工作的通知"
    notice = extract_notice(src.text, source="a.html", sha256="0" * 64, given=src.metadata)
    assert notice.title == "青禾县人民政府关于做好春季植树造林工作的通知"
    # ArticleTitle in any case wins over weak titles
    tags = '<META NAME="ARTICLETITLE" CONTENT="青禾县人民政府关于做好春季植树造林工作的通知"><title>首页</title>'
    assert read.read_bytes(_page(body, tags).encode(), "a.html").metadata["title"] == "青禾县人民政府关于做好春季植树造林工作的通知"


def test_saved_from_comment_gives_url():
    page = "<!-- saved from url=(0047)http://www.qinghe.gov.cn/zwgk/2031/0301/12.html -->\n" + _page(
        '<div class="TRS_Editor"><p>各乡镇人民政府：现将有关事项通知如下，请认真贯彻执行，确保按时完成。</p></div>')
    assert read.read_bytes(page.encode(), "a.htm").metadata == {"url": "http://www.qinghe.gov.cn/zwgk/2031/0301/12.html"}


def test_wrapper_gives_way_to_article():
    related = "".join(f'<li><a href="#">关于第{i}批示范项目的公示</a></li>' for i in range(8))
    page = _page(f'<div class="main-content"><div class="left-nav"><ul>{related}</ul></div>'
                 '<p class="tip">本栏目信息由县政府办公室负责维护</p>'
                 '<div class="article"><p>各乡镇人民政府：</p>'
                 '<p>为做好春季植树造林工作，现就有关事项通知如下，请认真贯彻执行，确保按时完成各项工作任务。</p>'
                 '<p>青禾县人民政府办公室</p><p>2031年3月1日</p></div></div>')
    src = read.read_bytes(page.encode(), "a.html")
    assert src.text.split("\n") == ["各乡镇人民政府：",
                                    "为做好春季植树造林工作，现就有关事项通知如下，请认真贯彻执行，确保按时完成各项工作任务。",
                                    "青禾县人民政府办公室", "2031年3月1日"]


def test_zero_width_and_entities_in_text():
    page = _page('<div class="content"><p>青禾县\u200b人民\u200d政府&nbsp;关于&ldquo;河长制&rdquo;的通知&#x3002;</p>'
                 '<p>各乡镇\ufeff人民政府：现将有关事项通知如下，请认真贯彻执行。</p></div>')
    src = read.read_bytes(page.encode(), "a.html")
    assert src.text.split("\n")[0] == "青禾县人民政府 关于“河长制”的通知。"
    assert "各乡镇人民政府：" in src.text


def test_unclosed_paragraphs_do_not_nest():
    paras = "".join(f"<p>第{i}段，现就有关事项通知如下。" for i in range(3000))
    src = read.read_bytes(_page(f'<div class="content">{paras}</div>').encode(), "a.html")
    assert src.text.count("\n") == 2999


def test_page_with_a_few_broken_bytes_loads():
    page = _page('<div class="content"><p>青禾县人民政府关于做好春季植树造林工作的通知</p>'
                 '<p>各乡镇人民政府：现将有关事项通知如下，请认真贯彻执行。</p></div>').replace("utf-8", "gbk")
    data = page.encode("gbk")
    cut = data.index("植树".encode("gbk"))
    data = data[:cut] + b"\xff" + data[cut + 1:]  # one byte lost
    src = read.read_bytes(data, "a.html")
    assert src.encoding == "gb18030"
    assert "各乡镇人民政府：现将有关事项通知如下" in src.text


@pytest.mark.parametrize("declared", ["x-gbk", "GB_2312-80", "gbk", "GB18030"])
def test_declared_charset_aliases(declared):
    page = f'<html><head><meta charset="{declared}"></head><body><div class="content"><p>青禾县人民政府关于做好春季植树造林工作的通知</p></div></body></html>'
    src = read.read_bytes(page.encode("gb18030"), "a.html")
    assert src.encoding == "gb18030"
    assert src.text == "青禾县人民政府关于做好春季植树造林工作的通知"


def test_short_article_holding_its_block_is_kept():
    page = _page('<div class="content"><table><tr><td>索引号：</td><td>QH-2031-01</td><td>发布机构：</td><td>青禾县人民政府办公室</td></tr>'
                 '<tr><td>文号：</td><td>青政办发〔2031〕2号</td><td>成文日期：</td><td>2031-03-01</td></tr></table>'
                 '<p>各乡镇人民政府：</p><p>经县政府同意，春季植树造林工作现就有关事项通知如下。</p><p>一、明确任务。</p>'
                 '<p>二、加强领导。</p><p>青禾县人民政府办公室</p><p>2031年3月1日</p></div>')
    src = read.read_bytes(page.encode(), "a.html")
    assert src.text.split("\n") == ["各乡镇人民政府：", "经县政府同意，春季植树造林工作现就有关事项通知如下。", "一、明确任务。",
                                    "二、加强领导。", "青禾县人民政府办公室", "2031年3月1日"]
    assert src.metadata == {"publisher": "青禾县人民政府办公室", "number": "青政办发〔2031〕2号", "date": "2031-03-01"}


def test_content_markers_and_letter_spaced_values():
    page = _page('<div class="box"><table><tr><td><b>发文机关：</b>国 务 院 办 公 厅</td><td><b>索 引 号：</b>000014349/2031-1</td>'
                 '<td><b>标　题：</b>国务院办公厅关于加强乡村供水管理的通知</td></tr></table>'
                 '<div class="zx">链接：<a>甲</a> <a>乙</a></div><table><tr><td>'
                 '<!--ZJEG_RSS.content.begin--><p>各省、自治区、直辖市人民政府：</p><p>现就加强乡村供水管理有关事项通知如下。</p>'
                 '<!--ZJEG_RSS.content.end--></td><td>热点新闻 今日要闻 图片新闻 视频新闻 专题专栏 互动访谈</td></tr></table></div>')
    src = read.read_bytes(page.encode(), "a.html")
    assert src.metadata == {"issuer": "国务院办公厅", "title": "国务院办公厅关于加强乡村供水管理的通知"}
    assert src.text.split("\n") == ["国务院办公厅关于加强乡村供水管理的通知", "各省、自治区、直辖市人民政府：",
                                    "现就加强乡村供水管理有关事项通知如下。"]


def test_publisher_does_not_replace_the_signers():
    # the block names one publisher (发布机构), the signature two issuers: the text's issuers stay
    src, notice = _notice(PAGES / "joint_department.html")
    assert src.metadata["publisher"] == "四川省发展和改革委员会"
    assert "issuer" not in src.metadata
    assert [a.name for a in notice.issuers] == ["四川省发展和改革委员会", "四川省财政厅"]


def test_publisher_fills_a_missing_issuer():
    page = _page('<table><tr><td>索引号：</td><td>QH-1</td><td>发布机构：</td><td>青禾县人民政府办公室</td><td>主题分类：</td><td>其他</td></tr></table>'
                 '<div class="content"><p>关于做好春季植树造林工作的通知</p><p>各乡镇人民政府：</p>'
                 '<p>现就做好春季植树造林工作有关事项通知如下，请认真贯彻执行。</p></div>')
    src = read.read_bytes(page.encode(), "a.html")
    notice = extract_notice(src.text, source="a.html", sha256="0" * 64, given=src.metadata)
    assert [a.name for a in notice.issuers] == ["青禾县人民政府办公室"]


def test_names_side_by_side_in_a_block():
    text = "发文机关：四川省发展和改革委员会 四川省财政厅\n索引号：1\n发文字号：川发改价格〔2031〕118号"
    assert read.block_fields(text)["issuer"] == "四川省发展和改革委员会、四川省财政厅"
    assert read.block_fields("发文机关：国 务 院\n索引号：1")["issuer"] == "国务院"


def test_block_of_spans_without_colons():
    rows = "".join(f'<li><span class="t">{label}</span><span class="c">{value}</span></li>' for label, value in (
        ("索引号", "QH-2031-7"), ("发布机构", "青禾县人民政府办公室"), ("文号", "青政办发〔2031〕7号"),
        ("成文日期", "2031年04月02日"), ("标题", "青禾县人民政府办公室关于做好防汛工作的通知")))
    page = _page(f'<ul class="gkxx">{rows}</ul><div class="zw"><p>各乡镇人民政府：</p>'
                 '<p>现就做好防汛工作有关事项通知如下，请认真贯彻执行。</p></div>')
    src = read.read_bytes(page.encode(), "a.html")
    assert src.metadata == {"publisher": "青禾县人民政府办公室", "number": "青政办发〔2031〕7号", "date": "2031年04月02日",
                            "title": "青禾县人民政府办公室关于做好防汛工作的通知"}
    assert src.text.split("\n") == ["青禾县人民政府办公室关于做好防汛工作的通知", "各乡镇人民政府：",
                                    "现就做好防汛工作有关事项通知如下，请认真贯彻执行。"]


def test_article_title_naming_the_column_is_no_title():
    body = '<div id="zoom"><p>青禾县人民政府关于做好春季植树造林工作的通知</p><p>各乡镇人民政府：现将有关事项通知如下，请认真贯彻执行。</p></div>'
    head = ('<meta name="ColumnName" content="县政府文件通知"><meta name="ArticleTitle" content="县政府文件通知">'
            '<title>县政府文件通知</title>')
    assert "title" not in read.read_bytes(_page(body, head).encode(), "a.html").metadata


def test_big5_declared_page():
    page = ('<html><head><meta charset="big5"><title>廈門市人民政府辦公廳關於加強質量工作的通知</title></head><body>'
            '<div class="content"><p>廈門市人民政府辦公廳關於加強質量工作的通知</p><p>各區人民政府，市直各委、辦、局：</p></div></body></html>')
    src = read.read_bytes(page.encode("big5"), "a.htm")
    assert src.encoding == "big5"
    assert src.text.split("\n") == ["廈門市人民政府辦公廳關於加強質量工作的通知", "各區人民政府，市直各委、辦、局："]
    assert src.metadata == {}


def test_heading_with_the_issuer_completes_a_short_stated_title():
    head = '<meta name="ArticleTitle" content="关于做好春季植树造林工作的通知">'
    body = ('<h1>青禾县人民政府关于做好春季植树造林工作的通知</h1><div id="zoom"><p>各乡镇人民政府：</p>'
            '<p>现将有关事项通知如下，请认真贯彻执行。</p></div>')
    src = read.read_bytes(_page(body, head).encode(), "a.html")
    assert src.metadata == {"title": "青禾县人民政府关于做好春季植树造林工作的通知"}
    assert src.text.split("\n")[0] == "青禾县人民政府关于做好春季植树造林工作的通知"


def test_bracketed_labels_and_site_named_source():
    src = read.read_path(PAGES / "municipality_brackets.html")
    assert src.metadata == {
        "title": "北京市人民政府办公厅关于进一步加强社区食堂建设的实施意见", "date": "2031-10-27",
        "issuer": "北京市人民政府办公厅", "number": "京政办发〔2031〕12号", "published": "2031-11-03",
        "validity": "现行有效", "url": "https://www.beijing.gov.cn/zhengce/zhengcefagui/203111/t20311103_9988776.html",
    }  # ContentSource 首都之窗 is the site: no publisher
    assert read.block_fields("【发文字号】京政办发〔2031〕12号\n【索引号】11110000/2031-1\n【成文日期】2031年10月27日") == {
        "number": "京政办发〔2031〕12号", "date": "2031年10月27日"}


def test_web_archive_mhtml():
    import quopri

    html = (PAGES / "province_gbk.html").read_bytes()
    body = quopri.encodestring(html).decode("ascii")
    archive = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.gansu.gov.cn/gsszf/c100055/203105/1234567.shtml\r\n"
               "Subject: =?utf-8?Q?x?=\r\nMIME-Version: 1.0\r\n"
               'Content-Type: multipart/related; type="text/html"; boundary="----MultipartBoundary--abc"\r\n\r\n'
               "------MultipartBoundary--abc\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n"
               "Content-Location: http://www.gansu.gov.cn/gsszf/c100055/203105/1234567.shtml\r\n\r\n"
               f"{body}\r\n------MultipartBoundary--abc\r\nContent-Type: text/css\r\n\r\nbody{{}}\r\n"
               "------MultipartBoundary--abc--\r\n").encode("ascii")
    src = read.read_bytes(archive, "page.mhtml")
    expected = read.read_path(PAGES / "province_gbk.html")
    assert (src.format, src.encoding) == ("html", "gb18030")
    assert src.text == expected.text
    assert src.metadata == expected.metadata


def test_validity_prefix_in_the_heading_only():
    page = _page('<div class="title"><h1>【失效】青禾县人民政府关于做好春季植树造林工作的通知</h1></div>'
                 '<div id="zoom"><p>各乡镇人民政府：</p><p>现将有关事项通知如下，请认真贯彻执行。</p>'
                 '<p>青禾县人民政府</p><p>2031年3月1日</p></div>')
    src = read.read_bytes(page.encode(), "a.html")
    assert src.metadata == {}
    notice = extract_notice(src.text, source="a.html", sha256="0" * 64, given=src.metadata)
    assert notice.title == "青禾县人民政府关于做好春季植树造林工作的通知"
    assert notice.in_force == "notInForce"


def test_deeply_nested_markup_still_reads():
    nested = "<div><font>" * 1500 + "<p>青禾县人民政府关于做好春季植树造林工作的通知</p><script>var x = 1;</script>" + "</font></div>" * 1500
    src = read.read_bytes(_page(nested).encode(), "a.html")
    assert src.text == "青禾县人民政府关于做好春季植树造林工作的通知"


@pytest.mark.parametrize(("stated", "title"), [
    ("广东省人民政府办公厅关于推进海洋牧场高质量发展的通知（粤府办〔2031〕41号）", "广东省人民政府办公厅关于推进海洋牧场高质量发展的通知"),
    ("国发〔2031〕5号 国务院关于加强乡村供水管理的通知", "国务院关于加强乡村供水管理的通知"),
    ("关于转发国办发〔2031〕9号文件的通知", "关于转发国办发〔2031〕9号文件的通知"),
])
def test_stated_title_without_its_number(stated, title):
    head = f'<meta name="ArticleTitle" content="{stated}">'
    body = '<div id="zoom"><p>各乡镇人民政府：</p><p>现将有关事项通知如下，请认真贯彻执行。</p></div>'
    assert read.read_bytes(_page(body, head).encode(), "a.html").metadata == {"title": title}


def test_column_name_heading_is_not_put_in_front():
    head = '<meta name="ColumnName" content="县政府文件通知">'
    body = ('<h1>县政府文件通知</h1><div id="zoom"><p>青禾县人民政府关于做好春季植树造林工作的通知</p>'
            '<p>各乡镇人民政府：现将有关事项通知如下，请认真贯彻执行。</p></div>')
    src = read.read_bytes(_page(body, head).encode(), "a.html")
    assert src.text.split("\n")[0] == "青禾县人民政府关于做好春季植树造林工作的通知"


def test_undeclared_gbk_page_is_detected():
    raw = re.sub(rb"<meta[^>]*charset[^>]*>", b"", (PAGES / "county_old_table.htm").read_bytes(), flags=re.I)
    assert b"charset" not in raw.lower()
    src = read.read_bytes(raw, "a.htm")
    assert src.encoding == "gb18030"
    assert src.text == read.read_path(PAGES / "county_old_table.htm").text


def test_notice_head_examples():
    rx = re.compile(DATA["notice_head"]["regex"])
    for example in DATA["notice_head"]["examples"]:
        assert rx.match(example), example
    for counter in DATA["notice_head"]["counter_examples"]:
        assert not rx.match(counter), counter


# A page saved as the database fragment some portals and legal databases serve: no <body>, no
# content container, the cover notice in loose text before its attachment's block (which holds
# most of the text).
_COVER_AND_ATTACHMENT = (
    '<div style="text-align: center;">青禾市人民政府办公室关于印发青禾市夜间经济促进办法的通知\n'
    "（青政办发〔2031〕88号）\n</div>\n"
    "各县（市、区）人民政府，市政府各部门、各直属单位：\n"
    "　　《青禾市夜间经济促进办法》已经市人民政府同意，现印发给你们，请认真贯彻执行。\n\n"
    '<div align=right>　　二○三一年六月九日\n</div>\n'
    "<div align=center>青禾市夜间经济促进办法\n</div>\n<div>\n"
    + "".join(f"　　{n}、{'为繁荣城市夜间消费，延长商业街区营业时间，完善夜间公共交通和照明设施，' * 3}\n"
              for n in "一二三四五六七八")
    + "</div>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_cover_notice_before_its_attachment_is_kept(tmp_path, encoding):
    path = tmp_path / "fragment.htm"
    path.write_bytes(_COVER_AND_ATTACHMENT.encode(encoding))
    src, notice = _notice(path)
    assert src.text.startswith("青禾市人民政府办公室关于印发青禾市夜间经济促进办法的通知")
    assert "二○三一年六月九日" in src.text and "八、为繁荣城市夜间消费" in src.text
    assert notice.number.canonical == "青政办发〔2031〕88号"
    assert notice.title == "青禾市人民政府办公室关于印发青禾市夜间经济促进办法的通知"
    assert [a.name for a in notice.issuers] == ["青禾市人民政府办公室"]
    assert notice.date.isoformat() == "2031-06-09"


def test_content_block_without_the_notice_head_is_still_narrowed():
    """Navigation and a footer around an unnamed article block are still left out."""
    nav = "".join(f'<li><a href="/c{i}">栏目{i}频道首页</a></li>' for i in range(8))
    body = ("<p>" + "青禾市加快推进夜间经济发展，延长商业街区营业时间。" * 12 + "</p>") * 4
    html = _page(f"<ul>{nav}</ul><div><div>{body}</div></div><div>联系我们 | 网站地图 | 使用帮助</div>")
    text, _ = read.read_page(html)
    assert "栏目1" not in text and "网站地图" not in text
    assert text.startswith("青禾市加快推进夜间经济发展")


def test_heading_broken_over_lines_is_one_title():
    """A portal heading that breaks the title with <br> (issuer on its own line), the number in
    the next element, and the text in a content block."""
    body = ('<div class="details-main"><h2 id="subtitle">禾川省人民政府<br>关于印发禾川省数字乡村建设<br>'
            '行动方案的通知</h2><h4><span>禾政〔2031〕20号</span></h4><div class="content" id="content">'
            "<p>各市州人民政府，省人民政府有关部门：</p><p>现将《禾川省数字乡村建设行动方案》印发给你们，请认真贯彻执行。</p>"
            '<p style="text-align: right;">禾川省人民政府</p><p style="text-align: right;">2031年6月2日</p>'
            + "<p>" + "加快农村宽带网络和移动通信网络覆盖，推进涉农数据资源共享。" * 20 + "</p></div></div>")
    for raw in (body.encode("utf-8"), _page(body).encode("utf-8")):
        path_text = read.read_bytes(raw, "a.html").text
        assert path_text.split("\n")[:2] == ["禾川省人民政府关于印发禾川省数字乡村建设行动方案的通知", "禾政〔2031〕20号"]
        notice = extract_notice(path_text, source="a.html", sha256="0" * 64)
        assert notice.title == "禾川省人民政府关于印发禾川省数字乡村建设行动方案的通知"
        assert notice.number.canonical == "禾政〔2031〕20号"
        assert [a.name for a in notice.issuers] == ["禾川省人民政府"]
        assert notice.date.isoformat() == "2031-06-02"


def test_heading_lines_with_a_number_stay_apart():
    body = ('<div class="content"><h1>青禾县人民政府关于做好春季植树造林工作的通知<br>青政发〔2031〕4号</h1>'
            + "<p>" + "各乡镇人民政府要切实做好春季植树造林工作。" * 10 + "</p></div>")
    text = read.read_bytes(_page(body).encode("utf-8"), "a.html").text
    assert text.split("\n")[:2] == ["青禾县人民政府关于做好春季植树造林工作的通知", "青政发〔2031〕4号"]


def test_title_broken_by_br_in_the_first_block_of_the_content():
    """gov.cn's layout without its metadata table: the title, broken by <br>, opens the content."""
    body = ('<table><tr><td class="b12c" id="UCAP-CONTENT"><p style="text-align: center;">'
            '<span style="font-weight: bold;">国务院办公厅关于推进乡村供水设施</span><br>'
            '<span style="font-weight: bold;">提档升级的意见</span></p>'
            '<p style="text-align: center;"><span>国办发〔2031〕9号</span></p>'
            "<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>"
            + "<p>" + "乡村供水是重要的民生工程，要加快推进城乡供水一体化。" * 10 + "</p>"
            "<p>国务院办公厅<br>2031年3月8日</p></td></tr></table>")
    text = read.read_bytes(_page(body).encode("utf-8"), "a.html").text
    assert text.split("\n")[:2] == ["国务院办公厅关于推进乡村供水设施提档升级的意见", "国办发〔2031〕9号"]
    notice = extract_notice(text, source="a.html", sha256="0" * 64)
    assert notice.title == "国务院办公厅关于推进乡村供水设施提档升级的意见"
    assert notice.date.isoformat() == "2031-03-08"


@pytest.mark.parametrize("first", [
    "各乡镇人民政府：<br>现将有关事项通知如下。",
    "青禾县人民政府<br>2031年2月10日",
    "关于报送春季植树造林情况的通知<br>（禾政办〔2031〕5号）",
])
def test_first_block_that_is_no_broken_title_keeps_its_lines(first):
    body = f'<div id="zoom"><p>{first}</p>' + "<p>" + "各地要切实做好春季植树造林工作。" * 10 + "</p></div>"
    text = read.read_bytes(_page(body).encode("utf-8"), "a.html").text
    assert text.split("\n")[:2] == first.split("<br>")


@pytest.mark.parametrize("head, heading", [
    ('<meta name="ArticleTitle" content="禾川省人民政府办公厅关于加快发展林下经济的实施意见">', ""),
    ("", "<h1>禾川省人民政府办公厅关于加快发展林下经济的实施意见</h1>"),
])
def test_title_printed_over_several_paragraphs_is_one_line(head, heading):
    """The content prints the title the page states (or heads itself with) one paragraph a
    line, as pages pasted from a word processor do."""
    body = (heading + '<div class="TRS_Editor"><p align="center">禾川省人民政府办公厅</p>'
            '<p align="center">关于加快发展林下经济的</p><p align="center">实 施 意 见</p>'
            "<p>禾政办发〔2031〕27号</p><p>各市州人民政府，省政府各部门：</p>"
            + "<p>" + "林下经济是发展山区经济的重要途径，要因地制宜发展林下种植养殖。" * 8 + "</p></div>")
    text = read.read_bytes(_page(body, head).encode("utf-8"), "a.html").text
    assert text.split("\n")[:2] == ["禾川省人民政府办公厅关于加快发展林下经济的实施意见", "禾政办发〔2031〕27号"]


def test_lines_that_only_begin_the_stated_title_are_kept():
    head = '<meta name="ArticleTitle" content="青禾县人民政府关于做好春季植树造林工作的通知">'
    body = ('<div id="zoom"><p>青禾县人民政府</p><p>二〇三一年二月十日</p>'
            + "<p>" + "各乡镇要切实做好春季植树造林工作。" * 8 + "</p></div>")
    text = read.read_bytes(_page(body, head).encode("utf-8"), "a.html").text
    assert text.split("\n")[:3] == ["青禾县人民政府关于做好春季植树造林工作的通知", "青禾县人民政府", "二〇三一年二月十日"]


@pytest.mark.parametrize("stated, title", DATA["title_prefix"]["examples"] + DATA["title_prefix"]["counter_examples"])
def test_title_prefix_examples(stated, title):
    assert read._field_value("title", stated) == title


def test_order_page_with_a_bracketed_number_before_its_stated_title():
    """A regulator's page of an order: ArticleTitle 【第N号令】《…》, the order's text below."""
    head = ('<meta name="ArticleTitle" content="【第31号令】《禾川省河道采砂管理办法》"/>'
            '<meta name="PubDate" content="2031-03-28 17:46:39"/><meta name="ColumnName" content="省政府令"/>'
            "<title>【第31号令】《禾川省河道采砂管理办法》_禾川省人民政府</title>")
    body = ('<div class="detail-news"><p>禾川省人民政府令</p><p>第31号</p>'
            "<p>《禾川省河道采砂管理办法》已经2031年2月28日省人民政府第12次常务会议通过，现予公布，自2031年7月1日起施行。</p>"
            "<p>省长　李青禾</p><p>2031年3月26日</p><p>禾川省河道采砂管理办法</p>"
            + "<p>第一条　为了加强河道采砂管理，维护河势稳定，制定本办法。</p>" * 3 + "</div>")
    src = read.read_bytes(_page(body, head).encode("utf-8"), "a.html")
    assert src.metadata["title"] == "禾川省河道采砂管理办法"
    notice = extract_notice(src.text, source="a.html", sha256="0" * 64, given=src.metadata)
    assert notice.title == "禾川省河道采砂管理办法"
    assert notice.number.canonical == "禾川省人民政府令第31号"
    assert [a.name for a in notice.issuers] == ["禾川省人民政府"]
    assert notice.date.isoformat() == "2031-03-26"


_CENTER = '<p style="text-align: center; font-family: 宋体;"><span style="font-weight: bold;">{}</span></p> '


def test_title_printed_one_paragraph_a_line_without_a_stated_title():
    """No metadata, no heading: the content opens with the title in same-formatted paragraphs."""
    lines = ["国务院关于同意青禾、禾川、石河子", "高新技术产业开发区建设", "国家自主创新示范区的批复"]
    body = ('<td class="b12c" id="UCAP-CONTENT">' + "".join(_CENTER.format(t) for t in lines)
            + '<p style="text-align: center;"><span>国函〔2031〕145号</span></p>'
            "<p>科技部、新疆维吾尔自治区人民政府：</p>"
            + "<p>" + "你们关于支持高新技术产业开发区建设国家自主创新示范区的请示收悉。" * 6 + "</p>"
            "<p>国务院</p><p>2031年11月23日</p></td>")
    text = read.read_bytes(_page(f"<table><tr>{body}</tr></table>").encode("utf-8"), "a.html").text
    assert text.split("\n")[:2] == ["国务院关于同意青禾、禾川、石河子高新技术产业开发区建设国家自主创新示范区的批复",
                                    "国函〔2031〕145号"]
    notice = extract_notice(text, source="a.html", sha256="0" * 64)
    assert notice.title == "国务院关于同意青禾、禾川、石河子高新技术产业开发区建设国家自主创新示范区的批复"
    assert [a.name for a in notice.issuers] == ["国务院"]


@pytest.mark.parametrize("lines", [
    ["青禾市人民政府办公室文件", "关于做好春季植树造林工作的通知"],  # a letterhead, then the title
    ["青禾县人民政府关于做好春季植树造林工作的通知", "（征求意见稿）"],  # the title is whole already
    ["各乡镇要切实做好春季植树造林工作。", "各部门要加强协调配合。"],  # sentences
])
def test_same_formatted_paragraphs_that_are_no_broken_title_keep_their_lines(lines):
    body = ('<div id="zoom">' + "".join(_CENTER.format(t) for t in lines)
            + "<p>" + "各地要切实做好春季植树造林工作，确保完成全年任务。" * 8 + "</p></div>")
    text = read.read_bytes(_page(body).encode("utf-8"), "a.html").text
    assert text.split("\n")[:2] == lines
