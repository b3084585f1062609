"""Done-when of issue 8: a hand-kept ledger becomes valid standard data, and its bad rows
come back in an XLSX a steward fixes and converts again, completing the dataset.

The library test calls the source-layout reject sink directly; the CLI test runs the same
loop through ``vstd convert --rejects rejects.xlsx`` once convert dispatches reject files
by suffix (branch ``safety``), and is skipped before that.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.connectors.base import SourceRecord
from volunteer_standard.connectors.tabular.rejects import SourceLayoutRejects
from volunteer_standard.engine import convert
from volunteer_standard.io.reader import Location
from volunteer_standard.validation.validate import validate

ROOT = Path(__file__).resolve().parents[2]
KEY = "a-test-key-that-is-long-enough"


def _make_ledger() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_ledger", ROOT / "examples" / "ledger" / "make_ledger.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_ledger"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, ModuleType]:
    monkeypatch.setenv("VSTD_ID_KEY", KEY)
    maker = _make_ledger()
    return maker.write_ledger(tmp_path / "台账.csv"), maker


def _drafted_mapping(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "mapping.toml"
    result = CliRunner().invoke(app, ["mapping", "init", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "team_type" in result.output  # the one thing left to decide
    text = target.read_text(encoding="utf-8")
    # The steward's few lines: choose the team type the draft left commented out.
    finished = text.replace('# team_type = { constant = "1" }', 'team_type = { constant = "1" }')
    assert finished != text
    target.write_text(finished, encoding="utf-8")
    return target


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _fix(rejects: Path, broken: dict[int, tuple[str, str]]) -> int:
    """Fix the reject workbook as a steward would: the cell each row's reason names."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(rejects))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    book.close()
    header = [str(c) for c in rows[0]]
    assert header[-3:] == ["原行号", "原文件", "问题说明"]
    fixed = 0
    for cells in rows[1:]:
        assert cells[-1]  # every row says why
        column, value = broken[int(float(str(cells[header.index("原行号")])))]
        cells[header.index(column)] = value
        fixed += 1
    out = xlsxwriter.Workbook(str(rejects))
    sheet = out.add_worksheet("退回记录")
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            sheet.write(r, c, cell)
    out.close()
    return fixed


def test_a_ledger_converts_and_its_fixed_rejects_complete_the_dataset(
    ledger: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    source, maker = ledger
    mapping = _drafted_mapping(source, tmp_path)
    out = tmp_path / "out.jsonl"
    summary = convert(
        str(source),
        str(out),
        source_connector="tabular",
        source_config={"mapping": str(mapping)},
        rejects=tmp_path / "rejects.jsonl",
        profile="national",
    )
    assert summary.balanced
    written = _lines(out)
    report = validate(out)
    assert report.errors == 0, report.issues_by_code
    by_type = {t: sum(1 for r in written if r["type"] == t) for t in ("volunteer", "organization")}
    assert by_type == {"volunteer": 12, "organization": 4}  # repeats merged

    # The bad rows, whole, in the source layout (what convert --rejects x.xlsx writes).
    sink = SourceLayoutRejects(tmp_path / "rejects.xlsx", lang="zh")
    for item in _lines(tmp_path / "rejects.jsonl"):
        record = SourceRecord(item["record"], Location(item["file"], item["line"]), item["raw"], [])
        sink.write(record, item["reasons"])
    sink.commit()
    assert sink.rows == len(maker.BROKEN) == 5
    assert _fix(tmp_path / "rejects.xlsx", maker.BROKEN) == 5

    again = tmp_path / "fixed.jsonl"
    summary = convert(
        str(tmp_path / "rejects.xlsx"),
        str(again),
        source_connector="tabular",
        source_config={"mapping": str(mapping), "existing": [str(out)]},
        rejects=tmp_path / "rejects2.jsonl",
        profile="national",
    )
    assert summary.rejected == 0, _lines(tmp_path / "rejects2.jsonl")
    combined = tmp_path / "combined.jsonl"
    combined.write_text(out.read_text("utf-8") + again.read_text("utf-8"), "utf-8")
    everything = _lines(combined)
    assert validate(combined).errors == 0
    assert sum(1 for r in everything if r["type"] == "service_record") == maker.ROWS
    ids = [(r["type"], r["id"]) for r in everything]
    assert len(ids) == len(set(ids))

    # The fixed rows got the ids they would have had: converting the fixed ledger in one go
    # gives the same dataset.
    whole = tmp_path / "whole.jsonl"
    fixed_source = tmp_path / "fixed" / "台账.csv"
    fixed_source.parent.mkdir()
    rows = maker.ledger_rows()
    for number, (column, value) in maker.BROKEN.items():
        rows[number - 2][column] = value
    _write_rows(fixed_source, maker.HEADER, rows)
    convert(
        str(fixed_source),
        str(whole),
        source_connector="tabular",
        source_config={"mapping": str(mapping)},
        profile="national",
    )
    assert sorted(ids) == sorted((r["type"], r["id"]) for r in _lines(whole))


def test_reconverting_a_ledger_is_idempotent(
    ledger: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    source, _maker = ledger
    mapping = _drafted_mapping(source, tmp_path)
    outputs = []
    for run in (1, 2):
        out = tmp_path / f"run{run}.jsonl"
        convert(
            str(source),
            str(out),
            source_connector="tabular",
            source_config={"mapping": str(mapping)},
            profile="national",
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def _write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    import csv

    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)


def _convert_supports_xlsx_rejects() -> bool:
    return importlib.util.find_spec("volunteer_standard.io.rejects") is not None


@pytest.mark.skipif(
    not _convert_supports_xlsx_rejects(),
    reason="needs branch safety: convert --rejects FILE.xlsx dispatching to the tabular sink",
)
def test_the_fix_and_reimport_loop_through_the_cli(
    ledger: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    source, maker = ledger
    mapping = _drafted_mapping(source, tmp_path)
    config = tmp_path / "tabular.toml"
    config.write_text(f"mapping = {json.dumps(str(mapping))}\n", encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "out.jsonl"
    rejects = tmp_path / "rejects.xlsx"
    result = runner.invoke(
        app,
        [
            "convert", "--from", "tabular", "--from-config", str(config), str(source), str(out),
            "--rejects", str(rejects), "--lang", "zh",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # some rows rejected
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    assert _fix(rejects, maker.BROKEN) == 5
    again_config = tmp_path / "again.toml"
    again_config.write_text(
        f"mapping = {json.dumps(str(mapping))}\nexisting = [{json.dumps(str(out))}]\n",
        encoding="utf-8",
    )
    again = tmp_path / "again.jsonl"
    result = runner.invoke(
        app,
        [
            "convert", "--from", "tabular", "--from-config", str(again_config), str(rejects),
            str(again),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    combined = tmp_path / "combined.jsonl"
    combined.write_text(out.read_text("utf-8") + again.read_text("utf-8"), "utf-8")
    assert runner.invoke(app, ["validate", str(combined)]).exit_code == 0
    records = _lines(combined)
    assert sum(1 for r in records if r["type"] == "service_record") == maker.ROWS
