"""Formula injection: text cells that a spreadsheet would run are neutralised, reversibly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteer_standard.connectors import get_connector
from volunteer_standard.connectors.tabular.cells import neutralise, restore
from volunteer_standard.models import Organization, Volunteer


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # already quoted text keeps its own apostrophe
        ("'plain", "'plain"),  # not followed by a dangerous character: untouched
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_and_restore(text: str, written: str) -> None:
    assert neutralise(text) == written
    assert restore(written) == text


@given(st.text(max_size=10))
def test_restore_undoes_neutralise(text: str) -> None:
    assert restore(neutralise(text)) == text


def _dangerous_volunteer() -> Volunteer:
    return Volunteer(
        id="v1",
        volunteer_no="=cmd|' /C calc'!A0",
        name="@张三",
        remarks="-1",
        phone="+8613800138000",
    )


def test_csv_cells_are_neutralised_and_read_back(tmp_path: Path) -> None:
    connector = get_connector("tabular")()
    writer = connector.open_writer(str(tmp_path / "out"))
    volunteer = _dangerous_volunteer()
    writer.write(volunteer)
    writer.write(Organization(id="o1", name="-", team_type="1", member_count=3))
    writer.close()
    with (tmp_path / "out" / "volunteers.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    cells = dict(zip(header, row, strict=True))
    assert cells["volunteer_no"] == "'=cmd|' /C calc'!A0"
    assert cells["name"] == "'@张三"
    assert cells["remarks"] == "'-1"  # text, even if it looks like a number
    assert cells["phone"] == "'+8613800138000"
    back = [r.data for r in get_connector("tabular")().read(str(tmp_path / "out"))]
    assert Volunteer.model_validate(back[1]) == volunteer
    assert back[0] == {
        "type": "organization",
        "id": "o1",
        "name": "-",
        "team_type": "1",
        "member_count": 3,
    }


def test_xlsx_text_cells_are_neutralised_numbers_are_not(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    target = tmp_path / "out.xlsx"
    writer = get_connector("tabular")().open_writer(str(target))
    writer.write(_dangerous_volunteer())
    writer.close()
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("volunteers").to_python()
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["volunteer_no"] == "'=cmd|' /C calc'!A0"
    assert cells["name"] == "'@张三"
    (record,) = get_connector("tabular")().read(str(target))
    assert Volunteer.model_validate(record.data) == _dangerous_volunteer()


def test_numeric_columns_keep_negative_numbers(tmp_path: Path) -> None:
    """A mapped numeric column writes -1 as a number, a text column writes '-1 as text."""
    import json

    from python_calamine import CalamineWorkbook

    from volunteer_standard.models import Activity

    mapping = {
        "entities": [
            {
                "type": "activity",
                "file": "a.csv",
                "fields": {
                    "id": "编号",
                    "project_id": "项目",
                    "title": "名称",
                    "start": "开始",
                    "end": "结束",
                    "checkin_points[0].kind": {"constant": "in"},
                    "checkin_points[0].lat": "纬度",
                    "checkin_points[0].lng": "经度",
                },
            }
        ]
    }
    (tmp_path / "m.json").write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    activity = Activity.model_validate(
        {
            "type": "activity",
            "id": "a1",
            "project_id": "p1",
            "title": "-5 度也出勤",
            "start": "2024-03-05T09:00:00+08:00",
            "end": "2024-03-05T10:00:00+08:00",
            "checkin_points": [{"kind": "in", "lat": -33.5, "lng": -70.25}],
        }
    )
    config = {"mapping": str(tmp_path / "m.json")}
    for target in (tmp_path / "out", tmp_path / "out.xlsx"):
        writer = get_connector("tabular")(config).open_writer(str(target))
        writer.write(activity)
        writer.close()
    with (tmp_path / "out" / "a.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = dict(zip(*csv.reader(handle), strict=True))
    assert (cells["纬度"], cells["经度"], cells["名称"]) == ("-33.5", "-70.25", "'-5 度也出勤")
    rows = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_name("activities")
    values = dict(zip(*rows.to_python(), strict=True))
    assert (values["纬度"], values["经度"]) == (-33.5, -70.25)  # numbers, not text
    for source in (tmp_path / "out" / "a.csv", tmp_path / "out.xlsx"):
        (record,) = get_connector("tabular")(config).read(str(source))
        assert record.problems == []
        assert Activity.model_validate(record.data) == activity
