"""Tables of notices (one document per row) and citation tables, through the API and the CLI."""

from __future__ import annotations

import json
import shutil
import time
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from policykg.api import PolicyGraph
from policykg.cli import main
from policykg.errors import PolicyKGError
from policykg.loaders import tables

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "tables"
JSONL = SAMPLES / "notices_sample.jsonl"
POLICIES = SAMPLES / "pkulaw_policies_sample.csv"
RELATIONS = SAMPLES / "pkulaw_relations_sample.csv"
P = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX plo: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _data() -> dict:
    return json.loads(resources.files("policykg.loaders").joinpath("data", "table_columns.json").read_text("utf-8"))


def _sources(pg: PolicyGraph) -> set[str]:
    return set(pg.loaded_sources())


def _doc(pg: PolicyGraph, source: str) -> str:
    rows = pg.query(P + "SELECT ?d WHERE { ?d dcterms:source ?s }", {"s": source})
    assert len(rows) == 1, (source, rows)
    return rows[0]["d"]


# ------------------------------------------------------------------ the column data file


@pytest.mark.parametrize("example", _data()["examples"], ids=lambda e: ",".join(e["headers"][:3]))
def test_column_examples(example: dict) -> None:
    cols = tables._classify(example["headers"], {})
    assert cols.kind == "notices"
    assert cols.fields == example["fields"]


@pytest.mark.parametrize("example", _data()["relation_examples"], ids=lambda e: ",".join(e["headers"][:3]))
def test_relation_examples(example: dict) -> None:
    assert (tables._classify(example["headers"], {}).kind == "relations") is example["relation"]


def test_every_alias_reads_as_its_field_and_no_alias_is_claimed_twice() -> None:
    data = _data()
    seen: dict[str, str] = {}
    for fld, names in data["fields"].items():
        for name in names:
            key = tables.normalize_header(name)
            assert seen.setdefault(key, fld) == fld, f"{name} is an alias of {seen[key]} and {fld}"
            assert tables._classify([name], {}).fields == {name: fld}
    for kind, words in data["relation"]["kinds"].items():
        for w in words:
            assert tables.relation_kind(w) == kind
    assert tables.issuer_names("国家发展和改革委员会(含原国家发展计划委员会、原国家计划委员会)") == ["国家发展和改革委员会"]
    assert tables.issuer_names("['北京市人大(含常委会)', '北京市科学技术委员会']") == ["北京市人大", "北京市科学技术委员会"]


def test_map_overrides_and_errors() -> None:
    assert tables.parse_map(["文件全称=title", " wenhao = number", "备注=-"]) == {
        "文件全称": "title", "wenhao": "number", "备注": "-"}
    cols = tables._classify(["文件全称", "wenhao", "body", "备注", "标题"], tables.parse_map(["文件全称=title", "标题=-"]))
    assert cols.fields == {"文件全称": "title", "body": "text"}
    assert set(cols.unused) == {"wenhao", "备注", "标题"}
    with pytest.raises(PolicyKGError, match="unknown field 'titel'"):
        tables.parse_map(["x=titel"])
    with pytest.raises(PolicyKGError, match="COLUMN=FIELD"):
        tables.parse_map(["title"])


# ------------------------------------------------------------------ rows


def test_rows_of_the_jsonl_sample() -> None:
    rows = list(tables.rows(JSONL, "notices_sample.jsonl"))
    assert [type(r).__name__ for r in rows] == ["Row"] * 5
    by_id = {r.ident: r for r in rows}
    assert by_id["xm-2015-134"].source == "notices_sample.jsonl#xm-2015-134"
    assert by_id["xm-2015-134"].row == 1 and by_id["joint-2023-1"].row == 5
    assert by_id["gb-2021-32"].text is None  # metadata-only
    assert dict(by_id["joint-2023-1"].given)["issuer"] == ["平川市科学技术局", "平川市财政局"]
    assert dict(by_id["ln-2012-plan"].given)["number"] == "辽政办发〔2012〕52号"
    assert len({r.sha256 for r in rows}) == 5


