"""Accuracy against hand-labelled facts: matching rules, per-notice scores, summaries, comparisons.

Used by ``bench/accuracy`` and by ``tests/test_accuracy.py``. Gold rows follow
``../shared/eval/LABELLING.md`` (``dev_gold.jsonl``; ``bench/seeds_gold.jsonl`` for the seeds).
A notice's extracted facts are first turned into a plain *prediction* dict (``prediction``), so
saved runs of other commits can be scored and compared the same way.

Fields and how they match (the conventions of ``../shared/eval/README.md``):

- ``doc_number``: canonical 发文字号; brackets, digit width, spaces, a 第 before the serial and
  the serial's leading zeros are normalised on both sides (沪科合〔2008〕第006号 = 沪科合〔2008〕6号).
- ``title``: NFKC, whitespace removed, an outer 《》 dropped; either ``Notice.title`` or
  ``Notice.promulgates`` may match.
- ``issuer``: a set of names; a gold name matches a predicted ``Agency`` by its ``name`` or its
  ``surface`` (NFKC, whitespace removed), one predicted agency per gold name. Predicted agencies
  of kind ``group`` (各地区, 省直有关部门, …成员单位) are left out here and in the roles: the gold
  omits groups, and the model marks them as groups rather than agencies.
- ``date`` (成文日期, ISO), ``level``, ``region`` (gold 全国 ↔ the national region; otherwise
  ``Region.name``).
- ``basis_numbers``, ``basis_titles``: the numbers and titles of citations of kind ``basis``.
- ``cites_numbers``: the numbers of every citation except kind ``draft`` (basis included): the
  numbers a load writes as citations. The gold lists every number the text cites other than the
  notice's own; a document still to be drafted has no number, so a numbered ``draft`` is a
  misclassified citation and counts as missed.
- ``tasks``: the count is right when the predicted top-level tasks (``Task.parent is None``)
  number ``tasks_top`` or the leaf tasks (no task has their ``path`` as ``parent``) number
  ``tasks_leaf``. Scored like a single value with 0 as "none": P = right / notices with
  tasks predicted, R = right / notices with tasks in the gold; ``accuracy`` = right / notices.
- ``lead``, ``participants``, ``coordinators``, ``responsible``: for each gold
  ``task_agency_example`` the predicted task is found by ``task_path`` against ``Task.path``,
  else by ``task_label`` against ``Task.label`` (see ``find_task``). lead = agencies of role
  ``lead``; coordinators = role ``coordinating``; responsible = the agencies of every role;
  participants: a gold participant is matched by any agency of the task's roles other than its
  leads, and the agencies of role ``participating`` that match none are the false positives. A
  gold example whose task is not found counts all its agencies as missed.

Single-valued fields: a right prediction is a true positive; a wrong or unwanted one (gold
null) a false positive; a wrong or missing one (gold non-null) a false negative. Set fields:
true positives, false positives and false negatives summed over notices (micro average).
P = tp / (tp + fp), R = tp / (tp + fn); ``None`` when the denominator is 0.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

FIELDS = ("doc_number", "title", "issuer", "date", "level", "region", "basis_numbers", "basis_titles",
          "cites_numbers", "tasks", "lead", "participants", "coordinators", "responsible")
SINGLE = ("doc_number", "title", "date", "level", "region", "tasks")
ROLE_FIELDS = ("lead", "participants", "coordinators", "responsible")
NATIONAL = "全国"

# ---------------------------------------------------------------- normalisation (for matching only)

_WS = re.compile(r"\s+")
_OPEN = "〔[［﹝【(（〖"
_CLOSE = "〕]］﹞】)）〗"
_YEAR_BRACKETS = re.compile(f"[{re.escape(_OPEN)}]\\s*((?:19|20)\\d\\d)\\s*[{re.escape(_CLOSE)}]")
_SERIAL = re.compile(r"第?0*(\d+)号$")


def norm_text(text: str | None) -> str:
    """NFKC, no whitespace."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def norm_title(text: str | None) -> str:
    """NFKC, no whitespace, the outer 《》 dropped."""
    t = norm_text(text)
    while len(t) >= 2 and t[0] == "《" and t[-1] == "》":
        t = t[1:-1]
    return t


