"""Measure the document-fact extractors on the development corpus.

    python tools/eval_corpus.py numbers ../shared/corpus/doc_numbers.txt
    python tools/eval_corpus.py codes ../shared/corpus/doc_numbers.txt   # rewrite loaders/data/docnumber_codes.json
    python tools/eval_corpus.py notices ../shared/corpus/notices.jsonl [--errors N] [--json out.json]

``numbers`` parses every line of a list of 发文字号 and checks that canonicalisation is
idempotent; ``notices`` runs ``extract_notice`` over a JSON-lines corpus and prints how many
notices got a number, title, issuer, date and level, and the agreement with the fields the corpus
gives (doc_number, title, issuer).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
from pathlib import Path

from policykg.loaders import docnumber

_CODES_FILE = Path(__file__).resolve().parent.parent / "loaders" / "data" / "docnumber_codes.json"


def _lines(path: str) -> list[str]:
    return [line for line in Path(path).read_text(encoding="utf-8").split("\n") if line.strip()]


def eval_numbers(path: str, show: int = 40) -> dict[str, int]:
    """Parse every line; count failures by reason and non-idempotent canonical forms."""
    lines = _lines(path)
    failures: dict[str, list[str]] = collections.defaultdict(list)
    kinds: collections.Counter[str] = collections.Counter()
    not_idempotent = []
    for line in lines:
        d = docnumber.parse(line)
        if d is None:
            n = len(docnumber.find_all(line))
            failures["several numbers in one line" if n > 1 else "no number"].append(line)
            continue
        kinds[docnumber.kind(d)] += 1
        if docnumber.canonicalize(d.canonical) != d.canonical:
            not_idempotent.append(f"{line} → {d.canonical} → {docnumber.canonicalize(d.canonical)}")
    print(f"lines: {len(lines)}  parsed: {sum(kinds.values())}  by kind: {dict(kinds)}")
    for reason, items in failures.items():
        print(f"not parsed ({reason}): {len(items)}")
        for item in items[:show]:
            print(f"    {item!r}")
    print(f"canonical form not idempotent: {len(not_idempotent)}")
    for item in not_idempotent[:show]:
        print(f"    {item}")
    return {"lines": len(lines), "parsed": sum(kinds.values()), "idempotent_failures": len(not_idempotent)}


def write_codes(path: str, min_count: int = 2) -> int:
    """Rewrite docnumber_codes.json: 机关代字 seen at least ``min_count`` times in the list."""
    counts: collections.Counter[str] = collections.Counter()
    for line in _lines(path):
        d = docnumber.parse(line)
        if d is not None and docnumber.kind(d) == "number":
            counts[d.code] += 1
    codes = {c: n for c, n in sorted(counts.items()) if n >= min_count}
    data = {
        "description": "机关代字 (issuer codes of 发文字号) seen at least twice in a list of real "
        "numbers published by the State Council and provincial governments; regenerate with "
        "`python tools/eval_corpus.py codes <doc_numbers.txt>`. Used to cut leading words off a "
        "code in running text (现将国办发〔2015〕19号 → 国办发). Value: how often it was seen.",
        "examples": ["国办发", "豫政办", "晋政办发", "国办公开办函"],
        "codes": codes,
    }
    _CODES_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(codes)} codes written to {_CODES_FILE}")
    return len(codes)


def _corpus_title(title: str | None) -> str | None:
    """A corpus title without the number or 《》 some sources wrap it in."""
    if not title:
        return None
    found = docnumber.find_all(title)
    if found and found[0].span[0] == 0:
        title = title[found[0].span[1] :]
    return title.strip().strip("《》") or None


def _corpus_issuer(issuer: str | None) -> str | None:
    return "、".join(issuer.replace("\u3000", " ").split()) if issuer else None


def _agree(got: str | None, want: str | None, norm=lambda s: s) -> bool | None:
    if not want:
        return None
    return got is not None and norm(got) == norm(want)


def eval_notices(path: str, show: int = 15, out: str | None = None) -> dict[str, object]:
    """Run extract_notice over a JSON-lines corpus and print coverage and agreement."""
    from policykg.loaders.citations import title_key
    from policykg.loaders.extract import extract_notice

    rows = [json.loads(line) for line in _lines(path)]
    have: collections.Counter[str] = collections.Counter()
    agree: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    errors: dict[str, list[str]] = collections.defaultdict(list)
    per_doc = {}
    for row in rows:
        text = row["text"]
        n = extract_notice(text, source=row["id"], sha256=hashlib.sha256(text.encode()).hexdigest())
        facts = {
            "number": n.number.canonical if n.number else None,
            "title": n.title,
            "issuers": [a.name for a in n.issuers],
            "date": n.date.isoformat() if n.date else None,
            "published": n.published.isoformat() if n.published else None,
            "level": n.level,
            "region": n.region.name if n.region else None,
            "doctype": n.doctype,
            "promulgates": n.promulgates,
            "citations": len(n.citations),
            "basis": sum(c.kind == "basis" for c in n.citations),
        }
        per_doc[row["id"]] = facts
        for k in ("number", "title", "issuers", "date", "level", "region", "doctype"):
            have[k] += bool(facts[k])
        checks = {
            "number": (facts["number"], row.get("doc_number") and docnumber.canonicalize(row["doc_number"])),
            "title": (facts["title"], _corpus_title(row.get("title"))),
            "issuer": (
                "、".join(a.surface or a.name for a in n.issuers) or None,
                _corpus_issuer(row.get("issuer")),
            ),
        }
        for k, (got, want) in checks.items():
            norm = title_key if k == "title" else (lambda s: s)
            a = _agree(got, want, norm)
            if a is None:
                continue
            agree[k]["agree" if a else ("missing" if got is None else "differ")] += 1
            if not a:
                errors[k].append(f"{row['id']}: got {got!r}, corpus {want!r}")
    total = len(rows)
    print(f"notices: {total}")
    for k in ("number", "title", "issuers", "date", "level", "region", "doctype"):
        print(f"  {k:8s} {have[k]:4d} ({have[k] / total:.0%})")
    for k, c in agree.items():
        given = c["agree"] + c["differ"] + c["missing"]
        print(
            f"  {k} vs corpus: {given} given, {c['agree']} agree, {c['differ']} differ, "
            f"{c['missing']} not extracted"
        )
        for e in errors[k][:show]:
            print(f"      {e}")
    if out:
        Path(out).write_text(json.dumps(per_doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"total": total, "have": dict(have), "agree": {k: dict(v) for k, v in agree.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("numbers", help="parse a list of 发文字号, one a line")
    p.add_argument("path")
    p.add_argument("--show", type=int, default=40)
    p = sub.add_parser("codes", help="rewrite loaders/data/docnumber_codes.json from a list of numbers")
    p.add_argument("path")
    p.add_argument("--min-count", type=int, default=2)
    p = sub.add_parser("notices", help="extract every notice of a JSON-lines corpus")
    p.add_argument("path")
    p.add_argument("--errors", type=int, default=15, help="how many disagreements to print per field")
    p.add_argument("--json", help="write the per-notice facts to this file")
    a = ap.parse_args(argv)
    if a.cmd == "numbers":
        eval_numbers(a.path, a.show)
    elif a.cmd == "codes":
        write_codes(a.path, a.min_count)
    else:
        eval_notices(a.path, a.errors, a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
