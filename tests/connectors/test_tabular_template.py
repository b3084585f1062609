"""``vstd template`` / ``write_template``: headers and drop-down lists for data entry."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.connectors import get_connector
from volunteer_standard.connectors.tabular import write_template

MAPPING = Path(__file__).resolve().parents[2] / "examples" / "regional" / "mapping.yaml"


def _sheet_xml(path: Path, index: int) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def _lists(path: Path) -> dict[str, list[str]]:
    """Drop-down lists of the hidden ``_lists`` sheet by their header."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("_lists").to_python()
    out: dict[str, list[str]] = {}
    for col, name in enumerate(rows[0]):
        out[name] = [r[col] for r in rows[1:] if col < len(r) and r[col] != ""]
    return out


def test_xlsx_template_for_a_mapping(tmp_path: Path) -> None:
    target = tmp_path / "template.xlsx"
    assert write_template(target, mapping=MAPPING) == [target]
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["organizations", "volunteers", "service_records", "_lists"]
    visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in book.sheets_metadata}
    assert visible == {
        "organizations": True,
        "volunteers": True,
        "service_records": True,
        "_lists": False,
    }
    (header,) = book.get_sheet_by_name("volunteers").to_python()
    assert header[:6] == ["序号", "志愿者编号", "姓名", "性别", "证件类型", "证件号码"]
    lists = _lists(target)
    assert lists["性别"] == ["未知的性别", "男", "女", "未说明的性别"]
    assert lists["证件类型"][0] == "身份证"  # the mapping's own label comes first
    # Code-list order, each code under the label the writer writes (the mapping's own first).
    assert lists["学历"][:4] == ["博士研究生", "硕士", "本科", "大专"]
    assert lists["审核状态"] == ["待审核", "未签退", "已审核", "已驳回", "已删除", "录入失败"]
    assert "北京市" in lists["所在省"] and len(lists["所在省"]) == 34
    assert lists["是否应急队伍"] == ["是", "否"]

    volunteers = _sheet_xml(target, 2)
    validations = re.findall(r'<dataValidation [^>]*sqref="([A-Z]+)2:', volunteers)
    assert "D" in validations  # 性别
    assert "<formula1>'_lists'!$" in volunteers
    assert 'prompt="日期 date, e.g. 2024/3/5"' in volunteers


def test_a_filled_template_reads_back(tmp_path: Path) -> None:
    """What a template offers is what the connector reads: labels round-trip."""
    import xlsxwriter

    target = tmp_path / "filled.xlsx"
    book = xlsxwriter.Workbook(str(target))
    sheet = book.add_worksheet("志愿者")
    sheet.write_row(0, 0, ["志愿者编号", "姓名", "性别"])
    sheet.write_row(1, 0, ["V1", "张三", "男"])
    book.close()
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "entities:\n- type: volunteer\n  sheet: 志愿者\n  fields:\n    id: 志愿者编号\n"
        "    volunteer_no: 志愿者编号\n    name: 姓名\n    gender: 性别\n",
        encoding="utf-8",
    )
    (record,) = get_connector("tabular")({"mapping": str(mapping)}).read(str(target))
    assert record.problems == [] and record.data is not None and record.data["gender"] == "1"


def test_csv_template_is_headers_with_a_bom(tmp_path: Path) -> None:
    files = write_template(tmp_path / "csv", mapping=MAPPING, fmt="csv")
    assert [f.name for f in files] == ["teams.csv", "volunteers.csv", "service_hours.csv"]
    raw = files[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    (header,) = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert header[:3] == ["序号", "志愿者编号", "姓名"]


def test_flat_templates(tmp_path: Path) -> None:
    target = tmp_path / "flat.xlsx"
    write_template(target, types=["volunteer", "station"])
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["volunteers", "stations", "_lists"]
    (header,) = book.get_sheet_by_name("volunteers").to_python()
    assert header[:3] == ["id", "identifiers/0/scheme", "identifiers/0/value"]
    assert "residence/region_code" in header
    lists = _lists(target)
    assert lists["gender"] == ["0", "1", "2", "9"]  # the flat layout holds codes
    assert lists["opening_hours/0/days"][0] == "mon"
    single = write_template(tmp_path / "volunteers.csv", types=["volunteer"])
    assert single == [tmp_path / "volunteers.csv"]


def test_cli_template(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["template", "--connector", "tabular", "--mapping", str(MAPPING), str(tmp_path / "t.xlsx")],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.xlsx").exists()
    result = runner.invoke(
        app, ["template", "--format", "csv", "--type", "volunteer", str(tmp_path / "c")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c" / "volunteers.csv").exists()
    result = runner.invoke(app, ["template", "--connector", "standard", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "has no templates" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities: []\n", encoding="utf-8")
    result = runner.invoke(app, ["template", "--mapping", str(bad), str(tmp_path / "y.xlsx")])
    assert result.exit_code == 2 and "at least 1 item" in result.output