def test_dates_with_words_and_central_scope() -> None:
    given = tables._given({"published": "2019.12.31公布", "scope": "central", "date": "2019-12-20"})
    assert given == {"published": "2019.12.31", "date": "2019-12-20", "level": "national"}
    assert "level" not in tables._given({"scope": "local"})


# ------------------------------------------------------------------ loading a table of notices


@pytest.fixture(scope="module")
def sample_tables(tmp_path_factory: pytest.TempPathFactory) -> PolicyGraph:
    pg = PolicyGraph.open(tmp_path_factory.mktemp("tables") / "store")
    report = pg.load([JSONL, POLICIES, RELATIONS])
    assert report.ok, report.failures
    assert report.documents == 5 + 19
    assert report.citations == 18
    return pg


def test_jsonl_rows_are_documents_with_the_table_facts(sample_tables: PolicyGraph) -> None:
    pg = sample_tables
    assert {s for s in _sources(pg) if s.startswith("notices_sample.jsonl#")} == {
        f"notices_sample.jsonl#{i}" for i in ("xm-2015-134", "ln-2012-plan", "pc-2022-9", "gb-2021-32", "joint-2023-1")}
    info = pg.describe([_doc(pg, f"notices_sample.jsonl#{i}") for i in ("xm-2015-134", "ln-2012-plan", "joint-2023-1")])
    xm, ln, joint = info.values()
    assert xm["number"] == "厦府办〔2015〕134号" and xm["level"] == "municipal"  # from the text
    assert ln["number"] == "辽政办发〔2012〕52号" and str(ln["date"]) == "2012-11-23"  # from the columns
    assert joint["issuers"] == ["平川市科学技术局", "平川市财政局"]  # a list literal
    assert joint["number"] == "平科联〔2023〕1号"
    # the row's id is kept as an identifier
    rows = pg.query(P + "SELECT ?id WHERE { ?d dcterms:identifier ?id ; dcterms:source ?s }",
                    {"s": "notices_sample.jsonl#pc-2022-9"})
    assert [r["id"] for r in rows] == ["pc-2022-9"]


def test_metadata_only_row_has_no_tasks_and_merges_with_the_database_row(sample_tables: PolicyGraph) -> None:
    pg = sample_tables
    d = _doc(pg, "notices_sample.jsonl#gb-2021-32")
    rows = pg.query(P + "SELECT DISTINCT ?s ?n WHERE { ?d dcterms:source ?s ; plo:taskCount ?n }", {"d": URIRef(d)})
    # one document, two rows: the JSONL row and pkulaw's Z725 (same 发文字号)
    assert sorted(r["s"] for r in rows) == ["notices_sample.jsonl#gb-2021-32", "pkulaw_policies_sample.csv#Z725"]
    assert {r["n"] for r in rows} == {0}
    ids = {r["id"] for r in pg.query(P + "SELECT ?id WHERE { ?d dcterms:identifier ?id }", {"d": URIRef(d)})}
    assert ids == {"gb-2021-32", "Z725"}


def test_database_rank_validity_and_dates(sample_tables: PolicyGraph) -> None:
    pg = sample_tables
    d = _doc(pg, "pkulaw_policies_sample.csv#D3")
    rows = pg.query(P + """SELECT ?rank ?force ?published ?title WHERE { ?d plo:legalRank ?rank ;
  eli:first_date_entry_in_force ?force ; eli:date_publication ?published ; dcterms:title ?title }""", {"d": URIRef(d)})
    assert [(r["rank"], str(r["force"]), str(r["published"]), r["title"]) for r in rows] == [
        ("省级地方性法规", "2020-01-01", "2019-11-27", "北京市促进科技成果转化条例")]
    # 效力位阶 is not our level: that comes from the issuer (a provincial-level city's people's congress)
    assert pg.describe([d])[d]["level"] == "provincial"
    z = _doc(pg, "pkulaw_policies_sample.csv#Z1403")  # scope central
    assert pg.describe([z])[z]["level"] == "national"


