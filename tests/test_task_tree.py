"""Tasks as a tree: every numbered item a task or a provision, paths, parents, articles.

The notices here are invented (agencies, places and numbers), in several provinces' wording and
numbering styles; the seeds and the labelled corpus notices are checked at the end.
"""

from __future__ import annotations

import json

import pytest

from policykg.graph.triples import notice_triples
from policykg.loaders.extract import extract_notice
from policykg.loaders.models import Region, Task
from policykg.loaders.tasks import extract_structure, extract_tasks
from policykg.ontology.plo import PLO

from .test_tasks import JIAOZUO, LIAONING, NATIONAL, XIAMEN, ZHANJIANG, seed

QINGSHAN = Region("青山市", "municipal", "云州省", None, "云州省")


def tree(found: tuple[Task, ...]) -> list[tuple[str, str | None]]:
    return [(t.path, t.parent) for t in found]


def counts(found: tuple[Task, ...]) -> tuple[int, int]:
    """(top-level tasks, leaf tasks)."""
    parents = {t.parent for t in found}
    return sum(1 for t in found if t.parent is None), sum(1 for t in found if t.path not in parents)


PLAN = """青山市人民政府办公室关于印发青山市冷链物流高质量发展三年行动方案的通知
青政办发〔2031〕9号
各区人民政府，市政府各部门：
《青山市冷链物流高质量发展三年行动方案》已经市政府同意，现印发给你们，请认真贯彻执行。
青山市人民政府办公室
2031年3月2日
青山市冷链物流高质量发展三年行动方案
一、总体要求
（一）指导思想。坚持需求牵引，补齐冷链短板。
（二）工作目标。到2033年，冷链流通率提高到60%，冷链运输成本下降2.5个百分点。
二、重点任务
（一）建设骨干冷链设施。
1.2032年底前，建成青山港冷链物流园。（市交通运输局牵头，市商务局参与）
2.改造产地预冷设施。每年新增预冷库容3.5万吨。（市农业农村局负责）
（二）提升冷链运输效率。
1.推广多式联运。
（1）开通冷链专列。（市交通运输局负责）
（2）发展冷链甩挂运输。
2.规范冷链车辆管理。（市公安局、市交通运输局按职责分工负责）
三、保障措施
（一）加强组织领导。成立工作专班，统筹推进各项工作。
（二）强化资金支持。市财政每年安排专项资金。（市财政局负责）
青山市人民政府办公室2031年3月2日印发
"""


def test_a_plan_is_a_tree_of_tasks_with_paths():
    s = extract_structure(PLAN, QINGSHAN)
    assert tree(s.tasks) == [
        ("二、（一）", None),
        ("二、（一）1.", "二、（一）"),  # 1.2032年底前: a marker followed by a year is an item
        ("二、（一）2.", "二、（一）"),
        ("二、（二）", None),
        ("二、（二）1.", "二、（二）"),
        ("二、（二）1.（1）", "二、（二）1."),
        ("二、（二）1.（2）", "二、（二）1."),
        ("二、（二）2.", "二、（二）"),
        ("三、（二）", None),  # a safeguard item with its own clause is a task wherever it stands
    ]
    assert [t.ordinal for t in s.tasks] == list(range(1, 10))
    assert counts(s.tasks) == (3, 6)
    first = s.tasks[1]
    assert (first.label, first.heading) == ("1.", "2032年底前，建成青山港冷链物流园")
    assert [(r.agency.surface, r.role) for r in first.roles] == [("市交通运输局", "lead"), ("市商务局", "participating")]
    assert "3.5万吨" in s.tasks[2].text  # a decimal in running text is no item
    assert s.tasks[0].roles == () and s.tasks[0].section == "二、重点任务"
    assert [(p.kind, p.path) for p in s.provisions] == [
        ("goal", "一、"),
        ("goal", "一、（一）"),
        ("goal", "一、（二）"),
        ("part", "二、"),
        ("safeguard", "三、"),
        ("safeguard", "三、（一）"),
    ]
    assert s.provisions[2].text.endswith("冷链运输成本下降2.5个百分点。")
    assert s.provisions[5].parent == "三、"
    assert s.articles == ()


