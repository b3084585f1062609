"""The benchmark suite of issue 13: every case, side by side, in one run.

For each size N it generates a seeded dataset (N service records and the volunteers,
organisations … they reference, with known-broken records mixed in; a GB18030 regional CSV
of about N rows; an XLSX workbook), runs every measured path once per round in a fresh
child process, and prints records/s, peak RSS and ratios to the floors and to the reference
validators measured in the same run. It then checks that vstd's structure profile,
jsonschema-rs, Python jsonschema and ajv give the same verdict on every record of a
subsample, and ends with a table of every target of issue 13, met or NOT met.

Exit code: 1 when any two validators disagree on a record (or, with --strict, when a target
is not met), 0 otherwise. Peak RSS is each child's own ``ru_maxrss`` from ``os.wait4``:
``getrusage(RUSAGE_CHILDREN)`` would give the largest child so far, not this one. The
parent imports only the standard library, so that it stays small (a forked child starts
from the parent's RSS).

    .venv/bin/python bench/run.py                         # quick: N=20k, every case
    .venv/bin/python bench/run.py --sizes 100k,1m,5m --only validate,references
    .venv/bin/python bench/run.py --sizes 200k --json results.json && \\
        .venv/bin/python bench/plot.py results.json       # SVG for the docs

Cases (--only): validate, jobs, references, verdicts, csv, xlsx, convert, startup, helpers
(the ``measure(n)`` of bench/convert.py, csv_mapping.py and xlsx.py when present: figures
on their own data, printed for comparison, not judged).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from suite import table, targets  # noqa: E402
from suite.data import XLSX_MAX_RECORDS  # noqa: E402
from suite.measures import HELPER_SCRIPTS  # noqa: E402

ROOT = HERE.parent
#: Measurements of each case, in the order they run.
CASES: dict[str, tuple[str, ...]] = {
    "validate": ("floor", "vstd-national", "vstd-structure"),
    "jobs": ("floor", "vstd-national", "vstd-jobs", "jsonschema-rs"),
    "references": ("floor", "jsonschema-rs", "ajv", "jsonschema-py"),
    "verdicts": (),
    "csv": ("csv-floor", "csv-vstd"),
    "xlsx": ("xlsx-openpyxl", "xlsx-calamine", "xlsx-vstd"),
    "convert": ("package-floor", "package-vstd", "flatcsv-floor", "flatcsv-vstd"),
    "startup": (),
    "helpers": (),
}
STARTUP_RUNS = 5


def parse_size(text: str) -> int:
    """``20k``, ``1.5M``, ``5m`` or a plain number."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor != 1 else text
    return int(float(number) * factor)


