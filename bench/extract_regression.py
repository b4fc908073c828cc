"""Extraction regression: the facts of every notice of a corpus, saved and compared; the time it takes.

    .venv/bin/python bench/extract_regression.py [CORPUS.jsonl] [--out FILE] [--baseline FILE]
                                                 [--no-fixtures] [--repeat N] [--profile N]

Notices: every line of a JSONL corpus (default ../shared/corpus/notices.jsonl, skipped when
absent; ``text`` encoded as UTF-8, id ``corpus:<id>``) or every notice file of a folder (such as
bench/generate.py writes; id ``corpus:<relative path>``), the seeds (samples/seeds/*.txt) and the
test fixtures (tests/data/**/*.txt, *.htm*, and notices_sample.jsonl). Each one goes through the
per-file work of a load, as ``policykg.api.extract_file`` does it: read_bytes → extract_notice →
notice_triples → N-Triples lines. Saved per notice: ``Notice.to_dict()`` without spans, and a
digest of its N-Triples lines in the order a load writes them.

``--baseline`` compares with a saved run and prints, per field and by notice id, what was gained
(+) and lost (-): number, title, doctype, issuers, date, published, level, region, promulgates,
citations, tasks, task roles and mentions, encoding, triples. Timing: median and p95 ms per
notice after jieba's warm-up, notices/s on one core with and without the warm-up, and the share
of read / extract / triples.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "notices.jsonl"
DEFAULT_OUT = ROOT / "bench" / "out" / "extract_regression.json"
SCALARS = ("number", "title", "doctype", "date", "published", "level", "region", "promulgates", "encoding")


# ---------------------------------------------------------------- inputs


def _jsonl(path: Path, prefix: str) -> Iterator[tuple[str, bytes, str]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if line.strip():
                row = json.loads(line)
                nid = str(row.get("id") or n)
                yield f"{prefix}:{nid}", row["text"].encode("utf-8"), f"{nid}.txt"


def notices(corpus: Path | None, fixtures: bool = True) -> list[tuple[str, bytes, str]]:
    """(id, bytes, file name) of every notice to extract, in a fixed order."""
    out: list[tuple[str, bytes, str]] = []
    if corpus is not None and corpus.is_dir():  # a folder of notice files (bench/generate.py)
        for p in sorted(corpus.rglob("*")):
            if p.is_file() and (p.suffix == ".txt" or p.suffix.startswith(".htm")):
                out.append((f"corpus:{p.relative_to(corpus).as_posix()}", p.read_bytes(), p.name))
    elif corpus is not None and corpus.exists():
        out += _jsonl(corpus, "corpus")
    if fixtures:
        for p in sorted((ROOT / "samples" / "seeds").glob("*.txt")):
            out.append((f"seeds/{p.name}", p.read_bytes(), p.name))
        data = ROOT / "tests" / "data"
        for p in sorted(data.rglob("*")):
            if p.is_file() and (p.suffix == ".txt" or p.suffix.startswith(".htm")):
                out.append((f"tests/{p.relative_to(data).as_posix()}", p.read_bytes(), p.name))
        sample = data / "notices_sample.jsonl"
        if sample.exists():
            out += _jsonl(sample, "sample")
    return out


# ---------------------------------------------------------------- one notice


def _without_spans(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_spans(v) for k, v in value.items() if k != "span"}
    if isinstance(value, list):
        return [_without_spans(v) for v in value]
    return value


def extract_one(data: bytes, name: str) -> tuple[dict[str, Any], list[float]]:
    """Facts of one notice and the seconds spent reading, extracting, making triples."""
    from policykg.graph import triples
    from policykg.loaders.extract import extract_notice
    from policykg.loaders.read import read_bytes

    t0 = time.perf_counter()
    sha = hashlib.sha256(data).hexdigest()
    text = read_bytes(data, name)
    t1 = time.perf_counter()
    notice = extract_notice(text.text, source=name, sha256=sha, encoding=text.encoding, given=text.metadata)
    t2 = time.perf_counter()
    own, shared = triples.notice_lines(notice)  # as a load's workers make them
    lines = own + shared
    t3 = time.perf_counter()
    facts = _without_spans(notice.to_dict())
    facts["triples"] = hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:16]  # in order
    facts["n_triples"] = len(lines)
    return facts, [t1 - t0, t2 - t1, t3 - t2]


def run(items: list[tuple[str, bytes, str]], repeat: int = 1) -> dict[str, Any]:
    """Extract every notice (``repeat`` times, the fastest time kept); facts and timing."""
    t = time.perf_counter()
    from policykg.loaders import agencies

    agencies._tokenizer()  # jieba's dictionary: loaded once per worker process
    warmup = time.perf_counter() - t
    facts: dict[str, Any] = {}
    times: dict[str, list[float]] = {}
    for _ in range(repeat):
        for nid, data, name in items:
            try:
                f, parts = extract_one(data, name)
            except Exception as exc:  # a failure is a result too
                f, parts = {"error": f"{type(exc).__name__}: {exc}"}, [0.0, 0.0, 0.0]
            facts.setdefault(nid, f)
            best = times.get(nid)
            if best is None or sum(parts) < sum(best):
                times[nid] = parts
    return {"notices": facts, "times": times, "warmup_s": warmup}


# ---------------------------------------------------------------- report


def timing(result: dict[str, Any], ids: list[str] | None = None) -> dict[str, float]:
    times = result["times"]
    ids = [i for i in (ids or list(times)) if i in times]
    ms = sorted(sum(times[i]) * 1000 for i in ids)
    if not ms:
        return {}
    total = sum(ms) / 1000
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    stage = [sum(times[i][k] for i in ids) / total * 100 for k in range(3)] if total else [0, 0, 0]
    return {
        "notices": len(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": p95,
        "mean_ms": total / len(ms) * 1000,
        "per_s_warm": len(ms) / total,
        "per_s_cold": len(ms) / (total + result["warmup_s"]),
        "warmup_s": result["warmup_s"],
        "read_pct": stage[0],
        "extract_pct": stage[1],
        "triples_pct": stage[2],
    }


def _fmt_timing(label: str, t: dict[str, float]) -> str:
    if not t:
        return f"{label}: no notices"
    return (
        f"{label}: {t['notices']} notices  median {t['median_ms']:.2f} ms  p95 {t['p95_ms']:.2f} ms  "
        f"mean {t['mean_ms']:.2f} ms  {t['per_s_warm']:.0f}/s warm, {t['per_s_cold']:.0f}/s with "
        f"{t['warmup_s']:.2f} s jieba warm-up  (read {t['read_pct']:.0f}%, extract "
        f"{t['extract_pct']:.0f}%, triples {t['triples_pct']:.0f}%)"
    )


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _agency(a: dict[str, Any]) -> str:
    return f"{a['name']}[{a['kind']}]"


def _items(field: str, facts: dict[str, Any]) -> list[str]:
    """The comparable items of a list field, as strings."""
    if "error" in facts:
        return [f"ERROR {facts['error']}"] if field == "error" else []
    if field == "issuers":
        return [_key(a) for a in facts["issuers"]]
    if field == "citations":
        out = []
        for c in facts["citations"]:
            number = (c["number"] or {}).get("canonical")
            out.append(f"{c['kind']}: {c['title'] and '《' + c['title'] + '》'} {number or ''}".strip())
        return out
    tasks = facts["tasks"]
    if field == "tasks":
        return [_key({k: v for k, v in t.items() if k not in ("roles", "mentions")}) for t in tasks]
    if field == "roles":
        return [f"{t['ordinal']}{t['label']} {r['role']} {_key(r['agency'])}" for t in tasks for r in t["roles"]]
    if field == "mentions":
        return [f"{t['ordinal']}{t['label']} {_key(a)}" for t in tasks for a in t["mentions"]]
    return []


LISTS = ("issuers", "citations", "tasks", "roles", "mentions", "error")


def compare(base: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """field → {"gained": [(id, item)], "lost": [(id, item)]} over the notices of both runs."""
    diff: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def add(field: str, side: str, nid: str, item: str) -> None:
        diff.setdefault(field, {"gained": [], "lost": []})[side].append((nid, item))

    for nid in sorted(set(base) | set(new)):
        if nid not in new:
            add("notice", "lost", nid, "missing from this run")
            continue
        if nid not in base:
            add("notice", "gained", nid, "not in the baseline")
            continue
        b, n = base[nid], new[nid]
        for field in (*SCALARS, "triples"):
            bv, nv = b.get(field), n.get(field)
            if _key(bv) != _key(nv):
                if bv is not None:
                    add(field, "lost", nid, _key(bv))
                if nv is not None:
                    add(field, "gained", nid, _key(nv))
        for field in LISTS:
            bl, nl = _items(field, b), _items(field, n)
            for item in sorted(set(bl) - set(nl)):
                add(field, "lost", nid, item)
            for item in sorted(set(nl) - set(bl)):
                add(field, "gained", nid, item)
            if set(bl) == set(nl) and bl != nl:
                add(field, "lost", nid, "order: " + " | ".join(bl))
                add(field, "gained", nid, "order: " + " | ".join(nl))
    return diff


def print_diff(diff: dict[str, dict[str, list[tuple[str, str]]]], limit: int) -> None:
    if not diff:
        print("no differences")
        return
    for field, sides in diff.items():
        print(f"== {field}: +{len(sides['gained'])} -{len(sides['lost'])}")
        for side, mark in (("lost", "-"), ("gained", "+")):
            for nid, item in sides[side][:limit]:
                print(f"  {mark} {nid}: {item[:300]}")
            if len(sides[side]) > limit:
                print(f"  {mark} … {len(sides[side]) - limit} more")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to save this run")
    ap.add_argument("--baseline", type=Path, help="a saved run to compare with")
    ap.add_argument("--no-fixtures", action="store_true", help="the corpus only, no seeds or test data")
    ap.add_argument("--repeat", type=int, default=1, help="time each notice N times, keep the fastest")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    ap.add_argument("--limit", type=int, default=20, help="differences shown per field and side")
    args = ap.parse_args(argv)

    items = notices(args.corpus, fixtures=not args.no_fixtures)
    if not items:
        print("no notices found", file=sys.stderr)
        return 2
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    result = run(items, repeat=args.repeat)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    corpus_ids = [nid for nid, _, _ in items if nid.startswith("corpus:")]
    result["timing"] = {"all": timing(result), "corpus": timing(result, corpus_ids)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"saved {len(result['notices'])} notices to {args.out}")

    if args.baseline:
        base = json.loads(args.baseline.read_text(encoding="utf-8"))
        print_diff(compare(base["notices"], result["notices"]), args.limit)
        for label in ("corpus", "all"):
            if base.get("timing", {}).get(label):
                print(_fmt_timing(f"baseline {label}", base["timing"][label]))
    for label in ("corpus", "all"):
        print(_fmt_timing(f"this run {label}", result["timing"][label]))
    errors = [nid for nid, f in result["notices"].items() if "error" in f]
    if errors:
        print(f"{len(errors)} notices failed: {', '.join(errors[:10])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
