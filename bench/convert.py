"""Conversion throughput against its floors, as ratios measured in the same run (issue 13).

Two conversions of the same generated JSON Lines (service records and the volunteers,
organisations … they reference, a few broken records mixed in):

* **JSON Lines → JSON package** (``vstd convert in.jsonl out.json``). Floor: ``orjson.loads``
  of every line, ``orjson.dumps`` into a spool file per collection, the spools joined into
  the package layout (metadata, then one array per type, one record per line) — what the
  real writer must do to stream, without validation.
* **JSON Lines → flat CSV** (``vstd convert in.jsonl out --to tabular``: a folder with one
  CSV per type). Floor: ``orjson.loads``, the same flattening written plainly (``a/b``
  columns, ``x/0/y`` for lists of objects, ``;``-joined scalar lists, ``extensions`` as
  JSON, ``true``/``false``), a JSON Lines spool per type collecting the columns, then
  ``csv.writer`` with the header (UTF-8 with a BOM).

Each vstd path runs with the default (national) profile and with ``--profile structure``.

    .venv/bin/python bench/convert.py --records 200000 --rounds 3 [--clock cpu]

``measure(records)`` returns the records/s of every path, for the suite (bench/run.py).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import orjson

from volunteer_standard.engine import convert
from volunteer_standard.io import JsonlWriter
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS
from volunteer_standard.samples import SampleSpec, generate

#: Broken lines mixed into the input (one per this many records): rejects cost too.
BROKEN_EVERY = 1000
_BROKEN = (
    b'{"type":"service_record","id":"bad-%d","hours":"many"}\n',
    b"{not json %d\n",
    b'{"type":"volunteer","id":"bad-%d","birth_date":"2090-13-01"}\n',
)


def make_input(path: Path, records: int) -> int:
    """``records`` generated service records (+ what they reference) and broken lines."""
    spec = SampleSpec(volunteers=max(50, records // 200), service_records=records, seed=7)
    with JsonlWriter(path) as out:
        for obj in generate(spec):
            out.write(obj)
        count = out.count
    with path.open("ab") as stream:
        for n in range(count // BROKEN_EVERY):
            stream.write(_BROKEN[n % len(_BROKEN)] % n)
    return count + count // BROKEN_EVERY


# -- floors ----------------------------------------------------------------------------------


def package_floor(source: Path, out: Path) -> None:
    """orjson doing the package layout, streaming through a spool file per collection."""
    spool_dir = Path(tempfile.mkdtemp(prefix="floor-"))
    spools: dict[str, IO[bytes]] = {}
    try:
        with source.open("rb") as lines:
            for line in lines:
                try:
                    data = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                kind = data.get("type") if isinstance(data, dict) else None
                if kind not in ENTITY_MODELS:
                    continue
                spool = spools.get(kind)
                if spool is None:
                    spool = spools[kind] = (spool_dir / kind).open("w+b")
                spool.write(orjson.dumps(data) + b"\n")
        with out.open("wb") as target:
            target.write(b'{\n"metadata": {}')
            for kind in ENTITY_MODELS:
                spool = spools.get(kind)
                if spool is None:
                    continue
                target.write(b',\n"' + COLLECTIONS[kind].encode() + b'": [\n')
                spool.seek(0)
                first = True
                for record in spool:
                    if not first:
                        target.write(b",\n")
                    target.write(record[:-1])
                    first = False
                target.write(b"\n]")
            target.write(b"\n}\n")
    finally:
        for spool in spools.values():
            spool.close()
        shutil.rmtree(spool_dir, ignore_errors=True)


def _join(items: list[Any]) -> str:
    if not items:
        return "[]"
    return ";".join(str(i).replace("\\", "\\\\").replace(";", "\\;") for i in items)


def _flat(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if path.endswith("extensions"):
            out[path] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            return
        for key, item in value.items():
            _flat(item, f"{path}/{key}" if path else key, out)
    elif isinstance(value, list):
        if value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                _flat(item, f"{path}/{index}", out)
        else:
            out[path] = _join(value)
    elif isinstance(value, bool):
        out[path] = "true" if value else "false"
    elif value is not None:
        out[path] = value


def flat_floor(source: Path, out: Path) -> None:
    """orjson + the flat layout's flattening + a spool per type + csv.writer."""
    spool_dir = Path(tempfile.mkdtemp(prefix="floor-"))
    spools: dict[str, tuple[IO[bytes], dict[str, None]]] = {}
    out.mkdir()
    try:
        with source.open("rb") as lines:
            for line in lines:
                try:
                    data = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                kind = data.pop("type", None) if isinstance(data, dict) else None
                if kind not in ENTITY_MODELS:
                    continue
                row: dict[str, Any] = {}
                _flat(data, "", row)
                spool = spools.get(kind)
                if spool is None:
                    spool = spools[kind] = ((spool_dir / kind).open("w+b"), {})
                spool[1].update(dict.fromkeys(row))
                spool[0].write(orjson.dumps(row) + b"\n")
        for kind, (spool, columns) in spools.items():
            header = list(columns)
            with (out / f"{COLLECTIONS[kind]}.csv").open(
                "w", encoding="utf-8-sig", newline=""
            ) as target:
                writer = csv.writer(target)
                writer.writerow(header)
                spool.seek(0)
                for record in spool:
                    cells = orjson.loads(record)
                    writer.writerow([cells.get(c, "") for c in header])
    finally:
        for spool, _ in spools.values():
            spool.close()
        shutil.rmtree(spool_dir, ignore_errors=True)


