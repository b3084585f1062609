"""``--engine dask``: validate (or convert) on a local Dask cluster against one process.

Starts one ``distributed.LocalCluster`` (its start-up is timed apart: a real cluster is
already running), then validates the same generated JSON Lines file in one process, with
``jobs=N`` local processes and on the cluster, alternating so that load from elsewhere on
the machine falls on all alike. Prints records/s and the ratio to one process (median of
the rounds) and the CPU time of this (the client's) process, and checks that every run's
report and issues (for convert: output bytes and summary; a partitioned run's parts
concatenated) are identical.

    .venv/bin/python bench/validate_dask.py --records 100000 --workers 2
    .venv/bin/python bench/validate_dask.py --records 100000 --workers 2 --task convert
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from volunteer_standard import validate
from volunteer_standard.engine import convert
from volunteer_standard.io import JsonlWriter
from volunteer_standard.samples import SampleSpec, generate
from volunteer_standard.validation.parallel.dask_engine import DaskCluster

TODAY = date(2025, 6, 30)
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=timezone(timedelta(hours=8)))


def _make_input(path: Path, records: int) -> int:
    spec = SampleSpec(volunteers=max(50, records // 200), service_records=records, seed=7)
    with JsonlWriter(path) as out:
        for obj in generate(spec):
            out.write(obj)
        return out.count


def _converted(path: Path, profile: str, **options: Any) -> tuple[float, float, str]:
    """Wall and client CPU seconds, and what must be identical: the output bytes (the parts
    concatenated, for a partitioned run) and the summary's counts."""
    partitioned = options.get("partitioned", False)
    target = path.with_name("out" if partitioned else "out.jsonl")
    start, cpu = time.perf_counter(), time.process_time()
    summary = convert(str(path), str(target), profile=profile, **options).to_dict()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    for key in ("rejects", "output", "manifest", "partitions"):
        summary.pop(key, None)
    digest = hashlib.sha256()
    if partitioned:
        for part in sorted(target.glob("part-*.jsonl")):
            digest.update(part.read_bytes())
        shutil.rmtree(target)
    else:
        digest.update(target.read_bytes())
        target.unlink()
    return wall, cpu, json.dumps(summary, sort_keys=True) + digest.hexdigest()


def _once(path: Path, profile: str, **options: Any) -> tuple[float, float, str]:
    issues: list[str] = []
    start, cpu = time.perf_counter(), time.process_time()
    report = validate(
        path,
        profile=profile,
        today=TODAY,
        now=NOW,
        on_issue=lambda i: issues.append(json.dumps(i.to_dict())),
        **options,
    )
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.input_error is None, report.input_error
    return wall, cpu, json.dumps(report.to_dict(), sort_keys=True) + "\n".join(issues)


def main() -> None:
    import distributed

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", default="national")
    parser.add_argument("--task", choices=("validate", "convert"), default="validate")
    args = parser.parse_args()
    run = _converted if args.task == "convert" else _once
    started = time.perf_counter()
    with (
        distributed.LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
        tempfile.TemporaryDirectory() as tmp,
    ):
        startup = time.perf_counter() - started
        path = Path(tmp) / "input.jsonl"
        count = _make_input(path, args.records)
        plans: dict[str, dict[str, Any]] = {
            "one process": {},
            f"jobs={args.workers}": {"jobs": args.workers},
            f"dask x{args.workers}": {"cluster": DaskCluster(client)},
        }
        if args.task == "convert":
            plans[f"dask x{args.workers} parts"] = {
                "cluster": DaskCluster(client),
                "partitioned": True,
            }
        times: dict[str, list[float]] = {name: [] for name in plans}
        cpus: dict[str, list[float]] = {name: [] for name in plans}
        reference = None
        for _ in range(args.rounds):
            for name, options in plans.items():
                wall, cpu, outcome = run(path, args.profile, **options)
                times[name].append(wall)
                cpus[name].append(cpu)
                reference = reference or outcome
                if outcome != reference:
                    raise SystemExit(f"{name}: the report or the issues differ from one process")
    base = statistics.median(times["one process"])
    print(f"{args.task}: {count:,} records, profile {args.profile}, median of {args.rounds} rounds")
    print(f"local cluster start-up (not counted): {startup:.1f} s")
    print(f"{'run':>20} {'rec/s':>10} {'x one':>7} {'client CPU s':>13}")
    for name in plans:
        wall = statistics.median(times[name])
        cpu = statistics.median(cpus[name])
        print(f"{name:>20} {count / wall:>10,.0f} {base / wall:>7.2f} {cpu:>13.2f}")
    print("results identical to one process: yes")


if __name__ == "__main__":
    main()
