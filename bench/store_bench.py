"""Store engines compared on the same synthetic policy graph: load rate, query latency, memory.

    .venv/bin/python bench/store_bench.py [--docs 1000]

Engines: pyoxigraph through policykg's Store (one SPARQL update per batch of named graphs),
pyoxigraph bulk_extend, rdflib's in-memory Dataset, and oxrdflib (rdflib's API over pyoxigraph)
when installed (`pip install oxrdflib`). Each engine runs in its own process so that peak RSS is
its own.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import time

from rdflib import RDF, XSD, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

ELI = "http://data.europa.eu/eli/ontology#"
PLO = "https://w3id.org/policykg/ontology#"
B = "https://w3id.org/policykg/"
Q_UP = f"""SELECT ?a WHERE {{ <{B}id/doc/d{{leaf}}> <{ELI}based_on>+ ?a }}"""
Q_DOWN = f"""SELECT ?d WHERE {{ ?d <{ELI}based_on>+ <{B}id/doc/d0> }}"""
Q_RANK = f"""SELECT ?a (COUNT(?t) AS ?n) WHERE {{ ?t <{PLO}involvesAgency> ?a }} GROUP BY ?a ORDER BY DESC(?n) LIMIT 20"""


def synthetic(n_docs: int):
    """(graph, triples) per document: a 4-level tree, ~170 triples per document."""
    for i in range(n_docs):
        d = URIRef(f"{B}id/doc/d{i}")
        g = URIRef(f"{B}graph/source/d{i}.txt")
        t: list = [
            (d, RDF.type, URIRef(ELI + "LegalResource")),
            (d, URIRef(ELI + "id_local"), Literal(f"测府办〔2020〕{i}号")),
            (d, DCTERMS.title, Literal(f"某某市人民政府办公厅关于印发第{i}号行动计划的通知", lang="zh")),
            (d, URIRef(ELI + "date_document"), Literal("2020-01-01", datatype=XSD.date)),
            (d, DCTERMS.source, Literal(f"d{i}.txt")),
        ]
        if i:
            parent = URIRef(f"{B}id/doc/d{(i - 1) // 10}")
            t += [(d, URIRef(ELI + "based_on"), parent), (d, URIRef(ELI + "cites"), parent)]
        for k in range(20):
            task = URIRef(f"{d}/task/{k + 1}")
            a = URIRef(f"{B}id/agency/a{(i * 7 + k) % 300}")
            t += [
                (task, RDF.type, URIRef(PLO + "Task")),
                (task, URIRef(ELI + "is_part_of"), d),
                (task, URIRef(PLO + "ordinal"), Literal(k + 1)),
                (task, DCTERMS.title, Literal(f"任务{k}加强质量工作", lang="zh")),
                (task, URIRef(PLO + "text"), Literal(f"任务{k}的正文" * 20, lang="zh")),
                (task, URIRef(PLO + "leadAgency"), a),
                (task, URIRef(PLO + "involvesAgency"), a),
                (a, SKOS.prefLabel, Literal(f"机构{(i * 7 + k) % 300}", lang="zh")),
            ]
        yield g, t


def timed(fn, repeat: int = 20) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def run_engine(name: str, n_docs: int, out: mp.Queue) -> None:
    docs = list(synthetic(n_docs))
    n_triples = sum(len(t) for _, t in docs)
    leaf = n_docs - 1
    start = time.perf_counter()
    if name in ("policykg-store", "pyoxigraph-bulk"):
        import pyoxigraph as ox

        from policykg.graph.store import Store, to_ox

        store = Store(None)
        if name == "policykg-store":
            for k in range(0, len(docs), 64):
                store.replace_graphs(dict(docs[k:k + 64]))
        else:
            store.ox.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)))
                                 for g, t in docs for s, p, o in t)
        load = time.perf_counter() - start

        def q(text: str) -> None:
            list(store.ox.query(text, use_default_graph_as_union=True))
    else:
        if name == "oxrdflib":
            ds = Dataset(store="Oxigraph", default_union=True)
        else:
            ds = Dataset(default_union=True)
        for g, t in docs:
            graph = ds.graph(g)
            for triple in t:
                graph.add(triple)
        load = time.perf_counter() - start

        def q(text: str) -> None:
            list(ds.query(text))
    figures = {
        "engine": name,
        "triples": n_triples,
        "load_s": load,
        "triples_per_s": n_triples / load,
        "lineage_up_ms": timed(lambda: q(Q_UP.replace("{leaf}", str(leaf)))),
        "lineage_down_ms": timed(lambda: q(Q_DOWN), 5),
        "rank_ms": timed(lambda: q(Q_RANK), 5),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out.put(figures)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--engines", default="policykg-store,pyoxigraph-bulk,rdflib-memory,oxrdflib")
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    rows = []
    for name in args.engines.split(","):
        if name == "oxrdflib":
            try:
                import oxrdflib  # noqa: F401
            except ImportError:
                print("oxrdflib not installed: skipped")
                continue
        queue = ctx.Queue()
        proc = ctx.Process(target=run_engine, args=(name, args.docs, queue))
        proc.start()
        rows.append(queue.get())
        proc.join()
    cols = ["engine", "triples", "load_s", "triples_per_s", "lineage_up_ms", "lineage_down_ms", "rank_ms", "peak_rss_mb"]
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(f"{r[c]:.2f}" if isinstance(r[c], float) else str(r[c]) for c in cols))


if __name__ == "__main__":
    main()