# -- vstd ------------------------------------------------------------------------------------


def _vstd(to: str, profile: str) -> Callable[[Path, Path], None]:
    def run(source: Path, out: Path) -> None:
        summary = convert(
            str(source),
            str(out),
            target_connector=to,
            profile=profile,
            rejects=out.parent / f"{out.name}.rejects.jsonl",
        )
        assert summary.balanced
        assert summary.rejected > 0

    return run


PATHS: dict[str, Callable[[Path, Path], None]] = {
    "package-floor": package_floor,
    "package-vstd-structure": _vstd("standard", "structure"),
    "package-vstd-national": _vstd("standard", "national"),
    "flatcsv-floor": flat_floor,
    "flatcsv-vstd-structure": _vstd("tabular", "structure"),
    "flatcsv-vstd-national": _vstd("tabular", "national"),
}
_OUT = {"package": "out.json", "flatcsv": "out"}


def measure(records: int, rounds: int = 1, clock: str = "wall") -> dict[str, float]:
    """Records/s of every path on ``records`` generated records (median of ``rounds``,
    the paths interleaved in each round so that load affects them alike). ``clock="cpu"``
    counts this process's CPU time instead of the wall clock: steadier on a shared
    machine."""
    tick = time.process_time if clock == "cpu" else time.perf_counter
    with tempfile.TemporaryDirectory(prefix="vstd-bench-convert-") as tmp:
        source = Path(tmp) / "input.jsonl"
        count = make_input(source, records)
        _vstd("standard", "structure")(source, Path(tmp) / "warm.json")  # imports, plugins
        times: dict[str, list[float]] = {name: [] for name in PATHS}
        for round_ in range(rounds):
            for name, run in PATHS.items():
                out = Path(tmp) / f"{round_}-{name}-{_OUT[name.split('-')[0]]}"
                start = tick()
                run(source, out)
                times[name].append(tick() - start)
                shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink()
    return {name: count / statistics.median(t) for name, t in times.items()}


def split(records: int) -> dict[str, float]:
    """CPU seconds of each stage of ``convert`` (national profile) on the same input:
    reading (reader + connector), structural checks, per-record rules, then the writer
    alone (package, flat CSV) on the already validated objects, and whole runs."""
    from volunteer_standard.connectors.registry import get_connector
    from volunteer_standard.engine import RecordChecker, _rule_engine, read_checked
    from volunteer_standard.io.reader import RawRecord

    tick = time.process_time
    out: dict[str, float] = {}
    # The stages hold every record in memory between them: without this, the collector's
    # full passes over them would be counted against whichever stage triggers them.
    gc.disable()
    with tempfile.TemporaryDirectory(prefix="vstd-bench-split-") as tmp:
        source = Path(tmp) / "input.jsonl"
        make_input(source, records)
        _vstd("standard", "structure")(source, Path(tmp) / "warm.json")
        reader = get_connector("standard")(None)
        start = tick()
        items = [r for r in read_checked(reader, str(source), None) if not r.problems]
        out["read (io/reader + standard connector)"] = tick() - start
        checker, kept, issues = RecordChecker(), [], []
        start = tick()
        for item in items:
            raw = RawRecord(item.data, item.location)
            kind, obj = checker.check(raw, issues.append)
            kept.append((raw, kind, obj))
        out["structure (RecordChecker.check)"] = tick() - start
        rules = _rule_engine("national", str(source), issues.append)
        start = tick()
        for raw, kind, obj in kept:
            if obj is not None:
                rules.record(raw, kind, obj)
        out["per-record rules (national)"] = tick() - start
        objects = [obj for _, _, obj in kept if obj is not None]
        for to, target in (("standard", "w.json"), ("tabular", "w")):
            start = tick()
            writer = get_connector(to)(None).open_writer(str(Path(tmp) / target))
            for obj in objects:
                writer.write(obj)
            writer.close()
            out[f"writer alone ({to})"] = tick() - start
        for name in ("package-vstd-national", "flatcsv-vstd-national"):
            start = tick()
            PATHS[name](source, Path(tmp) / f"{name}-{_OUT[name.split('-')[0]]}")
            out[f"whole run {name}"] = tick() - start
    gc.enable()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    parser.add_argument("--split", action="store_true", help="CPU time of each stage instead")
    args = parser.parse_args()
    if args.split:
        for stage, seconds in split(args.records).items():
            print(f"{stage:<44} {seconds:>7.2f} s")
        return
    rates = measure(args.records, args.rounds, args.clock)
    print(
        f"records: {args.records:,} service records + references "
        f"(median of {args.rounds}, {args.clock} clock)"
    )
    print(f"{'path':<28} {'rec/s':>10} {'x floor':>8}")
    for name, rate in rates.items():
        floor = rates[f"{name.split('-')[0]}-floor"]
        print(f"{name:<28} {rate:>10,.0f} {rate / floor:>8.3f}")


if __name__ == "__main__":
    main()
