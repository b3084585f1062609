"""The conversion engine in stages: the plan is made before anything is written, each record
is judged on its own, and what a writer writes is known before it is opened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from volunteer_standard.connectors import SourceRecord
from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.engine import judge, plan_run, writable_types
from volunteer_standard.io.reader import Location
from volunteer_standard.validation.structure import RecordChecker

VOLUNTEER = {"type": "volunteer", "id": "v1", "volunteer_no": "V1100002201000004V", "name": "甲"}


class _OnlyVolunteers(StandardConnector):
    name = "only-volunteers"
    title = "writes volunteers only, to some targets"

    def writable_types(self, target: str) -> tuple[str, ...]:
        return ("volunteer",) if target.endswith(".vol.jsonl") else self.writes


def _plan(tmp_path: Path, target: str, **options: Any) -> Any:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(VOLUNTEER, ensure_ascii=False) + "\n", encoding="utf-8")
    defaults: dict[str, Any] = {
        "source_connector": "standard",
        "target_connector": "standard",
        "source_config": None,
        "target_config": None,
        "rejects": None,
        "profile": "national",
        "privacy": None,
        "lang": "en",
        "on_invalid": "reject",
        "state_path": None,
    }
    return plan_run(str(source), str(tmp_path / target), **{**defaults, **options})


def test_a_plan_decides_the_reject_path_and_writes_nothing(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "out.jsonl")
    assert plan.rejects == tmp_path / "out.jsonl.rejects.jsonl"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_a_url_target_keeps_its_rejects_in_the_working_folder(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(VOLUNTEER) + "\n", encoding="utf-8")
    plan = plan_run(
        str(source),
        "-",
        source_connector="standard",
        target_connector="standard",
        source_config=None,
        target_config=None,
        rejects=None,
        profile=None,
        privacy=None,
        lang="en",
        on_invalid="reject",
        state_path=None,
    )
    assert isinstance(plan.rejects, Path) and "://" not in str(plan.rejects)
    assert plan.rejects.name.startswith("vstd-rejects-")


def test_what_a_writer_writes_is_known_before_it_opens(tmp_path: Path) -> None:
    connector = _OnlyVolunteers()
    assert writable_types(connector, str(tmp_path / "a.vol.jsonl")) == ("volunteer",)
    assert "service_record" in writable_types(connector, str(tmp_path / "a.jsonl"))
    assert writable_types(StandardConnector(), "x.jsonl") == StandardConnector.writes


@pytest.mark.parametrize(
    ("data", "ok", "codes"),
    [
        (VOLUNTEER, True, []),
        ({**VOLUNTEER, "gender": "男"}, False, ["VS120"]),
        (
            {**VOLUNTEER, "id_document": {"type": "01", "number": "110101199003070000"}},
            False,
            ["VR203"],
        ),
    ],
)
def test_each_record_is_judged_on_its_own(
    tmp_path: Path, data: dict[str, Any], ok: bool, codes: list[str]
) -> None:
    plan = _plan(tmp_path, "out.jsonl")
    verdict = judge(SourceRecord(data, Location("in.jsonl", 1)), plan, RecordChecker())
    assert verdict.ok is ok
    assert [e.code for e in verdict.errors][: len(codes)] == codes or set(codes) <= {
        e.code for e in verdict.errors
    }


def test_a_type_the_writer_cannot_write_is_rejected_not_crashed(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "out.vol.jsonl", target_connector=_OnlyVolunteers())
    record = {
        "type": "organization",
        "id": "org-1",
        "name": "示例志愿者协会",
        "team_type": "3",
    }
    verdict = judge(SourceRecord(record, Location("in.jsonl", 2)), plan, RecordChecker())
    assert not verdict.ok and [e.code for e in verdict.errors] == ["VS103"]


def test_a_folder_target_gets_its_rejects_beside_the_folder(tmp_path: Path) -> None:
    """Regression (issue 14 docs work): ``out/`` put the default reject file inside a
    folder that did not exist yet (``out/.rejects.jsonl``) and the run failed."""
    from volunteer_standard.engine import plan_run

    source = tmp_path / "in.jsonl"
    source.write_text('{"type": "volunteer"}\n', encoding="utf-8")
    plan = plan_run(
        str(source),
        f"{tmp_path / 'out'}/",
        source_connector="standard",
        target_connector="hsds",
        source_config=None,
        target_config=None,
        rejects=None,
        profile="structure",
        privacy=None,
        lang="en",
        on_invalid="reject",
        state_path=None,
    )
    assert plan.rejects == tmp_path / "out.rejects.jsonl"
