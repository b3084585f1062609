"""Mapping-driven CSV → standard JSON Lines against the csv + orjson floor, in one run.

The input is the synthetic regional export of ``examples/regional`` (GB18030, Chinese
headers, labels instead of codes, dates as ``2024/3/9 08:00``, minutes, four broken rows)
made at the chosen size: a few teams, ``rows // 100`` volunteers and service records for
the rest. Cases, each as rows per second:

* ``floor``: ``csv.reader`` over the decoded files and ``orjson.dumps`` of each row as a
  ``header → cell`` dict; no mapping, no validation.
* ``read``: the tabular connector alone (decode, mapping, translation, mojibake checks),
  records drained without validation: the part of the path this script is about.
* ``convert_structure``: ``vstd.convert`` with structural validation only.
* ``convert``: ``vstd.convert`` with the default profile (what the CLI runs).
* ``cli``: ``vstd convert --from tabular --from-config … --to standard out.jsonl``
  (``--cli``; includes the start-up).

    .venv/bin/python bench/csv_mapping.py --rows 200000 [--cli]

``measure(rows)`` returns the same figures for the benchmark suite.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from volunteer_standard import convert
from volunteer_standard.connectors.tabular.connector import TabularConfig, TabularConnector

_EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "regional"
_FILES = ("teams.csv", "volunteers.csv", "service_hours.csv")


def make_input(folder: Path, rows: int, seed: int = 2024) -> Path:
    """The regional export with about ``rows`` data rows, its mapping and connector config;
    returns the config path."""
    spec = importlib.util.spec_from_file_location("make_regional", _EXAMPLE / "make_regional.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    volunteers = max(30, rows // 100)
    source = folder / "export"
    module.make(source, seed=seed, volunteers=volunteers, records=max(80, rows - volunteers - 3))
    shutil.copy(_EXAMPLE / "mapping.yaml", source / "mapping.yaml")
    config = folder / "tabular.toml"
    config.write_text(f'mapping = "{(source / "mapping.yaml").as_posix()}"\n', encoding="utf-8")
    return config


def count_rows(source: Path) -> int:
    total = 0
    for name in _FILES:
        with (source / name).open("rb") as stream:
            total += sum(1 for _ in stream) - 1
    return total


def floor(source: Path, _config: Path, _out: Path) -> None:
    for name in _FILES:
        with (source / name).open(encoding="gb18030", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader)
            for row in reader:
                orjson.dumps(dict(zip(header, row, strict=False)))


def read_only(source: Path, config: Path, _out: Path) -> None:
    connector = TabularConnector(TabularConfig(mapping=str(config.parent / "export/mapping.yaml")))
    for _record in connector.read(str(source)):
        pass


def _convert(profile: str | None) -> Callable[[Path, Path, Path], None]:
    def run(source: Path, config: Path, out: Path) -> None:
        convert(
            str(source),
            str(out),
            source_connector="tabular",
            source_config=config,
            target_connector="standard",
            **({} if profile is None else {"profile": profile}),
        )

    return run


def cli(source: Path, config: Path, out: Path) -> None:
    vstd = Path(sys.executable).with_name("vstd")
    subprocess.run(
        [str(vstd), "convert", "--from", "tabular", "--from-config", str(config),
         "--to", "standard", str(source), str(out)],
        check=False, capture_output=True,
    )  # fmt: skip


CASES: dict[str, Callable[[Path, Path, Path], None]] = {
    "floor": floor,
    "read": read_only,
    "convert_structure": _convert("structure"),
    "convert": _convert(None),
}


def measure(rows: int, *, with_cli: bool = False, rounds: int = 1) -> dict[str, float]:
    """Rows per second of each case (best of ``rounds``) on one generated export."""
    cases = dict(CASES, cli=cli) if with_cli else CASES
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = make_input(folder, rows)
        source = folder / "export"
        total = count_rows(source)
        result: dict[str, float] = {}
        for name, run in cases.items():
            best = float("inf")
            for index in range(rounds):
                out = folder / f"{name}-{index}.jsonl"
                start = time.perf_counter()
                run(source, config, out)
                best = min(best, time.perf_counter() - start)
                for produced in (out, Path(f"{out}.rejects.jsonl")):
                    produced.unlink(missing_ok=True)
            result[name] = total / best
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cli", action="store_true", help="also time the vstd command")
    args = parser.parse_args()
    result = measure(args.rows, with_cli=args.cli, rounds=args.rounds)
    base = result["floor"]
    print(f"rows: ~{args.rows:,} (GB18030 regional export; best of {args.rounds})")
    print(f"{'case':<20} {'rows/s':>10} {'x floor':>8}")
    for name, rate in result.items():
        print(f"{name:<20} {rate:>10,.0f} {rate / base:>8.3f}")
    print(f"target: convert >= 0.30x floor -> {'met' if result['convert'] >= 0.3 * base else 'NOT met'}")


if __name__ == "__main__":
    main()