def test_citation_table_edges(sample_tables: PolicyGraph) -> None:
    pg = sample_tables
    z725 = _doc(pg, "notices_sample.jsonl#gb-2021-32")
    citing = {r["s"] for r in pg.query(P + """SELECT ?s WHERE {
  GRAPH ?g { ?x eli:cites ?d } ?x dcterms:identifier ?s }""", {"d": URIRef(z725)})}
    # 引用 rows: D… cite Z725; 被引用 rows: Z725 被引用 Z14… = Z14… cite Z725
    assert {"D6707", "D6810", "D9299", "Z712", "Z1403", "Z1418"} <= citing
    assert "pc-2022-9" in citing  # and the JSONL notice whose text cites 国办发〔2021〕32号
    assert len(citing) == 16 + 1
    d3, d17101 = _doc(pg, "pkulaw_policies_sample.csv#D3"), _doc(pg, "pkulaw_policies_sample.csv#D17101")
    similar = pg.query(P + "SELECT ?a ?b WHERE { ?a plo:similarTo ?b }")
    assert {(r["a"], r["b"]) for r in similar} == {(d3, d17101), (d17101, d3)}
    # an id outside the metadata table: a node of its own, known by the id
    outside = pg.query(P + """SELECT ?o WHERE { ?d eli:cites ?o . ?o a eli:LegalResource ;
  dcterms:identifier "Z1833" }""", {"d": URIRef(d3)})
    assert len(outside) == 1
    # each table its own named graph; the citation table names its file and hash
    graphs = pg.query(P + "SELECT ?g ?src WHERE { GRAPH ?g { ?g a plo:CitationTable ; plo:tableSource ?src } }")
    assert [r["src"] for r in graphs] == ["pkulaw_relations_sample.csv"]


def test_lineage_docs_and_named_queries_over_tables(sample_tables: PolicyGraph) -> None:
    from policykg import queries as named

    pg = sample_tables
    up = pg.lineage("平科发〔2022〕9号")
    assert [r.get("number") for r in up] == ["平科发〔2022〕9号", "国办发〔2021〕32号"]
    down = pg.lineage("国办发〔2021〕32号", down=True)
    assert [r.get("number") for r in down] == ["国办发〔2021〕32号", "平科发〔2022〕9号"]  # stated bases only
    cited_by = pg.lineage("国办发〔2021〕32号", down=True, cites=True)  # every citation, the tables' too
    assert len(cited_by) == 1 + 17 and {r["depth"] for r in cited_by} == {0, 1}
    assert "青科规〔2021〕14号" in {r.get("number") for r in cited_by}
    docs = pg.documents()
    assert len(docs) == 23  # 24 rows, two of them one document
    titled = [d for d in docs if d.get("title")]
    assert len(titled) == 23
    result = named.run_named(pg.store, "documents-by", {"at_level": "national"}, timeout=None, limit=None)
    assert result is not None


def test_reload_replaces_only_changed_rows_and_drops_removed_ones(tmp_path: Path) -> None:
    table = tmp_path / "notices.csv"
    rows = [
        "编号,标题,发文字号,发文机关,成文日期",
        "a1,平川市人民政府关于印发平川市数字经济发展规划的通知,平政发〔2023〕1号,平川市人民政府,2023-01-05",
        "a2,平川市人民政府办公室关于加强科技成果转化的意见,平政办发〔2023〕7号,平川市人民政府办公室,2023-02-10",
        "a3,平川市科学技术局关于组织申报2023年科技计划项目的通知,平科发〔2023〕3号,平川市科学技术局,2023-03-01",
    ]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pg = PolicyGraph.open(tmp_path / "store")
    first = pg.load([table])
    assert first.ok and first.documents == 3
    again = pg.load([table])
    assert again.documents == 0 and again.unchanged == 3
    rows[2] = rows[2].replace("2023-02-10", "2023-02-11")
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    changed = pg.load([table])
    assert changed.documents == 1 and changed.unchanged == 2
    assert str(pg.describe([_doc(pg, "notices.csv#a2")])[_doc(pg, "notices.csv#a2")]["date"]) == "2023-02-11"
    del rows[3]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shrunk = pg.load([table])
    assert shrunk.removed == 1 and shrunk.documents == 0
    assert _sources(pg) == {"notices.csv#a1", "notices.csv#a2"}
    fresh = PolicyGraph.open(memory=True)
    fresh.load([table])
    assert pg.store.nquads() == fresh.store.nquads()