def norm_number(text: str | None) -> str:
    """A 发文字号 for comparison: 〔year〕 whatever the brackets, ASCII digits, no spaces, no 第
    before the serial, no leading zeros (国务院令第735号 → 国务院令735号)."""
    t = norm_text(text)
    t = _YEAR_BRACKETS.sub(r"〔\1〕", t)
    return _SERIAL.sub(r"\1号", t)


def norm_label(text: str | None) -> str:
    """A task label or path for comparison: NFKC (（一）→(一), 1．→1.), no whitespace, 、 and ，
    unified, a trailing 、 or . kept as written."""
    return norm_text(text).replace(",", "、").replace("，", "、")


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


# ---------------------------------------------------------------- prediction: Notice → plain dict


def _agency(a: Any) -> dict[str, str]:
    return {"name": a.name, "surface": getattr(a, "surface", "") or "", "kind": getattr(a, "kind", "agency")}


def _number(n: Any) -> str | None:
    return n.canonical if n is not None else None


def prediction(notice: Any) -> dict[str, Any]:
    """What the scorer reads of a ``Notice``. ``Task.path`` and ``Task.parent`` are read where the
    model has them (a task without them is top-level and a leaf)."""
    region = notice.region
    tasks = []
    for t in notice.tasks:
        tasks.append({
            "label": t.label,
            "path": getattr(t, "path", "") or "",
            "parent": getattr(t, "parent", None),
            "section": t.section,
            "roles": [{"role": r.role, **_agency(r.agency)} for r in t.roles],
        })
    return {
        "doc_number": _number(notice.number),
        "title": notice.title,
        "promulgates": notice.promulgates,
        "issuer": [_agency(a) for a in notice.issuers],
        "date": notice.date.isoformat() if notice.date else None,
        "level": notice.level,
        "region": None if region is None else (NATIONAL if region.level == "national" else region.name),
        "citations": [{"kind": c.kind, "title": c.title, "number": _number(c.number)} for c in notice.citations],
        "tasks": tasks,
    }


# ---------------------------------------------------------------- matching


def match_agencies(gold: Iterable[str], predicted: Iterable[Mapping[str, str]]) -> tuple[int, int, int, list[str], list[str]]:
    """(tp, fp, fn, missed gold names, unmatched predicted names): each gold name is matched by at
    most one predicted agency, by name or surface."""
    pool: list[Mapping[str, str]] = []
    seen: set[str] = set()
    for a in predicted:  # an agency named twice (two roles) is one agency; groups are no agencies
        if a["name"] not in seen and a.get("kind") != "group":
            seen.add(a["name"])
            pool.append(a)
    missed: list[str] = []
    golds = list(dict.fromkeys(gold))
    for g in golds:
        key = norm_text(g)
        hit = next((a for a in pool if key in (norm_text(a["name"]), norm_text(a.get("surface")))), None)
        if hit is None:
            missed.append(g)
        else:
            pool.remove(hit)
    tp = len(golds) - len(missed)
    return tp, len(pool), len(missed), missed, [a["name"] for a in pool]


def _set_score(gold: Iterable[str], pred: Iterable[str], norm: Any) -> dict[str, Any]:
    g = {norm(x): x for x in gold if x}
    p = {norm(x): x for x in pred if x}
    return {"gold": sorted(g.values()), "pred": sorted(p.values()), "tp": len(g.keys() & p.keys()),
            "fp": len(p.keys() - g.keys()), "fn": len(g.keys() - p.keys())}


def _single(gold: Any, pred: Any, right: bool) -> dict[str, Any]:
    return {"gold": gold, "pred": pred, "tp": int(right), "fp": int(pred is not None and not right),
            "fn": int(gold is not None and not right)}


def task_counts(tasks: list[Mapping[str, Any]]) -> tuple[int, int]:
    """(top-level, leaf) task counts: top-level = no parent; leaf = no task's parent is its path
    (a task without a path is a leaf)."""
    parents = {t.get("parent") for t in tasks if t.get("parent")}
    top = sum(1 for t in tasks if not t.get("parent"))
    leaf = sum(1 for t in tasks if not (t.get("path") and t["path"] in parents))
    return top, leaf


