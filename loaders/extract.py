"""Text of one notice → its ``Notice``: own facts (meta), citations, tasks."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from policykg.loaders import meta
from policykg.loaders.citations import find_citations, promulgated_title
from policykg.loaders.given import apply_given, strip_validity_prefix
from policykg.loaders.models import Agency, Article, DocNumber, Notice, Provision, Region, Task

__all__ = ["extract_notice"]


def _structure(text: str, region: Region | None, issued: bool) -> tuple[tuple[Task, ...], tuple[Article, ...], tuple[Provision, ...]]:
    """Tasks, articles and other provisions (loaders.tasks)."""
    try:
        tasks = importlib.import_module("policykg.loaders.tasks")
    except ImportError:
        return (), (), ()
    found = tasks.extract_structure(text, region, issued=issued)
    return found.tasks, found.articles, found.provisions


def _issuer_names(
    text: str, title: str | None, flds: dict[str, str], year: int | None, number: DocNumber | None
) -> list[tuple[str, str]]:
    """(full name, name as written) of each issuer; a bare national unit (质量管理司) is expanded
    by year and addressees, an order's issuer read from its number when nothing else names it."""
    names = meta.issuers(text, title, flds)
    order = meta.order_issuer(number)
    if order and not names:
        names = [order]
    addressees = meta.addressee_line(text)
    return [(meta.national_unit(n, year, addressees) or n, n) for n in names]


def extract_notice(
    text: str, *, source: str, sha256: str, encoding: str | None = None, given: Mapping[str, Any] | None = None
) -> Notice:
    """Every fact of one notice. ``text`` is the cleaned text (read.read_path), ``source`` the
    path relative to the loaded folder, ``sha256`` of the file's bytes; ``given`` the facts its
    page or table row states (``given.apply_given``), which win over the text's."""
    flds = meta.fields(text)
    number = meta.own_number(text, flds)
    title = meta.own_title(text, flds)
    in_force = None
    if title is not None:
        title, in_force = strip_validity_prefix(title)
    promulgates = (promulgated_title(title) if title else None) or meta.promulgated_in_text(text)
    forward = meta.forward_cover(text)
    if forward is not None and not forward.adopted and forward.end is not None:
        promulgates = None  # a forwarded superior document is this notice's basis, not the notice
    if title is None and promulgates:
        title = promulgates  # no title line: the notice is known by what it promulgates (004)
    doc_date = meta.doc_date(text, flds)
    published = meta.published_date(text, flds)
    year = doc_date.year if doc_date else (number.year if number else None)
    names = _issuer_names(text, title, flds, year, number)
    level, region = meta.level_region([full for full, _ in names], title, number, text)
    issuers: list[Agency] = []
    for full, written in names:
        agency, _, _ = meta.organ_facts(full, region)
        if full != written:
            agency = replace(agency, surface=written)
        if agency not in issuers:
            issuers.append(agency)
    if not issuers and number is not None:
        guess = meta.issuer_from_code(number.code)
        if guess is not None and (level is None or guess[1] == level):
            issuers.append(guess[0])
    citations = find_citations(text, own=number, exclude_titles=[t for t in (title, promulgates) if t])
    tasks, articles, provisions = _structure(text, region, promulgates is not None)
    notice = Notice(
        source=source,
        sha256=sha256,
        number=number,
        title=title,
        doctype=meta.doctype(title),
        issuers=tuple(issuers),
        date=doc_date,
        published=published,
        level=level,
        region=region,
        promulgates=promulgates,
        citations=tuple(citations),
        tasks=tasks,
        encoding=encoding,
        in_force=in_force,
        articles=articles,
        provisions=provisions,
    )
    return apply_given(notice, given) if given else notice
