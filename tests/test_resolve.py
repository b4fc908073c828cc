"""Resolution: one node per document however it is cited, independent of order."""

from __future__ import annotations

import random

from rdflib import URIRef

from policykg.graph import iri
from policykg.graph.resolve import Cite, Loaded, resolve
from policykg.ontology.plo import ELI, PLO

A = str(iri.doc_by_number("厦府办〔2015〕134号"))
B = str(iri.doc_by_number("焦政〔2017〕12号"))


def edges(triples, prop):
    return {(str(s), str(o)) for s, p, o in triples if p == prop}


def run(loaded, cites):
    return list(resolve({d.iri: d for d in loaded}, {c.iri: c for c in cites}))


def test_title_and_number_citations_are_one_node():
    loaded = [Loaded(A, {"厦府办〔2015〕134号"}), Loaded(B, {"焦政〔2017〕12号"})]
    cites = [
        Cite(A + "/cite/1", A, "basis", titles={"质量发展纲要(2011-2020年)"}),
        Cite(B + "/cite/4", B, "mention", numbers={"国发〔2012〕9号"},
             titles={"国务院关于印发质量发展纲要（2011—2020年）的通知"}),
    ]
    out = run(loaded, cites)
    node = str(iri.doc_by_number("国发〔2012〕9号"))
    assert edges(out, ELI.cites) == {(A, node), (B, node)}
    assert edges(out, ELI.based_on) == {(A, node)}
    titles = {str(o) for s, p, o in out if str(s) == node and p in (URIRef("http://purl.org/dc/terms/title"),)}
    assert titles == {"国务院关于印发质量发展纲要（2011—2020年）的通知"}


def test_citation_of_promulgated_title_resolves_to_the_loaded_notice():
    loaded = [Loaded(A, {"厦府办〔2015〕134号"}, {"厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
                                              "厦门市贯彻实施质量发展纲要2015年行动计划"})]
    cites = [Cite(B + "/cite/1", B, "basis", titles={"厦门市贯彻实施质量发展纲要2015年行动计划"})]
    out = run(loaded + [Loaded(B)], cites)
    assert edges(out, ELI.based_on) == {(B, A)}
    assert edges(out, PLO.refersTo) == {(B + "/cite/1", A)}


def test_two_numbers_never_merge_through_a_shared_title():
    cites = [
        Cite(A + "/cite/1", A, "mention", numbers={"京政发〔2015〕1号"}, titles={"关于印发2015年工作要点的通知"}),
        Cite(A + "/cite/2", A, "mention", numbers={"沪府发〔2015〕2号"}, titles={"关于印发2015年工作要点的通知"}),
    ]
    out = run([Loaded(A)], cites)
    assert len({o for s, o in edges(out, ELI.cites)}) == 2


def test_self_citation_is_dropped():
    loaded = [Loaded(A, {"厦府办〔2015〕134号"}, {"厦门市贯彻实施质量发展纲要2015年行动计划"})]
    cites = [Cite(A + "/cite/1", A, "mention", titles={"厦门市贯彻实施质量发展纲要2015年行动计划"})]
    assert edges(run(loaded, cites), ELI.cites) == set()


def test_loaded_document_without_number_gets_one_from_a_citation():
    c = str(iri.doc_by_title("辽宁省人民政府办公厅关于印发辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案的通知"))
    loaded = [Loaded(c, set(), {"辽宁省人民政府办公厅关于印发辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案的通知"}), Loaded(B)]
    cites = [Cite(B + "/cite/1", B, "basis", numbers={"辽政办发〔2012〕60号"},
                  titles={"辽宁省人民政府办公厅关于印发辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案的通知"})]
    out = run(loaded, cites)
    assert edges(out, ELI.based_on) == {(B, c)}
    assert (c, "辽政办发〔2012〕60号") in {(str(s), str(o)) for s, p, o in out if p == ELI.id_local}


