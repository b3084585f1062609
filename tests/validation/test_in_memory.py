"""A developer with objects in memory validates them directly, and a spreadsheet given to
``validate`` is recognised and answered with how to validate it."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

import volunteer_standard as vs
from volunteer_standard.io.reader import InputError, detect_format

VOLUNTEER = {"type": "volunteer", "id": "v1", "volunteer_no": "V1100002201000004V", "name": "甲"}


def test_one_model_validates() -> None:
    report = vs.validate(vs.Volunteer.model_validate(VOLUNTEER))
    assert report.valid and report.records == 1 and report.format == "objects"


def test_dicts_and_models_mixed_with_positions() -> None:
    bad = {**VOLUNTEER, "id": "v2", "gender": "男"}
    report = vs.validate([vs.Volunteer.model_validate(VOLUNTEER), bad])
    assert not report.valid and dict(report.issues_by_code) == {"VS120": 1}
    issue = report.examples["VS120"][0]
    assert (issue.location.file, issue.location.line, issue.location.pointer) == (
        "<objects>",
        2,
        "/1",
    )
    assert "label of code '1'" in issue.message("en")


def test_a_generator_is_read_once_and_cross_record_rules_run() -> None:
    twins = (dict(VOLUNTEER) for _ in range(2))
    report = vs.validate(twins)
    assert report.records == 2 and report.issues_by_code["VR602"] == 1  # duplicate id


def test_a_single_dict_is_one_record() -> None:
    assert vs.validate(dict(VOLUNTEER)).records == 1


@pytest.mark.parametrize("name", ["ledger.csv", "ledger.xlsx", "ledger.tsv"])
def test_a_spreadsheet_name_says_how_to_validate_it(name: str) -> None:
    with pytest.raises(InputError) as raised:
        detect_format(name, b"\xd0\xf2\xba\xc5,\xd0\xd5\xc3\xfb\n")
    assert "vstd validate --from tabular --from-config" in raised.value.message("en")
    assert "电子表格" in raised.value.message("zh")


def test_a_workbook_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "export.dat"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write_row(0, 0, ["姓名", "身份证号"])
    book.close()
    report = vs.validate(path)
    assert report.exit_code == 2
    assert report.input_error_in("zh") is not None and "电子表格" in report.input_error_in("zh")
