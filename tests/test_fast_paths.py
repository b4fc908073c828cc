"""The quick paths of the loaders give what the plain computation gives.

Each quick path (jieba's route computed in one pass, markers tried only where they may count,
document numbers searched only where their cores can be, …) is checked against the plain
computation it stands for, on the seed notices and on variants written to reach its edges.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policykg.loaders import agencies, docnumber, responsibility, tasks
from policykg.loaders.read import read_path

SEEDS = sorted((Path(__file__).parent.parent / "samples" / "seeds").glob("*.txt"))

VARIANTS = [
    "一、总体要求\n（一）指导思想。坚持统筹推进。二、重点任务\n（一）加强监管。(市质监局牵头，市教育局、市人社局配合)\n"
    "1.完善标准。2、健全制度；3，落实责任。（1）建立台账 （2）定期通报\n①开展检查②督促整改\n",
    "二、主要措施 （一）优化服务。 （二）强化保障）（三）严格考核\r\n  三、 组织实施\n\u3000\u30001突出重点\n",
    "十二、加强宣传\n（十三）做好培训。1. 到2020年，覆盖率达到90%。２．全面推开。\n附件：1.任务分工表\n",
    "牵头单位：市科技局；配合单位：市财政局、市发展改革委\n【责任单位】省教育厅\n  实施部门：区政府。主责单位:县卫健局",
    "国办发〔2015〕19号、厦府办[2016]12号，（2021）国科科函字第99号，湘科发2022〔137〕号，省政府令第219号，"
    "国家质检总局第144号令，国家税务总局公告2015年第41号，海关总署2012年第26号公告，"
    "北京市人民代表大会常务委员会公告〔15届〕第19号，陕科(农)函〔2022〕宣字4号，根据2019年12月18日国务院令第707号",
    "按照国办发〔2015〕19号文件精神，到2025年，（二〇二〇年）第3号，２０２１年(第９号)，令 第12号",
]


def _texts() -> list[str]:
    return [read_path(p).text for p in SEEDS] + VARIANTS


# ---------------------------------------------------------------- jieba


def _runs() -> list[str]:
    runs = [m.group() for t in _texts() for m in agencies._RUN.finditer(t)]
    return runs + ["a b\r\nc", "2019年12月", "ＡＢＣ市教育局", "x-y_z%", "“市教育局”", "厦门市思明区人民政府办公室"]


def test_run_tokens_are_jiebas():
    tk = agencies._tokenizer()
    runs = _runs()
    assert len(runs) > 500
    for run in runs:
        assert agencies._run_tokens.__wrapped__(run) == tuple(tk.tokenize(run)), run


# ---------------------------------------------------------------- task markers


def _candidates_plain(text: str, masked: list) -> list:
    """Every match of every marker pattern, kept where it may count."""
    found: dict[int, tuple] = {}
    for style, pattern, numerals, inline in tasks._layout().markers:
        for m in pattern.finditer(text):
            pos, end = m.start(), m.end()
            if any(a <= pos < b for a, b in masked):
                continue
            if not (tasks._line_start(text, pos) or (inline and tasks._inline_ok(text, pos, style))):
                continue
            nxt = text[end : end + 1]
            if not nxt or nxt in "、，,。.．)）|":
                continue
            value = tasks._number(m.group("num"), numerals)
            if value <= 0:
                continue
            label = m.group(0).strip(tasks._SPACE)
            if pos not in found or end - pos > found[pos][1] - found[pos][0]:
                found[pos] = (pos, end, style, value, label)
    return [found[k] for k in sorted(found)]


def test_markers_found_as_by_a_full_search():
    texts = _texts()
    for text in texts:
        for masked in ([], [(3, 60)]):
            assert tasks._candidates(text, masked) == _candidates_plain(text, masked)
    assert [c[4] for c in tasks._candidates(VARIANTS[1], [])] == ["二、", "（一）", "（二）", "（三）", "三、", "1"]


def test_first_chars_of_markers():
    assert tasks._first_chars("(?P<num>[0-9０-９][0-9０-９]{0,2})[.、]") == frozenset("0123456789０１２３４５６７８９")
    assert tasks._first_chars("[（(][ \\t]*一") == frozenset("（(")
    assert tasks._first_chars("(?:令|公告)第") == frozenset("令公")
    assert tasks._first_chars("\\d届") is None  # a category: not read
    assert tasks._first_chars("[^a]x") is None
    assert tasks._first_chars("x?y") is None
    assert all(f is not None for f in tasks._layout().firsts)  # the layout's markers are all read


def test_end_lines_matched_at_line_start():
    lay = tasks._layout()
    for line in ["附件：1.任务分工表", "抄送：省政府办公厅", "2015年7月15日", "  附件2"]:
        assert bool(lay.end_line(line.strip())) == bool(lay.end_lines.search(line.strip()))


# ---------------------------------------------------------------- responsibility clauses


_LABELS = "|".join(sorted(responsibility._cues().label_roles, key=len, reverse=True))
_LABEL_LINE = re.compile(
    rf"(?:^|(?<=[\n。；;]))[ \t\u3000]*(?=[【\[]?(?:{_LABELS})[】\]]?\s*[:：]|[【\[](?:{_LABELS})[】\]])"
)


def _close_plain(text: str, start: int) -> int | None:
    depth, breaks = 0, []
    for i in range(start, min(len(text), start + responsibility._MAX_CLAUSE)):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth == 0:
                if not breaks:
                    return i + 1
                first = text[start : breaks[0]].rstrip(" \t\r\u3000")
                wrapped = len(first) > 1 and first[-1] not in "。；;！!？?：:，,"
                return i + 1 if len(breaks) == 1 and wrapped and i - breaks[0] <= 80 else None
        elif ch == "\n":
            breaks.append(i)
    return None


def test_label_lines_and_brackets_as_by_a_full_search():
    for text in [*_texts(), "（a（b）c\n）（（x））(" + "字" * 500 + ")"]:
        assert responsibility._label_lines(text) == [m.end() for m in _LABEL_LINE.finditer(text)]
        plain = {i: _close_plain(text, i) for i, ch in enumerate(text) if ch in "（("}
        assert responsibility._closings(text) == {k: v for k, v in plain.items() if v is not None}


# ---------------------------------------------------------------- document numbers


def _scan_plain(text: str, strict: bool) -> list:
    norm = text.translate(docnumber._FW)
    out = []
    for start, end in docnumber._windows(norm):
        for form, rx in docnumber._PATTERNS.items():
            if not docnumber._CORES[form].search(norm, start, end):
                continue
            for m in rx.finditer(norm, start, end):
                d = docnumber._build(form, m, text, strict)
                if d is not None:
                    out.append((docnumber._PRIORITY[form], d))
    return out


@pytest.mark.parametrize("strict", [True, False])
def test_numbers_found_as_by_a_full_search(strict):
    texts = _texts()
    texts += [line for t in VARIANTS[4:] for line in re.split("[，、]", t)]
    for text in texts:
        fast = [(p, d, d.span, d.surface) for p, d in docnumber._scan(text, strict)]
        plain = [(p, d, d.span, d.surface) for p, d in _scan_plain(text, strict)]
        assert fast == plain, text
    import random

    rnd = random.Random(5)
    pieces = [*re.split("[，、]", VARIANTS[4]), "按照", "（农）", "(", "〔", "2020年", "第3号", " ", "\u3000", "令", "和"]
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(2, 12)))
        fast = [(p, d, d.span) for p, d in docnumber._scan(text, strict)]
        assert fast == [(p, d, d.span) for p, d in _scan_plain(text, strict)], text
    found = [d.canonical for d in docnumber.find_all(VARIANTS[4])]
    assert "陕科（农）函〔2022〕宣字4号" in found and "国务院令第707号" in found


def test_anchor_reads_as_its_plain_form():
    plain = re.compile(
        f"(?=[{docnumber._BR}\\d令第])(?:[{docnumber._BR}]{docnumber._SP}(?:19|20)\\d\\d|(?:19|20)\\d\\d"
        f"{docnumber._SP}[{docnumber._BR}年]|\\d{docnumber._SP}届|令{docnumber._SP}[(（]?{docnumber._SP}第|第{docnumber._SP}\\d)"
    )
    for text in _texts():
        norm = text.translate(docnumber._FW)
        assert [m.span() for m in docnumber._ANCHOR.finditer(norm)] == [m.span() for m in plain.finditer(norm)]


# ---------------------------------------------------------------- agency functions


def _function_plain(name: str) -> str | None:
    best = None
    fallback = "government_general" if "人民政府" in name else None
    name = name.replace("人民政府", "\0")
    for key, keywords in agencies._tables().functions:
        for kw in keywords:
            if kw in name:
                if key == "government_general":
                    fallback = fallback or key
                elif best is None or len(kw) > best[0]:
                    best = (len(kw), key)
    return best[1] if best else fallback


def test_function_as_by_every_keyword():
    names = ["厦门市质量技术监督局", "辽宁省人民政府", "市人民政府办公厅", "国家税务总局厦门市税务局", "崂山实验室"]
    names += [w for t in _texts() for w in re.findall("[\u4e00-\u9fff]{2,14}", t)]
    for name in names:
        assert agencies._function.__wrapped__(name) == _function_plain(name), name


# ---------------------------------------------------------------- metadata labels


def test_field_labels_as_by_their_plain_regex():
    from policykg.loaders import meta

    alts = [
        f"{meta._SP}*".join(e["label"])
        for e in sorted(meta._data("meta_fields.json")["labels"], key=lambda e: -len(e["label"]))
    ]
    plain = re.compile(f"(?:(?<=^)|(?<=[\\s]))(?P<label>{'|'.join(alts)}){meta._SP}*[：:]?")
    lines = ["发文字号：国办发〔2015〕19号", " 发 文 字 号:x", "a发文字号", "\t文号", "x 文号 ：", "标题\n名称：y"]
    for text in [*_texts(), *lines]:
        for s in [text[:2500], *text[:2500].split("\n")]:
            assert [(m.span(), m.group("label")) for m in meta._label_rx().finditer(s)] == [
                (m.span(), m.group("label")) for m in plain.finditer(s)
            ]
            assert bool(meta._label_rx().match(s)) == bool(plain.match(s))


def test_group_and_nongov_patterns_as_one():
    t = agencies._tables()
    assert t.any_group is not None and t.any_nongov is not None
    names = ["省直有关部门", "各区人民政府", "厦门大学", "市总工会", "县（市、区）政府", "市政协办公厅", "地方", "市教育局"]
    names += [w for text in _texts() for w in re.findall("[\u4e00-\u9fff（）()、]{2,16}", text)]
    for name in names:
        assert agencies._is_group.__wrapped__(name) == any(p.search(name) for p in t.groups), name
        plain = any(p.search(name) for p in t.nongov) or name.startswith(("中共", "共青团", "中国共产党"))
        assert agencies._nongov.__wrapped__(name) == plain, name
    assert agencies._any_of(["(a)\\1"]) is None and agencies._any_of(["(?i)x"]) is None


# ---------------------------------------------------------------- citations


def test_section_heads_as_by_a_full_search():
    from policykg.loaders import citations

    rx = citations._rx("sections")
    for text in [*_texts(), "一、总则\n（二）范围\n 第三章 附则\n\n四、x", "\n一、", "二、\r\n三."]:
        assert citations._section_starts(text) == tuple(m.start() for m in rx.finditer(text))