def test_result_does_not_depend_on_input_order():
    loaded = [Loaded(A, {"厦府办〔2015〕134号"}), Loaded(B, {"焦政〔2017〕12号"})]
    cites = [
        Cite(A + "/cite/1", A, "basis", titles={"质量发展纲要(2011-2020年)"}),
        Cite(A + "/cite/2", A, "basis", numbers={"国办发〔2015〕19号"}, titles={"国务院办公厅关于印发贯彻实施质量发展纲要2015年行动计划的通知"}),
        Cite(B + "/cite/1", B, "mention", numbers={"国发〔2012〕9号"}, titles={"国务院关于印发质量发展纲要(2011-2020年)的通知"}),
        Cite(B + "/cite/2", B, "basis", titles={"贯彻实施质量发展纲要2015年行动计划"}),
    ]
    expected = sorted(map(str, run(loaded, cites)))
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(loaded)
        rng.shuffle(cites)
        assert sorted(map(str, run(loaded, cites))) == expected


def test_a_number_given_by_resolution_is_not_read_back_as_the_document_s_own():
    """The derived graph states the 发文字号 a numberless loaded document is cited by; resolving
    again must not take it for the document's own (it would then drop it, and so on)."""
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, RDF

    from policykg.graph.resolve import read_docs, recompute
    from policykg.graph.store import Store

    title = "辽宁省人民政府办公厅关于印发辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案的通知"
    c = URIRef(iri.doc_by_title(title))
    b = URIRef(B)
    store = Store(None)
    store.replace_graphs({
        str(iri.source_graph("c.txt")): [(c, RDF.type, ELI.LegalResource), (c, DCTERMS.source, Literal("c.txt")),
                                         (c, DCTERMS.title, Literal(title, lang="zh"))],
        str(iri.source_graph("b.txt")): [(b, RDF.type, ELI.LegalResource), (b, DCTERMS.source, Literal("b.txt")),
                                         (b, ELI.id_local, Literal("焦政〔2017〕12号")),
                                         (b, PLO.hasCitation, URIRef(B + "/cite/1")),
                                         (URIRef(B + "/cite/1"), PLO.citationKind, Literal("basis")),
                                         (URIRef(B + "/cite/1"), PLO.citedNumber, Literal("辽政办发〔2012〕60号")),
                                         (URIRef(B + "/cite/1"), PLO.citedTitle, Literal(title, lang="zh"))],
    })
    recompute(store)
    first = set(store.triples_in(str(iri.DERIVED_GRAPH)))
    assert (c, ELI.id_local, Literal("辽政办发〔2012〕60号")) in first
    assert read_docs(store)[str(c)].numbers == set()
    recompute(store)
    assert set(store.triples_in(str(iri.DERIVED_GRAPH))) == first


def test_a_citation_with_two_numbers_joins_the_first_in_order():
    """Two files of one document give one citation IRI two numbers: it joins the cluster of the
    smaller, whatever order the set yields them in."""
    n1, n2 = "厦府办〔2015〕134号", "焦政〔2017〕12号"
    loaded = [Loaded(A, {n1}), Loaded(B, {n2}), Loaded("urn:x:C")]
    for numbers in ({n1, n2}, {n2, n1}):
        cites = [Cite("urn:x:C/cite/1", "urn:x:C", "basis", numbers=set(numbers))]
        assert edges(run(loaded, cites), PLO.refersTo) == {("urn:x:C/cite/1", A if n1 < n2 else B)}


def test_recompute_on_disk_writes_only_the_difference_and_repairs_the_derived_graph(tmp_path):
    """On the embedded store a recompute turns whatever the derived graph holds into what a
    fresh load gives (here: a statement added by hand and one lost are both put right)."""
    from policykg.api import PolicyGraph
    from policykg.graph import resolve as resolve_mod
    from tests.conftest import SEEDS

    pg = PolicyGraph.open(tmp_path / "store")
    pg.load([SEEDS])
    expected = sorted(pg.store.triples_in(resolve_mod.DERIVED))
    assert expected
    s, p, o = expected[0]
    pg.store.ox.update(f"DELETE DATA {{ GRAPH <{resolve_mod.DERIVED}> {{ <{s}> <{p}> {o.n3()} }} }} ; "
                       f"INSERT DATA {{ GRAPH <{resolve_mod.DERIVED}> {{ <{s}> <{ELI.cites}> <urn:x:stale> }} }}")
    assert sorted(pg.store.triples_in(resolve_mod.DERIVED)) != expected
    assert resolve_mod.recompute(pg.store) == len(expected)
    assert sorted(pg.store.triples_in(resolve_mod.DERIVED)) == expected
