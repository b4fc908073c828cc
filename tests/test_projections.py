"""networkx projections: lineage, agencies, task–agency, corpus; measures; GraphML/GEXF export."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from policykg.errors import PolicyKGError
from policykg.graph import projections as P
from policykg.graph.store import Store
from tests.conftest_views import GANGYAO, agency, doc, load_trig


@pytest.fixture()
def mini_store() -> Store:
    return load_trig()



def test_lineage_graph_nodes_and_edges(mini_store):
    g = P.lineage_graph(mini_store)
    assert g.number_of_nodes() == 10 and g.number_of_edges() == 10
    assert set(g.successors(doc("厦府办〔2015〕134号"))) == {
        GANGYAO, doc("国办发〔2015〕19号"), doc("闽政办〔2015〕74号"), doc("厦府〔2015〕114号")}
    assert g.nodes[doc("厦府办〔2015〕134号")] == {
        "kind": "document", "label": "厦府办〔2015〕134号", "number": "厦府办〔2015〕134号",
        "title": "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
        "level": "municipal", "region": "厦门市", "date": "2015-07-15", "issuer": "厦门市人民政府办公厅",
        "source": "2015/厦府办134.txt", "loaded": 1}
    assert g.nodes[GANGYAO]["label"] == "质量发展纲要(2011-2020年)" and g.nodes[GANGYAO]["loaded"] == 0
    assert all(d == {"relation": "based_on"} for *_, d in g.edges(data=True))


def test_measures(mini_store):
    g = P.lineage_graph(mini_store)
    assert P.superior_in_degree(g)[:3] == [(GANGYAO, 3), (doc("国办发〔2015〕19号"), 2), (doc("闽政办〔2015〕74号"), 2)]
    ranks = P.superior_pagerank(g)
    assert ranks[0][0] == GANGYAO and abs(sum(nx.pagerank(g).values()) - 1) < 1e-9
    assert {n for n, _ in ranks} == {n for n, _ in P.superior_in_degree(g)}
    depth = P.lineage_depth(g)
    assert depth[GANGYAO] == 0
    assert depth[doc("国办发〔2015〕19号")] == 1
    assert depth[doc("闽政办〔2015〕74号")] == 2
    assert depth[doc("厦府办〔2015〕134号")] == 3
    assert depth[doc("思政〔2015〕20号")] == 4
    fan = P.fan_out_by_level(g)
    assert list(fan) == ["national", "provincial", "municipal"]
    assert fan["national"] == {"superiors": 2, "implementers": 5, "mean": 2.5,
                               "by_level": {"municipal": 2, "national": 1, "provincial": 2}}
    assert fan["provincial"]["by_level"] == {"municipal": 3}


def test_lineage_depth_survives_a_citation_cycle():
    g = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "a")])
    assert P.lineage_depth(g) == {"a": 0, "b": 0, "c": 1}


def test_ancestors_and_descendants(mini_store):
    g = P.lineage_graph(mini_store)
    sub = P.ancestors_and_descendants(g, doc("厦府办〔2015〕134号"))
    assert set(sub) == {doc("厦府办〔2015〕134号"), doc("思政〔2015〕20号"), GANGYAO, doc("国办发〔2015〕19号"),
                        doc("闽政办〔2015〕74号"), doc("厦府〔2015〕114号")}
    one = P.ancestors_and_descendants(g, doc("闽政办〔2015〕74号"), depth=1)
    assert set(one) == {doc("闽政办〔2015〕74号"), GANGYAO, doc("国办发〔2015〕19号"), doc("厦府办〔2015〕134号"),
                        doc("榕政办〔2015〕88号")}
    assert P.ancestors_and_descendants(g, "urn:none").number_of_nodes() == 0


def test_agency_graph(mini_store):
    g = P.agency_graph(mini_store)
    assert g.number_of_nodes() == 10 and g.number_of_edges() == 9
    zj = g.nodes[agency("厦门市质量技术监督局")]
    assert zj == {"kind": "agency", "label": "厦门市质量技术监督局", "region": "厦门市", "function": "质量监督",
                  "function_key": "quality", "tasks": 3, "tasks_lead": 2, "tasks_responsible": 0,
                  "tasks_participating": 1, "tasks_coordinating": 0, "tasks_guiding": 0}
    assert g[agency("厦门市质量技术监督局")][agency("厦门市发展和改革委员会")]["weight"] == 2
    assert g.nodes["https://w3id.org/policykg/id/group/厦门市有关部门"]["kind"] == "group"
    # one 市质监局 per city
    assert not g.has_edge(agency("焦作市质量技术监督局"), agency("厦门市质量技术监督局"))
    assert P.agency_pairs(g, top=1) == [(agency("厦门市发展和改革委员会"), agency("厦门市质量技术监督局"), 2)]


def test_task_agency_graph_is_bipartite(mini_store):
    g = P.task_agency_graph(mini_store)
    tasks = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    assert len(tasks) == 6 and nx.is_bipartite(g)
    t = doc("厦府办〔2015〕134号") + "/task/3"
    assert g.nodes[t]["label"] == "厦府办〔2015〕134号 (三)" and g.nodes[t]["title"] == "加强质量安全监管"
    assert g[t][agency("厦门市经济和信息化局")]["role"] == "coordinating"
    assert g[t][agency("厦门市质量技术监督局")]["role"] == "lead"
    # named in running text only (plo:mentionsAgency): not a responsibility
    assert not g.has_edge(t, agency("厦门市发展和改革委员会"))


def test_corpus_graph(mini_store):
    g = P.corpus_graph(mini_store)
    relations = sorted({d["relation"] for *_, d in g.edges(data=True)})
    assert relations == ["based_on", "cites", "coordinating", "lead", "part_of", "participating", "passed_by",
                         "responsible"]
    assert g[doc("厦府办〔2015〕134号")][doc("国办发〔2015〕19号")]["relation"] == "based_on"
    assert g[doc("厦府办〔2015〕134号")]["https://w3id.org/policykg/id/doc/t-1376ad1f3bcc4f51"]["relation"] == "cites"
    kinds = sorted(d["kind"] for _, d in g.nodes(data=True))
    assert kinds.count("document") == 10 and kinds.count("task") == 6


@pytest.mark.parametrize("fmt", P.EXPORT_FORMATS)
@pytest.mark.parametrize("kind", P.GRAPH_KINDS)
def test_write_graph_reads_back(mini_store, tmp_path, fmt, kind):
    path = tmp_path / f"g.{fmt}"
    written = P.write_graph(mini_store, fmt, path, kind=kind)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == written.number_of_nodes() > 0
    assert back.number_of_edges() == written.number_of_edges()
    assert back.is_directed() == written.is_directed()
    for n, attrs in written.nodes(data=True):
        for k, v in attrs.items():
            assert isinstance(v, (str, int)), (k, v)
            if k != "label" or fmt == "graphml":  # GEXF keeps label as the node label
                assert back.nodes[n][k] == v, (n, k)


def test_write_graph_to_a_binary_stream_and_errors(mini_store):
    buf = io.BytesIO()
    P.write_graph(mini_store, "graphml", buf)
    assert "厦府办〔2015〕134号".encode() in buf.getvalue()
    with pytest.raises(PolicyKGError, match="unknown graph format"):
        P.write_graph(mini_store, "dot", io.BytesIO())
    with pytest.raises(PolicyKGError, match="unknown graph"):
        P.write_graph(mini_store, "gexf", io.BytesIO(), kind="everything")
