"""Property tests for ledgers: rejects read back as written, repeats merged by key."""

from __future__ import annotations

import csv
import random
import string
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from volunteer_standard.connectors.base import SourceRecord
from volunteer_standard.connectors.tabular.cells import restore
from volunteer_standard.connectors.tabular.mapping import mapping_from_dict
from volunteer_standard.connectors.tabular.rejects import SourceLayoutRejects
from volunteer_standard.connectors.tabular.rows import RowTranslator
from volunteer_standard.identifiers.generate import make_resident_id
from volunteer_standard.io.reader import Location

COLUMNS = ["序号", "姓名", "手机", "备注", "活动"]
_TEXT = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + "张王李赵，。=+-@ \"'"),
    max_size=12,
)
_ROW = st.fixed_dictionaries(dict.fromkeys(COLUMNS, _TEXT))


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(_ROW, min_size=1, max_size=6))
def test_a_csv_reject_file_reads_back_as_the_rows_written(rows: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "rejects.csv"
        sink = SourceLayoutRejects(target, lang="en")
        for number, row in enumerate(rows, start=2):
            raw = {k: v for k, v in row.items() if v != ""}  # the reader's raw: non-empty cells
            sink.write(SourceRecord(None, Location("l.csv", number), raw, []), ["why"])
        sink.commit()
        with target.open(encoding="utf-8-sig", newline="") as fh:
            back = list(csv.DictReader(fh))
    assert len(back) == len(rows)
    for number, (row, read) in enumerate(zip(rows, back, strict=True), start=2):
        assert read["source row"] == str(number)
        for column, value in row.items():
            # Formula neutralisation is undone by the tabular reader (cells.restore).
            assert restore(read.get(column, "")) == value


def _person(seed: int) -> str:
    return make_resident_id(
        random.Random(seed), region_code="320102", birth_date=date(1990, 1, 1), gender="2"
    )


MAPPING = {
    "entities": [
        {
            "type": "volunteer",
            "key": ["证件号码"],
            "fields": {
                "id": {"template": "V-{digest:证件号码}"},
                "volunteer_no": {"template": "V-{digest:证件号码}"},
                "name": "姓名",
            },
        },
        {
            "type": "service_record",
            "fields": {
                "id": {"template": "SR-{_row}"},
                "volunteer_id": {"template": "V-{digest:证件号码}"},
                "organization_id": {"constant": "T1"},
                "start": {"constant": "2024-03-05T09:00:00+08:00"},
                "end": {"constant": "2024-03-05T10:00:00+08:00"},
                "hours": {"constant": "1.00"},
                "status": {"constant": "effective"},
            },
        },
    ]
}


@settings(max_examples=40, deadline=None)
@given(people=st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=30))
def test_each_person_comes_out_once_and_every_row_gives_a_record(people: list[int]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VSTD_ID_KEY", "a-property-test-key-long-enough")
        translator = RowTranslator(mapping_from_dict(MAPPING))
    out: list[SourceRecord] = []
    for number, person in enumerate(people, start=2):
        cells = {"证件号码": _person(person), "姓名": f"测试{person}"}
        out += translator.translate(cells, Location("l.csv", number), {}, [])
    out += translator.finish()
    kinds = [r.data["type"] for r in out if r.data]
    assert kinds.count("volunteer") == len(set(people))
    assert kinds.count("service_record") == len(people)
    volunteer_ids = {r.data["id"] for r in out if r.data and r.data["type"] == "volunteer"}
    assert {r.data["volunteer_id"] for r in out if r.data and "volunteer_id" in r.data} == (
        volunteer_ids
    )
