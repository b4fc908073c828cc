"""Tables of notices (JSONL, CSV, TSV, XLSX) → one document per row; citation tables → edges.

Columns are found by name: ``data/table_columns.json`` lists the header names (Chinese and
English) of each field, and ``--map COLUMN=FIELD`` names the others. A table is a citation table
when it has the columns of one (``a_id, relation, b_id``); any other table is a table of
notices. Rows are read one at a time (a large table is never held in memory).

Each row of a table of notices becomes a :class:`Row`: its source ``FILE#ID`` (the id column,
else the row number), the SHA-256 of its canonical content (so a reload replaces only the rows
that changed), its text (None: a metadata-only row) and its stated facts (``given.apply_given``
keys). A row that cannot be read is a :class:`BadRow`; a row with the same content as an earlier
one, apart from its id, is a :class:`Duplicate` (loaded once, reported).

Row numbers are those an editor shows: the line of a JSONL file; in CSV, TSV and XLSX the header
is row 1 and the first record row 2.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from policykg.errors import PolicyKGError, ReadError
from policykg.loaders import meta
from policykg.loaders.citations import promulgated_title
from policykg.loaders.dates import parse_date
from policykg.loaders.extract import extract_notice
from policykg.loaders.given import apply_given, split_names
from policykg.loaders.models import Notice
from policykg.loaders.read import read_bytes

__all__ = [
    "TABLE_SUFFIXES", "BadRow", "Columns", "Duplicate", "Relation", "Row", "columns", "parse_map",
    "relations", "row_notice", "rows",
]

TABLE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".csv", ".tsv", ".xlsx"})
RELATION_ROLES = ("a", "relation", "b", "a_title", "b_title")
IGNORE = "-"  # --map COLUMN=- : do not read that column
RelationKind = Literal["cites", "cited_by", "similar"]


@cache
def _data() -> dict[str, Any]:
    with resources.files("policykg.loaders").joinpath("data", "table_columns.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def normalize_header(name: str) -> str:
    """A header as it is matched: NFKC, lower case, without spaces, '_', '-', '.'."""
    s = unicodedata.normalize("NFKC", str(name)).lower()
    return re.sub(r"[\s_\-.]+", "", s)


@cache
def _aliases() -> dict[str, str]:
    """normalized header → field, for table-of-notices fields."""
    out: dict[str, str] = {}
    for fld, names in _data()["fields"].items():
        for name in names:
            out.setdefault(normalize_header(name), fld)
    return out


@cache
def _relation_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for role, names in _data()["relation"]["columns"].items():
        for name in names:
            out.setdefault(normalize_header(name), role)
    return out


@cache
def _relation_kinds() -> dict[str, RelationKind]:
    return {normalize_header(w): kind for kind, words in _data()["relation"]["kinds"].items() for w in words}


@cache
def _issuer_note() -> re.Pattern[str]:
    return re.compile(_data()["issuer_note"])


@cache
def _date_words() -> re.Pattern[str]:
    words = sorted(_data()["date_words"], key=len, reverse=True)
    return re.compile(r"\s*(?:" + "|".join(map(re.escape, words)) + r")$")


@cache
def _central() -> frozenset[str]:
    return frozenset(normalize_header(w) for w in _data()["central_scopes"])


def fields() -> tuple[str, ...]:
    """The fields a column of a table of notices can be read as."""
    return tuple(_data()["fields"])


def parse_map(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``COLUMN=FIELD`` options → {column: field}. FIELD is a table field (text, title,
    number …), a citation-table column (a, relation, b, a_title, b_title) or ``-`` (ignore)."""
    allowed = {*fields(), *RELATION_ROLES, IGNORE}
    out: dict[str, str] = {}
    for item in items:
        column, sep, fld = item.partition("=")
        column, fld = column.strip(), fld.strip()
        if not sep or not column or not fld:
            raise PolicyKGError(f"--map {item!r}: expected COLUMN=FIELD")
        if fld not in allowed:
            raise PolicyKGError(f"--map {item!r}: unknown field {fld!r}; choose from {', '.join(sorted(allowed))}")
        out[column] = fld
    return out