def test_the_tree_in_the_graph():
    notice = extract_notice(PLAN, source="青山/冷链.txt", sha256="a" * 64)
    triples = set(notice_triples(notice))
    sub = [(s, o) for s, p, o in triples if p == PLO.subTaskOf]
    assert len(sub) == 6
    paths = {str(s): str(o) for s, p, o in triples if p == PLO.path}
    assert {(paths[str(s)], paths[str(o)]) for s, o in sub} >= {("二、（二）1.（1）", "二、（二）1."), ("二、（一）1.", "二、（一）")}
    kinds = sorted(str(o) for _, p, o in triples if p == PLO.provisionKind)
    assert kinds == ["goal", "goal", "goal", "part", "safeguard", "safeguard"]
    validate = pytest.importorskip("policykg.ontology.validate").validate
    from rdflib import Graph

    g = Graph()
    for t in triples:
        g.add(t)
    conforms, report = validate(g)
    assert conforms, report


def test_one_series_across_parts_and_clause_less_siblings_of_key_tasks():
    text = (
        "一、总体要求\n（一）指导思想。坚持绿色发展。\n"
        "二、重点任务\n（二）治理流域污染。推进截污纳管。\n（三）修复湿地生态。实施退田还湿。\n"
        "三、产业布局\n（四）优化园区布局。引导企业入园。\n"
        "四、改革创新\n（五）创新生态补偿。建立横向补偿机制。（省生态环境厅牵头，省财政厅配合）\n"
        "五、保障措施\n（六）加强考核。纳入年度考核。\n"
    )
    found = extract_tasks(text, Region("云州省", "provincial", None, None, "云州省"))
    # （二）…（六） are one series; 产业布局 and 改革创新 are siblings of 重点任务: only a clause makes a task
    assert tree(found) == [("二、（二）", None), ("二、（三）", None), ("四、（五）", None)]
    assert [(r.agency.name, r.role) for r in found[2].roles] == [("云州省生态环境厅", "lead"), ("云州省财政厅", "participating")]


def test_thematic_parts_without_a_task_heading():
    text = (
        "各县（市、区）人民政府：\n为加快发展林下经济，现提出如下意见。\n"
        "一、总体要求\n坚持生态优先，到2030年林下经济产值达到80亿元。\n"
        "二、培育经营主体\n（一）扶持龙头企业。支持企业建设种植基地。\n（二）发展专业合作社。引导农户入社。\n"
        "三、完善服务体系\n（一）健全技术服务。组织专家下乡指导。\n（二）拓宽销售渠道。推动电商进村。\n"
        "四、加强组织领导\n（一）压实责任。各地要明确分管领导。\n（二）强化督查。定期通报进展。\n"
    )
    found = extract_tasks(text, Region("木兰市", "municipal", "云州省", None, "云州省"))
    # the closing part (加强组织领导) is of the safeguard kind
    assert tree(found) == [("二、（一）", None), ("二、（二）", None), ("三、（一）", None), ("三、（二）", None)]
    assert {t.section for t in found} == {"二、培育经营主体", "三、完善服务体系"}


def test_a_reply_counts_the_items_that_direct_work():
    text = (
        "木兰市发展和改革委员会：\n你委《关于木兰东站综合枢纽项目的请示》收悉。现批复如下：\n"
        "一、同意建设木兰东站综合枢纽项目，项目总投资12.6亿元。\n"
        "二、项目位于木兰市东部新区，用地面积约18公顷。\n"
        "三、你委要会同市自然资源局做好用地保障，按规定办理用地手续。\n"
        "四、项目建设单位应严格执行招标投标制度，确保工程质量。\n"
        "五、原则同意项目的建设工期安排，应按期完成主体工程。\n"
    )
    found = extract_tasks(text, Region("木兰市", "municipal", "云州省", None, "云州省"))
    # 一、 only approves, 二、 only describes
    assert [t.path for t in found] == ["三、", "四、", "五、"]


def test_lists_inside_an_item_are_not_tasks():
    text = (
        "二、主要任务\n（一）开展示范创建。申报单位应当具备下列条件：\n1.在本市注册满3年；\n2.近三年无重大安全事故。\n"
        "（二）加强人才培训。每年培训技能人才2000人次。\n"
    )
    s = extract_structure(text, QINGSHAN)
    assert tree(s.tasks) == [("二、（一）", None), ("二、（二）", None)]
    assert [(p.kind, p.path) for p in s.provisions] == [("part", "二、"), ("list", "二、（一）1."), ("list", "二、（一）2.")]