def _top_label(path: str) -> str:
    m = re.match(r"[^、.)）]*[、.)）]", path)
    return m.group(0) if m else ""


def find_task(example: Mapping[str, Any], tasks: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The predicted task a gold example is about: the task whose ``path`` equals its
    ``task_path``; else a task whose ``label`` equals its ``task_label``, preferring one whose path
    is a tail of the gold path (or the reverse), then one whose section starts with the gold
    path's first label, then the first in document order."""
    gold_path = norm_label(example.get("task_path"))
    if gold_path:
        for t in tasks:
            if t.get("path") and norm_label(t["path"]) == gold_path:
                return t
    label = norm_label(example.get("task_label"))
    candidates = [t for t in tasks if label and norm_label(t.get("label")) == label]
    if not candidates:
        return None
    top = _top_label(gold_path)

    def rank(t: Mapping[str, Any]) -> int:
        path = norm_label(t.get("path"))
        if path and gold_path and (gold_path.endswith(path) or path.endswith(gold_path)):
            return 0
        if path:  # a task placed elsewhere in the tree is not this one
            return 3
        if top and norm_label(t.get("section")).startswith(top):
            return 1
        return 2

    best = min(candidates, key=rank)
    return None if rank(best) == 3 else best


def role_agencies(task: Mapping[str, Any] | None, field: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(agencies that may match, agencies claimed) of a task for one role field. They differ for
    participants only: a gold participant is matched by any agency of the task other than its
    leads, while only agencies given the role ``participating`` are claimed as participants (an
    agency merely ``responsible`` is no wrong participant)."""
    if task is None:
        return [], []
    roles = task.get("roles", [])
    if field == "lead":
        chosen = [r for r in roles if r["role"] == "lead"]
    elif field == "coordinators":
        chosen = [r for r in roles if r["role"] == "coordinating"]
    elif field == "participants":
        leads = {r["name"] for r in roles if r["role"] == "lead"}
        others = [r for r in roles if r["name"] not in leads]
        return others, [r for r in others if r["role"] == "participating"]
    else:  # responsible: every role
        chosen = list(roles)
    return chosen, chosen


# ---------------------------------------------------------------- one notice


def score_notice(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """field → {gold, pred, tp, fp, fn} for one notice."""
    out: dict[str, dict[str, Any]] = {}
    g, p = gold.get("doc_number"), pred.get("doc_number")
    out["doc_number"] = _single(g, p, g is not None and p is not None and norm_number(g) == norm_number(p))

    g = gold.get("title")
    options = list(dict.fromkeys(x for x in (pred.get("title"), pred.get("promulgates")) if x))
    right = g is not None and norm_title(g) in {norm_title(x) for x in options}
    out["title"] = _single(g, " | ".join(options) or None, right)

    tp, fp, fn, missed, extra = match_agencies(gold.get("issuer") or [], pred.get("issuer") or [])
    out["issuer"] = {"gold": gold.get("issuer") or [],
                     "pred": [a["name"] for a in pred.get("issuer") or [] if a.get("kind") != "group"],
                     "tp": tp, "fp": fp, "fn": fn}

    for field in ("date", "level", "region"):
        g, p = gold.get(field), pred.get(field)
        out[field] = _single(g, p, g is not None and p is not None and norm_text(g) == norm_text(p))

    cites = pred.get("citations") or []
    basis = [c for c in cites if c["kind"] == "basis"]
    gold_basis = gold.get("basis") or []
    out["basis_numbers"] = _set_score([b.get("number") for b in gold_basis], [c["number"] for c in basis],
                                      norm_number)
    out["basis_titles"] = _set_score([b.get("title") for b in gold_basis], [c["title"] for c in basis],
                                     norm_title)
    out["cites_numbers"] = _set_score(gold.get("cites_numbers") or [],
                                      [c["number"] for c in cites if c["kind"] != "draft"], norm_number)

    top, leaf = task_counts(pred.get("tasks") or [])
    gtop = gold.get("tasks_top", gold.get("tasks"))
    gleaf = gold.get("tasks_leaf", gtop)
    right = top == gtop or leaf == gleaf
    counts = {"gold": {"top": gtop, "leaf": gleaf}, "pred": {"top": top, "leaf": leaf}, "right": right,
              "tp": int(right and bool(gtop or gleaf)),
              "fp": int(bool(top or leaf) and not right), "fn": int(bool(gtop or gleaf) and not right)}
    out["tasks"] = counts

    tasks = pred.get("tasks") or []
    for field in ROLE_FIELDS:
        out[field] = {"gold": [], "pred": [], "tp": 0, "fp": 0, "fn": 0}
    for ex in gold.get("task_agency_examples") or []:
        task = find_task(ex, tasks)
        where = ex.get("task_path") or ex.get("task_label")
        found = "" if task is None else (task.get("path") or task.get("label") or "")
        for field in ROLE_FIELDS:
            candidates, predicted = role_agencies(task, field)
            tp, _, fn, _, unmatched = match_agencies(ex.get(field) or [], candidates)
            fp = len({a["name"] for a in predicted} & set(unmatched))
            entry = out[field]
            entry["gold"].append(f"{where}: {'、'.join(ex.get(field) or [])}")
            names = dict.fromkeys(a["name"] for a in predicted if a.get("kind") != "group")
            entry["pred"].append(f"{found or '(no task)'}: {'、'.join(names)}")
            entry["tp"] += tp
            entry["fp"] += fp
            entry["fn"] += fn
    return out


# ---------------------------------------------------------------- summaries


def summarise(results: Mapping[str, Mapping[str, Any]], ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """field → {tp, fp, fn, p, r, f1, notices} (tasks also ``accuracy``) over the notices ``ids``
    (default all) of ``results`` (id → {"fields": …})."""
    chosen = [results[i] for i in (ids if ids is not None else results) if "fields" in results[i]]
    out: dict[str, dict[str, Any]] = {}
    for field in FIELDS:
        tp = sum(r["fields"][field]["tp"] for r in chosen)
        fp = sum(r["fields"][field]["fp"] for r in chosen)
        fn = sum(r["fields"][field]["fn"] for r in chosen)
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        out[field] = {"tp": tp, "fp": fp, "fn": fn, "p": p, "r": r, "f1": f1(p, r), "notices": len(chosen)}
        if field == "tasks":
            out[field]["accuracy"] = _ratio(sum(1 for r in chosen if r["fields"][field]["right"]), len(chosen))
    return out


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def table(summary: Mapping[str, Mapping[str, Any]], markdown: bool = False) -> str:
    """The per-field table of a summary."""
    head = ("field", "P", "R", "F1", "tp", "fp", "fn")
    rows = []
    for field in FIELDS:
        s = summary[field]
        name = field + (f" (accuracy {_fmt(s['accuracy'])})" if "accuracy" in s else "")
        rows.append((name, _fmt(s["p"]), _fmt(s["r"]), _fmt(s["f1"]), str(s["tp"]), str(s["fp"]), str(s["fn"])))
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    width = max(len(r[0]) for r in rows)
    lines = [f"{head[0]:<{width}}  " + "  ".join(f"{h:>6}" for h in head[1:])]
    lines += [f"{r[0]:<{width}}  " + "  ".join(f"{c:>6}" for c in r[1:]) for r in rows]
    return "\n".join(lines)


def below(summary: Mapping[str, Mapping[str, Any]], floor: Mapping[str, Mapping[str, float | None]]) -> list[str]:
    """The fields whose P, R (or tasks accuracy) fell below the recorded floor, as sentences."""
    out = []
    for field, limits in floor.items():
        for key, limit in limits.items():
            got = summary.get(field, {}).get(key)
            if limit is not None and got is not None and got < limit:
                out.append(f"{field} {key} = {got:.4f} < recorded {limit:.3f}")
            elif limit is not None and got is None and key != "p":
                out.append(f"{field} {key}: nothing to measure (recorded {limit:.3f})")
    return out


def _whole(which: str, summaries: Mapping[str, Any]) -> bool:
    """Whether the set ``which`` was measured in full: ``all`` is dev gold and seeds together."""
    return which != "all" or {"dev", "seeds"} <= set(summaries)


def below_floor(summaries: Mapping[str, Any], floor: Mapping[str, Any]) -> list[str]:
    """``below`` for every set of notices measured in full and recorded (``dev``, ``seeds``, ``all``)."""
    out = []
    for which, summary in summaries.items():
        if which in floor.get("sets", {}) and _whole(which, summaries):
            out += [f"{which}: {line}" for line in below(summary, floor["sets"][which])]
    return out


def raise_floor(floor: Mapping[str, Any], summaries: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The recorded figures raised to the measured ones where higher (never lowered); the changes.
    Only sets measured in full are recorded: ``all`` only when both ``dev`` and ``seeds`` were."""
    sets = {k: {f: dict(v) for f, v in fields.items()} for k, fields in floor.get("sets", {}).items()}
    changes = []
    for which, summary in summaries.items():
        if not _whole(which, summaries):
            continue
        got = floor_of(summary)
        rec = sets.setdefault(which, {})
        for field, keys in got.items():
            for key, value in keys.items():
                old = rec.setdefault(field, {}).get(key)
                if value is not None and (old is None or value > old):
                    rec[field][key] = value
                    changes.append(f"{which} {field} {key} {_fmt(old)} → {value:.3f}")
    about = floor.get("about", "P and R per field (tasks: also accuracy), rounded down to 3 decimals; "
                      "bench/accuracy --record raises them, tests/test_accuracy.py fails below them.")
    return {"about": about, "sets": sets}, changes


def floor_of(summary: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float | None]]:
    """P and R (and tasks accuracy) per field, rounded down to 3 decimals: figures to record."""
    def down(x: float | None) -> float | None:
        return None if x is None else int(x * 1000 + 1e-9) / 1000

    out: dict[str, dict[str, float | None]] = {}
    for field in FIELDS:
        s = summary[field]
        out[field] = {"p": down(s["p"]), "r": down(s["r"])}
        if "accuracy" in s:
            out[field]["accuracy"] = down(s["accuracy"])
    return out


# ---------------------------------------------------------------- comparing two runs


def _score_key(entry: Mapping[str, Any]) -> tuple[int, int, int]:
    return entry["tp"], entry["fp"], entry["fn"]


def compare(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """field → {"base": summary, "head": summary, "gained": [...], "lost": [...], "changed": [...]}
    over the notices scored in both runs; each listed notice as {id, gold, base, head}. A notice
    gains when its tp rises or its errors fall, loses in the opposite case, and is ``changed``
    when only the prediction differs."""
    ids = [i for i in head["notices"] if i in base["notices"]
           and "fields" in head["notices"][i] and "fields" in base["notices"][i]]
    bsum, hsum = summarise(base["notices"], ids), summarise(head["notices"], ids)
    out: dict[str, dict[str, Any]] = {}
    for field in FIELDS:
        entry: dict[str, Any] = {"base": bsum[field], "head": hsum[field], "gained": [], "lost": [], "changed": []}
        for nid in ids:
            b, h = base["notices"][nid]["fields"][field], head["notices"][nid]["fields"][field]
            if b["pred"] == h["pred"] and _score_key(b) == _score_key(h):
                continue
            item = {"id": nid, "gold": h["gold"], "base": b["pred"], "head": h["pred"]}
            berr, herr = b["fp"] + b["fn"], h["fp"] + h["fn"]
            if h["tp"] > b["tp"] or (h["tp"] == b["tp"] and herr < berr):
                entry["gained"].append(item)
            elif h["tp"] < b["tp"] or herr > berr:
                entry["lost"].append(item)
            else:
                entry["changed"].append(item)
        out[field] = entry
    return out


def _delta(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return f"{_fmt(a)} → {_fmt(b)}"
    return f"{a:.3f} → {b:.3f} ({b - a:+.3f})"


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_comparison(diff: Mapping[str, Mapping[str, Any]], limit: int = 20) -> str:
    lines = []
    for field, e in diff.items():
        b, h = e["base"], e["head"]
        mark = "" if (e["gained"] or e["lost"] or e["changed"]) else "  (no change)"
        lines.append(f"== {field}: P {_delta(b['p'], h['p'])}  R {_delta(b['r'], h['r'])}  "
                     f"+{len(e['gained'])} -{len(e['lost'])} ~{len(e['changed'])}{mark}")
        for key, sign in (("lost", "-"), ("gained", "+"), ("changed", "~")):
            for item in e[key][:limit]:
                lines.append(f"  {sign} {item['id']}: gold {_short(item['gold'])} | base {_short(item['base'])}"
                             f" | head {_short(item['head'])}")
            if len(e[key]) > limit:
                lines.append(f"  {sign} … {len(e[key]) - limit} more")
    return "\n".join(lines)


def errors(results: Mapping[str, Mapping[str, Any]], field: str) -> list[str]:
    """One line per notice with a false positive or negative in ``field``: id, gold, predicted."""
    out = []
    for nid, r in results.items():
        if "fields" not in r:
            out.append(f"{nid}: ERROR {r.get('error')}")
            continue
        e = r["fields"][field]
        if e["fp"] or e["fn"]:
            out.append(f"{nid} (fp {e['fp']}, fn {e['fn']}): gold {_short(e['gold'], 300)} | pred "
                       f"{_short(e['pred'], 300)}")
    return out


# ---------------------------------------------------------------- gold and extraction


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def labelled(gold: Path | None, corpus: Path | None, seeds_gold: Path | None,
             seeds: Path | None) -> list[tuple[str, str, dict[str, Any], bytes, str]]:
    """(result id, set, gold row, file bytes, file name) of every labelled notice: the rows of
    ``gold`` with their text from ``corpus`` (id as in the corpus, set ``dev``), and the rows of
    ``seeds_gold`` with their file in ``seeds`` (id ``seeds/<file>``, set ``seeds``)."""
    out: list[tuple[str, str, dict[str, Any], bytes, str]] = []
    if gold is not None and corpus is not None:
        texts = {str(r["id"]): r["text"] for r in read_jsonl(corpus)}
        for row in read_jsonl(gold):
            nid = str(row["id"])
            if nid not in texts:
                raise KeyError(f"{nid} of {gold} is not in {corpus}")
            out.append((nid, "dev", row, texts[nid].encode("utf-8"), f"{nid}.txt"))
    if seeds_gold is not None and seeds is not None:
        for row in read_jsonl(seeds_gold):
            path = seeds / row["id"]
            out.append((f"seeds/{row['id']}", "seeds", row, path.read_bytes(), path.name))
    return out


def extract(data: bytes, name: str) -> Any:
    """The ``Notice`` of one file, read and extracted as a load does it (``policykg.api.extract_file``:
    ``read_bytes`` → ``extract_notice``)."""
    import hashlib

    from policykg.loaders.extract import extract_notice
    from policykg.loaders.read import read_bytes

    text = read_bytes(data, name)
    return extract_notice(text.text, source=name, sha256=hashlib.sha256(data).hexdigest(),
                          encoding=text.encoding)


def run(items: list[tuple[str, str, dict[str, Any], bytes, str]]) -> dict[str, Any]:
    """Extract and score every labelled notice: {"notices": {id: {set, seconds, fields, prediction}},
    "summary": {set: summary}} (sets: each one, and ``all``)."""
    import time

    from policykg.loaders import agencies

    warm = getattr(agencies, "_tokenizer", None)
    if warm is not None:
        warm()  # jieba's dictionary, loaded once per process: not part of a notice's time
    notices: dict[str, Any] = {}
    for nid, which, gold, data, name in items:
        t = time.perf_counter()
        try:
            pred = prediction(extract(data, name))
        except Exception as exc:  # a failure scores as nothing extracted, and is reported
            pred, error = prediction_of_nothing(), f"{type(exc).__name__}: {exc}"
        else:
            error = None
        seconds = time.perf_counter() - t
        entry = {"set": which, "seconds": round(seconds, 5), "fields": score_notice(gold, pred),
                 "prediction": pred}
        if error:
            entry["error"] = error
        notices[nid] = entry
    return {"notices": notices, "summary": summaries(notices)}


def prediction_of_nothing() -> dict[str, Any]:
    return {"doc_number": None, "title": None, "promulgates": None, "issuer": [], "date": None,
            "level": None, "region": None, "citations": [], "tasks": []}


def summaries(notices: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A summary per set of notices (``dev``, ``seeds`` …) and over ``all`` of them."""
    sets = sorted({n["set"] for n in notices.values()})
    out = {s: summarise(notices, [i for i, n in notices.items() if n["set"] == s]) for s in sets}
    out["all"] = summarise(notices)
    return out