def measure(name: str, inputs: dict[str, str], tmp: Path) -> dict[str, Any]:
    """Run one measurement in a fresh child; add its peak RSS and records/s."""
    if name == "ajv":
        from suite.measures import ajv_command

        command = ajv_command(inputs["jsonl"], "rate")
        if isinstance(command, str):
            return {"unavailable": command}
    else:
        command = [sys.executable, str(Path(__file__).resolve()), "--child", name,
                   json.dumps(inputs), str(tmp)]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"measurement {name} failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["rss_mib"] = usage.ru_maxrss / 1024  # KiB on Linux
    if "seconds" in result and result.get("records"):
        result["rps"] = result["records"] / result["seconds"]
    return result


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median time and largest peak RSS over the rounds."""
    if "unavailable" in runs[0]:
        return runs[0]
    merged = dict(runs[0])
    merged["seconds"] = statistics.median(r["seconds"] for r in runs)
    merged["rps"] = merged["records"] / merged["seconds"]
    merged["rss_mib"] = max(r["rss_mib"] for r in runs)
    merged["rounds"] = len(runs)
    return merged


def prepare(size: int, cases: list[str], folder: Path, args: argparse.Namespace) -> dict[str, str]:
    """Generate (in a child) what the selected cases need at this size; reuse --inputs."""
    wanted = {m for case in cases for m in CASES[case]}
    needs_jsonl = bool(wanted) or "verdicts" in cases or "helpers" in cases
    inputs = {"records": str(size), "seed": str(args.seed), "subsample": str(args.subsample)}
    inputs["jsonl"] = str(folder / f"records-{size}-seed{args.seed}.jsonl")
    if wanted & set(CASES["csv"]):
        inputs["regional"] = str(folder / f"regional-{size}-seed{args.seed}")
    if wanted & set(CASES["xlsx"]):
        if size > XLSX_MAX_RECORDS:
            inputs["xlsx_skipped"] = f"N > {XLSX_MAX_RECORDS:,}: beyond an XLSX sheet"
        else:
            inputs["xlsx"] = str(folder / f"flat-{size}-seed{args.seed}.xlsx")
    for key in ("jsonl", "regional", "xlsx"):
        if key in inputs:
            path = Path(inputs[key])
            inputs[f"warm_{key}"] = str(path.with_name(f"warm-{path.name}"))
    ready = {"jsonl": Path(inputs["jsonl"]), "xlsx": Path(inputs.get("xlsx", "-")),
             "regional": Path(inputs.get("regional", "-")) / "service_hours.csv"}  # fmt: skip
    make = [k for k in ("jsonl", "regional", "xlsx") if k in inputs and not ready[k].exists()]
    if not needs_jsonl and "jsonl" in make:
        make.remove("jsonl")
    start = time.perf_counter()
    made = measure("generate", {**inputs, "make": ",".join(make)}, folder)
    made.pop("rss_mib", None)
    seconds = time.perf_counter() - start
    print(f"# N={size:,}: inputs ready in {seconds:.0f} s {json.dumps(made)}", flush=True)
    return inputs


SizeResults = tuple[dict[str, dict[str, Any]], dict[str, Any] | None, dict[str, Any]]


def run_size(size: int, cases: list[str], folder: Path, args: argparse.Namespace) -> SizeResults:
    """Every path of the cases at one size: results, the verdict check, helper figures."""
    inputs = prepare(size, cases, folder, args)
    names = list(dict.fromkeys(m for case in cases for m in CASES[case]))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="vstd-bench-", dir=folder) as scratch:
        for _round in range(args.rounds):
            for name in names:
                tmp = Path(tempfile.mkdtemp(dir=scratch))
                runs[name].append(measure(name, inputs, tmp))
        verdicts = None
        if "verdicts" in cases:
            verdicts = measure("verdicts", inputs, Path(tempfile.mkdtemp(dir=scratch)))
        helpers = {}
        if "helpers" in cases:
            for name in HELPER_SCRIPTS:
                helpers[name] = measure(name, inputs, Path(tempfile.mkdtemp(dir=scratch)))
    return {name: _merge(items) for name, items in runs.items()}, verdicts, helpers


def startup(folder: Path) -> dict[str, Any]:
    """Wall time of ``vstd --help`` and ``vstd validate`` on a 20-line file, whole process;
    also its CPU time (user + system), steadier than wall time on a shared machine."""
    vstd = Path(sys.executable).with_name("vstd")
    small = folder / "small.jsonl"
    lines = (ROOT / "examples" / "sample.jsonl").read_bytes().splitlines(keepends=True)
    small.write_bytes(b"".join(lines[:20]))
    out: dict[str, Any] = {}
    for key, command in (("help", [str(vstd), "--help"]),
                         ("validate", [str(vstd), "validate", str(small)])):  # fmt: skip
        times, cpu = [], []
        for _ in range(STARTUP_RUNS):
            start = time.perf_counter()
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, _status, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            cpu.append(usage.ru_utime + usage.ru_stime)
        shown = " ".join(["vstd", *command[1:2], "small.jsonl"][: len(command)])
        out[key] = {"command": shown, "runs": times, "median": statistics.median(times),
                    "cpu_median": statistics.median(cpu)}  # fmt: skip
    return out


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in ("volunteer-standard", "pydantic", "orjson", "jsonschema", "jsonschema-rs",
                 "openpyxl", "python-calamine"):  # fmt: skip
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "node": node.stdout.strip() or None,
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20k", help="comma-separated, e.g. 10k,100k,5M")
    parser.add_argument("--only", help=f"comma-separated cases of: {', '.join(CASES)}")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each path (median)")
    parser.add_argument("--subsample", type=int, default=2000,
                        help="records for Python jsonschema and the verdict check")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--inputs", help="keep generated inputs here and reuse them")
    parser.add_argument("--json", help="write every figure to this JSON file (bench/plot.py)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is NOT met")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        from suite.measures import run_child

        name, inputs, tmp = args.child
        print(json.dumps(run_child(name, json.loads(inputs), Path(tmp))))
        return 0
    cases = list(CASES) if not args.only else [c.strip() for c in args.only.split(",")]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; choose from {', '.join(CASES)}")
    sizes = sorted(parse_size(s) for s in args.sizes.split(",") if s.strip())
    info = machine()
    print(f"# {info['date']} | {info['cpu']} x{info['cores']} | Python {info['python']} | "
          f"node {info['node']} | cases: {', '.join(cases)}", flush=True)  # fmt: skip
    results: dict[int, dict[str, dict[str, Any]]] = {}
    verdicts: dict[int, dict[str, Any]] = {}
    helpers: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="vstd-bench-") as tmp:
        folder = Path(args.inputs) if args.inputs else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes if any(case != "startup" for case in cases) else []:
            results[size], found, helpers[size] = run_size(size, cases, folder, args)
            if results[size]:
                print("\n".join(table.size_table(size, results[size])))
            if found is not None:
                verdicts[size] = found
            if found is not None:
                print("\n".join(table.verdict_lines(size, found)), flush=True)
            if helpers[size]:
                print("\n".join(table.helper_lines(size, helpers[size])), flush=True)
        started = startup(Path(tmp)) if "startup" in cases else {}
    if started:
        print("\n".join(table.startup_lines(started)))
    rows = targets.evaluate(results, verdicts, started)
    print("\n".join(table.target_lines(rows)))
    differ = sum(v["difference_count"] for v in verdicts.values())
    if args.json:
        document = {"machine": info, "sizes": sizes, "cases": cases, "rounds": args.rounds,
                    "results": {str(k): v for k, v in results.items()},
                    "verdicts": {str(k): v for k, v in verdicts.items()},
                    "helpers": {str(k): v for k, v in helpers.items() if v},
                    "startup": started, "targets": rows}  # fmt: skip
        Path(args.json).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    if differ:
        print(f"\nFAILED: validators disagree on {differ} records (listed above)")
        return 1
    if args.strict and any(r["verdict"] != targets.MET for r in rows):
        print("\nFAILED (--strict): some targets are not met")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