def test_full_width_digits_circled_items_and_boxes():
    text = (
        "三、重点工作\n（一）推进数字政府建设。\n１．建设政务云平台。①完成机房改造；②迁移业务系统。（市大数据局牵头）\n"
        "２．推行一网通办。（市政务服务中心负责）\n"
        "专栏1 数字政府重点工程\n1.政务云扩容工程。\n2.数据共享交换工程。\n"
        "（二）加强数据安全。建立安全评估制度。\n"
    )
    found = extract_tasks(text, QINGSHAN)
    assert tree(found) == [
        ("三、（一）", None),
        ("三、（一）１．", "三、（一）"),
        ("三、（一）１．①", "三、（一）１．"),
        ("三、（一）１．②", "三、（一）１．"),
        ("三、（一）２．", "三、（一）"),
        ("三、（二）", None),  # the box's 1. and 2. are left out
    ]
    # the clause after ② on the line of １． names who does all of １．
    assert [(r.agency.name, r.role) for r in found[1].roles] == [("青山市大数据局", "lead")]
    assert found[3].roles == ()
    assert counts(found) == (2, 4)


def test_a_regulation_has_articles_not_tasks():
    text = (
        "青山市公共数据管理办法\n第一章　总则\n"
        "第一条　为规范公共数据管理，根据有关法律法规，结合本市实际，制定本办法。\n"
        "第二条　市大数据局负责全市公共数据的统筹管理。（市大数据局负责）\n"
        "第二章　数据共享\n"
        "第三条　公共数据按照下列规定共享：\n（一）无条件共享；\n（二）有条件共享；\n（三）不予共享。\n"
        "第四条　本办法自2031年5月1日起施行。\n"
    )
    s = extract_structure(text, QINGSHAN)
    assert s.tasks == ()
    assert [(a.label, a.ordinal) for a in s.articles] == [("第一条", 1), ("第二条", 2), ("第三条", 3), ("第四条", 4)]
    assert s.articles[1].text.startswith("市大数据局负责全市公共数据的统筹管理")
    assert [(r.agency.name, r.role) for r in s.articles[1].roles] == [("青山市大数据局", "responsible")]
    assert [(p.kind, p.path) for p in s.provisions] == [
        ("part", "第一章"),
        ("part", "第二章"),
        ("clause", "第三条（一）"),
        ("clause", "第三条（二）"),
        ("clause", "第三条（三）"),
    ]


def test_an_article_names_who_is_responsible_in_prose():
    text = (
        "第一条　为规范冷链管理，制定本办法。\n第二条　市商务局负责全市冷链设施的监督管理。\n"
        "第三条　下列数据按照以下分工采集：\n（一）冷库登记数据，由市市场监管局负责；\n（二）车辆数据，由市交通运输局负责。\n"
    )
    s = extract_structure(text, QINGSHAN)
    assert [[(r.agency.name, r.role) for r in a.roles] for a in s.articles] == [
        [],
        [("青山市商务局", "responsible")],
        [("青山市市场监督管理局", "responsible"), ("青山市交通运输局", "responsible")],
    ]


def test_arabic_articles_and_attachments():
    issued = (
        "关于印发《木兰市文旅消费券发放办法》的通知\n各区文旅局：\n现将《木兰市文旅消费券发放办法》印发给你们。\n"
        "附件：木兰市文旅消费券发放办法\n木兰市文化广电和旅游局\n2031年6月1日\n"
        "附件\n木兰市文旅消费券发放办法\n第1条 为促进文旅消费，制定本办法。\n第2条 消费券由市文旅局统一发放。\n"
    )
    s = extract_structure(issued, QINGSHAN)
    assert [a.label for a in s.articles] == ["第1条", "第2条"]  # the issued document is the body
    notice = (
        "关于做好暑期防溺水工作的通知\n各学校：\n一、加强宣传教育。各校要开展防溺水专题教育。\n"
        "二、强化巡查值守。各镇要加强重点水域巡查。\n附件：重点水域名单\n木兰市教育局\n2031年6月2日\n"
        "附件\n重点水域名单\n一、青龙河。河段长约3公里。\n二、白马湖。湖区面积约2平方公里。\n"
    )
    assert [t.path for t in extract_tasks(notice, QINGSHAN)] == ["一、", "二、"]


