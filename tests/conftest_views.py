"""Test data for the query, projection and view tests.

``load_trig()``: tests/data/views/mini.trig, a hand-written store in the exact shape the loader
writes (a national → provincial → municipal → county chain with tasks and agencies).
``load_variants(path)``: samples/seeds and tests/data/views/notices through the real pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from policykg.graph.store import Store

DATA = Path(__file__).resolve().parent / "data" / "views"
MINI = DATA / "mini.trig"
NOTICES = DATA / "notices"  # two district notices implementing 厦府办〔2015〕134号 (variants)
SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"
BASE = "https://w3id.org/policykg/"
PLO = BASE + "ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSS = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert(2)</script>"


def doc(number_or_key: str) -> str:
    """The IRI of a document by canonical 发文字号 (or ``t-…`` key)."""
    return f"{BASE}id/doc/{number_or_key}"


def agency(name: str) -> str:
    return f"{BASE}id/agency/{name}"


GANGYAO = doc("t-cf652b472a02f804")  # 质量发展纲要(2011-2020年), cited by title only
QUALITY_LAW = doc("t-1376ad1f3bcc4f51")  # 中华人民共和国产品质量法, mentioned only


def load_trig(path: Path = MINI) -> Store:
    store = Store(None)
    store.ox.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def load_variants(path: Path):
    """The sample corpus and the two district notices, loaded into a store at ``path``."""
    from policykg.api import PolicyGraph

    pg = PolicyGraph.open(path)
    report = pg.load([SEEDS, NOTICES])
    assert report.ok and report.documents == 7, report.failures
    return pg


def add_hostile_document(store: Store) -> str:
    """A loaded county document whose title, number and issuer are hostile text, implementing
    思政〔2015〕20号, with one task shared by two agencies with hostile labels."""
    d = URIRef(doc("t-0000000000000bad"))
    a1, a2 = URIRef(agency("hostile-1")), URIRef(agency("hostile-2"))
    task = URIRef(str(d) + "/task/1")
    triples = [
        (d, RDF_TYPE, URIRef(ELI + "LegalResource")),
        (d, URIRef(DCT + "title"), Literal(XSS, lang="zh")),
        (d, URIRef(DCT + "alternative"), Literal('关于"质量"}{ ; DROP ALL ; 的通知', lang="zh")),
        (d, URIRef(ELI + "passed_by"), a1),
        (d, URIRef(PLO + "level"), URIRef(PLO + "County")),
        (d, URIRef(DCT + "source"), Literal("hostile/" + XSS + ".txt")),
        (task, RDF_TYPE, URIRef(PLO + "Task")),
        (task, URIRef(ELI + "is_part_of"), d),
        (task, URIRef(DCT + "title"), Literal(SCRIPT_BREAK, lang="zh")),
        (task, URIRef(PLO + "leadAgency"), a1),
        (task, URIRef(PLO + "involvesAgency"), a1),
        (task, URIRef(PLO + "participatingAgency"), a2),
        (task, URIRef(PLO + "involvesAgency"), a2),
        (a1, RDF_TYPE, URIRef("http://www.w3.org/ns/org#Organization")),
        (a1, URIRef(SKOS + "prefLabel"), Literal(SCRIPT_BREAK, lang="zh")),
        (a2, RDF_TYPE, URIRef("http://www.w3.org/ns/org#Organization")),
        (a2, URIRef(SKOS + "prefLabel"), Literal(XSS + "局", lang="zh")),
    ]
    store.replace_graphs({BASE + "graph/source/hostile.txt": triples})
    store.replace_graphs({BASE + "graph/derived-hostile": [
        (d, URIRef(ELI + "cites"), URIRef(doc("思政〔2015〕20号"))),
        (d, URIRef(ELI + "based_on"), URIRef(doc("思政〔2015〕20号"))),
    ]})
    return str(d)

