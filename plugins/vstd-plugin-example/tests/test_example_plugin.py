"""The installed example plugin: its profile, code list and extension schema work in
validation, in a mapping and on the command line, through the one registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import volunteer_standard as vs
from volunteer_standard import codelists
from volunteer_standard.cli import app
from volunteer_standard.plugins import plugin_infos
from volunteer_standard.profiles import available_profiles, load_profile

VOLUNTEER = {
    "type": "volunteer",
    "id": "vol-1",
    "volunteer_no": "V1100002201000004V",
    "name": "测试甲",
}


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_the_plugin_is_installed_and_healthy() -> None:
    info = next(i for i in plugin_infos() if i.name == "example")
    assert info.error is None
    assert info.hooks == ["register_codelists", "register_extensions", "register_profiles"]


def test_its_code_list_is_listed_and_shown() -> None:
    assert "example_skill" in codelists.names()
    assert codelists.get("example_skill").label("01", "en") == "First aid"
    shown = CliRunner().invoke(app, ["codelists", "show", "example_skill"])
    assert shown.exit_code == 0 and "手语" in shown.output
    listed = CliRunner().invoke(app, ["codelists", "list", "--lang", "en"])
    assert "example_skill" in listed.output


def test_its_profile_extends_national_and_changes_the_verdict(tmp_path: Path) -> None:
    assert "example-strict" in available_profiles()
    assert load_profile("example-strict").lineage == ("national", "example-strict")
    data = _write(tmp_path / "v.jsonl", [VOLUNTEER])
    assert vs.validate(data).errors == 0
    strict = vs.validate(data, profile="example-strict")
    assert strict.errors == 1 and strict.issues_by_code["VR610"] == 1


@pytest.mark.parametrize(
    ("extension", "codes"),
    [
        ({"primary_skill": "02", "skills": ["01", "04"]}, {}),
        ({"primary_skill": "99"}, {"VS151": 1}),
        ({"skills": ["01", "x"]}, {"VS151": 1}),
        ({"shoe_size": 12}, {"VS151": 1}),
        ({"unknown": True}, {"VS151": 1}),
    ],
)
def test_its_extension_schema_is_applied(
    tmp_path: Path, extension: dict[str, Any], codes: dict[str, int]
) -> None:
    record = {**VOLUNTEER, "extensions": {"example": extension, "other": {"free": 1}}}
    report = vs.validate(_write(tmp_path / "v.jsonl", [record]))
    assert dict(report.issues_by_code) == codes


def test_its_code_list_works_in_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "vols.csv").write_text(
        "编号,志愿者号,姓名,技能\nv1,V1100002201000004V,测试甲,急救\nv2,V1100002201000012V,测试乙,飞行\n",
        encoding="utf-8",
    )
    (tmp_path / "map.yaml").write_text(
        "version: 1\nentities:\n  - type: volunteer\n    file: vols.csv\n    fields:\n"
        "      id: 编号\n      volunteer_no: 志愿者号\n      name: 姓名\n"
        "      extensions.example.primary_skill: {column: 技能, codelist: example_skill}\n",
        encoding="utf-8",
    )
    summary = vs.convert(
        str(tmp_path / "vols.csv"),
        str(tmp_path / "out.jsonl"),
        source_connector="tabular",
        source_config={"mapping": str(tmp_path / "map.yaml")},
    )
    assert (summary.read, summary.written, summary.rejected) == (2, 1, 1)
    assert summary.reject_codes == {"TAB110": 1}  # 飞行 is not a label of example_skill
    (written,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert written["extensions"]["example"] == {"primary_skill": "01"}
