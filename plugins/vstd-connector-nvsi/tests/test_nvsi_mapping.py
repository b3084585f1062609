"""What the nvsi connector promises beyond the kit: NVSI → standard → NVSI gives the rows
back unchanged, the NVSI codes map as documented, and bad values are precise rejects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from vstd_connector_nvsi import NvsiConnector
from vstd_connector_nvsi.connector import CARRY, NAMESPACE

from volunteer_standard.cli import app
from volunteer_standard.engine import convert
from volunteer_standard.testing import check_record, read_objects, records_of, write_objects

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "nvsi-sample.jsonl"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _one(tmp_path: Path, row: dict[str, Any]) -> Any:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (record,) = list(records_of(NvsiConnector(), str(path)))
    return record


HOUR = {
    "id": "sr-1",
    "albx0172": "2.50",
    "albx0173": "1",
    "albx0174": "2",
    "albx0175": "VS20990000001",
    "albx0176": "prj-1",
    "albx0177": "org-1",
    "albx0178": "2024-03-06 10:00:00",
    "albx0181": "2024-03-05 09:00:00",
    "albx0182": "2024-03-05 11:30:00",
    "albx0187": "2",
}


def test_nvsi_to_standard_to_nvsi_gives_the_rows_back(tmp_path: Path) -> None:
    objects = read_objects(NvsiConnector(), SAMPLE)
    out = tmp_path / "back.jsonl"
    write_objects(NvsiConnector(), out, objects)
    assert _rows(out) == _rows(SAMPLE)
    assert not any(CARRY in row for row in _rows(out))


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("0", "pending"),
        ("1", "open"),
        ("2", "effective"),
        ("3", "deleted"),
        ("4", "rejected"),
        ("5", "failed"),
    ],
)
def test_hours_status_codes(tmp_path: Path, code: str, status: str) -> None:
    record = _one(tmp_path, {**HOUR, "albx0174": code})
    assert record.data["status"] == status
    obj, errors = check_record(record)
    assert obj is not None, errors


def test_hour_record_fields(tmp_path: Path) -> None:
    record = _one(tmp_path, HOUR)
    assert record.location.line == 1
    assert record.data == {
        "type": "service_record",
        "id": "sr-1",
        "hours": "2.50",
        "entry_method": "1",
        "status": "effective",
        "volunteer_id": "VS20990000001",
        "project_id": "prj-1",
        "organization_id": "org-1",
        "recorded_at": "2024-03-06T10:00:00+08:00",
        "start": "2024-03-05T09:00:00+08:00",
        "end": "2024-03-05T11:30:00+08:00",
        "hours_type": "2",
    }
    assert record.raw == HOUR


def test_unknown_code_is_a_precise_problem(tmp_path: Path) -> None:
    record = _one(tmp_path, {**HOUR, "albx0174": "9"})
    (problem,) = record.problems
    assert problem.code == "VC110"
    assert problem.field == "albx0174"
    assert "'9'" in problem.text()


def test_unmapped_columns_and_odd_values_are_kept(tmp_path: Path) -> None:
    record = _one(
        tmp_path,
        {
            "albp0029": "VS20990000001",
            "albp0003": "测试乙",
            "albp0004": "6",
            "albp0005": "军字1号",
            "albp0048": "A",
        },
    )
    assert record.data["id"] == "VS20990000001"
    assert record.data["id_document"] == {"type": "06", "number": "军字1号"}
    assert record.data["extensions"] == {NAMESPACE: {"albp0004": "6", "albp0048": "A"}}
    obj, errors = check_record(record)
    assert obj is not None, errors


def test_a_clean_export_has_no_carry_object(tmp_path: Path) -> None:
    from volunteer_standard.testing import sample_entities

    out = tmp_path / "clean.jsonl"
    write_objects(
        NvsiConnector({"keep_standard_fields": False}), out, sample_entities(["volunteer"])
    )
    rows = _rows(out)
    assert rows and not any(CARRY in row for row in rows)
    assert all(row["albp0029"].startswith("VS") for row in rows)


def test_incremental_runs_skip_hours_already_read(tmp_path: Path) -> None:
    first = convert(str(SAMPLE), str(tmp_path / "1.jsonl"), source_connector="nvsi")
    assert first.written == 36 and first.state == {"recorded_at": "2024-03-22T16:05:00+08:00"}
    second = convert(
        str(SAMPLE), str(tmp_path / "2.jsonl"), source_connector="nvsi", state=first.state
    )
    # Only hour rows have a change date; the other tables are read in full each time.
    assert second.written_by_type == {
        "volunteer": 6,
        "training_record": 4,
        "award": 3,
        "evaluation": 5,
    }
    assert second.state == first.state


def test_malformed_rows_are_rejected_with_lines(tmp_path: Path) -> None:
    summary = convert(
        str(DATA / "nvsi-malformed.jsonl"),
        str(tmp_path / "out.jsonl"),
        source_connector="nvsi",
        rejects=tmp_path / "rejects.jsonl",
    )
    assert summary.balanced and summary.written == 1
    rejects = _rows(tmp_path / "rejects.jsonl")
    assert [r["line"] for r in rejects] == [2, 3, 4, 5, 6, 7]
    assert rejects[0]["codes"] == ["VC110"]
    assert rejects[-1]["codes"] == ["VC110"]  # "男" is a label, NVSI writes the code


def test_the_cli_finds_the_plugin(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["connectors", "list"])
    assert "nvsi" in listed.output
    result = runner.invoke(
        app, ["convert", "--from", "nvsi", str(SAMPLE), str(tmp_path / "out.json")]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["written"] == 36 and summary["balanced"]


def test_training_award_and_evaluation_rows(tmp_path: Path) -> None:
    training = _one(
        tmp_path,
        {
            "id": "trn-9",
            "volunteer_id": "vol-9",
            "albx0282": "应急救护基础",
            "albx0284": "2023-12-17 09:00:00",
            "albx0286": "440106001002000000",
            "albx0287": "示例街道活动中心",
            "albx0288": "2.00",
            "albx0291": "3",
            "albx0292": "2",
        },
    )
    assert training.data == {
        "type": "training_record",
        "id": "trn-9",
        "volunteer_id": "vol-9",
        "topic": "应急救护基础",
        "start": "2023-12-17T09:00:00+08:00",
        "location": {
            "region_code": "440106",
            "area_id": "440106001002000000",
            "address": "示例街道活动中心",
        },
        "hours": "2.00",
        "training_type": "3",
        "mode": "2",
    }
    award = _one(
        tmp_path,
        {
            "id": "a",
            "subject_id": "org-1",
            "albx0352": "优秀组织",
            "albx0353": "2025/09/28",
            "albx0354": "示例联合会",
            "albx0362": "1",
            "albx0363": "示志联〔2025〕2号",
        },
    )
    assert award.data is not None
    assert (award.data["subject_type"], award.data["awarded_on"]) == ("1", "2025-09-28")
    by_team = _one(
        tmp_path,
        {"id": "e1", "albx0470": "VS1", "albx0463": "5", "albx0464": 4, "albx0466": "2024-02-09"},
    )
    assert by_team.data is not None
    assert by_team.data["direction"] == "org_to_volunteer"
    assert by_team.data["scores"] == {"punctuality": 5, "attitude": 4}
    by_volunteer = _one(
        tmp_path,
        {"id": "e2", "volunteer_id": "v", "albx0504": 5, "albx0506": "2024-03-12"},
    )
    assert by_volunteer.data is not None
    assert by_volunteer.data["direction"] == "volunteer_to_project"
    assert by_volunteer.data["scores"] == {"teamwork": 5}
    for record in (training, award, by_team, by_volunteer):
        obj, errors = check_record(record)
        assert obj is not None, errors


def test_unknown_training_mode_is_a_precise_problem(tmp_path: Path) -> None:
    record = _one(
        tmp_path,
        {
            "id": "t",
            "volunteer_id": "v",
            "albx0282": "x",
            "albx0284": "2024-01-01 09:00:00",
            "albx0292": "3",
        },  # 3 混合 is the standard's, not an NVSI code
    )
    (problem,) = record.problems
    assert (problem.code, problem.field) == ("VC110", "albx0292")


def test_code_lists_and_columns_are_data() -> None:
    from vstd_connector_nvsi.columns import code_maps, tables

    found = tables()
    assert set(found) == {
        "volunteer",
        "service_record",
        "training",
        "award",
        "evaluation_by_team",
        "evaluation_by_volunteer",
    }
    assert {c.code for c in found["service_record"].columns} >= {"albx0172", "albx0187"}
    assert code_maps()["hours_status"].code("2", [], field="albx0174") == "effective"
    assert code_maps()["id_type"].code("6", [], field="albp0004") == "06"


def test_round_trip_fidelity_over_the_sample(tmp_path: Path) -> None:
    """standard → NVSI → standard over the bundled synthetic sample, measured.

    With the carry object (the default) nothing is lost; a clean NVSI file
    (``keep_standard_fields = false``) keeps what NVSI has columns for. The figures are in
    the README and the changelog.
    """
    from volunteer_standard.testing import sample_entities
    from volunteer_standard.testing.fidelity import measure

    types = ["volunteer", "service_record", "training_record", "award", "evaluation"]
    written = sample_entities(types)
    out = tmp_path / "full.jsonl"
    write_objects(NvsiConnector(), out, written)
    full = measure(written, read_objects(NvsiConnector(), out))
    assert (full.preserved, full.total) == (full.total, 8195)
    clean_out = tmp_path / "clean.jsonl"
    write_objects(NvsiConnector({"keep_standard_fields": False}), clean_out, written)
    clean = measure(written, read_objects(NvsiConnector(), clean_out))
    print(f"\nnvsi round trip: carry {full}; clean NVSI {clean}; lost {dict(clean.lost)}")
    assert (clean.preserved, clean.total) == (CLEAN_PRESERVED, 8195)
    # And NVSI → standard → NVSI gives every sample row back: see the first test.


CLEAN_PRESERVED = 5532
