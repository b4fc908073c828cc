"""Deterministic IRIs: every IRI is a function of what was read (CONTRACT, Provenance)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import URIRef

BASE = "https://w3id.org/policykg/"
DERIVED_GRAPH = URIRef(BASE + "graph/derived")
ENTITIES_GRAPH = URIRef(BASE + "graph/entities")
ENTITY_PREFIXES = tuple(f"{BASE}id/{kind}/" for kind in ("agency", "group", "region", "function"))
SOURCE_GRAPH_PREFIX = BASE + "graph/source/"

# Characters kept as they are in IRI path segments besides letters and digits (CJK included).
_SAFE = set("-._~〔〕")


def segment(text: str) -> str:
    """An IRI path segment: letters and digits of any script kept, everything else %-encoded."""
    if text.isalnum():  # most names: nothing to encode
        return text
    return "".join(ch if (ch.isalnum() or ch in _SAFE) else quote(ch, safe="") for ch in text)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def doc_by_number(canonical: str) -> URIRef:
    return URIRef(f"{BASE}id/doc/{segment(canonical)}")


def doc_by_title(title_key: str) -> URIRef:
    return URIRef(f"{BASE}id/doc/t-{_digest(title_key)}")


def doc_by_file(sha256: str) -> URIRef:
    return URIRef(f"{BASE}id/doc/f-{sha256[:16]}")


def agency(name: str, group: bool = False) -> URIRef:
    return URIRef(f"{BASE}id/{'group' if group else 'agency'}/{segment(name)}")


def local_agency(doc: str, name: str, group: bool = False) -> URIRef:
    """An agency whose jurisdiction its notice does not tell (市工业和信息化局 of an unnamed
    city): one node per document, below the document's IRI."""
    return URIRef(f"{doc}/{'group' if group else 'agency'}/{segment(name)}")


def region(code: str | None, name: str) -> URIRef:
    return URIRef(f"{BASE}id/region/{segment(code or name)}")


def function(key: str) -> URIRef:
    return URIRef(f"{BASE}id/function/{segment(key)}")


def source_graph(relpath: str) -> URIRef:
    return URIRef(SOURCE_GRAPH_PREFIX + "/".join(segment(part) for part in relpath.split("/")))


def task(doc: URIRef, ordinal: int) -> URIRef:
    return URIRef(task_value(doc, ordinal))


def task_value(doc: str, ordinal: int) -> str:
    """:func:`task` as a plain string."""
    return f"{doc}/task/{ordinal}"


def citation(doc: URIRef, position: int) -> URIRef:
    return URIRef(citation_value(doc, position))


def citation_value(doc: str, position: int) -> str:
    """:func:`citation` as a plain string."""
    return f"{doc}/cite/{position}"


def doc_by_identifier(identifier: str) -> URIRef:
    """A document known only by a database's id (a citation table's row naming a document
    that no loaded table describes)."""
    return URIRef(f"{BASE}id/doc/i-{segment(identifier)}")


def article_value(doc: str, ordinal: int) -> str:
    """The IRI of a document's article (第N条 is its ordinal-th article), as a plain string."""
    return f"{doc}/article/{ordinal}"


def provision_value(doc: str, ordinal: int) -> str:
    """The IRI of a document's ordinal-th provision that is neither a task nor an article."""
    return f"{doc}/provision/{ordinal}"
