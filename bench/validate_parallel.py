"""``validate --jobs``: throughput of N processes against one, measured in the same run.

Each round validates the same generated JSON Lines file with ``jobs=1`` and with each
requested number of processes, alternating so that load from elsewhere on the machine
falls on both alike. Prints records/s, the ratio to one process (median of the rounds),
and CPU seconds (this process and its workers), and checks that every run's report is
identical to the single-process one.

    .venv/bin/python bench/validate_parallel.py --records 200000 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from volunteer_standard import validate
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


def _once(path: Path, jobs: int, profile: str) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds of this process, of its workers, and the report."""
    before, start = os.times(), time.perf_counter()
    report = validate(path, jobs=jobs, profile=profile, today=TODAY, now=NOW)
    wall, after = time.perf_counter() - start, os.times()
    assert report.input_error is None, report.input_error
    main_cpu = after.user + after.system - before.user - before.system
    workers = (
        after.children_user + after.children_system - before.children_user - before.children_system
    )
    return wall, main_cpu, workers, json.dumps(report.to_dict(), sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--profile", default="national")
    parser.add_argument("--input", type=Path, help="Use this JSON Lines file instead.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.input or Path(tmp) / "input.jsonl"
        count = _make_input(path, args.records) if args.input is None else 0
        plans = [1, *args.jobs]
        times: dict[int, list[tuple[float, float, float]]] = {j: [] for j in plans}
        reference = None
        for _ in range(args.rounds):
            for jobs in plans:
                wall, main_cpu, workers, report = _once(path, jobs, args.profile)
                times[jobs].append((wall, main_cpu, workers))
                reference = reference or report
                if report != reference:
                    raise SystemExit(f"jobs={jobs}: the report differs from jobs=1")
        count = count or json.loads(reference or "{}").get("records", 0)
    base = statistics.median(t[0] for t in times[1])
    print(f"records: {count:,}, profile {args.profile}, median of {args.rounds} rounds")
    print(f"{'jobs':>4} {'rec/s':>10} {'x jobs=1':>9} {'cpu main s':>11} {'cpu workers s':>14}")
    for jobs in plans:
        wall = statistics.median(t[0] for t in times[jobs])
        main_cpu = statistics.median(t[1] for t in times[jobs])
        workers = statistics.median(t[2] for t in times[jobs])
        print(
            f"{jobs:>4} {count / wall:>10,.0f} {base / wall:>9.2f} {main_cpu:>11.2f} "
            f"{workers:>14.2f}"
        )
    print("reports identical: yes")


if __name__ == "__main__":
    main()
