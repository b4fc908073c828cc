"""Generate ontology/plo.py, the rdflib DefinedNamespace of plo:, from ontology/plo.ttl.

    python tools/gen_namespace.py            # rewrite ontology/plo.py
    python tools/gen_namespace.py --check    # exit 1 if ontology/plo.py is out of date
    python tools/gen_namespace.py -o out.py  # write elsewhere

Every term of the plo: namespace that has an rdf:type becomes a typed attribute of ``PLO``,
grouped by kind as rdflib's own namespaces (``rdflib/namespace/_ORG.py``) are, and documented
by its English rdfs:comment (an attribute docstring, so editors and Sphinx show it). ``LEVELS`` and ``ROLES`` map the notations of the level
concepts and role properties (skos:notation) to their IRIs. The output depends only on the
content of plo.ttl (no dates), so regenerating an unchanged ontology changes nothing.
"""

from __future__ import annotations

import argparse
import keyword
import sys
import textwrap
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parent.parent
TTL = ROOT / "ontology" / "plo.ttl"
OUTPUT = ROOT / "ontology" / "plo.py"
PLO = Namespace("https://w3id.org/policykg/ontology#")
ONTOLOGY = URIRef("https://w3id.org/policykg/ontology")
ELI = "http://data.europa.eu/eli/ontology#"

# (rdf:type, heading) in the order the groups are written.
KINDS: tuple[tuple[URIRef, str], ...] = (
    (OWL.Class, "Classes (owl:Class)"),
    (SKOS.ConceptScheme, "Concept schemes (skos:ConceptScheme)"),
    (SKOS.Concept, "Concepts (skos:Concept)"),
    (OWL.ObjectProperty, "Object properties (owl:ObjectProperty)"),
    (OWL.DatatypeProperty, "Datatype properties (owl:DatatypeProperty)"),
)


class GenerateError(Exception):
    """plo.ttl cannot be turned into a namespace module (unknown kind, missing comment …)."""


def english(g: Graph, subject: URIRef, predicate: URIRef) -> str:
    """The @en value of ``predicate`` on ``subject``, on one line."""
    for value in g.objects(subject, predicate):
        if isinstance(value, Literal) and value.language == "en":
            return " ".join(str(value).split())
    raise GenerateError(f"{subject} has no {predicate} in English")


def local_name(term: URIRef) -> str:
    name = str(term)[len(str(PLO)) :]
    if not name.isidentifier() or keyword.iskeyword(name):
        raise GenerateError(f"{term}: {name!r} is not a Python identifier")
    return name


def kind_of(g: Graph, term: URIRef) -> URIRef:
    types = set(g.objects(term, RDF.type))
    for kind, _ in KINDS:
        if kind in types:
            return kind
    raise GenerateError(f"{term} has none of the types {[str(k) for k, _ in KINDS]}")


def terms(g: Graph) -> dict[URIRef, list[tuple[str, str]]]:
    """Every typed term of the plo: namespace, by kind: [(local name, English comment)]."""
    groups: dict[URIRef, list[tuple[str, str]]] = {kind: [] for kind, _ in KINDS}
    subjects = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(PLO)}
    for term in sorted(subjects, key=str):
        groups[kind_of(g, term)].append((local_name(term), english(g, term, RDFS.comment)))
    return groups


def _rank(g: Graph, concept: URIRef) -> tuple[int, str]:
    rank = g.value(concept, PLO.levelRank)
    return (int(rank) if rank is not None else sys.maxsize, str(concept))


def levels(g: Graph) -> list[tuple[str, str]]:
    """(notation, local name) of the level concepts, from the top level down."""
    concepts = sorted(g.subjects(SKOS.inScheme, PLO.LevelScheme), key=lambda c: _rank(g, c))
    return [(str(g.value(c, SKOS.notation)), local_name(c)) for c in concepts]


def roles(g: Graph) -> list[tuple[str, str]]:
    """(notation, local name) of the sub-properties of plo:involvesAgency."""
    props = g.subjects(RDFS.subPropertyOf, PLO.involvesAgency)
    return sorted((str(g.value(p, SKOS.notation)), local_name(p)) for p in props)


def _escape(text: str) -> str:
    """``text`` made safe inside a triple-quoted Python string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _docstring(g: Graph) -> str:
    title = english(g, ONTOLOGY, DCTERMS.title)
    version = g.value(ONTOLOGY, OWL.versionInfo)
    body = textwrap.fill(_escape(english(g, ONTOLOGY, DCTERMS.description)), width=92)
    return f"{title} {version}.\n\n{textwrap.indent(body, '    ')}\n    "


def render(g: Graph) -> str:
    """The source of ontology/plo.py for the ontology graph ``g``."""
    groups = terms(g)
    lines = [
        '"""The plo: namespace (rdflib DefinedNamespace) and the other vocabularies policykg uses.',
        "",
        "GENERATED from ontology/plo.ttl by tools/gen_namespace.py: do not edit by hand; edit plo.ttl",
        "and run ``python tools/gen_namespace.py``.",
        '"""',
        "",
        "from rdflib.namespace import DCTERMS, ORG, PROV, SKOS, XSD, DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        '__all__ = ["DCTERMS", "ELI", "LEVELS", "ORG", "PLO", "PROV", "ROLES", "SKOS", "XSD"]',
        "",
        f'ELI = Namespace("{ELI}")',
        '"""The European Legislation Identifier ontology (documents, their dates, issuers and links)."""',
        "",
        "",
        "class PLO(DefinedNamespace):",
        f'    """{_docstring(g)}"""',
        "",
        f'    _NS = Namespace("{PLO}")',
        "    _fail = True",
    ]
    for kind, heading in KINDS:
        if not groups[kind]:
            continue
        lines += ["", f"    # {heading}"]
        for name, comment in groups[kind]:
            lines += [f"    {name}: URIRef", f'    """{_escape(comment)}"""']
    lines += ["", ""]
    lines += ["LEVELS: dict[str, URIRef] = {"]
    lines += [f'    "{notation}": PLO.{name},' for notation, name in levels(g)]
    lines += ["}", '"""Level name (skos:notation, as in models.LEVELS) → concept of plo:LevelScheme."""']
    lines += ["", "ROLES: dict[str, URIRef] = {"]
    lines += [f'    "{notation}": PLO.{name},' for notation, name in roles(g)]
    lines += [
        "}",
        '"""Role name (skos:notation, as in models.ROLES) → sub-property of plo:involvesAgency."""',
    ]
    return "\n".join(lines) + "\n"


def generate(ttl: Path = TTL) -> str:
    return render(Graph().parse(ttl, format="turtle"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ttl", type=Path, default=TTL, help="the ontology (default: ontology/plo.ttl)")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help="default: ontology/plo.py")
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is out of date")
    args = parser.parse_args(argv)
    source = generate(args.ttl)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != source:
            print(f"{args.output} is out of date: run python tools/gen_namespace.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(source, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