def test_a_table_printed_one_cell_per_line():
    text = (
        "洛河市2031年营商环境重点任务分工表\n序号\n重点任务\n主 要 内 容\n牵头单位\n配合单位\n完成时限\n"
        "一、政务服务方面\n1\n推行企业开办一日办结\n整合登记、刻章等环节。\n实现全程网办。\n市市场监管局\n市税务局、市公安局\n2031年6月底\n"
        "2\n压减工程建设项目审批时间\n推行联合审图。\n市住房城乡建设局\n市自然资源局\n2031年12月底\n"
        "二、要素保障方面\n3\n降低企业用电成本\n市发展改革委\n国网洛河供电公司\n长期坚持\n"
    )
    found = extract_tasks(text, Region("洛河市", "municipal", "云州省", None, "云州省"))
    assert [(t.path, t.heading) for t in found] == [
        ("1", "推行企业开办一日办结"),
        ("2", "压减工程建设项目审批时间"),
        ("3", "降低企业用电成本"),
    ]
    assert "实现全程网办。" in found[0].text
    assert [(r.agency.surface, r.role) for r in found[0].roles] == [
        ("市市场监管局", "lead"),
        ("市税务局", "participating"),
        ("市公安局", "participating"),
    ]
    assert [(r.agency.surface, r.role) for r in found[2].roles] == [("市发展改革委", "lead"), ("国网洛河供电公司", "participating")]
    assert {t.section for t in found} == {"洛河市2031年营商环境重点任务分工表"}


def test_chapters_hold_parts_and_goal_words_end_headings():
    text = (
        "第二章　建设原则与目标\n一、建设原则\n（一）需求导向。以用户需求为牵引。\n二、建设目标\n到2033年建成平台。\n"
        "第三章　建设任务\n一、建设监测体系\n（一）布设感知终端。在主要路口布设终端。\n（二）建设数据中心。汇聚交通数据。\n"
        "二、建设服务平台\n（一）开发出行应用。提供实时到站信息。\n"
        "第四部分　保障措施\n一、加强组织领导。成立建设专班。\n"
    )
    s = extract_structure(text, QINGSHAN)
    # the first chapter is missing (a garbled page): the numbering of chapters is read from 第二章 on
    assert [(t.path, t.parent) for t in s.tasks] == [
        ("第三章一、", None),
        ("第三章一、（一）", "第三章一、"),
        ("第三章一、（二）", "第三章一、"),
        ("第三章二、", None),
        ("第三章二、（一）", "第三章二、"),
    ]
    assert [(p.kind, p.path) for p in s.provisions] == [
        ("goal", "第二章"),
        ("goal", "第二章一、"),
        ("goal", "第二章一、（一）"),
        ("goal", "第二章二、"),
        ("part", "第三章"),
        ("safeguard", "第四部分"),
        ("safeguard", "第四部分一、"),
    ]


def test_garbled_markers_that_continue_their_sequence():
    text = (
        "二、完善监测网络\n(一)布设监测站点。在重点流域布设站点。(二)统一监测标准。制定技术规范。"
        "三)推进数据联网。实现省市县三级联网，三、强化执法监督\n(一)开展联合执法。每季度开展一次。\n"
        "(二)曝光典型案例。增长2.5倍，四、不是标题而是一句很长很长的普通正文内容会在此处继续写下去直到超过三十个字符为止。\n"
    )
    found = extract_tasks(text, QINGSHAN)
    # 三) lost its bracket, 三、 its line break: both continue their sequence; the 四、 in running text does not
    assert [t.path for t in found] == ["二、(一)", "二、(二)", "二、三)", "三、(一)", "三、(二)"]


def test_step_and_requirement_parts_and_run_in_enumerations():
    text = (
        "一、工作目标\n全年完成改造100个小区。\n二、重点行动\n（一）开展排查摸底。各区要全面排查。\n"
        "（二）实施分类改造。\n责任单位：市住建局、各区政府\n三、实施步骤\n（一）动员部署阶段（2031年3月）。制定方案。\n"
        "（二）集中攻坚阶段（2031年4月—10月）。全面推进。\n四、工作要求\n（一）加强领导。各区要成立专班。\n"
    )
    s = extract_structure(text, QINGSHAN)
    assert [t.path for t in s.tasks] == ["二、（一）", "二、（二）"]
    assert [r.agency.surface for r in s.tasks[1].roles] == ["市住建局", "各区政府"]
    assert [(p.kind, p.path) for p in s.provisions if p.kind == "safeguard"] == [
        ("safeguard", "三、"), ("safeguard", "三、（一）"), ("safeguard", "三、（二）"),
        ("safeguard", "四、"), ("safeguard", "四、（一）"),
    ]  # fmt: skip
    flat = "一、加强组织领导\n一是成立领导小组，二是建立例会制度，三是强化督查。\n二、加大资金投入\n市财政每年安排500万元。\n"
    # items of a flat notice, not parts: 一是…二是… are no items
    assert [t.path for t in extract_tasks(flat, QINGSHAN)] == ["一、", "二、"]


