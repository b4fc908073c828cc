"""RDF terms as N-Triples strings, written exactly as pyoxigraph writes them.

The graph layer makes its terms in this form (``<iri>``, ``"text"@zh``, ``"3"^^<…#integer>``):
a statement is then one string join, ready for the store's N-Quads writer, and the rdflib
term of each is one :func:`to_rdflib` away.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import Namespace

# N-Triples escapes of a literal's characters, as pyoxigraph writes them (its canonical form):
# the short escapes where N-Triples has one, \uXXXX for the other control characters and the
# two noncharacters U+FFFE and U+FFFF; every other character is written as it is.
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
ESCAPES: dict[str, str] = {
    ch: _SHORT.get(ch, f"\\u{ord(ch):04X}")
    for ch in [*map(chr, range(0x20)), '"', "\\", "\x7f", "\ufffe", "\uffff"]
}
_SPECIAL = re.compile("[" + "".join(re.escape(ch) for ch in ESCAPES) + "]")
_ESCAPED = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([btnfr"\'\\]))')
_UNSHORT = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "'": "'", "\\": "\\"}


def escape(text: str) -> str:
    """A literal's text with its N-Triples escapes (without the quotes)."""
    if text.isprintable() and '"' not in text and "\\" not in text:  # most text: quicker than the regex
        return text
    return _SPECIAL.sub(lambda m: ESCAPES[m.group()], text)


def unescape(text: str) -> str:
    """The inverse of :func:`escape` (and of any other N-Triples escape)."""
    if "\\" not in text:
        return text
    return _ESCAPED.sub(lambda m: _UNSHORT[m[3]] if m[3] else chr(int(m[1] or m[2], 16)), text)


@lru_cache(maxsize=262_144)
def iri(value: str) -> str:
    """``<value>``; a value that is not an IRI raises ValueError, as the store would."""
    return str(ox.NamedNode(value))


def literal(text: str) -> str:
    """A plain (xsd:string) literal."""
    return f'"{escape(text)}"'


def lang_literal(text: str, lang: str) -> str:
    """A literal with a language tag (given in lower case, as rdflib normalizes it)."""
    return f'"{escape(text)}"@{lang}'


def typed_literal(lexical: str, datatype: str) -> str:
    """A literal of a datatype other than xsd:string, given by its IRI."""
    return f'"{escape(lexical)}"^^{iri(datatype)}'


def statement(s: str, p: str, o: str) -> str:
    """One N-Triples statement, without its line break (as ``graph.store.ntriples`` writes it)."""
    return f"{s} {p} {o} ."


def terms(statement: str) -> tuple[str, str, str]:
    """The subject, predicate and object of a :func:`statement` (an IRI has no space)."""
    s, p, o = statement[:-2].split(" ", 2)
    return s, p, o


def to_rdflib(term: str) -> URIRef | Literal:
    """The rdflib term of an N-Triples IRI or literal."""
    if term[0] == "<":
        return URIRef(term[1:-1])
    end = term.rindex('"')
    text, suffix = unescape(term[1:end]), term[end + 1 :]
    if suffix.startswith("@"):
        return Literal(text, lang=suffix[1:])
    if suffix.startswith("^^"):
        return Literal(text, datatype=URIRef(suffix[3:-1]))
    return Literal(text)


class Terms:
    """A namespace's terms in N-Triples form, made once: ``Terms(SKOS).prefLabel`` is
    ``"<http://www.w3.org/2004/02/skos/core#prefLabel>"``. Names are checked by the namespace
    itself (a closed namespace such as plo: refuses an unknown name)."""

    def __init__(self, namespace: Namespace | type) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        term = iri(str(getattr(self._namespace, name)))
        setattr(self, name, term)  # found directly from now on
        return term