def test_bad_rows_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    table = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "ok1", "title": "平川市人民政府关于做好2024年春季农业生产工作的通知", "text": None}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "empty", "url": "https://example.gov.cn/1.html"}),
        json.dumps({"id": "ok1", "title": "另一份文件的标题在此"}, ensure_ascii=False),
        json.dumps(["a", "list"]),
        json.dumps({"id": "ok2", "title": "平川市人民政府关于做好2024年春季农业生产工作的通知", "text": None}, ensure_ascii=False),
        json.dumps({"id": "ok3", "文号": "平政发〔2024〕2号", "正文": "平川市人民政府\n关于推进政务公开的通知\n各区人民政府：\n现就有关事项通知如下。"},
                   ensure_ascii=False),
    ]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pg = PolicyGraph.open(memory=True)
    report = pg.load([table])
    reasons = {(f.source, f.reason.split(":")[0]) for f in report.failures}
    assert reasons == {("mixed.jsonl", "row 2"), ("mixed.jsonl", "row 3"), ("mixed.jsonl", "row 4"), ("mixed.jsonl", "row 5")}
    text = {f.reason for f in report.failures}
    assert any("not JSON" in r for r in text) and any("repeats row 1" in r for r in text)
    assert any("no text, title or number" in r for r in text) and any("not a JSON object" in r for r in text)
    assert [(d.source, d.row, d.of) for d in report.duplicates] == [("mixed.jsonl#ok2", 6, "mixed.jsonl#ok1")]
    assert _sources(pg) == {"mixed.jsonl#ok1", "mixed.jsonl#ok3"}
    assert pg.describe([_doc(pg, "mixed.jsonl#ok3")])[_doc(pg, "mixed.jsonl#ok3")]["number"] == "平政发〔2024〕2号"


def test_xlsx_and_gbk_tsv(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["名称", "文号", "发布机构", "发文日期", "效力级别"])
    sheet.append(["平川市人民政府关于印发平川市数字经济发展规划的通知", "平政发〔2023〕1号", "平川市人民政府",
                  __import__("datetime").datetime(2023, 1, 5), "市级"])
    book.save(tmp_path / "list.xlsx")
    (tmp_path / "list.tsv").write_bytes(
        "标题\t发文字号\t发文机关\n青川县人民政府关于开展耕地保护专项检查的通知\t青府发〔2022〕4号\t青川县人民政府、青川县自然资源局\n"
        .encode("gb18030"))
    pg = PolicyGraph.open(memory=True)
    report = pg.load([tmp_path / "list.xlsx", tmp_path / "list.tsv"])
    assert report.ok and report.documents == 2
    x = pg.describe([_doc(pg, "list.xlsx#2")])[_doc(pg, "list.xlsx#2")]  # no id column: the row number
    assert x["number"] == "平政发〔2023〕1号" and str(x["date"]) == "2023-01-05" and x["level"] == "municipal"
    t = pg.describe([_doc(pg, "list.tsv#2")])[_doc(pg, "list.tsv#2")]
    assert t["issuers"] == ["青川县人民政府", "青川县自然资源局"]


