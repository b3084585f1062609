"""Validation throughput against the floor, as ratios measured in the same run.

The floor is what any pipeline must pay: ``orjson.loads`` of every JSON Lines line (plus a
dump back), no validation. ``vstd validate`` is reported as a multiple of the floor's time
(perf-baseline.md targets ≤ 4x for pydantic-based structural validation).

    .venv/bin/python bench/validate_throughput.py --records 200000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from volunteer_standard import validate
from volunteer_standard.io import JsonlWriter
from volunteer_standard.samples import SampleSpec, generate


def _make_input(path: Path, records: int) -> int:
    spec = SampleSpec(volunteers=max(50, records // 200), service_records=records, seed=7)
    with JsonlWriter(path) as out:
        for obj in generate(spec):
            out.write(obj)
        return out.count


def _floor(path: Path) -> None:
    with path.open("rb") as stream:
        for line in stream:
            orjson.dumps(orjson.loads(line))


def _validate(path: Path) -> None:
    report = validate(path)
    assert report.input_error is None


def _time(fn: Callable[[Path], None], path: Path, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.jsonl"
        count = _make_input(path, args.records)
        floor = _time(_floor, path, args.rounds)
        checked = _time(_validate, path, args.rounds)
    print(f"records: {count:,} (median of {args.rounds} rounds)")
    print(f"{'path':<40} {'rec/s':>10} {'x floor':>8}")
    print(f"{'orjson loads+dumps (floor)':<40} {count / floor:>10,.0f} {1.0:>8.2f}")
    print(
        f"{'vstd validate (structure, national)':<40} {count / checked:>10,.0f} "
        f"{checked / floor:>8.2f}"
    )


if __name__ == "__main__":
    main()
