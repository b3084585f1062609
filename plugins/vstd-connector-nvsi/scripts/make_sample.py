"""Regenerate ``tests/data/nvsi-sample.jsonl``: a synthetic NVSI 2.0 export.

Everything comes from volunteer-standard's seeded synthetic sample (no real person), written
without the ``vstd`` carry object as the national system would export it, plus a few columns
the standard has no place for (血型, 服装尺码, 用户名) and a few values in forms the standard
writes differently (legacy 证件类型 "6", hours "1.5", a numeric status), which the connector
must give back unchanged.

Run: ``python scripts/make_sample.py`` from the plugin folder.
"""

from __future__ import annotations

import io
from pathlib import Path

import orjson
from vstd_connector_nvsi.connector import NvsiWriter

from volunteer_standard.samples import generate

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "nvsi-sample.jsonl"
VOLUNTEERS = 6
RECORDS = 18
#: Rows of the training, award and evaluation tables (the sample's first ones).
OTHERS = {"training_record": 4, "award": 3, "evaluation": 5}


def main() -> None:
    entities = list(generate())
    volunteers = [e for e in entities if e.type == "volunteer"][:VOLUNTEERS]
    ids = {v.id for v in volunteers}
    records = [e for e in entities if e.type == "service_record" and e.volunteer_id in ids]
    others = [e for kind, n in OTHERS.items() for e in [x for x in entities if x.type == kind][:n]]
    buffer = io.BytesIO()
    writer = NvsiWriter.__new__(NvsiWriter)
    writer.keep, writer._numbers, writer._out = False, {}, buffer
    for obj in [*volunteers, *records[:RECORDS], *others]:
        writer.write(obj)
    rows = [orjson.loads(line) for line in buffer.getvalue().splitlines()]
    shortened = False
    for i, row in enumerate(rows):
        if "albp0029" in row:
            row.pop("id", None)  # NVSI volunteers are keyed by 志愿者编号
            row.update(
                {"albp0048": "ABO"[i % 3], "albp0049": "SML"[i % 3], "albp0052": f"user{i:03d}"}
            )
        if i == 1:
            row["albp0004"] = "6"  # legacy one-digit 军官证
            row["albp0005"] = "军字第0012345号"
        if "albx0172" in row and i % 7 == 0:
            row["albx0174"] = 2  # a number where the export usually has a string
        if "albx0172" in row and not shortened and row["albx0172"].endswith("0"):
            row["albx0172"] = row["albx0172"].rstrip("0")  # "1.50" → "1.5"
            shortened = True
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