def test_relation_table_loaded_later_and_its_bad_rows(tmp_path: Path) -> None:
    policies = tmp_path / "meta.csv"
    policies.write_text("id,title,doc_number,issuer\n"
                        "P1,平川市人民政府关于印发平川市数字经济发展规划的通知,平政发〔2023〕1号,平川市人民政府\n"
                        "P2,平川市发展和改革委员会关于落实数字经济发展规划的通知,平发改〔2023〕8号,平川市发展和改革委员会\n",
                        encoding="utf-8")
    relations = tmp_path / "links.csv"
    relations.write_text("from_id,关系,to_id\nP2,引用,P1\nP1,被引用,P2\nP2,转载,P1\nP2,引用,\nP2,引用,X9\n",
                         encoding="utf-8")
    pg = PolicyGraph.open(memory=True)
    assert pg.load([policies]).documents == 2
    report = pg.load([relations])
    assert {f.reason for f in report.failures} == {"row 4: unknown relation '转载'", "row 5: an id is missing"}
    p1, p2 = _doc(pg, "meta.csv#P1"), _doc(pg, "meta.csv#P2")
    cites = {(r["a"], r["b"]) for r in pg.query(P + "SELECT ?a ?b WHERE { ?a eli:cites ?b }")}
    assert (p2, p1) in cites and (p1, p2) not in cites
    assert any(b.endswith("/i-X9") for a, b in cites if a == p2)
    assert pg.load([relations]).unchanged == 1  # same content: skipped


def test_a_table_whose_columns_name_nothing_fails_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    report = PolicyGraph.open(memory=True).load([tmp_path / "x.csv"])
    assert [f.source for f in report.failures] == ["x.csv"]
    assert "--map COLUMN=FIELD" in report.failures[0].reason


# ------------------------------------------------------------------ the CLI


