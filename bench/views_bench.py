"""How long the corpus view of a large store takes: projection (SPARQL → networkx) and page.

    .venv/bin/python bench/views_bench.py            # 50,000 nodes
    .venv/bin/python bench/views_bench.py --nodes 200000 --out /tmp/corpus.html

The store is synthetic but shaped as the loader writes it (TRIPLES.md): documents at four
levels implementing superiors one level up, each with tasks shared by agencies of its region.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import pyoxigraph as ox

from policykg.graph import projections, views
from policykg.graph.store import Store

BASE = "https://w3id.org/policykg/"
ELI = "http://data.europa.eu/eli/ontology#"
PLO = BASE + "ontology#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LEVELS = ("National", "Provincial", "Municipal", "County")


def synthetic_nquads(nodes: int, seed: int = 7) -> tuple[str, int]:
    """N-Quads for a corpus whose corpus view has about ``nodes`` nodes (documents : tasks :
    agencies = 1 : 2.5 : 0.7); returns the text and the number of documents."""
    rng = random.Random(seed)
    n_docs = int(nodes / 4.2)
    n_agencies = int(n_docs * 0.7)
    lines: list[str] = []

    def q(s: str, p: str, o: str, g: str) -> None:
        lines.append(f"<{s}> <{p}> {o} <{g}> .")

    by_level: dict[int, list[str]] = {i: [] for i in range(4)}
    derived = BASE + "graph/derived"
    for i in range(n_docs):
        level = 0 if i < max(4, n_docs // 200) else rng.choices((1, 2, 3), weights=(1, 4, 8))[0]
        d = f"{BASE}id/doc/X{i}〔{2010 + i % 12}〕{i}号"
        g = f"{BASE}graph/source/{i}.txt"
        region = f"{BASE}id/region/{(i % 300) + 110000}"
        q(d, TYPE, f"<{ELI}LegalResource>", g)
        q(d, ELI + "id_local", f'"X{i}〔{2010 + i % 12}〕{i}号"', g)
        q(d, DCT + "title", f'"第{i}号关于贯彻落实质量发展纲要的通知"@zh', g)
        q(d, PLO + "level", f"<{PLO}{LEVELS[level]}>", g)
        q(d, ELI + "jurisdiction", f"<{region}>", g)
        q(region, SKOS + "prefLabel", f'"地区{i % 300}"@zh', g)
        q(d, ELI + "date_document", f'"{2010 + i % 12}-0{1 + i % 9}-1{i % 9}"^^<http://www.w3.org/2001/XMLSchema#date>', g)
        q(d, DCT + "source", f'"{i}.txt"', g)
        issuer = f"{BASE}id/agency/机关{rng.randrange(n_agencies)}"
        q(d, ELI + "passed_by", f"<{issuer}>", g)
        for k in range(1, 1 + rng.choice((1, 2, 3, 4))):
            parents = [p for lv in range(level) for p in by_level[lv][-50:]]
            if parents:
                sup = rng.choice(parents)
                q(d, ELI + "cites", f"<{sup}>", derived)
                q(d, ELI + "based_on", f"<{sup}>", derived)
            t = f"{d}/task/{k}"
            q(t, TYPE, f"<{PLO}Task>", g)
            q(t, ELI + "is_part_of", f"<{d}>", g)
            q(t, PLO + "label", f'"({k})"', g)
            q(t, DCT + "title", f'"任务{k}"@zh', g)
            for role in ("leadAgency", "participatingAgency"):
                a = f"{BASE}id/agency/机关{rng.randrange(n_agencies)}"
                q(t, PLO + role, f"<{a}>", g)
                q(t, PLO + "involvesAgency", f"<{a}>", g)
        by_level[level].append(d)
    for j in range(n_agencies):
        a = f"{BASE}id/agency/机关{j}"
        q(a, TYPE, f"<{ORG}Organization>", BASE + "graph/agencies")
        q(a, SKOS + "prefLabel", f'"机关{j}"@zh', BASE + "graph/agencies")
    return "\n".join(lines) + "\n", n_docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=None, help="Also write the page here.")
    args = parser.parse_args()

    t0 = time.perf_counter()
    data, n_docs = synthetic_nquads(args.nodes)
    store = Store(None)
    store.ox.load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    t1 = time.perf_counter()
    graph = projections.corpus_graph(store)
    t2 = time.perf_counter()
    view = views.corpus_view_of(graph)
    t3 = time.perf_counter()
    if args.out:
        view.save(args.out)
    print(f"store: {len(store):,} quads, {n_docs:,} documents (built in {t1 - t0:.1f} s)")
    print(f"projection: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges in {t2 - t1:.2f} s")
    print(f"corpus view: {view.nodes:,} nodes, {view.edges:,} edges, {len(view.html) / 1e6:.1f} MB in {t3 - t2:.2f} s")


if __name__ == "__main__":
    main()
