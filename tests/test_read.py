"""Reading source files: decoding, saved web pages, page noise."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from policykg.errors import ReadError
from policykg.loaders import read

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
READ = Path(__file__).resolve().parent / "data" / "read"
NOISE = json.loads((ROOT / "loaders" / "data" / "noise.json").read_text(encoding="utf-8"))

SEED = {
    "000": "000_08e496a476ab88e2.txt",
    "001": "001_2de2f1255edc3fc5.txt",
    "002": "002_5cb87e2d2ab2f10e.txt",
    "003": "003_908c98fe01b87dba.txt",
    "004": "004_8acc31f584f50ad2.txt",
}


def _seed(key: str) -> read.SourceText:
    return read.read_path(SEEDS / SEED[key])


# ---------------------------------------------------------------- seeds

# (seed, first line, last line, noise that must be gone)
SEED_CASES = [
    ("000", "厦府办〔2015〕134号《厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知》",
     "厦门市人民政府办公厅2015年7月16日印发", ["附件下载", "扫描二维码"]),
    ("001", "焦作市人民政府关于深入开展质量强市建设的实施意见", "2017年5月3日",
     ["标签:", "留言与评论", "验证码", "条评论"]),
    ("002", "湛江市开展质量提升行动的方案",
     "牵头部门:市市场监管局;参与部门:市公安局、市人力资源和社会保障局、市金融工作局。 |", []),
    ("003", "辽宁省人民政府办公厅关于印发辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案的通知",
     "  (二十三)加强组织领导和监督检查。各地区、各部门要加强对质量工作的组织领导和统筹协调,结合实际,制定具体实施方案。省政府将组织对各市政府、行业主管部门实施本工作方案情况进行监督检查。",
     ["沪ICP备", "已有\xa00\xa0条评论", "全部评论", "来源:网络", "\n评论\n"]),
    ("004", "各省、自治区、直辖市及计划单列市、副省级城市、新疆生产建设兵团质量技术监督局:",
     "34. 深入开展“质量月”活动。认真策划活动主题和方案。推动“质量月”活动重心下移,质量强市示范城市、品牌示范园区所在城市要率先开展“质量月”活动。发动新闻媒体特别是新媒体加强宣传,讲好中国质量故事,唱响中国质量声音。",
     ["热点信息"]),
]


@pytest.mark.parametrize(("key", "first", "last", "gone"), SEED_CASES)
def test_seed_read_and_cleaned(key, first, last, gone):
    src = _seed(key)
    assert (src.encoding, src.format) == ("utf-8", "text")
    lines = src.text.split("\n")
    assert lines[0] == first
    assert lines[-1] == last
    for noise in gone:
        assert noise not in src.text
    raw = (SEEDS / SEED[key]).read_text(encoding="utf-8")
    # only noise lines were removed: every kept line is a line of the source
    raw_lines = {line.rstrip() for line in raw.split("\n")}
    assert all(line in raw_lines for line in lines)


def test_seed_body_mentions_kept():
    text = _seed("000").text
    assert "(十八)完善质量法律法规体系。" in text
    assert "(国办发〔2015〕19号)" in text
    assert "焦政文〔2014〕111号" in _seed("001").text


# ---------------------------------------------------------------- encodings


def _traditional() -> str:
    return ("廈門市人民政府辦公廳關於印發廈門市貫徹實施質量發展綱要2015年行動計劃的通知\n"
            "廈府辦〔2015〕134號\n各區人民政府，市直各委、辦、局，各開發區管委會，各有關單位：\n"
            "《廈門市貫徹實施質量發展綱要2015年行動計劃》已經市政府研究同意，現印發給你們，請認真貫徹執行。\n")


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16"),
     ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_encodings_round_trip(encoding, expected):
    text = (SEEDS / SEED["000"]).read_text(encoding="utf-8")
    src = read.read_bytes(text.encode(encoding), "notice.txt")
    assert src.encoding == expected
    assert src.text == _seed("000").text


def test_gb2312_short_text():
    text = "焦作市人民政府关于深入开展质量强市建设的实施意见\n焦政〔2017〕12号\n各县(市)区人民政府:\n"
    src = read.read_bytes(text.encode("gb2312"))
    assert src.encoding == "gb18030"
    assert src.text == text.strip()


def test_big5_traditional():
    text = _traditional()
    src = read.read_bytes(text.encode("big5"), "notice.txt")
    assert src.encoding == "big5"
    assert src.text == text.strip()


def test_gb18030_only_characters():
    text = "关于𠮷字的说明\n" + (SEEDS / SEED["003"]).read_text(encoding="utf-8")
    src = read.read_bytes(text.encode("gb18030"))
    assert src.encoding == "gb18030"
    assert src.text.startswith("关于𠮷字的说明\n辽宁省人民政府办公厅")


def test_decode_returns_name():
    assert read.decode("厦门".encode()) == ("厦门", "utf-8")
    assert read.decode(codecs.BOM_UTF8 + "厦门".encode()) == ("厦门", "utf-8-sig")


# ---------------------------------------------------------------- errors


def test_empty_file(tmp_path):
    with pytest.raises(ReadError, match="empty file"):
        read.read_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\r\n ")
    with pytest.raises(ReadError, match="empty file"):
        read.read_path(tmp_path / "blank.txt")


def test_binary_file(tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(ReadError, match="binary file"):
        read.read_path(png)
    with pytest.raises(ReadError, match="binary file"):
        read.read_bytes(b"\x00\x01\x02\x03" * 40)


def test_undecodable_bytes():
    with pytest.raises(ReadError, match="cannot decode"):
        read.read_bytes(bytes(range(0x80, 0x100)) * 3)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        read.read_path(tmp_path / "nope.txt")


def test_only_noise():
    with pytest.raises(ReadError, match="no text"):
        read.read_bytes("评论\n已有 0 条评论\n".encode())


# ---------------------------------------------------------------- html

HTML_EXPECTED = [
    "泉州市人民政府办公室关于印发泉州市质量强市工作方案的通知",
    "各县（市、区）人民政府，泉州开发区、泉州台商投资区管委会，市直有关单位：",
    "经市政府同意，现将《泉州市质量强市工作方案》印发给你们，请认真组织实施。",
    "为贯彻落实《福建省人民政府办公厅关于印发福建省贯彻实施质量发展纲要2015年行动计划的通知》（闽政办〔2015〕74号）精神，制定本方案。",
    "一、加强质量基础建设 & 标准化工作（市质监局牵头，市发改委、市经信委配合）",
    "二、积极开展第三方评论和社会监督，评论结果向社会公开。",
    "泉州市人民政府办公室",
    "2016年5月20日",
]


def test_saved_html_page_gbk():
    data = (READ / "notice_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    src = read.read_bytes(data, "notice_gbk.html")
    assert (src.encoding, src.format) == ("gb18030", "html")
    assert src.text.split("\n") == HTML_EXPECTED
    # the metadata table is read as the page's facts, not kept as text
    # (its <title> is a weak source: the heading it gives is the text's, not a stated title)
    assert src.metadata == {"number": "泉政办〔2016〕51号", "publisher": "泉州市人民政府办公室", "date": "2016-05-20"}
    assert "索引号" not in src.text
    for noise in ("首页", "统计代码", "_hmt", "打印本页", "分享到", "已有 0 条评论", "验证码", "上一篇",
                  "ICP备", "主办单位", "网站标识码", "扫一扫", "隐藏的统计文字", "泉州市人民政府门户网站"):
        assert noise not in src.text


def test_html_detected_without_extension():
    data = (READ / "notice_gbk.html").read_bytes()
    assert read.read_bytes(data, "notice.txt").format == "html"


def test_html_without_container_falls_back_to_body():
    page = ("<html><head><meta charset=\"utf-8\"><title>t</title></head><body>"
            "<nav>首页 | 政务公开</nav><h1>湛江市开展质量提升行动的方案</h1>"
            "<p>为深入贯彻&ldquo;质量第一&rdquo;，制定本方案。</p><br>一、总体要求"
            "<script>alert('x')</script><footer>版权所有：湛江市人民政府</footer></body></html>")
    src = read.read_bytes(page.encode("utf-8"))
    assert src.format == "html"
    assert src.text.split("\n") == ["湛江市开展质量提升行动的方案", "为深入贯彻“质量第一”，制定本方案。", "一、总体要求"]


def test_html_to_text_entities_and_blocks():
    assert read.html_to_text("<div>甲&nbsp;乙</div><p>丙&lt;丁&gt;</p>a<br/>b") == "甲 乙\n丙<丁>\na\nb"


def test_meta_charset_gb2312_page():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><div class="content"><p>豫政〔2015〕29号</p><p>河南省人民政府关于推动三个转变建设质量强省的实施意见</p></div></body></html>'
    src = read.read_bytes(page.encode("gb2312"), "a.htm")
    assert src.encoding == "gb18030"
    assert src.text == "豫政〔2015〕29号\n河南省人民政府关于推动三个转变建设质量强省的实施意见"


# ---------------------------------------------------------------- noise data


@pytest.mark.parametrize("pattern", NOISE["patterns"], ids=lambda p: p["name"])
def test_noise_pattern_examples(pattern):
    assert pattern["examples"], "every pattern has examples"
    for example in pattern["examples"]:
        assert read.noise_kind(example) is not None, example
        assert read.strip_noise(f"第一行\n{example}\n最后一行") == "第一行\n最后一行"
    for counter in pattern.get("counter_examples", ()):
        assert read.noise_kind(counter) is None, counter
        assert counter in read.strip_noise(f"第一行\n{counter}\n最后一行")


def test_content_container_examples():
    import re

    regex = re.compile(NOISE["content_containers"]["regex"])
    for example in NOISE["content_containers"]["examples"]:
        assert regex.search(example), example


def test_strip_noise_keeps_sentences():
    text = "一、总体要求\n积极开展第三方评论和社会监督,评论结果向社会公开。\n扫描二维码可查看全文的做法要推广,方便群众办事。\n评论"
    assert read.strip_noise(text) == "一、总体要求\n积极开展第三方评论和社会监督,评论结果向社会公开。\n扫描二维码可查看全文的做法要推广,方便群众办事。"