def test_cli_load_with_map_reports_duplicates_and_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "list.csv").write_text(
        "文件全称,wenhao,body\n"
        "平川市人民政府关于印发平川市数字经济发展规划的通知,平政发〔2023〕1号,\n"
        "平川市人民政府关于印发平川市数字经济发展规划的通知,平政发〔2023〕1号,\n", encoding="utf-8")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "README.md").write_text("# about this folder", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["load", str(folder), "--store", str(tmp_path / "s"),
                                  "--map", "文件全称=title", "--map", "wenhao=number", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "documents loaded: 1\n" in result.output
    assert "duplicate rows (same content as an earlier row, loaded once): 1" in result.output
    assert "list.csv#3 (row 3) = list.csv#2" in result.output
    assert "skipped (not a notice or table): 1 .jpg, 1 .md" in result.output
    sample = runner.invoke(main, ["load", str(RELATIONS), "--store", str(tmp_path / "s2"), "-j", "1",
                                  "--map", "a_title=-"])
    assert "columns not read in pkulaw_relations_sample.csv: a_title (read one with --map" in sample.output
    docs = runner.invoke(main, ["docs", "--store", str(tmp_path / "s"), "--format", "json"])
    assert json.loads(docs.output)[0]["number"] == "平政发〔2023〕1号"
    bad = runner.invoke(main, ["load", str(folder), "--store", str(tmp_path / "s"), "--map", "x"])
    assert bad.exit_code == 1 and "COLUMN=FIELD" in bad.output


def test_cli_sample_demo(tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "s")
    result = runner.invoke(main, ["load", str(SAMPLES), "--store", store, "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "documents loaded: 24" in result.output and "relations from citation tables: 18" in result.output
    lineage = runner.invoke(main, ["lineage", "国办发〔2021〕32号", "--down", "--store", store])
    assert lineage.exit_code == 0 and "平科发〔2022〕9号" in lineage.output
    assert "青科规〔2021〕14号" not in lineage.output
    cites = runner.invoke(main, ["lineage", "国办发〔2021〕32号", "--down", "--cites", "--store", store])
    assert cites.exit_code == 0 and "青科规〔2021〕14号" in cites.output


# ------------------------------------------------------------------ the real corpus


@pytest.mark.corpus
def test_development_corpus_loads_from_its_jsonl(corpus_dir: Path, tmp_path: Path) -> None:
    shutil.copy(corpus_dir / "notices.jsonl", tmp_path / "notices.jsonl")
    pg = PolicyGraph.open(tmp_path / "store")
    started = time.monotonic()
    report = pg.load([tmp_path / "notices.jsonl"], jobs=1)
    assert report.ok, report.failures[:3]
    assert report.documents == 268 and len(report.duplicates) == 3
    assert len(pg.documents()) == 267
    assert time.monotonic() - started < 120
    info = pg.describe([_doc(pg, "notices.jsonl#govcn_content_5362266")])
    (doc,) = info.values()
    assert doc["number"] == "国办发〔2019〕4号" and doc["title"] == "国务院办公厅关于加强三级公立医院绩效考核工作的意见"


def test_rows_of_one_document_reload_as_unchanged(tmp_path: Path) -> None:
    """Two rows stating one 发文字号 are one document with two sources, each with its own hash."""
    table = tmp_path / "t.csv"
    table.write_text("id,title,doc_number\n"
                     "1,平川市人民政府关于印发平川市数字经济发展规划的通知,平政发〔2023〕1号\n"
                     "2,平川市数字经济发展规划,平政发〔2023〕1号\n", encoding="utf-8")
    pg = PolicyGraph.open(tmp_path / "store")
    assert pg.load([table]).documents == 2
    assert len(pg.documents()) == 1
    again = pg.load([table])
    assert again.documents == 0 and again.unchanged == 2


def test_remove_a_table_or_one_row(tmp_path: Path) -> None:
    pg = PolicyGraph.open(tmp_path / "store")
    assert pg.load([JSONL, POLICIES, RELATIONS]).ok
    assert pg.remove(["notices_sample.jsonl#pc-2022-9"]) == ["notices_sample.jsonl#pc-2022-9"]
    assert pg.remove(["pkulaw_relations_sample.csv"]) == ["pkulaw_relations_sample.csv"]
    assert not pg.query(P + "SELECT ?a WHERE { ?a plo:similarTo ?b }")
    removed = pg.remove(["notices_sample.jsonl"])
    assert len(removed) == 4 and all(s.startswith("notices_sample.jsonl#") for s in removed)
    assert _sources(pg) == {f"pkulaw_policies_sample.csv#{i}" for i in (
        "D3", "D6707", "D6810", "D6833", "D6836", "D7653", "D8816", "D9115", "D9299", "D17101",
        "Z712", "Z725", "Z1403", "Z1404", "Z1406", "Z1407", "Z1408", "Z1413", "Z1418")}
    fresh = PolicyGraph.open(memory=True)
    fresh.load([POLICIES])

    def documents_and_derived(g: PolicyGraph) -> list[str]:
        # (an agency still referred to keeps every statement about it in the entities graph)
        return [q for q in g.store.nquads().splitlines() if not q.endswith("/graph/entities> .")]

    assert documents_and_derived(pg) == documents_and_derived(fresh)


def test_parallel_extraction_of_rows_gives_the_same_graph(tmp_path: Path) -> None:
    one, two = PolicyGraph.open(tmp_path / "one"), PolicyGraph.open(tmp_path / "two")
    assert one.load([JSONL], jobs=1).documents == 5
    assert two.load([JSONL], jobs=2).documents == 5
    assert one.store.nquads() == two.store.nquads()


def test_the_loaded_tables_conform_to_the_shapes(sample_tables: PolicyGraph) -> None:
    from policykg.ontology.validate import validate

    ok, text = validate(sample_tables.store.ox)
    assert ok, text[:2000]


def test_metadata_only_row_takes_issuers_level_and_region_from_its_title() -> None:
    """A legal database's row with an empty issuer column: the title names the issuers."""
    row = tables.Row(
        path=Path("t.csv"), source="t.csv#D1", row=2, ident="D1", sha256="0" * 64, text=None,
        given=(("title", "湖南省财政厅、湖南省科学技术厅关于印发《湖南省某项专项资金管理办法》的通知"),),
    )
    notice = tables.row_notice(row)
    assert [a.name for a in notice.issuers] == ["湖南省财政厅", "湖南省科学技术厅"]
    assert notice.level == "provincial" and notice.region is not None and notice.region.name == "湖南省"
    assert notice.promulgates == "湖南省某项专项资金管理办法"
    stated = tables.row_notice(row.__class__(**{**row.__dict__, "given": (*row.given, ("issuer", "湖南省财政厅"))}))
    assert [a.name for a in stated.issuers] == ["湖南省财政厅"]  # a stated issuer column wins
