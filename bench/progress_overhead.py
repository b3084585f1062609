"""What the progress callback costs ``validate()``: the same input validated with and without
``on_progress``, alternately in the same run, as a ratio of the median times.

The callback is called every thousand records (``volunteer_standard.validation.progress``);
the ratio should be 1.00 within the noise. ``--display`` also draws the rich progress line
of ``vstd validate`` (to a string, as on a terminal) to include its cost.

    .venv/bin/python bench/progress_overhead.py --records 50000 --rounds 3 --display
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from volunteer_standard import validate
from volunteer_standard.io import JsonlWriter
from volunteer_standard.samples import SampleSpec, generate


def _make_input(path: Path, records: int) -> int:
    spec = SampleSpec(volunteers=max(50, records // 200), service_records=records, seed=7)
    with JsonlWriter(path) as out:
        for obj in generate(spec):
            out.write(obj)
        return out.count


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--display", action="store_true", help="Draw the rich line too.")
    args = parser.parse_args()
    calls = 0

    def count(records: int, bytes_read: int | None) -> None:
        nonlocal calls
        calls += 1

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.jsonl"
        total = _make_input(path, args.records)
        plain: list[float] = []
        tracked: list[float] = []
        for _ in range(args.rounds):
            plain.append(_timed(lambda: validate(path)))
            if args.display:
                from rich.console import Console

                from volunteer_standard.commands._progress import live_progress

                console = Console(file=io.StringIO(), force_terminal=True, width=160)
                with live_progress("en", path.stat().st_size, console=console) as line:

                    def show(records: int, read: int | None) -> None:
                        count(records, read)
                        line.update({"records": records, "issues": 0}, records, read)

                    tracked.append(_timed(lambda: validate(path, on_progress=show)))
            else:
                tracked.append(_timed(lambda: validate(path, on_progress=count)))
    base, with_progress = statistics.median(plain), statistics.median(tracked)
    label = "on_progress + rich line" if args.display else "on_progress (counting)"
    print(f"records: {total:,}; median of {args.rounds} rounds, alternated")
    print(f"{'validate()':<32} {total / base:>10,.0f} rec/s  1.00")
    print(f"{label:<32} {total / with_progress:>10,.0f} rec/s  {with_progress / base:.2f}")
    print(f"callback calls: {calls // args.rounds} per run")


if __name__ == "__main__":
    main()