def test_subsidy_tiers_and_prohibited_acts_are_lists():
    text = (
        "三、支持政策\n（一）支持技术改造。对设备投资超过1000万元的项目给予补助。\n"
        "（二）补贴标准\n1.投资1000万元以上的，补助5%；\n2.投资5000万元以上的，补助8%。\n"
        "（三）加强资金监管。申报单位不得有下列行为：\n1.虚报投资额；\n2.重复申报。\n"
    )
    s = extract_structure(text, QINGSHAN)
    assert [t.path for t in s.tasks] == ["三、（一）", "三、（三）"]
    assert [(p.kind, p.path) for p in s.provisions if p.kind == "list"] == [
        ("list", "三、（二）"), ("list", "三、（二）1."), ("list", "三、（二）2."),
        ("list", "三、（三）1."), ("list", "三、（三）2."),
    ]  # fmt: skip


def test_contents_without_leaders_and_an_attachment_list_on_top():
    text = (
        "附件1：名词术语\n附件2：标准明细表\n"
        "一、总体要求\n二、建设内容\n（一）基础标准\n（二）应用标准\n三、组织实施\n"
        "一、总体要求\n坚持统筹规划。\n二、建设内容\n（一）基础标准\n1.术语标准。统一术语。\n2.安全标准。规范安全要求。\n"
        "（二）应用标准\n1.园区标准。指导园区建设。\n三、组织实施\n加强统筹协调。\n"
    )
    found = extract_tasks(text, NATIONAL)
    # the list of attachments opens none (no signature follows it); the contents are left out
    assert tree(found) == [
        ("二、（一）", None), ("二、（一）1.", "二、（一）"), ("二、（一）2.", "二、（一）"),
        ("二、（二）", None), ("二、（二）1.", "二、（二）"),
    ]  # fmt: skip


# ---------------------------------------------------------------- seeds


@pytest.mark.parametrize(
    ("prefix", "region", "top", "leaf"),
    [("000", XIAMEN, 18, 18), ("001", JIAOZUO, 4, 13), ("002", ZHANJIANG, 30, 30), ("003", LIAONING, 23, 23),
     ("004", NATIONAL, 34, 34)],
)  # fmt: skip
def test_seed_trees(prefix: str, region: Region, top: int, leaf: int):
    found = extract_tasks(seed(prefix), region)
    assert counts(found) == (top, leaf)
    paths = [t.path for t in found]
    assert len(set(paths)) == len(paths)
    for t in found:
        assert t.path.endswith(t.label)
        if t.parent is not None:
            assert t.path.startswith(t.parent) and t.parent in paths[: paths.index(t.path)]


# ---------------------------------------------------------------- labelled corpus notices


@pytest.mark.corpus
def test_gold_task_counts(corpus_dir):
    """The counts of top-level or leaf tasks match the labels; a clause-carrying item of a
    safeguard part counts as a task (the rule of the task scheme), so either is accepted."""
    gold_path = corpus_dir.parent / "eval" / "dev_gold.jsonl"
    if not gold_path.exists():
        pytest.skip("labels absent")
    gold = {g["id"]: g for g in map(json.loads, gold_path.read_text(encoding="utf-8").splitlines())}
    texts = {
        n["id"]: n["text"]
        for n in map(json.loads, (corpus_dir / "notices.jsonl").read_text(encoding="utf-8").splitlines())
        if n["id"] in gold
    }
    right = 0
    for gid, g in gold.items():
        notice = extract_notice(texts[gid], source=gid, sha256="0" * 64)
        found = notice.tasks
        top, leaf = counts(found)
        outside = [p.path for p in notice.provisions if p.kind in ("goal", "safeguard")]
        by_clause = {t.path for t in found if any(t.path.startswith(p) for p in outside)}
        parents = {t.parent for t in found}
        top_by_clause = sum(1 for t in found if t.path in by_clause and t.parent is None)
        leaf_by_clause = sum(1 for t in found if t.path in by_clause and t.path not in parents)
        right += g["tasks"] in (top, top - top_by_clause) or g["tasks_leaf"] in (leaf, leaf - leaf_by_clause)
    assert right >= 38, right
    regulation = extract_notice(texts["sd_central_70"], source="r", sha256="0" * 64)
    assert regulation.tasks == () and len(regulation.articles) == 38
