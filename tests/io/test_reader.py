"""Streaming readers: records, line numbers, pointers, and unusable input."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from volunteer_standard.io import reader
from volunteer_standard.io.reader import InputError, iter_raw


def _records(text: str, name: str = "in.json", **kw: Any) -> list[reader.RawRecord]:
    return list(iter_raw(io.BytesIO(text.encode("utf-8")), name=name, **kw))


def test_jsonl_lines_numbers_and_blank_lines() -> None:
    text = '\ufeff{"type": "volunteer", "id": "a"}\n\n{"type": "volunteer", "id": "b"}\n'
    recs = _records(text, "x.jsonl")
    assert [(r.data["id"], r.location.line) for r in recs] == [("a", 1), ("b", 3)]
    assert all(r.collection is None for r in recs)


def test_jsonl_bad_line_is_a_record_error_not_fatal() -> None:
    recs = _records('{"type": "volunteer"}\n{oops\n{"type": "award"}\n', "x.jsonl")
    assert recs[1].error is not None and recs[1].location.line == 2
    assert recs[2].data == {"type": "award"}


def test_jsonl_whose_first_line_is_not_json_is_unusable() -> None:
    with pytest.raises(InputError, match=r"x.jsonl:1"):
        _records("hello\n", "x.jsonl")


PACKAGE = """{
  "metadata": {"publisher": {"name": "p"}, "generated_at": "2024-01-01T00:00:00Z"},
  "volunteers": [
    {"id": "v1", "name": "甲"},
    {"id": "v2",
     "name": "乙"}
  ],
  "projects": [],
  "service_records": [{"id": "r1", "hours": "1.00"}, {"id": "r2"}]
}
"""


def test_package_records_carry_line_and_pointer() -> None:
    recs = _records(PACKAGE)
    got = [(r.collection, r.location.line, r.location.pointer) for r in recs]
    assert got == [
        ("metadata", 2, "/metadata"),
        ("volunteers", 4, "/volunteers/0"),
        ("volunteers", 5, "/volunteers/1"),
        ("service_records", 9, "/service_records/0"),
        ("service_records", 9, "/service_records/1"),
    ]
    assert recs[2].data == {"id": "v2", "name": "乙"}


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_package_scanner_is_independent_of_chunk_size(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = [(r.data, r.location) for r in _records(PACKAGE)]  # at the default chunk size
    monkeypatch.setattr(reader, "_CHUNK", chunk)
    numbers = '{"metadata": {}, "x": [1, 22, 333, -4.5e3, "s", null, true], "y": 12345}'
    recs = _records(numbers)
    assert [r.data for r in recs] == [{}, 1, 22, 333, -4500.0, "s", None, True, 12345]
    assert [(r.data, r.location) for r in _records(PACKAGE)] == whole
    expected = json.loads(PACKAGE)
    got = _records(PACKAGE)
    assert got[1].data == expected["volunteers"][0]
    assert got[4].data == expected["service_records"][1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "array is not a package"),
        ('{"volunteers": [{"id": 1}, ]}', "invalid JSON"),
        ('{"volunteers": [{"id": 1}}', "expected ',' or ']'"),
        ('{"a": 1} extra', "end of input"),
        ('{"a": NaN}', "invalid JSON"),
        ("", "empty"),
        ("hello", "not a JSON package"),
    ],
)
def test_unusable_packages_raise_with_location(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        _records(text, "p" if text in ("", "hello") else "p.json")


def test_non_utf8_package_is_unusable() -> None:
    data = '{"volunteers": [{"name": "张三"}]}'.encode("gb18030")
    with pytest.raises(InputError, match="not UTF-8"):
        list(iter_raw(io.BytesIO(data), name="p.json"))


def test_format_is_sniffed_without_a_suffix() -> None:
    assert _records('{"type": "volunteer", "id": "a"}\n', "-")[0].collection is None
    assert _records(PACKAGE, "-")[0].collection == "metadata"


def test_missing_file_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot open"):
        list(iter_raw(tmp_path / "nope.json"))


def _peak_reading(path: Path) -> int:
    tracemalloc.start()
    count = sum(1 for _ in iter_raw(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count > 0
    return peak


def test_package_memory_is_flat(tmp_path: Path) -> None:
    record = json.dumps({"id": "v", "name": "某某", "skills": ["01", "02"], "remarks": "x" * 200})
    sizes = {}
    for n in (2_000, 20_000):
        path = tmp_path / f"p{n}.json"
        path.write_text('{"volunteers": [\n' + ",\n".join([record] * n) + "\n]}\n")
        sizes[n] = _peak_reading(path)
    # Ten times the records must not need meaningfully more memory.
    assert sizes[20_000] < sizes[2_000] * 1.5 + 64_000
