"""convert(cluster=...): the same output bytes, reject file and summary as one process.

The cluster here runs its "workers" in this process (see tests/validation/test_ranges.py);
tests/validation/test_dask.py runs the same conversions on a Dask LocalCluster. Ranges are
tiny so that valid, rejected and kept records cross range boundaries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.engine.test_parallel_convert import _convert
from tests.validation.test_parallel import _messy_lines, _write
from tests.validation.test_ranges import _HereCluster
from volunteer_standard.connectors import standard
from volunteer_standard.engine import ConversionAborted, convert
from volunteer_standard.models import PackageMetadata, Publisher
from volunteer_standard.privacy import Privacy

CASES = [
    ("out.jsonl", {}),
    ("out.json", {}),
    ("keep.jsonl", {"on_invalid": "keep"}),
    ("masked.jsonl", {"privacy": Privacy("masked")}),
    ("structure.jsonl", {"profile": "structure"}),
]


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = PackageMetadata(
        publisher=Publisher(name="volunteer-standard", system="vstd convert"),
        generated_at=datetime(2025, 6, 30, tzinfo=UTC),
    )
    monkeypatch.setattr(standard, "_metadata", lambda: fixed)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("convert") / "messy.jsonl", _messy_lines())


@pytest.mark.parametrize(("name", "options"), CASES)
def test_same_output_rejects_and_summary(
    messy: Path, tmp_path: Path, name: str, options: dict[str, Any]
) -> None:
    one = _convert(messy, tmp_path / "one", name, 1, **options)
    assert one[2]["rejected"] > 10
    for size in (1500, None):
        cluster = _HereCluster(size)
        got = _convert(messy, tmp_path / f"c{size}", name, 1, cluster=cluster, **options)
        assert got == one
        assert cluster.ranges.checked >= (50 if size else 1)


def test_fail_on_invalid_stops_at_the_same_record(messy: Path, tmp_path: Path) -> None:
    messages = []
    for cluster in (None, _HereCluster(1500)):
        target = tmp_path / "out.jsonl"
        with pytest.raises(ConversionAborted) as caught:
            convert(str(messy), str(target), on_invalid="fail", cluster=cluster)
        messages.append(str(caught.value))
        assert not target.exists()
    assert messages[0] == messages[1]


def test_progress_is_reported_at_the_same_counts(messy: Path, tmp_path: Path) -> None:
    seen: list[list[tuple[int, int, int]]] = [[], []]
    for i, cluster in enumerate((None, _HereCluster(1500))):
        convert(
            str(messy),
            str(tmp_path / f"p{i}.jsonl"),
            cluster=cluster,
            progress=lambda s, i=i: seen[i].append((s.read, s.written, s.rejected)),
            progress_every=7,
        )
    assert seen[0] == seen[1]
    assert len(seen[0]) > 10


def test_other_sources_convert_in_one_process(tmp_path: Path) -> None:
    from volunteer_standard.samples import write_broken

    package = write_broken(tmp_path / "broken")["broken-package.json"]
    cluster = _HereCluster(100)
    got = _convert(package, tmp_path / "a", "p.jsonl", 1, cluster=cluster)
    assert got == _convert(package, tmp_path / "b", "p.jsonl", 1)
    assert cluster.ranges.checked == 0
