"""Cross-record rules give the issues recorded before they were made faster (issue 13),
in one process and with worker processes, however the work is cut.

The input (``golden/chaos.jsonl.gz``, made by ``tests/validation/chaos.py``) is dense in
every kind of cross-record problem; the expected issues were recorded with the earlier
code, so these tests prove that the faster queries, the index built from batch images and
the rules run in worker processes changed nothing, not even the order of the issues.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.validation.chaos import (
    GOLDEN_INPUT,
    GOLDEN_ISSUES,
    GOLDEN_TODAY,
    chaos_lines,
    issue_key,
)
from volunteer_standard.validation import Issue, validate
from volunteer_standard.validation.parallel import WorkerError, finish, lines, pool
from volunteer_standard.validation.rules import hours

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def golden_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chaos") / "chaos.jsonl"
    path.write_bytes(gzip.decompress((GOLDEN / GOLDEN_INPUT).read_bytes()))
    return path


@pytest.fixture(scope="module")
def expected() -> list[Any]:
    with gzip.open(GOLDEN / GOLDEN_ISSUES) as stream:
        return [orjson.loads(line) for line in stream]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of a few records, pools started at once, spools of a few issues a chunk."""
    monkeypatch.setattr(lines, "BATCH_BYTES", 4000)
    monkeypatch.setattr(pool, "MIN_BATCHES", 1)
    monkeypatch.setattr(finish, "CHUNK", 5)


def _keys(path: Path, jobs: int, **options: Any) -> list[Any]:
    found: list[Issue] = []
    validate(path, jobs=jobs, on_issue=found.append, today=GOLDEN_TODAY, **options)
    return [orjson.loads(orjson.dumps(issue_key(issue))) for issue in found]


@pytest.mark.parametrize("jobs", [1, 2, 3])
@pytest.mark.usefixtures("small_batches")
def test_issues_are_those_recorded(golden_input: Path, expected: list[Any], jobs: int) -> None:
    codes = {key[0] for key in expected}
    assert {"VR310", "VR401", "VR503", "VR505", "VR520", "VR601", "VR602", "VR605"} <= codes
    assert _keys(golden_input, jobs) == expected


def test_overlaps_of_many_records_pack_the_same(
    golden_input: Path, expected: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond 2**23 records the overlap check packs ends against the earliest actual one."""
    monkeypatch.setattr(hours, "_END_BITS", 62)
    assert _keys(golden_input, 1) == expected


@pytest.mark.usefixtures("small_batches")
def test_dense_problems_are_the_same_in_workers(tmp_path: Path) -> None:
    """A larger input of the same kind, with the reports (both languages) compared too."""
    path = tmp_path / "chaos.jsonl"
    path.write_bytes(chaos_lines(3, 900))
    runs = []
    for jobs in (1, 2):
        found: list[Issue] = []
        report = validate(path, jobs=jobs, on_issue=found.append, today=GOLDEN_TODAY)
        runs.append(([i.to_dict("en") for i in found], report.to_dict("en"), report.to_dict("zh")))
    assert runs[0] == runs[1]
    assert len(runs[0][0]) > 400


@pytest.mark.usefixtures("small_batches")
def test_a_dead_finishing_worker_is_an_error(
    golden_input: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(self: finish.Finisher, position: int) -> Any:
        os._exit(3)

    monkeypatch.setattr(pool, "START_METHOD", "fork")
    monkeypatch.setattr(finish.Finisher, "run", die)  # inherited by the forked workers
    with pytest.raises(WorkerError):
        validate(golden_input, jobs=2, today=GOLDEN_TODAY)
