"""bench/accuracy: the matching rules on hand-made gold and predictions, the seeds' gold, and the
recorded figures (the seeds here; the dev gold of ../shared where it exists)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from policykg.loaders.models import Agency, AgencyRole, Citation, DocNumber, Notice, Region, Task
from tests.conftest import ROOT, SEEDS


def _load(name: str, path: Path):
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module
    loader.exec_module(module)
    return module


score = _load("accuracy_score", ROOT / "bench" / "accuracy_score.py")
FLOOR = json.loads((ROOT / "bench" / "accuracy_floor.json").read_text(encoding="utf-8"))
SEEDS_GOLD = ROOT / "bench" / "seeds_gold.jsonl"


def _gold(**kw):
    row = {"doc_number": None, "title": None, "issuer": [], "date": None, "level": None, "region": None,
           "basis": [], "cites_numbers": [], "tasks": 0, "tasks_top": 0, "tasks_leaf": 0,
           "task_agency_examples": []}
    row.update(kw)
    return row


def _pred(**kw):
    row = score.prediction_of_nothing()
    row.update(kw)
    return row


def _ag(name, surface="", kind="agency"):
    return {"name": name, "surface": surface, "kind": kind}


def _counts(entry):
    return entry["tp"], entry["fp"], entry["fn"]


# ---------------------------------------------------------------- normalisation and single values


@pytest.mark.parametrize(("gold", "pred"), [
    ("沪科合〔2008〕第006号", "沪科合〔2008〕6号"),
    ("国务院令第735号", "国务院令735号"),
    ("国发[2012]9号", "国发〔2012〕9号"),
    ("豫政办 〔2016〕193号", "豫政办〔2016〕193号"),
    ("闽政办［２０１５］７４号", "闽政办〔2015〕74号"),
    ("医保网信办(2022)12号", "医保网信办〔2022〕12号"),
])
def test_doc_numbers_equal_after_normalising(gold, pred):
    assert _counts(score.score_notice(_gold(doc_number=gold), _pred(doc_number=pred))["doc_number"]) == (1, 0, 0)


@pytest.mark.parametrize(("gold", "pred"), [
    ("国发〔2012〕9号", "国发〔2012〕19号"),  # a different serial
    ("国发〔2012〕9号", "国办发〔2012〕9号"),  # a different code
    ("国发〔2012〕9号", "国发〔2013〕9号"),  # a different year
    ("国务院令第735号", "国务院令第73号"),
])
def test_different_doc_numbers_are_wrong(gold, pred):
    assert _counts(score.score_notice(_gold(doc_number=gold), _pred(doc_number=pred))["doc_number"]) == (0, 1, 1)


def test_single_values_null_on_either_side():
    fields = score.score_notice(_gold(doc_number=None, date="2015-07-15"), _pred(doc_number="厦府办〔2015〕134号"))
    assert _counts(fields["doc_number"]) == (0, 1, 0)  # unwanted: a false positive only
    assert _counts(fields["date"]) == (0, 0, 1)  # missed: a false negative only
    assert _counts(fields["level"]) == (0, 0, 0)  # both null: nothing to count


def test_titles_nfkc_whitespace_outer_brackets_and_promulgates():
    gold = _gold(title="国家智能制造标准体系建设指南（2021版）")
    assert _counts(score.score_notice(gold, _pred(title="《国家智能制造标准体系建设指南 (2021 版)》"))["title"]) == (1, 0, 0)
    assert _counts(score.score_notice(gold, _pred(title="国家智能制造标准体系建设指南"))["title"]) == (0, 1, 1)
    cover = _gold(title="某市人民政府关于印发某某方案的通知")
    pred = _pred(title="某某方案", promulgates="某市人民政府关于印发某某方案的通知")
    assert _counts(score.score_notice(cover, pred)["title"]) == (1, 0, 0)  # either one may match
    inner = _gold(title="关于印发〈甲办法〉的通知")
    assert _counts(score.score_notice(inner, _pred(title="关于印发甲办法的通知"))["title"]) == (0, 1, 1)
    assert _counts(score.score_notice(_gold(title=None), _pred(title="二〇一五年工作要点"))["title"]) == (0, 1, 0)


def test_region_national_and_named():
    assert _counts(score.score_notice(_gold(region="全国"), _pred(region="全国"))["region"]) == (1, 0, 0)
    assert _counts(score.score_notice(_gold(region="济南市"), _pred(region="济南市"))["region"]) == (1, 0, 0)
    assert _counts(score.score_notice(_gold(region="济南市"), _pred(region="山东省"))["region"]) == (0, 1, 1)
    notice = Notice(source="x.txt", sha256="0", region=Region("中华人民共和国", "national", None, "100000"))
    assert score.prediction(notice)["region"] == "全国"


# ---------------------------------------------------------------- agencies


def test_issuers_by_name_or_surface_one_each_groups_left_out():
    gold = _gold(issuer=["质量管理司", "国家能源局"])
    pred = _pred(issuer=[_ag("国家质量监督检验检疫总局质量管理司", "质量管理司"), _ag("国家能源局"),
                         _ag("各有关单位", kind="group")])
    assert _counts(score.score_notice(gold, pred)["issuer"]) == (2, 0, 0)
    merged = _pred(issuer=[_ag("国家发展和改革委国家能源局")])  # two issuers run together: wrong
    assert _counts(score.score_notice(_gold(issuer=["国家发展改革委", "国家能源局"]), merged)["issuer"]) == (0, 1, 2)
    assert score.match_agencies(["甲局", "甲局（二）"], [_ag("甲局")])[:3] == (1, 0, 1)


# ---------------------------------------------------------------- citations


def test_basis_and_cited_numbers_and_titles():
    gold = _gold(basis=[{"title": "《甲省人民政府关于乙的意见》", "number": "甲政〔2015〕29号"},
                        {"title": "丙纲要(2011-2020年)", "number": None}],
                 cites_numbers=["甲政〔2015〕29号", "丁发〔2012〕9号"])
    pred = _pred(citations=[
        {"kind": "basis", "title": "甲省人民政府关于乙的意见", "number": "甲政〔2015〕29号"},
        {"kind": "basis", "title": "丙纲要（2011-2020年）", "number": None},
        {"kind": "mention", "title": None, "number": "丁发[2012]9号"},
        {"kind": "draft", "title": "戊条例", "number": "戊〔2020〕1号"},
    ])
    fields = score.score_notice(gold, pred)
    assert _counts(fields["basis_numbers"]) == (1, 0, 0)
    assert _counts(fields["basis_titles"]) == (2, 0, 0)
    assert _counts(fields["cites_numbers"]) == (2, 0, 0)  # a numbered draft is not a citation
    wrong = _pred(citations=[{"kind": "mention", "title": "甲省人民政府关于乙的意见", "number": "甲政〔2015〕29号"}])
    fields = score.score_notice(gold, wrong)
    assert _counts(fields["basis_numbers"]) == (0, 0, 1)  # cited, but not as basis
    assert _counts(fields["basis_titles"]) == (0, 0, 2)
    assert _counts(fields["cites_numbers"]) == (1, 0, 1)


# ---------------------------------------------------------------- tasks


def _task(label, path="", parent=None, section=None, roles=()):
    return {"label": label, "path": path, "parent": parent, "section": section,
            "roles": [{"role": role, **_ag(name, surface, kind)} for role, name, surface, kind in roles]}


def test_task_counts_top_or_leaf():
    tree = [_task("（一）", "一、（一）"), _task("1.", "一、（一）1.", "一、（一）"), _task("2.", "一、（一）2.", "一、（一）"),
            _task("（二）", "一、（二）")]
    assert score.task_counts(tree) == (2, 3)
    for gold_top, gold_leaf, right in ((2, 9, True), (7, 3, True), (3, 2, False)):
        entry = score.score_notice(_gold(tasks_top=gold_top, tasks_leaf=gold_leaf), _pred(tasks=tree))["tasks"]
        assert entry["right"] is right
        assert _counts(entry) == ((1, 0, 0) if right else (0, 1, 1))
    flat = [_task("1."), _task("2.")]  # no path/parent yet: every task is top-level and a leaf
    assert score.task_counts(flat) == (2, 2)
    assert _counts(score.score_notice(_gold(tasks_top=0, tasks_leaf=0), _pred(tasks=flat))["tasks"]) == (0, 1, 0)
    assert _counts(score.score_notice(_gold(tasks_top=0, tasks_leaf=0), _pred(tasks=[]))["tasks"]) == (0, 0, 0)


def test_find_task_by_path_then_label():
    tasks = [_task("（三）", "四、（三）", section="四、甲"), _task("（三）", "六、（三）", section="六、乙")]
    assert score.find_task({"task_path": "六、(三)", "task_label": "(三)"}, tasks) is tasks[1]
    legacy = [_task("（三）", section="四、甲"), _task("（三）", section="六、乙"), _task("1．")]
    assert score.find_task({"task_path": "六、（三）", "task_label": "（三）"}, legacy) is legacy[1]
    assert score.find_task({"task_path": "二、（一）1.", "task_label": "1."}, legacy) is legacy[2]  # 1． = 1.
    assert score.find_task({"task_path": "二、（一）", "task_label": "（一）"}, legacy) is None
    # a task with a path elsewhere in the tree is not taken for the gold one by its label
    assert score.find_task({"task_path": "五、（三）", "task_label": "（三）"}, tasks) is None
    # a shorter predicted path that is the tail of the gold path is the same task
    short = [_task("1.", "（一）1.")]
    assert score.find_task({"task_path": "二、（一）1.", "task_label": "1."}, short) is short[0]


def test_roles_lead_participants_coordinators_responsible():
    gold = _gold(task_agency_examples=[{
        "task_label": "（十）", "task_path": "四、（十）", "lead": ["省质监局"], "participants": ["省监察厅", "省统计局"],
        "coordinators": ["省食品安全办"], "responsible": ["省质监局", "省监察厅", "省统计局", "省食品安全办"]}])
    task = _task("（十）", "四、（十）", roles=[
        ("lead", "甲省质量技术监督局", "省质监局", "agency"),
        ("responsible", "甲省监察厅", "省监察厅", "agency"),  # not claimed a participant, yet matches one
        ("participating", "甲省财政厅", "省财政厅", "agency"),  # claimed, and wrong
        ("coordinating", "甲省食品安全委员会办公室", "省食品安全办", "agency"),
        ("participating", "省直有关部门", "省直有关部门", "group"),  # a group: not counted
    ])
    fields = score.score_notice(gold, _pred(tasks=[task]))
    assert _counts(fields["lead"]) == (1, 0, 0)
    assert _counts(fields["participants"]) == (1, 1, 1)  # 省统计局 missed, 省财政厅 wrong
    assert _counts(fields["coordinators"]) == (1, 0, 0)
    assert _counts(fields["responsible"]) == (3, 1, 1)
    missing = score.score_notice(gold, _pred(tasks=[_task("（九）", "四、（九）")]))
    assert [_counts(missing[f]) for f in score.ROLE_FIELDS] == [(0, 0, 1), (0, 0, 2), (0, 0, 1), (0, 0, 4)]


def test_prediction_of_a_notice_without_task_paths():
    agency = Agency("厦门市质量技术监督局", surface="市质监局")
    notice = Notice(
        source="x.txt", sha256="0", number=DocNumber("厦府办〔2015〕134号", "厦府办", 2015, "134"),
        title="甲", issuers=(Agency("厦门市人民政府办公厅", kind="government"),), date=date(2015, 7, 15),
        level="municipal", region=Region("厦门市", "municipal", "福建省"),
        citations=(Citation("乙", DocNumber("国办发〔2015〕19号", "国办发", 2015, "19"), "basis"),),
        tasks=(Task("(一)", 1, "丙", "丙。", "一、丁", (AgencyRole(agency, "lead"),)),),
    )
    pred = score.prediction(notice)
    assert pred["doc_number"] == "厦府办〔2015〕134号" and pred["date"] == "2015-07-15" and pred["region"] == "厦门市"
    assert pred["citations"] == [{"kind": "basis", "title": "乙", "number": "国办发〔2015〕19号"}]
    task = pred["tasks"][0]
    assert task["path"] == getattr(notice.tasks[0], "path", "") and task["parent"] is None
    assert task["roles"] == [{"role": "lead", "name": "厦门市质量技术监督局", "surface": "市质监局", "kind": "agency"}]


# ---------------------------------------------------------------- summaries, floors, comparisons


def _results(*fields_per_notice):
    return {f"n{i}": {"set": "dev", "fields": f} for i, f in enumerate(fields_per_notice)}


def test_summary_micro_average_and_floor():
    a = score.score_notice(_gold(doc_number="甲〔2020〕1号", issuer=["甲局", "乙局"]),
                           _pred(doc_number="甲〔2020〕1号", issuer=[_ag("甲局")]))
    b = score.score_notice(_gold(issuer=["丙局"]), _pred(doc_number="丙〔2020〕2号", issuer=[_ag("丙局"), _ag("丁局")]))
    s = score.summarise(_results(a, b))
    assert (s["doc_number"]["p"], s["doc_number"]["r"]) == (0.5, 1.0)
    assert (s["issuer"]["tp"], s["issuer"]["fp"], s["issuer"]["fn"]) == (2, 1, 1)
    assert s["coordinators"]["p"] is None and s["tasks"]["accuracy"] == 1.0
    floor = score.floor_of(s)
    assert floor["issuer"] == {"p": 0.666, "r": 0.666}
    assert score.below(s, floor) == []
    assert score.below(s, {"issuer": {"p": 0.7, "r": 0.6}}) == ["issuer p = 0.6667 < recorded 0.700"]
    part = {"sets": {"all": {"issuer": {"p": 0.9}}}}
    assert score.below_floor({"dev": s, "all": s}, part) == []  # "all" without the seeds: not compared
    assert score.below_floor({"dev": s, "seeds": s, "all": s}, part) == ["all: issuer p = 0.6667 < recorded 0.900"]
    raised, changes = score.raise_floor({"sets": {"dev": {"issuer": {"p": 0.9, "r": 0.1}}}}, {"dev": s})
    assert raised["sets"]["dev"]["issuer"] == {"p": 0.9, "r": 0.666}  # never lowered
    assert "dev issuer r 0.100 → 0.666" in changes


def test_compare_lists_gains_and_losses():
    gold = _gold(doc_number="甲〔2020〕1号", date="2020-01-02")
    base = {"notices": _results(score.score_notice(gold, _pred(doc_number="甲〔2020〕1号", date="2020-01-03")))}
    head = {"notices": _results(score.score_notice(gold, _pred(doc_number=None, date="2020-01-02")))}
    diff = score.compare(base, head)
    assert [i["id"] for i in diff["date"]["gained"]] == ["n0"] and diff["date"]["lost"] == []
    assert diff["doc_number"]["lost"] == [{"id": "n0", "gold": "甲〔2020〕1号", "base": "甲〔2020〕1号", "head": None}]
    assert (diff["level"]["gained"], diff["level"]["lost"], diff["level"]["changed"]) == ([], [], [])
    assert "- n0: gold 甲〔2020〕1号 | base 甲〔2020〕1号 | head null" in score.print_comparison(diff)


# ---------------------------------------------------------------- the seeds' gold and the recorded figures

KEYS = ["id", "doc_number", "title", "issuer", "date", "pub_date", "level", "region", "basis", "cites_numbers",
        "tasks", "tasks_top", "tasks_leaf", "task_scheme", "safeguards", "task_agency_examples", "notes"]


def test_seeds_gold_is_well_formed():
    rows = score.read_jsonl(SEEDS_GOLD)
    assert sorted(r["id"] for r in rows) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for row in rows:
        assert list(row) == KEYS, row["id"]
        text = (SEEDS / row["id"]).read_text(encoding="utf-8")
        assert row["tasks"] == row["tasks_top"] <= row["tasks_leaf"]
        assert row["level"] in ("national", "provincial", "municipal", "county")
        for number in [*row["cites_numbers"], *(b["number"] for b in row["basis"] if b["number"])]:
            assert score.norm_number(number) == number and "〔" in number
        for b in row["basis"]:
            assert b["title"] in text, b["title"]
        for ex in row["task_agency_examples"]:
            assert set(ex["lead"]) | set(ex["participants"]) | set(ex["coordinators"]) <= set(ex["responsible"])
            for name in ex["responsible"]:
                assert name in text, name


def _check(summaries, sets):
    failing = [line for line in score.below_floor(summaries, FLOOR) if line.split(":")[0] in sets]
    assert not failing, "below the figures recorded in bench/accuracy_floor.json:\n" + "\n".join(failing)


def test_seeds_accuracy_not_below_recorded():
    result = score.run(score.labelled(None, None, SEEDS_GOLD, SEEDS))
    assert not [n for n in result["notices"].values() if "error" in n]
    _check(result["summary"], {"seeds"})


@pytest.mark.corpus
def test_dev_gold_accuracy_not_below_recorded(corpus_dir):
    gold = corpus_dir.parent / "eval" / "dev_gold.jsonl"
    if not gold.exists():
        pytest.skip("../shared/eval/dev_gold.jsonl not present")
    result = score.run(score.labelled(gold, corpus_dir / "notices.jsonl", SEEDS_GOLD, SEEDS))
    assert not [n for n in result["notices"].values() if "error" in n]
    _check(result["summary"], {"dev", "seeds", "all"})


def test_base_commit_exported_as_installed(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    accuracy = _load("bench_accuracy", ROOT / "bench" / "accuracy")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    mapping = accuracy.package_dirs(pyproject)
    assert mapping["policykg.loaders"] == "loaders" and mapping["policykg"] == "policykg"
    tree = accuracy.export("HEAD", tmp_path)
    assert (tree / "policykg" / "loaders" / "extract.py").exists()
    assert (tree / "policykg" / "graph" / "triples.py").exists()
