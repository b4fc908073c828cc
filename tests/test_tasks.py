"""Tasks: numbered work items of the seed notices and of notices in other layouts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policykg.loaders import tasks as tasks_module
from policykg.loaders.models import Region, Task
from policykg.loaders.tasks import extract_structure, extract_tasks, han_number

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"
VARIANTS = ROOT / "tests" / "data" / "tasks"
LAYOUT = Path(tasks_module.__file__).parent / "data" / "task_layout.json"
CORPUS = ROOT.parent / "shared" / "corpus" / "notices.jsonl"

XIAMEN = Region("厦门市", "municipal", "福建省", None, "福建省")
JIAOZUO = Region("焦作市", "municipal", "河南省", None, "河南省")
ZHANJIANG = Region("湛江市", "municipal", "广东省", None, "广东省")
LIAONING = Region("辽宁省", "provincial", None, None, "辽宁省")
NATIONAL = Region("中华人民共和国", "national", None, "100000")
SUIXI = Region("遂溪县", "county", "湛江市", None, "广东省")
LUOYANG = Region("洛阳市", "municipal", "河南省", None, "河南省")
GUANGXI = Region("广西壮族自治区", "provincial", None, None, "广西壮族自治区")


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def variant(name: str) -> str:
    return (VARIANTS / f"{name}.txt").read_text(encoding="utf-8")


def by_heading(found: tuple[Task, ...], heading: str) -> Task:
    return next(t for t in found if t.heading == heading)


def roles(task: Task) -> list[tuple[str, str]]:
    return [(r.agency.name, r.role) for r in task.roles]


def check_spans(text: str, found: tuple[Task, ...]) -> None:
    for t in found:
        assert [t.ordinal for t in found] == list(range(1, len(found) + 1))
        a, b = t.span
        assert text[a:b].strip().startswith(t.label)
        assert t.heading in text[a:b]
        for r in t.roles:  # a list's shared prefix is part of the surface (省发展改革委、财政厅 → 省财政厅)
            assert re.sub(r"[“”\"]", "", r.agency.surface).endswith(
                re.sub(r"[“”\"]", "", text[r.span[0] : r.span[1]])
            )


# ---------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def xiamen():
    text = seed("000")
    return text, extract_tasks(text, XIAMEN)


def test_xiamen_tasks(xiamen):
    text, found = xiamen
    assert [t.label for t in found] == [
        f"({n})" for n in "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八".split()
    ]
    t = found[1]
    assert (t.ordinal, t.heading) == (2, "大力提高劳动者技能")
    assert t.section == "一、简政放权,充分发挥企业的质量主体作用"
    assert t.text.startswith("大力提高劳动者技能。贯彻实施卓越工程师计划")
    assert roles(t) == [
        ("厦门市教育局", "responsible"),
        ("厦门市人力资源和社会保障局", "responsible"),
        ("厦门市质量技术监督局", "responsible"),
        ("厦门出入境检验检疫局", "responsible"),
    ]
    assert [r.agency.surface for r in t.roles] == ["市教育局", "市人社局", "市质监局", "厦门检验检疫局"]
    assert t.roles[3].agency.vertical and t.roles[0].agency.government == "厦门市人民政府"
    check_spans(text, found)


def test_xiamen_groups_vertical_and_trailing_text(xiamen):
    _, found = xiamen
    assert [(r.agency.name, r.agency.kind) for r in found[0].roles] == [
        ("厦门市质量强市工作领导小组成员单位", "group")
    ]
    assert ("中国人民银行厦门市中心支行", "responsible") in roles(found[9])
    assert ("中国银行业监督管理委员会厦门监管局", "responsible") in roles(found[11])
    assert found[17].text.endswith("(市质监局、市市场监管局、市建设局、市旅游局按职责分工负责)")
    assert "国家质量监督检验检疫总局" in [a.name for a in found[9].mentions]
    assert all(t.roles for t in found)


def test_jiaozuo_tasks_by_the_rule():
    """指导思想/主要目标 are not tasks; 重点任务 has four tasks, each with numbered sub-tasks; the
    items of 保障措施 carry no clause and are not tasks."""
    text = seed("001")
    found = extract_tasks(text, JIAOZUO)
    assert [t.path for t in found] == [
        "二、(一)", "二、(一)1.", "二、(一)2.", "二、(一)3.",
        "二、(二)", "二、(二)1.", "二、(二)2.", "二、(二)3.", "二、(二)4.",
        "二、(三)", "二、(三)1.", "二、(三)2.", "二、(三)3.",
        "二、(四)", "二、(四)1.", "二、(四)2.", "二、(四)3.",
    ]  # fmt: skip
    assert [t.parent for t in found[:5]] == [None, "二、(一)", "二、(一)", "二、(一)", None]
    assert {t.section for t in found} == {"二、重点任务"}
    assert found[0].heading == "强化质量提升工程,改善质量供给水平"
    assert found[3].heading == "坚持品牌带动" and "指导思想" not in found[0].text
    assert "坚持品牌带动" not in found[0].text  # a parent's text is its own, the sub-tasks have theirs
    assert not any(t.roles for t in found)
    mentions = [a.name for t in found[13:] for a in t.mentions]
    assert mentions[:4] == [
        "焦作市质量技术监督局",
        "焦作市工商行政管理局",
        "焦作市农业局",
        "焦作市食品药品监督管理局",
    ]
    assert {"焦作市住房和城乡建设局", "焦作市水利局", "焦作市交通运输局"} <= set(mentions)
    check_spans(text, found)
    structure = extract_structure(text, JIAOZUO)
    assert [(p.kind, p.path) for p in structure.provisions if p.kind == "safeguard"] == [
        ("safeguard", "三、"),
        ("safeguard", "三、1."),
        ("safeguard", "三、2."),
        ("safeguard", "三、3."),
    ]
    assert structure.provisions[-1].text.endswith("并追究相关人员责任。")
    assert [(p.kind, p.path) for p in structure.provisions[:3]] == [("goal", "一、"), ("goal", "一、(一)"), ("goal", "一、(二)")]


@pytest.fixture(scope="module")
def zhanjiang():
    text = seed("002")
    return text, extract_tasks(text, ZHANJIANG)


def test_zhanjiang_body_and_table_are_one_task_each(zhanjiang):
    text, found = zhanjiang
    assert len(found) == 30
    assert [t.label for t in found] == [f"{n}." for n in range(3, 33)]
    assert found[0].section == "二、全面提升质量供给水平"
    assert all(any(r.role == "lead" for r in t.roles) for t in found)
    t = by_heading(found, "提高农产品优质供给水平")
    assert roles(t) == [
        ("湛江市农业农村局", "lead"),
        ("湛江市自然资源局", "participating"),
        ("湛江市市场监督管理局", "participating"),
    ]
    check_spans(text, found)


def test_zhanjiang_table_rows_matched_by_heading(zhanjiang):
    _, found = zhanjiang
    # body 提升建设工程质量 ↔ table 稳步提升建设工程质量; 全面加强质量监管 ↔ 加强全面质量监管
    assert roles(by_heading(found, "提升建设工程质量"))[0] == ("湛江市住房和城乡建设局", "lead")
    supervision = roles(by_heading(found, "全面加强质量监管"))
    assert supervision[0] == ("湛江市市场监督管理局", "lead")
    assert ("湛江市人民检察院", "participating") in supervision and (
        "湛江市烟草专卖局",
        "participating",
    ) in supervision
    # the ":" typo of the table: 牵头部门:市财政局:参与部门:…
    finance = roles(by_heading(found, "加大财政金融扶持力度"))
    assert (
        finance[0] == ("湛江市财政局", "lead") and ("中共湛江市委军民融合办公室", "participating") in finance
    )
    cooperation = by_heading(found, "深入开展粤港澳大湾区质量合作")
    assert [r.agency.name for r in cooperation.roles if r.agency.vertical] == ["湛江海关"]
    groups = [
        r.agency.name
        for r in by_heading(found, "营造共建共治共享质量治理格局").roles
        if r.agency.kind == "group"
    ]
    assert groups == ["湛江市质量强市工作领导小组成员单位"]


def test_liaoning_tasks():
    text = seed("003")
    found = extract_tasks(text, LIAONING)
    assert len(found) == 23 and {t.parent for t in found} == {None}
    assert found[5].path == "二、(六)"  # one series numbered on across the parts
    t2 = found[1]
    assert roles(t2) == [
        ("辽宁省质量技术监督局", "lead"),
        ("辽宁省教育厅", "participating"),
        ("辽宁省住房和城乡建设厅", "participating"),
        ("辽宁省交通厅", "participating"),
        ("辽宁省人民政府国有资产监督管理委员会", "participating"),
    ]
    coordinators = [r.agency.name for r in found[0].roles if r.role == "coordinating"]
    assert coordinators == ["辽宁省食品安全委员会办公室"]
    assert [r.role for r in found[0].roles].count("responsible") == 9
    last = found[22]
    assert (last.label, last.heading, last.roles) == ("(二十三)", "加强组织领导和监督检查", ())
    assert "评论" not in last.text
    assert roles(found[21])[1:] == [
        ("中共辽宁省委宣传部", "participating"),
        ("辽宁省直有关部门", "participating"),
    ]
    check_spans(text, found)


def test_national_work_points():
    text = seed("004")
    found = extract_tasks(text, NATIONAL)
    assert len(found) == 34
    assert found[0].heading == "密切跟踪“十三五”规划编制工作"
    assert found[-1].section == "十、夯实质量管理基础"
    assert found[12].mentions[0].name == "国家发展和改革委员会"
    check_spans(text, found)


# ---------------------------------------------------------------- other layouts and places


def test_county_notice():
    text = variant("county_suixi")
    found = extract_tasks(text, SUIXI)
    # 保障措施: （一） carries its own clause and is a task; （二） does not
    assert [t.path for t in found] == ["二、（一）", "二、（二）", "二、（三）", "二、（四）", "三、（一）"]
    assert roles(found[0]) == [
        ("遂溪县农业农村局", "lead"),
        ("遂溪县市场监督管理局", "participating"),
        ("遂溪县自然资源局", "participating"),
    ]
    assert [a.name for a in found[0].mentions] == ["遂溪县住房和城乡建设局", "遂溪县水务局"]
    assert roles(found[1]) == [("遂溪县市场监督管理局", "responsible"), ("遂溪县卫生健康局", "participating")]
    assert ("湛江市生态环境局遂溪分局", "responsible") in roles(found[2])
    assert roles(found[3]) == [("遂溪县市场监督管理局", "responsible"), ("遂溪县科工商务局", "responsible")]
    assert [r.agency.kind for r in found[4].roles] == ["group", "group"]
    assert found[4].section == "三、保障措施"
    last = extract_structure(text, SUIXI).provisions[-1]
    assert (last.kind, last.path, last.heading) == ("safeguard", "三、（二）", "强化督查考核")
    assert "印发" not in last.text
    check_spans(text, found)


def test_table_only_task_list():
    text = variant("table_luoyang")
    found = extract_tasks(text, LUOYANG)
    assert [t.label for t in found] == ["1", "2", "3", "4", "5"]
    assert found[0].heading == "开展质量提升行动，推进重点产品对标达标"
    assert found[0].section == "洛阳市2020年质量工作重点任务分工表"
    assert roles(found[0]) == [
        ("洛阳市市场监督管理局", "lead"),
        ("洛阳市工业和信息化局", "participating"),
        ("洛阳市发展和改革委员会", "participating"),
    ]
    assert ("洛阳市文化广电和旅游局", "participating") in roles(found[1])
    assert roles(found[3])[1] == ("洛阳市各县（市、区）人民政府", "participating")
    assert found[4].roles[0].agency.name == "洛阳海关" and found[4].roles[0].agency.vertical
    check_spans(text, found)


def test_unprefixed_agencies_and_nested_layout():
    text = variant("jiaozuo_unprefixed")
    found = extract_tasks(text, JIAOZUO)
    assert [(t.path, t.parent, t.section) for t in found] == [
        ("1、（1）", None, "1、加强质量人才培养"),
        ("1、（2）", None, "1、加强质量人才培养"),
        ("1、（2）①", "1、（2）", "1、加强质量人才培养"),
        ("1、（2）②", "1、（2）", "1、加强质量人才培养"),
        ("2、（1）", None, "2、强化质量监管"),
        ("2、（2）", None, "2、强化质量监管"),
        ("3、", None, None),  # a part without items that assigns work is one task
    ]
    found = tuple(t for t in found if t.path in ("1、（1）", "1、（2）", "2、（1）", "2、（2）"))
    assert roles(found[0]) == [
        ("焦作市教育局", "responsible"),
        ("焦作市人力资源和社会保障局", "responsible"),
        ("焦作市财政局", "responsible"),
    ]
    assert roles(found[1]) == [
        ("焦作市教育局", "lead"),
        ("焦作市质量技术监督局", "participating"),
        ("共青团焦作市委员会", "participating"),
    ]
    assert found[1].text == "推进质量教育基地建设。"  # ① and ② are its sub-tasks; the clause after ② is its own
    assert roles(found[2])[-1] == ("焦作市人民政府食品安全委员会办公室", "coordinating")
    assert [a.name for a in found[2].mentions] == [
        "焦作市质量技术监督局",
        "焦作市工商行政管理局",
        "焦作市食品药品监督管理局",
    ]
    assert roles(found[3])[1] == ("焦作市安全生产监督管理局", "responsible")
    check_spans(text, extract_tasks(text, JIAOZUO))


def test_national_first_listed_leads_and_below():
    text = variant("national_first_leads")
    found = extract_tasks(text, NATIONAL)
    assert [t.label for t in found] == ["（三）", "（四）", "（五）", "（六）", "（七）", "（八）"]
    assert roles(found[0]) == [("人力资源和社会保障部", "lead"), ("财政部", "responsible")]
    assert roles(found[1]) == [
        ("教育部", "lead"),
        ("人力资源和社会保障部", "responsible"),
        ("国家发展和改革委员会", "responsible"),
    ]
    assert roles(found[2]) == [("国家发展和改革委员会", "lead"), ("财政部", "responsible")]
    assert roles(found[3]) == [
        ("人力资源和社会保障部", "lead"),
        ("国家市场监督管理总局", "participating"),
        ("国务院国有资产监督管理委员会", "participating"),
    ]
    assert [a.name for a in found[3].mentions] == ["国家发展和改革委员会", "国家市场监督管理总局"]
    assert roles(found[4]) == [("各省级人民政府", "responsible")]
    assert roles(found[5])[0] == ("财政部", "lead")
    check_spans(text, found)


def test_autonomous_region_with_labelled_lines():
    text = variant("guangxi_autonomous")
    found = extract_tasks(text, GUANGXI)
    assert [t.heading for t in found] == ["推动地方标准制定", "推进标准化试点示范", "加强计量能力建设"]
    assert roles(found[0]) == [
        ("广西壮族自治区市场监督管理局", "responsible"),
        ("广西壮族自治区工业和信息化厅", "responsible"),
    ]
    assert roles(found[1])[0] == ("广西壮族自治区市场监督管理局", "lead")
    assert roles(found[1])[-1] == ("广西壮族自治区直有关部门", "participating")
    assert [r.agency.name for r in found[2].roles if r.agency.vertical] == [
        "南宁海关",
        "中国银行保险监督管理委员会广西监管局",
    ]
    check_spans(text, found)


# ---------------------------------------------------------------- layout rules on small texts


def test_flat_list_and_goal_sections():
    text = "一、指导思想\n坚持质量第一。\n二、加强标准化工作。制定地方标准。\n三、推进品牌建设。培育知名品牌。\n四、保障措施\n各部门要抓好落实。\n"
    found = extract_tasks(text, XIAMEN)
    assert [(t.label, t.heading, t.section) for t in found] == [
        ("二、", "加强标准化工作", None),
        ("三、", "推进品牌建设", None),
    ]


def test_inline_markers_and_numbers_in_sentences():
    text = (
        "二、重点任务 （一）提升产能。产量增长2.5倍，达到1.2万吨。（市工信局负责） （二）扩大开放。"
        "推进3.0版改革。（市商务局负责）\n三、其他\n"
    )
    found = extract_tasks(text, XIAMEN)
    assert [(t.label, t.heading) for t in found] == [("（一）", "提升产能"), ("（二）", "扩大开放")]
    assert roles(found[0]) == [("厦门市工业和信息化局", "responsible")]
    assert "2.5倍" in found[0].text


def test_tasks_and_sub_tasks_with_their_clauses():
    text = (
        "一、主要目标\n到2025年，产值翻番。\n二、重点任务\n（一）实施创新行动\n"
        "1.突破关键技术。开展攻关。（牵头单位：省科技厅）\n2.建设创新平台。建设实验室。（责任单位：省发展改革委）\n"
        "（二）实施数字化行动\n1.建设算力设施。（牵头单位：省大数据局）\n"
    )
    found = extract_tasks(text, LIAONING)
    assert [(t.path, t.parent, t.heading, t.section) for t in found] == [
        ("二、（一）", None, "实施创新行动", "二、重点任务"),
        ("二、（一）1.", "二、（一）", "突破关键技术", "二、重点任务"),
        ("二、（一）2.", "二、（一）", "建设创新平台", "二、重点任务"),
        ("二、（二）", None, "实施数字化行动", "二、重点任务"),
        ("二、（二）1.", "二、（二）", "建设算力设施", "二、重点任务"),
    ]
    assert [roles(t)[0] for t in found if t.parent] == [
        ("辽宁省科学技术厅", "lead"),
        ("辽宁省发展和改革委员会", "responsible"),
        ("辽宁省大数据局", "lead"),
    ]
    assert found[0].roles == ()


def test_table_of_contents_is_not_tasks():
    text = (
        "目录\n一、总体要求……………………1\n（一）指导思想……………………1\n二、重点任务……………………2\n"
        "（一）建设标准体系……………………2\n一、总体要求\n（一）指导思想\n坚持创新引领。\n二、重点任务\n"
        "（一）建设标准体系。制定一批标准。\n（二）推进试点示范。开展试点。\n"
    )
    found = extract_tasks(text, NATIONAL)
    assert [(t.label, t.heading) for t in found] == [("（一）", "建设标准体系"), ("（二）", "推进试点示范")]


def test_no_numbered_items():
    assert extract_tasks("现将有关事项通知如下：请各单位认真执行。", XIAMEN) == ()
    assert extract_tasks("", None) == ()


def test_han_numbers():
    assert [han_number(x) for x in ["一", "十", "十二", "二十", "二十三", "一百零五"]] == [
        1,
        10,
        12,
        20,
        23,
        105,
    ]


# ---------------------------------------------------------------- the layout data


def test_layout_data_examples():
    d = json.loads(LAYOUT.read_text(encoding="utf-8"))
    for marker in d["markers"]:
        pattern = re.compile(marker["regex"])
        assert marker["examples"], marker["style"]
        for example in marker["examples"]:
            m = pattern.match(example)
            assert m and m.group("num"), (marker["regex"], example)
    ends = [re.compile(p) for p in d["end_lines"]]
    for line in d["end_line_examples"]:
        assert any(p.search(line) for p in ends), line
    for line in d["not_end_line_examples"]:
        assert not any(p.search(line) for p in ends), line
    assert not set(d["goal_headings"]) & set(d["task_headings"])
    assert not set(d["safeguard_headings"]) & set(d["task_headings"])
    for key in ("directive", "modal", "list_lead"):
        pattern = re.compile(d[key])
        assert all(pattern.search(e) for e in d[f"{key}_examples"]), key
        assert not any(pattern.search(e) for e in d.get(f"not_{key}_examples", [])), key
    assert all(re.match(d["box_line"], e) for e in d["box_examples"])
    assert all(tasks_module._heading_kind(e) == "describe" for e in d["describe_examples"])


# ---------------------------------------------------------------- real corpus


@pytest.mark.corpus
def test_corpus_tasks_and_roles():
    if not CORPUS.exists():
        pytest.skip("corpus not available")
    regions = pytest.importorskip("policykg.loaders.regions")
    from policykg.loaders.agencies import recognize_full

    notices = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    with_tasks = with_roles = tasks_with_roles = unknown = 0
    for n in notices:
        text = n["text"]
        provincial = len(re.findall(r"[（(、，：:]省", text))
        municipal = len(re.findall(r"[（(、，：:]市", text))
        if n["id"].startswith("govcn_") or (n["id"].startswith("sd_central_") and provincial < 3):
            region = regions.NATIONAL
        elif provincial >= municipal:
            region = regions.lookup("山东省")
        else:
            region = regions.lookup("济南市" if text.count("济南") >= text.count("青岛") else "青岛市")
        found = extract_tasks(text, region)
        with_tasks += bool(found)
        with_roles += any(t.roles for t in found)
        tasks_with_roles += sum(1 for t in found if t.roles)
        unknown += sum(
            1 for t in found for r in t.roles if not recognize_full(r.agency.surface, region).known
        )
    assert with_tasks >= 170  # regulations, replies that only approve, lists and news have none
    assert with_roles >= 16
    assert tasks_with_roles >= 370
    assert unknown <= 5
