"""Hostile and unlucky input ends in a clear, coded error within bounded time and memory,
and validation and conversion agree on it (issue 12)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import volunteer_standard as vs
from tests.conftest import MINIMAL
from tests.safety.measure import run_vstd
from volunteer_standard.cli import app
from volunteer_standard.engine import convert

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()

#: A fresh ``vstd`` process takes ~55 MB here; every hostile input must stay near that.
PEAK_MB = 160
SECONDS = 60


def _package(tmp_path: Path, record_text: str, name: str = "p.json") -> Path:
    path = tmp_path / name
    meta = '{"publisher": {"name": "x"}, "generated_at": "2024-01-01T00:00:00+08:00"}'
    path.write_text(f'{{"metadata": {meta}, "organizations": [{record_text}]}}', encoding="utf-8")
    return path


def _codes(report: vs.Report) -> set[str]:
    return set(report.issues_by_code)


ORG = json.dumps(MINIMAL["organization"], ensure_ascii=False)


# -- decoded values every tool must read the same way --------------------------------------


@pytest.mark.parametrize(
    ("record", "code"),
    [
        (ORG[:-1] + ', "team_type": "3"}', "VS106"),  # duplicate key
        (ORG[:-1] + ', "extensions": {"x": {"n": ' + "9" * 400 + "}}}", "VS107"),
        (ORG[:-1] + ', "extensions": {"x": {"s": "\\ud800"}}}', "VS107"),  # lone surrogate
        (ORG[:-1] + ', "extensions": {"x": ' + "[" * 2000 + "]" * 2000 + "}}", "VS107"),
    ],
    ids=["duplicate-key", "400-digits", "lone-surrogate", "2000-deep"],
)
def test_validate_and_convert_agree_on_hostile_values(
    tmp_path: Path, record: str, code: str
) -> None:
    package = _package(tmp_path, record)
    report = vs.validate(package)
    assert code in _codes(report) and not report.valid  # 400 digits / surrogate: VALID on main
    summary = convert(str(package), str(tmp_path / "out.jsonl"), profile="structure")
    assert summary.rejected == 1 and code in summary.reject_codes  # crashed on main
    rejects = (tmp_path / "out.jsonl.rejects.jsonl").read_text(encoding="utf-8")
    assert json.loads(rejects)["codes"] == [code]
    # reports of such input are complete documents (a broken JSON report before)
    result = runner.invoke(app, ["validate", str(package), "--format", "json"])
    assert code in {i["code"] for i in json.loads(result.stdout)["issues"]}
    html = runner.invoke(app, ["validate", str(package), "--format", "html"]).stdout
    assert html.rstrip().endswith("</html>")


def test_duplicate_keys_in_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(ORG + "\n" + ORG[:-1] + ', "name": "另一个名字"}\n', encoding="utf-8")
    report = vs.validate(path)
    assert report.issues_by_code["VS106"] == 1
    assert convert(str(path), str(tmp_path / "o.jsonl")).reject_codes["VS106"] == 1


def test_a_colon_inside_a_string_is_not_a_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(ORG[:-1] + ', "remarks": "a\\": b"}\n', encoding="utf-8")
    assert "VS106" not in _codes(vs.validate(path))


# -- bounded memory and time ---------------------------------------------------------------


def test_a_record_longer_than_the_limit_is_refused_before_it_is_read_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("wb") as out:
        out.write(ORG.encode() + b"\n")
        out.write(b'{"type": "organization", "remarks": "' + b"x" * (60 << 20) + b'"}\n')
        out.write(ORG.encode() + b"\n")
    run = run_vstd(
        "validate", str(path), "--format", "json", env={"VSTD_LIMIT_MAX_RECORD_BYTES": "1000000"}
    )
    assert run.code == 1, run.stderr
    issues = json.loads(run.stdout)["issues"]
    assert [(i["code"], i["line"]) for i in issues if i["code"] == "VS107"] == [("VS107", 2)]
    assert run.peak_mb < 110, run.peak_mb  # the 60 MB line alone would exceed this
    assert run.seconds < SECONDS


def test_dev_zero_is_refused_quickly(tmp_path: Path) -> None:
    for args in (["/dev/zero"], ["/dev/zero", "--input-format", "jsonl"]):
        run = run_vstd("validate", *args, env={"VSTD_LIMIT_MAX_RECORD_BYTES": "4000000"})
        assert run.code == 2, run.stderr
        assert "error" in run.stderr and "Traceback" not in run.stderr
        assert run.peak_mb < PEAK_MB and run.seconds < SECONDS, (args, run.peak_mb)


def test_minified_and_pretty_packages_need_the_same_memory(tmp_path: Path) -> None:
    package = json.loads((EXAMPLES / "sample.json").read_text(encoding="utf-8"))
    for key, value in package.items():
        if isinstance(value, list):
            package[key] = value * 40
    minified, pretty = tmp_path / "min.json", tmp_path / "pretty.json"
    minified.write_text(json.dumps(package, ensure_ascii=False, separators=(",", ":")))
    pretty.write_text(json.dumps(package, ensure_ascii=False, indent=1))
    peaks = []
    for path in (minified, pretty):
        run = run_vstd("validate", str(path), "--summary-only", "-p", "structure")
        assert run.code == 0, run.stderr
        peaks.append(run.peak_mb)
    assert peaks[0] < peaks[1] * 1.3, peaks  # main read the whole one-line file as a head


def _xfd_workbook(path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    sheet.write(0, 0, "姓名")
    sheet.write(1_048_575, 16_383, "x")
    book.close()
    return path


def _zip_bomb(path: Path) -> Path:
    shutil.copy(_xfd_workbook(path.with_name("seed.xlsx")), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/media/padding.bin", b"\0" * (80 << 20))
    return path


@pytest.mark.parametrize("maker", [_xfd_workbook, _zip_bomb], ids=["XFD1048576", "zip-bomb"])
def test_hostile_workbooks_are_refused_before_reading(tmp_path: Path, maker: object) -> None:
    book = maker(tmp_path / "hostile.xlsx")  # type: ignore[operator]
    assert book.stat().st_size < 200_000
    run = run_vstd("convert", "--from", "tabular", str(book), str(tmp_path / "out.jsonl"))
    assert run.code == 2, run.stderr
    assert "nothing was read" in run.stderr and "Traceback" not in run.stderr
    assert run.peak_mb < PEAK_MB and run.seconds < SECONDS, run.peak_mb  # 512 GB on main
    assert not (tmp_path / "out.jsonl").exists()


# -- CSV: a stray quote must not swallow rows ---------------------------------------------


def test_a_stray_quote_in_a_gb18030_export_is_reported_not_absorbed(tmp_path: Path) -> None:
    folder = tmp_path / "regional"
    shutil.copytree(EXAMPLES / "regional", folder)
    csv_path = folder / "service_hours.csv"
    raw = csv_path.read_bytes()
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    lines = raw.split(newline)
    cells = lines[3].split(b",")
    cells[11] = b'"' + cells[11]  # one unbalanced quote in data row 3 (file row 4)
    lines[3] = b",".join(cells)
    csv_path.write_bytes(newline.join(lines))
    config = str(folder / "tabular.toml")
    clean = convert(
        str(EXAMPLES / "regional"),
        str(tmp_path / "clean.jsonl"),
        source_connector="tabular",
        source_config=str(EXAMPLES / "regional" / "tabular.toml"),
        profile="structure",
    )
    broken = convert(
        str(folder),
        str(tmp_path / "broken.jsonl"),
        source_connector="tabular",
        source_config=config,
        profile="structure",
    )
    assert broken.read == clean.read  # 36 instead of 113 on main: 77 rows were swallowed
    assert broken.balanced
    assert broken.rejected == clean.rejected + 1
    rejects = [
        json.loads(line)
        for line in (tmp_path / "broken.jsonl.rejects.jsonl").read_text("utf-8").splitlines()
    ]
    stray = [r for r in rejects if "TAB120" in r["codes"]]
    assert len(stray) == 1 and stray[0]["line"] == 4
    assert "stray quote" in stray[0]["reasons"][0]
