"""Regenerate ``data/regions.csv`` from the yescallop/areacodes ``result.csv``.

Usage::

    python -m volunteer_standard.codelists._build_regions path/to/result.csv [--out FILE]

The source (CC0 1.0) lists every GB/T 2260 code since 1981 as one row per period of use:
``代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码``. A period runs
from its start year (included) to its change year (excluded in the source's year-end tables).
We keep only what lookups need, one row per period, sorted by code and start year:

``code,name,level,valid_from,valid_to,successors``

``level`` is 1/2/3 for 省级/地级/县级; ``successors`` keeps the source notation
(``;``-separated codes, optionally followed by ``[YEAR]`` when the area moved in a year other
than ``valid_to``). Status columns are dropped: they follow from the periods.

After regenerating, update ``REGIONS_VINTAGE`` in ``regions.py`` if the latest year changed
(the script prints it) and copy the source LICENSE to ``data/REGIONS-LICENSE.txt``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

SOURCE_HEADER = (
    "代码",
    "一级行政区",
    "二级行政区",
    "名称",
    "级别",
    "状态",
    "启用时间",
    "变更/弃用时间",
    "新代码",
)
OUTPUT_HEADER = ("code", "name", "level", "valid_from", "valid_to", "successors")
LEVELS = {"省级": 1, "地级": 2, "县级": 3}
_CODE = re.compile(r"[0-9]{6}")
_YEAR = re.compile(r"[0-9]{4}")
_SUCCESSOR = re.compile(r"[0-9]{6}(\[[0-9]{4}\])?")


def convert(source: Path) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for ``regions.csv``, checked strictly so that a format change upstream fails loudly."""
    with source.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = tuple(next(reader))
        if header != SOURCE_HEADER:
            raise SystemExit(f"unexpected header in {source}: {header!r}")
        out: list[tuple[str, str, str, str, str, str]] = []
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            code, _prov, _pref, name, level, _status, start, end, new = row
            where = f"{source.name}:{lineno}"
            if not _CODE.fullmatch(code) or not name or level not in LEVELS:
                raise SystemExit(f"{where}: bad code, name or level: {row!r}")
            if not _YEAR.fullmatch(start) or (end and not _YEAR.fullmatch(end)):
                raise SystemExit(f"{where}: bad years: {row!r}")
            successors = [s for s in new.split(";") if s]
            if not all(_SUCCESSOR.fullmatch(s) for s in successors):
                raise SystemExit(f"{where}: bad successor list: {new!r}")
            out.append((code, name, str(LEVELS[level]), start, end, ";".join(successors)))
    out.sort(key=lambda r: (r[0], int(r[3])))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="path to areacodes result.csv")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "data" / "regions.csv",
        help="output file (default: the bundled data/regions.csv)",
    )
    args = parser.parse_args(argv)
    rows = convert(args.source)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(OUTPUT_HEADER)
        writer.writerows(rows)
    latest = max(int(y) for r in rows for y in (r[3], r[4]) if y)
    in_use = sum(1 for r in rows if not r[4])
    print(f"wrote {len(rows)} periods ({in_use} codes in use) to {args.out}; latest year {latest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
