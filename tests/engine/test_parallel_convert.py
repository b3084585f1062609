"""convert(jobs=N): the same output bytes, reject file and summary as one process.

Batches are tiny (see tests/validation/test_parallel.py) so that records of every kind,
valid, rejected and kept, cross batch boundaries.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.validation.test_parallel import _messy_lines, _records, _write
from volunteer_standard.connectors import standard
from volunteer_standard.engine import ConversionAborted, convert
from volunteer_standard.models import PackageMetadata, Publisher
from volunteer_standard.privacy import Privacy
from volunteer_standard.validation.parallel import lines, pool


@pytest.fixture(autouse=True)
def tiny_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Tiny batches, the pool started from the first one, a fixed package timestamp; the
    value counts the pools started."""
    monkeypatch.setattr(lines, "BATCH_BYTES", 1500)
    monkeypatch.setattr(pool, "MIN_BATCHES", 1)
    fixed = PackageMetadata(
        publisher=Publisher(name="volunteer-standard", system="vstd convert"),
        generated_at=datetime(2025, 6, 30, tzinfo=UTC),
    )
    monkeypatch.setattr(standard, "_metadata", lambda: fixed)
    started: list[int] = []
    start = pool.OrderedPool._start

    def counted(self: pool.OrderedPool[Any, Any]) -> None:
        started.append(self.jobs)
        start(self)

    monkeypatch.setattr(pool.OrderedPool, "_start", counted)
    return started


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("convert") / "messy.jsonl", _messy_lines())


def _convert(
    source: Path, out_dir: Path, name: str, jobs: int, **options: Any
) -> tuple[bytes, bytes, dict[str, Any]]:
    out_dir.mkdir(exist_ok=True)
    target = out_dir / name
    done = convert(str(source), str(target), jobs=jobs, **options).to_dict()
    rejects = out_dir / f"{name}.rejects.jsonl"
    summary = json.loads(json.dumps(done).replace(str(out_dir), "OUT"))
    return (
        target.read_bytes(),
        rejects.read_bytes() if rejects.exists() else b"",
        summary,
    )


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("out.jsonl", {}),
        ("out.json", {}),
        ("keep.jsonl", {"on_invalid": "keep"}),
        ("masked.jsonl", {"privacy": Privacy("masked")}),
        ("structure.jsonl", {"profile": "structure"}),
    ],
)
def test_same_output_rejects_and_summary(
    messy: Path, tmp_path: Path, name: str, options: dict[str, Any], tiny_batches: list[int]
) -> None:
    one = _convert(messy, tmp_path / "one", name, 1, **options)
    assert one[2]["rejected"] > 10
    assert one[2]["written"] > 100
    for jobs in (2, 3):
        assert _convert(messy, tmp_path / f"jobs{jobs}", name, jobs, **options) == one
    assert tiny_batches == [2, 3]


def test_fail_on_invalid_stops_at_the_same_record(messy: Path, tmp_path: Path) -> None:
    messages = []
    for jobs in (1, 2):
        target = tmp_path / f"out{jobs}.jsonl"
        with pytest.raises(ConversionAborted) as caught:
            convert(str(messy), str(target), on_invalid="fail", jobs=jobs)
        messages.append(str(caught.value).replace(str(messy), "SOURCE"))
        assert not target.exists()
    assert messages[0] == messages[1]


def test_progress_is_reported_at_the_same_counts(messy: Path, tmp_path: Path) -> None:
    seen: dict[int, list[tuple[int, int, int]]] = {1: [], 2: []}
    read: dict[int, list[int | None]] = {1: [], 2: []}

    def show(summary: Any, jobs: int) -> None:
        seen[jobs].append((summary.read, summary.written, summary.rejected))
        read[jobs].append(summary.bytes_read)

    for jobs in (1, 2):
        convert(
            str(messy),
            str(tmp_path / f"p{jobs}.jsonl"),
            jobs=jobs,
            progress=lambda s, j=jobs: show(s, j),
            progress_every=7,
        )
    assert seen[1] == seen[2]
    assert len(seen[1]) > 10
    # Bytes read grow to about the input's size with workers too (a batch at a time).
    size = messy.stat().st_size
    assert read[1][-1] == size
    assert all(b is not None for b in read[2])
    assert read[2] == sorted(read[2])  # type: ignore[type-var]
    assert size - 2000 < (read[2][-1] or 0) <= size


def test_other_sources_and_targets_convert_in_one_process(
    messy: Path, tmp_path: Path, tiny_batches: list[int]
) -> None:
    from volunteer_standard.samples import write_broken

    package = write_broken(tmp_path / "broken")["broken-package.json"]
    assert _convert(package, tmp_path / "a", "p.jsonl", 2) == _convert(
        package, tmp_path / "b", "p.jsonl", 1
    )
    records = [r for r in _records() if r["type"] == "service_record"]
    source = tmp_path / "records.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    csv_one = _convert(source, tmp_path / "c", "flat.csv", 1, target_connector="tabular")
    assert _convert(source, tmp_path / "d", "flat.csv", 2, target_connector="tabular") == csv_one
    assert csv_one[2]["written"] == len(records)
    assert tiny_batches == []  # the CSV writer does not write encoded records
