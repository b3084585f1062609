"""Start-up time of the command line, against the bare interpreter measured in the same run.

Issue 13 asks that ``vstd --help`` and ``vstd validate`` of a small file start in 0.3 s or
less. Each command runs ``--runs`` times as a fresh process; the median wall time is printed
with its ratio to ``python -c pass`` (the floor no command can go under), the verdict
against the 0.3 s target and, with ``--baseline REV``, the ratio to the package as it was
at that git revision, run alternately with it. ``--importtime`` adds the slowest imports
of ``vstd --help`` (``python -X importtime``), which is where start-up time goes.
``--callgrind`` adds each command's instruction count (``valgrind --tool=callgrind``, one
run each): unlike times, it does not move with the load of a shared machine.

Every command runs with its bytecode cached, as an installed package runs (pip compiles
it): the caches go to a temporary ``PYTHONPYCACHEPREFIX``, filled by one untimed run of
each command, and ``PYTHONDONTWRITEBYTECODE`` is ignored (with it, each run would compile
the package from source and time that).

    .venv/bin/python bench/startup.py --runs 10 --baseline main --importtime --callgrind
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
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


def _env(extra: dict[str, str], cache: Path) -> dict[str, str]:
    """The commands' environment: plain English output, bytecode cached under ``cache``."""
    env = {**os.environ, "NO_COLOR": "1", "VSTD_LANG": "en", **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _medians(
    argv: list[str], runs: int, folders: list[Path], env: dict[str, str]
) -> list[tuple[float, float]]:
    """Median wall time and median CPU time (user + system) of ``runs`` fresh processes,
    for each folder the command runs in (alternately, so that both meet the same load),
    after one untimed run in each (which fills the bytecode cache).

    CPU time is what the process itself spends: on a shared, loaded machine it moves far
    less than the wall time, which includes waiting for a core."""
    for folder in folders:
        subprocess.run(argv, cwd=folder, env=env, capture_output=True, check=False)
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


def _instructions(argv: list[str], folder: Path, env: dict[str, str]) -> float | None:
    """Millions of instructions the command executes (callgrind), ``None`` without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) / 1e6 if found else None


def _slowest_imports(argv: list[str], top: int, env: dict[str, str]) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the slowest top-level imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv[1:]],
        cwd=ROOT,
        env=env,
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
    parser.add_argument(
        "--callgrind", action="store_true", help="Also count instructions (valgrind)."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = _small_jsonl(Path(tmp))
        cache = Path(tmp) / "pycache"
        sample = str(ROOT / "examples" / "sample.json")
        cases = {
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
            "vstd --version": [*_VSTD, "--version"],
            "vstd --help": [*_VSTD, "--help"],
            "vstd validate --help": [*_VSTD, "validate", "--help"],
            "vstd validate examples/sample.json": [*_VSTD, "validate", sample],
            "vstd validate small.jsonl (20 records)": [*_VSTD, "validate", str(small)],
            "  the same, no installed plugins": [*_VSTD, "validate", str(small)],
        }
        no_plugins = {"VSTD_LOAD_PLUGINS": ""}  # the core alone: plugins' imports are theirs
        # ``python -m`` puts the working directory first on sys.path: the baseline's copy
        # of the package is found by running from the folder it was extracted to.
        base = _extract(args.baseline, Path(tmp) / "base") if args.baseline else None
        floor = None
        print(f"median of {args.runs} runs; the target (≤ {TARGET} s) is checked on wall time")
        head = f"{'command':<42} {'wall s':>7} {'x floor':>8} {'cpu s':>7} {'x floor':>8}"
        if base is not None:
            head += f" {'base wall':>9} {'new/base':>8} {'base cpu':>8} {'new/base':>8}"
        if args.callgrind:
            head += f" {'instr M':>8}" + (f" {'base M':>8} {'new/base':>8}" if base else "")
        print(head)
        for label, argv in cases.items():
            folders = [ROOT] if base is None or "floor" in label else [ROOT, base]
            env = _env(no_plugins if "no installed plugins" in label else {}, cache)
            (wall, cpu), *baseline = _medians(argv, args.runs, folders, env)
            floor = floor or (wall, cpu)
            verdict = "" if "floor" in label else "met" if wall <= TARGET else "NOT met"
            row = f"{label:<42} {wall:>7.3f} {wall / floor[0]:>8.1f} {cpu:>7.3f}"
            row += f" {cpu / floor[1]:>8.1f}"
            if baseline:
                (base_wall, base_cpu), *_ = baseline
                row += f" {base_wall:>9.3f} {wall / base_wall:>8.2f}"
                row += f" {base_cpu:>8.3f} {cpu / base_cpu:>8.2f}"
            if args.callgrind:
                counts = [_instructions(argv, folder, env) for folder in folders]
                row += "".join(f" {c:>8.0f}" if c is not None else f" {'-':>8}" for c in counts)
                mine, theirs = counts[0], counts[-1]
                if len(counts) == 2 and mine is not None and theirs is not None:
                    row += f" {mine / theirs:>8.2f}"
            print(f"{row}  {verdict}")
        if args.importtime:
            print("\nslowest imports of 'vstd --help' (cumulative µs, python -X importtime):")
            for micros, name in _slowest_imports([*_VSTD, "--help"], 12, _env({}, cache)):
                print(f"{micros:>10,}  {name}")


if __name__ == "__main__":
    main()
