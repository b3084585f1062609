"""``validate --jobs`` and ``convert --jobs``: N processes against one, in the same run.

Each round validates (or converts to JSON Lines) the same generated JSON Lines file with
``jobs=1`` and with each requested number of processes, alternating so that load from
elsewhere on the machine falls on all alike. Prints records/s, the ratio to one process
(median of the rounds) and CPU seconds (this process, and its workers), and checks that
every run's report (or output bytes and summary) is identical to the single-process one.

    .venv/bin/python bench/validate_parallel.py --records 200000 --jobs 2
    .venv/bin/python bench/validate_parallel.py --records 200000 --jobs 2 --task convert
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from volunteer_standard import validate
from volunteer_standard.engine import convert
from volunteer_standard.io import JsonlWriter
from volunteer_standard.samples import SampleSpec, generate

TODAY = date(2025, 6, 30)
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=timezone(timedelta(hours=8)))


def _make_input(path: Path, records: int) -> int:
    spec = SampleSpec(volunteers=max(50, records // 200), service_records=records, seed=7)
    with JsonlWriter(path) as out:
        for obj in generate(spec):
            out.write(obj)
        return out.count


def _once(path: Path, jobs: int, args: argparse.Namespace) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds of this process, of its workers, and what was produced."""
    before, start = os.times(), time.perf_counter()
    if args.task == "convert":
        target = path.with_name(f"out-{jobs}.jsonl")
        summary = convert(str(path), str(target), jobs=jobs, profile=args.profile)
        done = summary.to_dict()
        done.pop("rejects_path", None)
        done.pop("rejects", None)
        result = json.dumps(done, sort_keys=True) + hashlib.sha256(target.read_bytes()).hexdigest()
        target.unlink()
    else:
        report = validate(path, jobs=jobs, profile=args.profile, today=TODAY, now=NOW)
        assert report.input_error is None, report.input_error
        result = json.dumps(report.to_dict(), sort_keys=True)
    wall, after = time.perf_counter() - start, os.times()
    main_cpu = after.user + after.system - before.user - before.system
    workers = (
        after.children_user + after.children_system - before.children_user - before.children_system
    )
    return wall, main_cpu, workers, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--profile", default="national")
    parser.add_argument("--input", type=Path, help="Use this JSON Lines file instead.")
    parser.add_argument("--task", choices=("validate", "convert"), default="validate")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.jsonl"  # outputs of convert go beside it
        if args.input is not None:
            path.symlink_to(args.input.resolve())
        count = _make_input(path, args.records) if args.input is None else 0
        plans = [1, *args.jobs]
        times: dict[int, list[tuple[float, float, float]]] = {j: [] for j in plans}
        reference = None
        for _ in range(args.rounds):
            for jobs in plans:
                wall, main_cpu, workers, report = _once(path, jobs, args)
                times[jobs].append((wall, main_cpu, workers))
                reference = reference or report
                if report != reference:
                    raise SystemExit(f"jobs={jobs}: the result differs from jobs=1")
        if not count:
            with path.open("rb") as lines:
                count = sum(1 for line in lines if line.strip())
    base = statistics.median(t[0] for t in times[1])
    print(f"{args.task}: {count:,} records, profile {args.profile}, median of {args.rounds} rounds")
    print(f"{'jobs':>4} {'rec/s':>10} {'x jobs=1':>9} {'cpu main s':>11} {'cpu workers s':>14}")
    for jobs in plans:
        wall = statistics.median(t[0] for t in times[jobs])
        main_cpu = statistics.median(t[1] for t in times[jobs])
        workers = statistics.median(t[2] for t in times[jobs])
        print(
            f"{jobs:>4} {count / wall:>10,.0f} {base / wall:>9.2f} {main_cpu:>11.2f} "
            f"{workers:>14.2f}"
        )
    print("results identical to jobs=1: yes")


if __name__ == "__main__":
    main()
