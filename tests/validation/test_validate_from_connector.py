"""``vstd validate --from tabular --from-config mapping.toml ledger.xlsx``: a spreadsheet
validated through its mapping, each issue at its sheet, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.connectors.validating import validate_source
from volunteer_standard.validation.report import Issue

MAPPING = """
[[entities]]
type = "volunteer"
[entities.fields]
id = { template = "V-{编号}" }
volunteer_no = "编号"
name = "姓名"
political_status = "政治面貌"
phone = "手机"
"""


@pytest.fixture
def workbook(tmp_path: Path) -> tuple[Path, Path]:
    book = tmp_path / "ledger.xlsx"
    workbook = xlsxwriter.Workbook(str(book))
    sheet = workbook.add_worksheet("台账")
    rows = [
        ["编号", "姓名", "政治面貌", "手机"],
        ["A1", "张三", "民盟", "17100000001"],
        ["A2", "李四", "党员同志", "17100000002"],
        ["A3", "王五", "群众", "123"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    workbook.close()
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return book, mapping


def test_the_library_validates_a_workbook_through_its_mapping(
    workbook: tuple[Path, Path],
) -> None:
    book, mapping = workbook
    found: list[Issue] = []
    report = validate_source(book, "tabular", mapping, on_issue=found.append)
    assert report.records == 3
    places = {(i.location.file.rsplit("/", 1)[-1], i.location.line, i.pointer) for i in found}
    assert ("ledger.xlsx#台账", 3, "[政治面貌]") in places  # an unknown label (VC100)
    future = [i for i in found if i.location.line == 4]
    assert future and future[0].pointer.startswith("[手机]")  # a rule, at its column


def test_the_command_reports_cells_in_json(workbook: tuple[Path, Path]) -> None:
    book, mapping = workbook
    result = CliRunner().invoke(
        app,
        ["validate", "--from", "tabular", "--from-config", str(mapping), str(book), "-f", "json"],
    )
    assert result.exit_code == 1, result.output
    issues = json.loads(result.output)["issues"]
    assert {(i["line"], i["pointer"].split("/")[0]) for i in issues} >= {
        (3, "[政治面貌]"),
        (4, "[手机]"),
    }
    assert all(i["file"].endswith("ledger.xlsx#台账") for i in issues)
