"""Malformed input never crashes and never disappears; memory stays flat on big files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from volunteer_standard.connectors import ConnectorError, get_connector
from volunteer_standard.engine import convert

HEADER = "id,volunteer_no,name,gender,birth_date,member_count\n"


@pytest.mark.parametrize(
    ("body", "codes"),
    [
        ('v1,N1,"unterminated,x\n', []),  # swallowed to the end of file: one odd record
        ("v1,N1,张三,1,2024-02-30\n", ["VS112"]),  # impossible date: validation rejects it
        ("v1,N1,张三,7\n", ["VS120"]),  # not a gender code
        ("v1,N1,张三,1,,,surplus\n", ["TAB121"]),
        ("v1,N1,鏉庡洓\n", ["TAB101"]),
        ("v1,N1,\x00张三\n", ["TAB100"]),  # a NUL character: damaged file
        ("v1,N1\n", ["VS110"]),  # missing the required name
        ("\n\n\n", []),  # blank lines only: nothing to convert
    ],
)
def test_malformed_rows_become_precise_rejects(tmp_path: Path, body: str, codes: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "volunteers.csv").write_text(HEADER.replace(",member_count", "") + body, "utf-8")
    out = tmp_path / "out.jsonl"
    summary = convert(str(folder), str(out), source_connector="tabular")
    assert summary.balanced
    rejects_path = tmp_path / "out.jsonl.rejects.jsonl"
    rejects = [json.loads(line) for line in rejects_path.open()] if rejects_path.exists() else []
    assert sorted({c for r in rejects for c in r["codes"]}) == codes
    for reject in rejects:
        assert reject["line"] == 2 and reject["file"].endswith("volunteers.csv")


def test_a_field_too_large_for_csv_is_a_reject_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "volunteers.csv"
    huge = "x" * (csv.field_size_limit() + 10)
    path.write_text(f"id,volunteer_no,name\nv1,N1,{huge}\nv2,N2,李四\n", encoding="utf-8")
    first, second = get_connector("tabular")().read(str(path))
    assert [p.code for p in first.problems] == ["TAB120"]
    assert "row 2" in first.problems[0].text()
    assert second.problems == [] and second.data is not None and second.data["name"] == "李四"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"volunteers.csv": ""}, "no header row"),
        ({"volunteers.csv": "id,id\n"}, "appears twice"),
        ({"volunteer.csv": "id\n", "volunteers.csv": "id\n"}, "two files for volunteer"),
        ({"notes.csv": "hello\n"}, "not named after an entity type"),
        ({}, "no CSV files"),
    ],
)
def test_unusable_inputs_stop_with_a_message(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConnectorError, match=message):
        list(get_connector("tabular")().read(str(tmp_path)))


def test_unreadable_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(ConnectorError, match="cannot open the workbook"):
        list(get_connector("tabular")().read(str(path)))


def _big_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "volunteer_no", "name"])
        writer.writerows([f"v{i}", f"N{i}", "Zhang San"] for i in range(rows))


def _peak(path: Path) -> int:
    connector = get_connector("tabular")()
    tracemalloc.start()
    try:
        count = sum(1 for _ in connector.read(str(path)))
        return tracemalloc.get_traced_memory()[1] if count else -1
    finally:
        tracemalloc.stop()


def test_reading_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small, big = tmp_path / "s" / "volunteers.csv", tmp_path / "b" / "volunteers.csv"
    small.parent.mkdir()
    big.parent.mkdir()
    _big_csv(small, 2_000)
    _big_csv(big, 20_000)
    small_peak, big_peak = _peak(small), _peak(big)
    assert big_peak < 1_000_000, big_peak
    assert big_peak < small_peak * 2 + 256_000, (small_peak, big_peak)


def test_100k_rows_read_and_write_in_flat_memory(tmp_path: Path) -> None:
    """Reads 100,000 rows and writes them back (CSV → flat XLSX-free folder) in a child
    process, and checks that its peak RSS grows by only a few MB over the run."""
    source = tmp_path / "in" / "volunteers.csv"
    source.parent.mkdir()
    _big_csv(source, 100_000)
    script = textwrap.dedent(
        f"""
        import resource, sys
        from volunteer_standard.connectors import get_connector
        connector = get_connector("tabular")()
        records = connector.read({str(source)!r})
        for _ in range(1000):
            next(records)
        from volunteer_standard.models import Volunteer
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        writer = get_connector("tabular")().open_writer({str(tmp_path / "out")!r})
        count = 1000
        for record in records:
            writer.write(Volunteer.model_validate(record.data))
            count += 1
        writer.close()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(count, after - before)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    count, grown_kib = map(int, done.stdout.split())
    assert count == 100_000
    assert grown_kib < 20_000, f"peak RSS grew by {grown_kib} KiB"
    lines = (tmp_path / "out" / "volunteers.csv").read_text(encoding="utf-8-sig").count("\n")
    assert lines == 99_001  # header + the rows written after the first 1,000
