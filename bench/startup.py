"""Start-up time of the command line, against the bare interpreter measured in the same run.

Issue 13 asks that ``vstd --help`` and ``vstd validate`` of a small file start in 0.3 s or
less. Each command runs ``--runs`` times as a fresh process; the median wall time is printed
with its ratio to ``python -c pass`` (the floor no command can go under), the verdict
against the 0.3 s target and, with ``--baseline REV``, the ratio to the package as it was
at that git revision, run alternately with it. ``--importtime`` adds the slowest imports
of ``vstd --help`` (``python -X importtime``), which is where start-up time goes.

    .venv/bin/python bench/startup.py --runs 10 --baseline main --importtime
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.3
_VSTD = [sys.executable, "-m", "volunteer_standard"]


def _small_jsonl(folder: Path, records: int = 20) -> Path:
    """The first ``records`` lines of the bundled sample: a small, valid JSON Lines file."""
    lines = (ROOT / "examples" / "sample.jsonl").read_bytes().splitlines(keepends=True)
    path = folder / "small.jsonl"
    path.write_bytes(b"".join(lines[:records]))
    return path


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _medians(argv: list[str], runs: int, folders: list[Path]) -> list[tuple[float, float]]:
    """Median wall time and median CPU time (user + system) of ``runs`` fresh processes,
    for each folder the command runs in (alternately, so that both meet the same load).

    CPU time is what the process itself spends: on a shared, loaded machine it moves far
    less than the wall time, which includes waiting for a core."""
    env = {**os.environ, "NO_COLOR": "1", "VSTD_LANG": "en"}
    walls: list[list[float]] = [[] for _ in folders]
    cpus: list[list[float]] = [[] for _ in folders]
    for _ in range(runs):
        for index, folder in enumerate(folders):
            cpu = _cpu()
            start = time.perf_counter()
            subprocess.run(argv, cwd=folder, env=env, capture_output=True, check=False)
            walls[index].append(time.perf_counter() - start)
            cpus[index].append(_cpu() - cpu)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def _slowest_imports(argv: list[str], top: int) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the slowest top-level imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if not name[1:].startswith(" "):  # nested imports are indented
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:top]


def _extract(rev: str, folder: Path) -> Path:
    """The package as it is at git revision ``rev``, to run as the baseline."""
    folder.mkdir()
    archive = subprocess.run(
        ["git", "archive", rev, "volunteer_standard"], cwd=ROOT, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--baseline", metavar="REV", help="Also time the package at this git revision."
    )
    parser.add_argument("--importtime", action="store_true", help="List the slowest imports.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = _small_jsonl(Path(tmp))
        sample = str(ROOT / "examples" / "sample.json")
        cases = {
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
            "vstd --version": [*_VSTD, "--version"],
            "vstd --help": [*_VSTD, "--help"],
            "vstd validate --help": [*_VSTD, "validate", "--help"],
            "vstd validate examples/sample.json": [*_VSTD, "validate", sample],
            "vstd validate small.jsonl (20 records)": [*_VSTD, "validate", str(small)],
        }
        # ``python -m`` puts the working directory first on sys.path: the baseline's copy
        # of the package is found by running from the folder it was extracted to.
        base = _extract(args.baseline, Path(tmp) / "base") if args.baseline else None
        floor = None
        print(f"median of {args.runs} runs; the target (≤ {TARGET} s) is checked on wall time")
        head = f"{'command':<42} {'wall s':>7} {'x floor':>8} {'cpu s':>7} {'x floor':>8}"
        print(head + (f" {'base wall':>9} {'new/base':>8}" if base else ""))
        for label, argv in cases.items():
            folders = [ROOT] if base is None or "floor" in label else [ROOT, base]
            (wall, cpu), *baseline = _medians(argv, args.runs, folders)
            floor = floor or (wall, cpu)
            verdict = "" if "floor" in label else "met" if wall <= TARGET else "NOT met"
            row = f"{label:<42} {wall:>7.3f} {wall / floor[0]:>8.1f} {cpu:>7.3f}"
            row += f" {cpu / floor[1]:>8.1f}"
            if baseline:
                row += f" {baseline[0][0]:>9.3f} {wall / baseline[0][0]:>8.2f}"
            print(f"{row}  {verdict}")
        if args.importtime:
            print("\nslowest imports of 'vstd --help' (cumulative µs, python -X importtime):")
            for micros, name in _slowest_imports([*_VSTD, "--help"], 12):
                print(f"{micros:>10,}  {name}")


if __name__ == "__main__":
    main()
