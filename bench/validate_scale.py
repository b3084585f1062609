"""Validation at scale: memory stays flat and throughput holds as the input grows.

For each size N this writes a synthetic JSON Lines dataset of N service records (plus the
volunteers, organisations, projects, certificates … that they reference; generated on the
fly by ``volunteer_standard.samples``), then runs, each in a fresh child process:

* ``floor``     — ``orjson.loads`` of every line, nothing else: what any pipeline pays;
* ``structure`` — ``validate(profile="structure")``: the JSON Schema checks only;
* ``<profile>`` — ``validate(profile=...)`` (default national): identifiers, business rules
  and the cross-record checks, whose state is spilled to SQLite in a temporary directory.

Peak RSS is the child's ``ru_maxrss`` (from ``os.wait4``), so each figure is one process.
Linux keeps ``ru_maxrss`` across ``exec``, so a child's figure can never be below the RSS of
the parent that forked it: the parent therefore stays small (stdlib only; the data are
generated in a child too), about 10 MiB.
Results are printed as ratios against the floor measured in the same run, because absolute
records/s depend on the machine. Memory is flat when peak RSS barely moves from one size to
the next ten times larger.

    .venv/bin/python bench/validate_scale.py --sizes 50000,500000,5000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _generate(path: Path, records: int, seed: int) -> int:
    from volunteer_standard.io import JsonlWriter
    from volunteer_standard.samples import SampleSpec, generate

    spec = SampleSpec(
        volunteers=max(50, records // 200),
        organizations=max(5, records // 100_000),
        projects=max(10, records // 20_000),
        service_records=records,
        seed=seed,
    )
    with JsonlWriter(path) as out:
        for obj in generate(spec):
            out.write(obj)
        return out.count


def _child(mode: str, path: str) -> None:
    """Run one measurement in this (fresh) process and print a JSON line."""
    start = time.perf_counter()
    cpu = time.process_time()
    if mode == "floor":
        import orjson

        count = 0
        with open(path, "rb") as stream:
            for line in stream:
                orjson.loads(line)
                count += 1
        result: dict[str, Any] = {"records": count, "errors": 0, "warnings": 0}
    else:
        from volunteer_standard import validate

        report = validate(path, profile=mode, workdir=os.environ.get("VSTD_BENCH_WORKDIR"))
        result = {
            "records": report.records,
            "errors": report.errors,
            "warnings": report.warnings,
            "issues": dict(report.issues_by_code),
            "input_error": report.input_error,
        }
    result["seconds"] = time.perf_counter() - start
    result["cpu"] = time.process_time() - cpu
    print(json.dumps(result))


def _generate_in_child(path: Path, records: int, seed: int) -> int:
    done = subprocess.run(
        [sys.executable, __file__, "--generate", str(records), str(path), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


def _measure(mode: str, path: Path) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["rss_mib"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000,500000,5000000", help="comma-separated N")
    parser.add_argument("--profile", default="national", help="profile of the full run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", help="directory for the SQLite index (default: temp)")
    parser.add_argument(
        "--inputs",
        help="keep generated inputs in this directory and reuse them (generating 5M takes minutes)",
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--generate", nargs=3, metavar=("N", "PATH", "SEED"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if args.generate:
        n, path, seed = args.generate
        print(_generate(Path(path), int(n), int(seed)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    modes = ["floor", "structure", args.profile]
    rows: list[tuple[int, str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="vstd-bench-", dir=args.workdir) as tmp:
        os.environ["VSTD_BENCH_WORKDIR"] = tmp
        for n in sizes:
            folder = Path(args.inputs) if args.inputs else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"input-{n}-seed{args.seed}.jsonl"
            t0 = time.perf_counter()
            if not path.exists():
                partial = path.with_suffix(".part")
                _generate_in_child(partial, n, args.seed)
                partial.rename(path)
            size_mb = path.stat().st_size / 1e6
            print(
                f"# N={n:,}: {size_mb:,.0f} MB, ready in {time.perf_counter() - t0:,.0f} s",
                flush=True,
            )
            for mode in modes:
                result = _measure(mode, path)
                rows.append((n, mode, result))
                print(f"#   {mode}: {json.dumps(result, ensure_ascii=False)}", flush=True)
            if not args.inputs:
                path.unlink()
    _table(rows, modes, args.profile)


def _table(rows: list[tuple[int, str, dict[str, Any]]], modes: list[str], profile: str) -> None:
    floors = {n: r for n, m, r in rows if m == "floor"}
    first_rss = {m: r["rss_mib"] for n, m, r in rows if n == rows[0][0]}
    print()
    print(
        f"{'records':>10} {'run':<10} {'seconds':>8} {'rec/s':>9} {'x floor':>8} "
        f"{'peak RSS':>9} {'RSS/floor':>9} {'RSS vs N0':>9} {'errors':>7}"
    )
    for n, mode, r in rows:
        floor = floors[n]
        print(
            f"{r['records']:>10,} {mode:<10} {r['seconds']:>8.1f} "
            f"{r['records'] / r['seconds']:>9,.0f} {r['seconds'] / floor['seconds']:>8.2f} "
            f"{r['rss_mib']:>8.0f}M {r['rss_mib'] / floor['rss_mib']:>9.2f} "
            f"{r['rss_mib'] / first_rss[mode]:>9.2f} {r['errors']:>7}"
        )
    print(
        f"\n'x floor' = time / time of orjson.loads over the same file; 'RSS vs N0' = peak RSS "
        f"/ peak RSS of the same run at the smallest N (1.00 = flat). Profile: {profile}."
    )


if __name__ == "__main__":
    main()