@dataclass(frozen=True)
class Columns:
    """How a table's columns are read: ``kind`` notices or relations; ``fields`` header → field
    (or relation role); ``unused`` the headers read as nothing."""

    kind: Literal["notices", "relations"]
    fields: dict[str, str]
    unused: tuple[str, ...]


def _classify(headers: list[str], overrides: Mapping[str, str]) -> Columns:
    rel_alias, alias = _relation_aliases(), _aliases()
    over = {normalize_header(k): v for k, v in overrides.items()}
    roles: dict[str, str] = {}
    for h in headers:
        role = over.get(normalize_header(h)) or rel_alias.get(normalize_header(h))
        if role in RELATION_ROLES and role not in roles.values():
            roles[h] = role
    if {"a", "relation", "b"} <= set(roles.values()):
        return Columns("relations", roles, tuple(h for h in headers if h not in roles))
    found: dict[str, str] = {}
    for h in headers:
        key = normalize_header(h)
        fld = over.get(key, alias.get(key))
        if fld and fld != IGNORE and fld in fields() and fld not in found.values():
            found[h] = fld
    return Columns("notices", found, tuple(h for h in headers if h not in found))


# ---------------------------------------------------------------- reading records


def _utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8 (checked in chunks, without holding it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _cell(value: Any) -> Any:
    """A cell as a plain value: None for empty; dates as ISO text; whole floats as integers."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value if v is not None and str(v).strip()]
        return items or None
    if isinstance(value, (dict, bool)):
        return json.dumps(value, ensure_ascii=False)
    s = str(value).strip()
    return s or None


Record = tuple[int, dict[str, Any] | None, str | None]  # (row, cells, why unreadable)


def _records(path: Path) -> Iterator[Record]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(path)
    elif suffix in (".csv", ".tsv"):
        yield from _delimited(path, "\t" if suffix == ".tsv" else ",")
    elif suffix == ".xlsx":
        yield from _xlsx(path)
    else:
        raise ReadError(f"not a table ({suffix}): tables are {', '.join(sorted(TABLE_SUFFIXES))}")


def _jsonl(path: Path) -> Iterator[Record]:
    encoding = "utf-8-sig" if _utf8(path) else "gb18030"
    with path.open(encoding=encoding, errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                yield n, None, f"not JSON: {exc.msg} (column {exc.colno})"
                continue
            if not isinstance(obj, dict):
                yield n, None, f"not a JSON object but {type(obj).__name__}"
                continue
            yield n, obj, None


def _delimited(path: Path, delimiter: str) -> Iterator[Record]:
    encoding = "utf-8-sig" if _utf8(path) else "gb18030"
    csv.field_size_limit(1 << 30)
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return
        header = [h.strip() for h in header]
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
                yield n, None, f"{len(values)} cells, the header has {len(header)}"
                continue
            yield n, dict(zip(header, values, strict=False)), None


def _xlsx(path: Path) -> Iterator[Record]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise ReadError(f"cannot read as .xlsx: {type(exc).__name__}: {exc}") from exc
    try:
        sheet = book.active if book.active is not None else book.worksheets[0]
        header: list[str] | None = None
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                if any(v is not None and str(v).strip() for v in values):
                    header = [str(v).strip() if v is not None else "" for v in values]
                continue
            if not any(_cell(v) for v in values):
                continue
            yield n, {h: v for h, v in zip(header, values, strict=False) if h}, None
    finally:
        book.close()


def _headers(path: Path) -> list[str]:
    """The column names of a table (of a JSONL file: the keys of its first few objects)."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        seen: dict[str, None] = {}
        for i, (_, cells, _) in enumerate(_records(path)):
            if cells:
                seen.update(dict.fromkeys(cells))
            if i >= 20:
                break
        return list(seen)
    if path.suffix.lower() == ".xlsx":
        for _, cells, _ in _records(path):
            return list(cells or {})
        return []
    encoding = "utf-8-sig" if _utf8(path) else "gb18030"
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        header = next(csv.reader(fh, delimiter="\t" if path.suffix.lower() == ".tsv" else ","), None)
    return [h.strip() for h in header or []]


def columns(path: str | Path, overrides: Mapping[str, str] | None = None) -> Columns:
    """How the table at ``path`` is read (see :class:`Columns`)."""
    return _classify(_headers(Path(path)), overrides or {})


# ---------------------------------------------------------------- rows of notices


@dataclass(frozen=True)
class Row:
    """One row of a table of notices, ready to extract."""

    path: Path  # the table
    source: str  # FILE#ID (CONTRACT: dcterms:source)
    row: int
    ident: str  # the id cell, else the row number
    sha256: str  # of the row's canonical content
    text: str | None  # None: a metadata-only row
    given: tuple[tuple[str, Any], ...]  # stated facts (given.apply_given keys)
    rank: str | None = None  # a legal database's 效力位阶, as written
    effective: date | None = None  # the date of entry into force


@dataclass(frozen=True)
class BadRow:
    """A row that is not loaded, and why."""

    source: str  # the table's source
    row: int
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A row whose content repeats an earlier row's (apart from its id): loaded once."""

    source: str  # FILE#ID of this row
    row: int
    of: str  # FILE#ID of the row loaded


def _clean(cells: Mapping[str, Any]) -> dict[str, Any]:
    """The non-empty cells of a row as plain values (see ``_cell``)."""
    return {k: v for k, v in ((str(k), _cell(v)) for k, v in cells.items()) if v is not None}


def _canonical(clean: Mapping[str, Any]) -> bytes:
    """A row's content as bytes to hash: its non-empty cells, by column name."""
    return json.dumps(clean, ensure_ascii=False, sort_keys=True).encode("utf-8")


def issuer_names(value: Any) -> list[str]:
    """An issuer cell as names, each without a trailing note such as （含原国家计划委员会）."""
    note = _issuer_note()
    names = [note.sub("", n).strip() for n in split_names(value)]
    return [n for n in names if n]


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for fld in ("number", "title", "date", "published", "level", "region", "url", "validity"):
        v = values.get(fld)
        if isinstance(v, list):
            v = "、".join(v)
        if v is not None and fld in ("date", "published"):
            v = _date_words().sub("", str(v)) or None
        if v is not None:
            given[fld] = v
    if values.get("issuer") is not None:
        names = issuer_names(values["issuer"])
        if names:
            given["issuer"] = names
    scope = values.get("scope")
    if "level" not in given and isinstance(scope, str) and normalize_header(scope) in _central():
        given["level"] = "national"
    return given


def rows(path: str | Path, source: str, overrides: Mapping[str, str] | None = None) -> Iterator[Row | BadRow | Duplicate]:
    """The rows of a table of notices, one at a time. ``source`` is the table's own source
    (its path as loaded); each row's is ``source#ID``."""
    p = Path(path)
    cols = columns(p, overrides)
    if cols.kind != "notices":
        raise ReadError("a citation table, not a table of notices")
    by_header = cols.fields
    id_header = next((h for h, f in by_header.items() if f == "id"), None)
    seen_ids: dict[str, int] = {}
    seen_content: dict[bytes, str] = {}
    for n, cells, problem in _records(p):
        if cells is None:
            yield BadRow(source, n, problem or "unreadable")
            continue
        values = {f: _cell(cells.get(h)) for h, f in by_header.items()}
        ident = values.get("id")
        if isinstance(ident, list):
            ident = ",".join(ident)
        ident = str(ident) if ident is not None else str(n)
        if "/" in ident or "#" in ident or ident in (".", ".."):
            yield BadRow(source, n, f"id {ident!r} holds '/' or '#'")
            continue
        if ident in seen_ids:
            yield BadRow(source, n, f"id {ident!r} repeats row {seen_ids[ident]}")
            continue
        seen_ids[ident] = n
        row_source = f"{source}#{ident}"
        clean = _clean(cells)
        key = hashlib.sha256(_canonical({k: v for k, v in clean.items() if k != id_header})).digest()
        if key in seen_content:
            yield Duplicate(row_source, n, seen_content[key])
            continue
        seen_content[key] = row_source
        text = values.get("text")
        if isinstance(text, list):
            text = "\n".join(text)
        if text is None and not any(values.get(f) for f in ("title", "number")):
            yield BadRow(source, n, "no text, title or number")
            continue
        rank = values.get("rank")
        effective = values.get("effective")
        yield Row(p, row_source, n, ident, hashlib.sha256(_canonical(clean)).hexdigest(), text,
                  tuple(sorted(_given(values).items())), str(rank) if rank else None,
                  parse_date(_date_words().sub("", str(effective))) if effective else None)


# ---------------------------------------------------------------- citation tables


@dataclass(frozen=True)
class Relation:
    """One row of a citation table: ``a`` cites ``b`` (kind cites), is cited by it (cited_by)
    or is similar to it (similar); the titles where the table gives them."""

    row: int
    a: str
    kind: RelationKind
    b: str
    a_title: str | None = None
    b_title: str | None = None


def relation_kind(value: str) -> RelationKind | None:
    """引用 → cites, 被引用 → cited_by, 相似于 → similar (words in ``data/table_columns.json``)."""
    return _relation_kinds().get(normalize_header(value))


def relations(path: str | Path, source: str, overrides: Mapping[str, str] | None = None) -> Iterator[Relation | BadRow]:
    """The rows of a citation table, one at a time."""
    p = Path(path)
    cols = columns(p, overrides)
    if cols.kind != "relations":
        raise ReadError("not a citation table (needs columns a_id, relation, b_id)")
    header_of = {role: h for h, role in cols.fields.items()}
    for n, cells, problem in _records(p):
        if cells is None:
            yield BadRow(source, n, problem or "unreadable")
            continue
        v = {role: _cell(cells.get(h)) for role, h in header_of.items()}
        if not v.get("a") or not v.get("b"):
            yield BadRow(source, n, "an id is missing")
            continue
        kind = relation_kind(str(v.get("relation") or ""))
        if kind is None:
            yield BadRow(source, n, f"unknown relation {v.get('relation')!r}")
            continue
        yield Relation(n, str(v["a"]), kind, str(v["b"]), v.get("a_title"), v.get("b_title"))


def row_notice(row: Row) -> Notice:
    """The notice of a row: its text extracted with its stated facts laid over (they win, see
    ``given.apply_given``), or, for a metadata-only row, its stated facts alone (no extraction).
    Raises ``ReadError`` for a text cell that holds nothing readable."""
    given = dict(row.given)
    if row.text is not None:
        text = read_bytes(row.text.encode("utf-8"), row.source)
        return extract_notice(text.text, source=row.source, sha256=row.sha256, given=given)
    notice = apply_given(Notice(source=row.source, sha256=row.sha256), given)
    if notice.title:
        notice = replace(notice, doctype=meta.doctype(notice.title), promulgates=promulgated_title(notice.title))
        notice = _from_title(notice)
    return notice


def _from_title(notice: Notice) -> Notice:
    """A metadata-only row's issuers, level and region where its columns leave them out, read
    from its title as from a notice's (北京市财政局、北京市科学技术委员会关于… → both, provincial)."""
    assert notice.title is not None
    names = [a.name for a in notice.issuers] or meta.title_organs(notice.title)
    level, region = notice.level, notice.region
    if level is None or region is None:
        found_level, found_region = meta.level_region(names, notice.title, notice.number, "")
        level, region = level or found_level, region or found_region
    issuers = notice.issuers
    if not issuers and names:
        issuers = tuple(dict.fromkeys(meta.organ_facts(n, region)[0] for n in names))
    return replace(notice, issuers=issuers, level=level, region=region)


def row_count(path: str | Path) -> int:
    """How many documents a file holds, for a progress bar: a table's rows (JSONL lines, CSV
    and TSV records, XLSX rows less the header), 1 for any other file."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with p.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        if suffix in (".csv", ".tsv"):
            return max(0, sum(1 for _ in _records(p)))
        if suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(p, read_only=True)
            try:
                return max(0, (book.active.max_row or 1) - 1)
            finally:
                book.close()
    except (OSError, ValueError, ReadError, KeyError, AttributeError):
        return 1
    return 1
