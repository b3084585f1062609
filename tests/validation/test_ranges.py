"""Any engine that runs a function per partition can check a file (``RangeCluster``).

A cluster whose "workers" are this process, as a Spark driver would run ``mapPartitions``
(docs/distributed.md): the report and the issues are those of one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.validation.test_parallel import NOW, TODAY, _messy_lines, _write
from volunteer_standard.io.limits import Limits
from volunteer_standard.validation import Issue, validate
from volunteer_standard.validation.parallel.batch import BatchSettings
from volunteer_standard.validation.parallel.partitions import (
    Item,
    Partition,
    check_partition,
    count,
)
from volunteer_standard.validation.parallel.ranges import RangeCluster


class _Here:
    workers = 3

    def __init__(self) -> None:
        self.checked = 0

    def counts(self, parts: list[Partition], bounds: Limits) -> list[tuple[int, int]]:
        return [count(part, bounds) for part in parts]

    def results(
        self, run: str, settings: BatchSettings, parts: list[Partition]
    ) -> Iterator[list[Item]]:
        for part in parts:
            self.checked += 1
            yield check_partition(run, settings, part)


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
