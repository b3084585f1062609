"""The benchmark suite (bench/run.py) keeps working: a tiny run end to end, the verdict
check failing when two validators disagree, and the target verdicts. Nothing is timed."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


def _load(name: str, path: Path) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run = _load("bench_run", BENCH / "run.py")
targets = _load("suite.targets", BENCH / "suite" / "targets.py")
verdicts = _load("suite.verdicts", BENCH / "suite" / "verdicts.py")


def _suite(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "500", "--subsample", "300",
         "--inputs", str(tmp_path / "inputs"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout


def test_tiny_run_measures_the_cases_and_prints_every_target(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    code, stdout = _suite(tmp_path, "--only", "validate,verdicts,convert", "--json", str(out))
    assert code == 0, stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    measured = document["results"]["500"]
    for name in ("floor", "vstd-national", "vstd-structure", "package-vstd", "flatcsv-vstd"):
        assert measured[name]["records"] > 500, name
        assert measured[name]["rps"] > 0 and measured[name]["rss_mib"] > 0, name
    check = document["verdicts"]["500"]
    assert check["difference_count"] == 0
    # broken records are mixed in, so every validator finds invalid ones in the subsample
    assert all(count > 5 for count in check["invalid"].values()), check["invalid"]
    listed = [row["target"] for row in document["targets"]]
    assert len(listed) == len(targets.evaluate({}, {}, {}))
    assert "Targets (issue 13)" in stdout
    assert "not measured at these sizes" in stdout  # memory flatness needs 100k and 5M


def test_a_validator_that_disagrees_fails_the_run(tmp_path: Path) -> None:
    code, stdout = _suite(
        tmp_path, "--only", "verdicts", env={"VSTD_BENCH_FAKE_VALIDATOR": "flip-first"}
    )
    assert code == 1
    assert "VERDICTS DIFFER on 1 records" in stdout
    assert "fake (test)=" in stdout and "FAILED: validators disagree" in stdout


def test_compare_lists_the_records_where_verdicts_differ() -> None:
    lines = [b'{"type": "volunteer", "id": "v1"}', b"not json", b'{"type": "project", "id": "p"}']
    same = {"a": [True, False, True], "b": [True, False, True]}
    invalid, differences = verdicts.compare(lines, same)
    assert invalid == {"a": 1, "b": 1} and differences == []
    fake = {**same, "fake": [True, True, False]}
    _invalid, differences = verdicts.compare(lines, fake)
    assert [(d["line"], d["type"], d["id"]) for d in differences] == [
        (2, None, None),
        (3, "project", "p"),
    ]
    assert differences[1]["valid"] == {"a": True, "b": True, "fake": False}


def _item(rps: float, rss: float = 50.0) -> dict[str, Any]:
    return {"records": 1000, "seconds": 1000 / rps, "rps": rps, "rss_mib": rss}


def _verdict(rows: list[dict[str, str]], prefix: str) -> dict[str, str]:
    return next(row for row in rows if row["target"].startswith(prefix))


def test_targets_are_judged_on_ratios_of_the_same_run() -> None:
    results = {
        100_000: {
            "floor": _item(400_000),
            "vstd-national": _item(100_000, 60),
            "vstd-structure": _item(100_000, 60),
            "vstd-jobs": {"unavailable": "not merged"},
        },
        5_000_000: {
            "floor": _item(400_000),
            "vstd-national": _item(79_000, 80),
            "vstd-structure": _item(130_000, 70),
        },
    }
    rows = targets.evaluate(results, {}, {"help": {"median": 0.25, "runs": [0.25]}})
    national = _verdict(rows, "validate, national")
    assert national["verdict"] == "NOT met" and "N=5,000,000" in national["figure"]
    assert _verdict(rows, "validate, structure")["verdict"] == "met"
    assert _verdict(rows, "validate --jobs (all")["verdict"] == "not available"
    assert _verdict(rows, "vstd --help")["verdict"] == "met"
    assert _verdict(rows, "vstd validate small")["verdict"] == "not measured"
    memory = _verdict(rows, "memory flat")
    assert memory["verdict"] == "NOT met" and "1.33x (vstd-national)" in memory["figure"]
    assert _verdict(rows, "XLSX peak")["figure"] == "not measured at these sizes"


@pytest.mark.parametrize(
    ("text", "size"), [("500", 500), ("20k", 20_000), ("1.5M", 1_500_000), ("5m", 5_000_000)]
)
def test_sizes_read_with_suffixes(text: str, size: int) -> None:
    assert run.parse_size(text) == size
