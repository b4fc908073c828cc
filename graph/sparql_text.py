"""SPARQL query text: binding parameters as RDF terms, and the plan hint for the embedded engine.

Both work on the query's tokens (IRIs, strings, comments and braces are told apart), so text
inside a literal or an IRI is never taken for structure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from policykg.errors import QueryError

_TOKEN = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')'''
    r"""|(?P<iri><[^<>"{}|^`\\\s]*>)"""
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<where>\bWHERE\s*\{)"
    r"|(?P<open>\{)|(?P<close>\})"
    r"|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE,
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LATERAL_OPTIONAL = re.compile(r"^(?P<indent>[ \t]*)(?P<optional>OPTIONAL\s*\{[^{}#\n]*\})[ \t]*$", re.M)
_UNSAFE = re.compile(r"\b(?:BIND|VALUES|SERVICE|GRAPH|MINUS|EXISTS|SELECT)\b", re.IGNORECASE)


def _groups(sparql: str) -> list[tuple[int, int, set[str]]]:
    """Each ``WHERE {`` group, and the query's first group when it has no WHERE keyword
    (``ASK { … }``): (offset just after its brace, offset of its closing brace, the variable
    names used inside it), outermost first."""
    found: list[tuple[int, int, set[str]]] = []
    stack: list[tuple[int | None, set[str]]] = []  # (start of a WHERE group or None, its variables)
    opened = False
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind in ("where", "open"):
            first = not opened and kind == "open"  # a query's first brace opens its WHERE clause
            opened = True
            stack.append((m.end() if kind == "where" or first else None, set()))
        elif kind == "close":
            if not stack:
                raise QueryError("unbalanced braces in the query")
            start, names = stack.pop()
            if start is not None:
                found.append((start, m.start(), names))
            if stack:
                stack[-1][1].update(names)
        elif kind == "var" and stack:
            stack[-1][1].add(m.group()[1:])
    if stack:
        raise QueryError("unbalanced braces in the query")
    return sorted(found)


def bind_values(sparql: str, bindings: Mapping[str, object]) -> str:
    """Bind variables to RDF terms with ``VALUES`` blocks.

    The block goes at the top of the query's WHERE clause and of every sub-query that uses the
    variable, so a parameter holds wherever its name appears (as pre-binding does) and the
    engine starts from it inside sub-queries too. Each value is written as an N-Triples term by
    the RDF library (``str()`` of a pyoxigraph term: quotes, braces and newlines escaped), so a
    parameter can never change the query's structure.
    """
    for name in bindings:
        if not _NAME.fullmatch(name):
            raise QueryError(f"invalid parameter name {name!r}")
    if not bindings:
        return sparql
    groups = _groups(sparql)
    if not groups:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    outer = groups[0]
    inserts: list[tuple[int, str]] = []
    for start, _end, names in groups:
        chosen = {n: v for n, v in bindings.items() if start == outer[0] or n in names}
        if chosen:
            names_text = " ".join(f"?{n}" for n in chosen)
            values = " ".join(str(v) for v in chosen.values())
            inserts.append((start, f" VALUES ({names_text}) {{ ({values}) }} "))
    for start, block in sorted(inserts, reverse=True):
        sparql = sparql[:start] + block + sparql[start:]
    return sparql


def lateral_optionals(sparql: str) -> str:
    """The query with each one-line ``OPTIONAL { … }`` of triple patterns or paths (and
    FILTERs, which see the row's variables either way) written as ``LATERAL { OPTIONAL { … } }`` (SPARQL SEP-0006, which Oxigraph implements).

    The answer is the same where the OPTIONAL's shared variables are bound, as in the named
    queries; the engine then looks each row's values up instead of building a table of every
    match in the store, which is what makes description columns cheap on a large store. Only
    for the embedded engine: other servers get the portable text.
    """

    def rewrite(m: re.Match[str]) -> str:
        if _UNSAFE.search(m["optional"]):
            return m.group()
        return f"{m['indent']}LATERAL {{ {m['optional']} }}"

    return _LATERAL_OPTIONAL.sub(rewrite, sparql)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PLAIN = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')'''
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"|(?P<comment>#[^\n\r]*)"
)
FEDERATED = ("SERVICE", "LOAD")


def _unescape(sparql: str) -> str:
    """The query with ``\\uXXXX``/``\\UXXXXXXXX`` escapes replaced, as SPARQL parsers do before
    reading the text (so ``\\u0053ERVICE`` is ``SERVICE``)."""

    def char(m: re.Match[str]) -> str:
        code = int(m[1] or m[2], 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _ESCAPE.sub(char, sparql)


def federated_keywords(sparql: str) -> list[str]:
    """The keywords of ``sparql`` that make the engine fetch other URLs: ``SERVICE`` (a
    federated query) and ``LOAD`` (SPARQL Update), in the order they occur; empty when none.

    Only the query's structure counts: text inside strings, IRIs and comments is skipped, and
    a keyword must stand alone (not a variable, a prefix or part of a prefixed name). Unicode
    escapes are decoded first, as the engine does."""
    text = _unescape(sparql)
    found: list[str] = []
    end = 0
    for m in [*_PLAIN.finditer(text), None]:
        outside = text[end:m.start() if m else len(text)]
        found += [w.upper() for w in re.findall(r"(?<![\w:?$])(SERVICE|LOAD)(?![\w:\-])", outside,
                                                re.IGNORECASE)]
        if m:
            end = m.end()
    return found
