"""End-to-end CLI tests: ``vstd`` as an operator runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from volunteer_standard import SCHEMA_VERSION
from volunteer_standard.cli import app

runner = CliRunner()


def _write(path: Path, *records: object) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def test_valid_file_exits_0(tmp_path: Path) -> None:
    path = _write(tmp_path / "ok.jsonl", *MINIMAL.values())
    result = runner.invoke(app, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output


def test_invalid_file_exits_1_with_locations(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.jsonl", MINIMAL["volunteer"], MINIMAL["volunteer"] | {"gender": "男"}
    )
    result = runner.invoke(app, ["validate", str(path), "--lang", "zh"])
    assert result.exit_code == 1
    assert f"{path}:2 /gender: 错误 VS120" in result.output
    assert "未通过" in result.output


def test_json_report_is_one_parseable_document(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.jsonl", MINIMAL["volunteer"] | {"gender": "x"})
    result = runner.invoke(app, ["validate", str(path), "--format", "json", "--lang", "en"])
    doc = json.loads(result.output)
    assert result.exit_code == 1
    assert doc["issues"][0]["code"] == "VS120" and doc["issues"][0]["line"] == 1
    assert doc["summary"]["report_version"] == "1.0"
    assert doc["summary"]["issues_by_code"][0]["count"] == 1


def test_max_issues_and_summary_only(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.jsonl", *[MINIMAL["volunteer"] | {"gender": "x"}] * 5)
    limited = runner.invoke(app, ["validate", str(path), "--max-issues", "2", "--lang", "en"])
    assert limited.output.count(": error VS120") == 2  # summary examples are not issue lines
    summary = runner.invoke(app, ["validate", str(path), "--summary-only", "--lang", "en"])
    assert "× 5" in summary.output


@pytest.mark.parametrize(
    ("content", "needle"),
    [("[1]", "array is not a package"), ("", "empty"), ("hello\n", "expected '{'")],
)
def test_unusable_input_exits_2_with_one_line(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    done = subprocess.run(
        [sys.executable, "-m", "volunteer_standard", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert needle in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "none.json")])
    assert result.exit_code == 2


def test_stdin(tmp_path: Path) -> None:
    data = json.dumps(MINIMAL["volunteer"]) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "volunteer_standard", "validate", "-", "--lang", "en"],
        input=data,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "<stdin>" in done.stdout


def test_language_follows_the_locale(tmp_path: Path) -> None:
    path = _write(tmp_path / "ok.jsonl", MINIMAL["volunteer"])
    zh = runner.invoke(app, ["validate", str(path)], env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    en = runner.invoke(app, ["validate", str(path)], env={"LANG": "en_US.UTF-8", "LC_ALL": ""})
    assert "通过" in zh.output and "VALID" in en.output


def test_schema_check_and_regenerate(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    assert runner.invoke(app, ["schema", str(out), "--check"]).exit_code == 1
    assert runner.invoke(app, ["schema", str(out)]).exit_code == 0
    assert runner.invoke(app, ["schema", str(out), "--check"]).exit_code == 0
    assert (out / "volunteer.schema.json").exists() and (out / "codelists" / "gender.csv").exists()


def test_codelists_commands() -> None:
    listing = runner.invoke(app, ["codelists", "list", "--lang", "zh"])
    assert "service_category" in listing.output and "closed" in listing.output
    shown = runner.invoke(app, ["codelists", "show", "service_category"])
    assert "0013\t应急救援" in shown.output
    assert runner.invoke(app, ["codelists", "show", "nope"]).exit_code == 2


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and f"standard {SCHEMA_VERSION}" in result.output
