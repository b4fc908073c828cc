"""Build loaders/data/regions.tsv from the JioNLP gazetteer.

Usage: python tools/build_regions.py path/to/jionlp-<version>-py2.py3-none-any.whl [out.tsv]

The wheel ships ``jionlp/dictionary/china_location.zip`` (province → prefecture → county, with
GB/T 2260 codes and short names) and ``china_location_change.txt`` (names withdrawn since 2002,
with their successors). This script keeps provinces, prefecture-level and county-level regions
(towns and villages are dropped), maps their levels, and records withdrawn names as ``former``
names of the successor region. Only the standard library is used; the wheel is read as a zip.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
_OUT = _ROOT / "loaders" / "data" / "regions.tsv"

# Special administrative regions and Taiwan are kept at provincial level only.
_PROVINCE_ONLY = {"810000", "820000", "710000"}
_DIRECT = "省直辖行政区划"  # 省直辖县级行政区划: county-level cities under the province


def _wheel_files(wheel: Path) -> tuple[str, str, str]:
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        version = re.search(r"^Version: (.+)$", whl.read(meta).decode(), re.M).group(1).strip()
        inner = whl.read("jionlp/dictionary/china_location.zip")
        with zipfile.ZipFile(io.BytesIO(inner)) as z:
            location = z.read("china_location.txt").decode("utf-8")
        change = whl.read("jionlp/dictionary/china_location_change.txt").decode("utf-8")
    return version, location, change


def _shorts(name: str, field: str) -> list[str]:
    out = []
    for s in field.split("/"):
        s = s.strip()
        if s and s != name and s not in out:
            out.append(s)
    return out


def parse_location(text: str) -> list[dict]:
    """Rows (code, name, level, parent code, short names) from china_location.txt."""
    rows: dict[str, dict] = {}
    stack: list[str | None] = [None, None, None]  # codes at depth 0, 1, 2
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth > 2 or len(parts) != 3:
            continue
        name, code, short = parts
        if depth == 2 and name == "市直辖行政区划":
            continue  # towns directly under a city without counties (东莞市)
        if code in rows and depth == 2:
            continue  # a statistical code shared by two development zones: keep the first
        if depth == 0:
            stack = [code, None, None]
            rows[code] = {"code": code, "name": name, "level": "provincial", "parent": "",
                          "short": _shorts(name, short), "former": []}
            continue
        province = stack[0]
        if province in _PROVINCE_ONLY:
            continue
        if depth == 1:
            stack[1] = code
            if code == province or name == _DIRECT:
                continue  # a 直辖市's repeated self, or the 省直辖 placeholder
            rows[code] = {"code": code, "name": name, "level": "municipal", "parent": province,
                          "short": _shorts(name, short), "former": []}
        else:
            parent = stack[1]
            if parent not in rows:  # under a 直辖市 or 省直辖: the province is the parent
                parent = province
            rows[code] = {"code": code, "name": name, "level": "county", "parent": parent,
                          "short": _shorts(name, short), "former": []}
    return list(rows.values())


def add_former_names(rows: list[dict], change: str) -> None:
    """Attach withdrawn names (襄樊市 → 襄阳市) to their successors as ``former`` names."""
    by_path: dict[tuple[str, ...], dict] = {}
    by_code = {r["code"]: r for r in rows}
    for r in rows:
        path = [r["name"]]
        p = r["parent"]
        while p and p != r["code"]:
            path.insert(0, by_code[p]["name"])
            p = by_code[p]["parent"]
        by_path[tuple(path)] = r
    current = {r["name"] for r in rows} | {s for r in rows for s in r["short"]}
    for line in change.splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        old_f = old.split("\t")[2:]
        new_f = tuple(x for x in new.split("\t") if x)
        old_name, old_short = old_f[-2], old_f[-1]
        target = by_path.get(new_f) or by_path.get(new_f[:1] + new_f[2:])
        if target is None:
            continue
        for n in (old_name, old_short):
            if len(n) >= 2 and n not in current and n not in target["former"]:
                target["former"].append(n)


def write(rows: list[dict], version: str, out: Path) -> None:
    rows = sorted(rows, key=lambda r: r["code"])
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write(f"# Chinese administrative regions (province, prefecture, county level).\n"
                f"# Source: JioNLP {version} (Apache-2.0), jionlp/dictionary/china_location.txt and\n"
                f"# china_location_change.txt; generated by tools/build_regions.py — do not edit by hand.\n"
                f"# short: short names (|-separated); former: withdrawn names now part of this region.\n")
        f.write("code\tname\tlevel\tparent\tshort\tformer\n")
        for r in rows:
            f.write("\t".join([r["code"], r["name"], r["level"], r["parent"],
                               "|".join(r["short"]), "|".join(r["former"])]) + "\n")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    version, location, change = _wheel_files(Path(argv[1]))
    rows = parse_location(location)
    add_former_names(rows, change)
    out = Path(argv[2]) if len(argv) > 2 else _OUT
    write(rows, version, out)
    levels: dict[str, int] = {}
    for r in rows:
        levels[r["level"]] = levels.get(r["level"], 0) + 1
    print(f"{out}: {len(rows)} regions {levels}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
