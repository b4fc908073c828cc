"""A cover notice is found by its own title (dcterms:title) and by the title of what it
promulgates (dcterms:alternative): document lookup, lineage, tasks and the named queries."""

from __future__ import annotations

from policykg import queries as Q

OWN = "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知"
ISSUED = "厦门市贯彻实施质量发展纲要2015年行动计划"


def test_cover_notice_states_both_titles(sample_graph):
    rows = sample_graph.query(
        "SELECT ?t ?a WHERE { ?d <http://purl.org/dc/terms/title> ?t ; <http://purl.org/dc/terms/alternative> ?a }"
    )
    assert (OWN, ISSUED) in {(r["t"], r["a"]) for r in rows}


def test_lookup_by_either_title(sample_graph):
    own = sample_graph.find_document(OWN)
    assert sample_graph.find_document(ISSUED) == own
    assert sample_graph.find_document(f"《{ISSUED}》") == own
    assert sample_graph.find_document("厦府办〔2015〕134号") == own


def test_lineage_and_tasks_by_the_issued_title(sample_graph):
    by_own, by_issued = sample_graph.lineage(OWN), sample_graph.lineage(ISSUED)
    assert by_issued == by_own and len(by_own) > 1  # the notice and the superiors it implements
    tasks = sample_graph.tasks(ISSUED)
    assert tasks and tasks == sample_graph.tasks(OWN)


def test_named_queries_by_the_issued_title(sample_graph):
    store = sample_graph.store

    def run(name: str, **params: str) -> list[dict]:
        return Q.rows(Q.run_named(store, name, params, timeout=30, limit=0))

    assert run("lineage-up", doc=ISSUED) == run("lineage-up", doc=OWN) != []
    assert run("siblings", doc=ISSUED) == run("siblings", doc=OWN)
