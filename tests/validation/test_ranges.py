"""Any engine that runs a function per partition can check a file (``RangeCluster``).

A cluster whose "workers" are this process, as a Spark driver would run ``mapPartitions``
(docs/distributed.md): the report and the issues are those of one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.validation.test_parallel import NOW, TODAY, _messy_lines, _write
from volunteer_standard.io.limits import Limits
from volunteer_standard.validation import Issue, validate
from volunteer_standard.validation.parallel.partitions import (
    Partition,
    count,
)
from volunteer_standard.validation.parallel.ranges import RangeCluster, Work


class _Here:
    workers = 3

    def __init__(self) -> None:
        self.checked = 0

    def counts(self, parts: list[Partition], bounds: Limits) -> list[int]:
        return [count(part, bounds) for part in parts]

    def results(
        self, work: Work, run: str, settings: Any, parts: list[Partition]
    ) -> Iterator[list[Any]]:
        for part in parts:
            self.checked += 1
            yield work(run, settings, part)


class _HereCluster(RangeCluster):
    def __init__(self, partition_bytes: int | None) -> None:
        self.partition_bytes = partition_bytes
        self.ranges = _Here()

    @contextmanager
    def session(self) -> Iterator[_Here]:
        yield self.ranges


@pytest.mark.parametrize("profile", ["national", "structure"])
def test_ranges_checked_anywhere_give_the_report_of_one_process(
    tmp_path: Path, profile: str
) -> None:
    path = _write(tmp_path / "messy.jsonl", _messy_lines())
    runs = []
    for cluster in (None, _HereCluster(1500), _HereCluster(None)):
        found: list[Issue] = []
        report = validate(
            path, profile=profile, on_issue=found.append, today=TODAY, now=NOW, cluster=cluster
        )
        runs.append((report.to_dict("en"), [i.to_dict() for i in found]))
        if cluster is not None:
            assert cluster.ranges.checked >= (50 if cluster.partition_bytes else 1)
    assert runs[1] == runs[0]
    assert runs[2] == runs[0]


def _folder(root: Path) -> Path:
    """The messy lines cut into three files (one with a single record), and files that
    are not read: hidden, or not JSON Lines."""
    rows = _messy_lines()
    for sub in ("a", "b", ".hidden"):
        (root / sub).mkdir(parents=True)
    _write(root / "a" / "part-0.jsonl", rows[:90])
    _write(root / "a" / "part-1.jsonl", rows[90:91], bom=False)
    _write(root / "b" / "part-2.ndjson", rows[91:], bom=False, crlf_at=-1)
    _write(root / ".hidden" / "x.jsonl", rows[:5])
    (root / "README.txt").write_text("not data")
    return root


def test_a_folder_is_one_input_checked_alike_anywhere(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "export")
    runs = []
    for cluster in (None, _HereCluster(1500), _HereCluster(None)):
        found: list[Issue] = []
        report = validate(folder, on_issue=found.append, today=TODAY, now=NOW, cluster=cluster)
        runs.append((report.to_dict("en"), [i.to_dict() for i in found]))
    assert runs[1] == runs[0]
    assert runs[2] == runs[0]
    report, issues = runs[0]
    assert report["records"] == sum(1 for r in _messy_lines() if r.strip())
    files = {i["file"] for i in issues}
    names = ("a/part-0.jsonl", "a/part-1.jsonl", "b/part-2.ndjson")
    assert files == {f"{folder}/{name}" for name in names}  # not hidden ones
    cross = [i for i in issues if i["code"].startswith("VR6") and i["record_id"]]
    assert len(cross) >= 4
    for issue in cross:  # the file and line named hold the record named
        line = Path(issue["file"]).read_bytes().splitlines()[issue["line"] - 1]
        assert orjson.loads(line)["id"] == issue["record_id"]


def test_an_empty_folder_or_file_makes_the_folder_unusable(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("x")
    for cluster in (None, _HereCluster(100)):
        report = validate(empty, cluster=cluster)
        assert "holds no JSON Lines file" in (report.input_error or "")
    folder = _folder(tmp_path / "export")
    (folder / "a" / "part-00.jsonl").write_bytes(b"\n")  # after part-0.jsonl: "." < "0"
    (folder / "b" / "part-1.jsonl").write_bytes(b"")
    one = validate(folder, today=TODAY, now=NOW)
    assert "empty" in (one.input_error or "")
    other = validate(folder, today=TODAY, now=NOW, cluster=_HereCluster(1500))
    assert other.to_dict("en") == one.to_dict("en")


def test_a_duplicate_in_another_file_names_that_file(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "examples" / "sample.jsonl"
    rows = sample.read_bytes().splitlines(keepends=True)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(b"".join(rows[:200]))
    (folder / "b.jsonl").write_bytes(b"".join(rows[200:]) + rows[0] + rows[1])
    for cluster in (None, _HereCluster(5000)):
        found: list[Issue] = []
        validate(folder, on_issue=found.append, today=TODAY, now=NOW, cluster=cluster)
        repeated = [i for i in found if i.code == "VR602"]
        assert [i.location.file for i in repeated] == [f"{folder}/b.jsonl"] * 2
        first = f"{folder}/a.jsonl"
        assert [i.params["line"] for i in repeated] == [f"{first}:1", f"{first}:2"]
