"""``validate(on_progress=...)``: records and bytes read, every thousand records and at the
end, without changing the report; ``None`` for bytes when the input has no position."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from volunteer_standard import validate
from volunteer_standard.io import JsonlWriter
from volunteer_standard.samples import SampleSpec, generate

Calls = list[tuple[int, int | None]]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 2,600 generated records, with a broken line and an invalid record in them."""
    path = tmp_path_factory.mktemp("progress") / "data.jsonl"
    spec = SampleSpec(volunteers=60, service_records=2300, seed=11)
    with JsonlWriter(path) as out:
        for obj in generate(spec):
            out.write(obj)
    with path.open("ab") as extra:
        extra.write(b'{"type": "volunteer", "id": \n')  # not JSON
        extra.write(b'{"type": "volunteer", "id": "x1", "gender": "9"}\n')  # invalid
    return path


def _recorder() -> tuple[Calls, Callable[[int, int | None], None]]:
    calls: Calls = []
    return calls, lambda records, read: calls.append((records, read))


def test_calls_every_thousand_records_and_at_the_end(data: Path) -> None:
    calls, record = _recorder()
    report = validate(data, on_progress=record)
    lines = len(data.read_bytes().splitlines())
    assert [n for n, _ in calls] == [*range(1000, lines + 1, 1000), lines]
    sizes = [b for _, b in calls if b is not None]
    assert len(sizes) == len(calls) and sizes == sorted(sizes)
    assert sizes[-1] == data.stat().st_size  # all of it read at the end
    assert report.records == lines


def test_the_report_is_the_same_with_or_without_progress(data: Path) -> None:
    _, record = _recorder()
    plain = validate(data).to_dict()
    tracked = validate(data, on_progress=record).to_dict()
    assert tracked == plain
    assert not plain["valid"]  # the broken and the invalid line were reported


def test_a_stream_reports_its_position_and_a_pipe_none(data: Path) -> None:
    calls, record = _recorder()
    with data.open("rb") as stream:
        validate(stream, fmt="jsonl", on_progress=record)
    assert calls[-1][1] == data.stat().st_size

    class Pipe(io.RawIOBase):  # readable, but no position (like a pipe)
        def __init__(self, payload: bytes) -> None:
            self.inner = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            return self.inner.readinto(buffer)

        def tell(self) -> int:
            raise OSError("illegal seek")

    calls, record = _recorder()
    validate(io.BufferedReader(Pipe(data.read_bytes())), fmt="jsonl", on_progress=record)
    assert calls and all(read is None for _, read in calls)


def test_objects_in_memory_have_no_bytes() -> None:
    calls, record = _recorder()
    volunteer = {"type": "volunteer", "id": "v1", "volunteer_no": "V1100002201000004V"}
    validate([volunteer], on_progress=record)
    assert calls == [(1, None)]


def test_an_unusable_input_is_reported_as_without_progress(tmp_path: Path) -> None:
    _, record = _recorder()
    missing = tmp_path / "missing.jsonl"
    tracked = validate(missing, on_progress=record)
    assert tracked.input_error is not None
    assert tracked.input_error == validate(missing).input_error
