"""Versions of the standard: 1.0 stays valid as published, data is validated against the
version it declares, and ``vstd upgrade`` brings 1.0 data to the current version losslessly."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from typer.testing import CliRunner

import volunteer_standard as vs
from volunteer_standard import versions
from volunteer_standard.cli import app
from volunteer_standard.upgrade import UpgradeError, upgrade

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "schemas" / "1.0"
V10 = ROOT / "examples" / "v1.0"


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_the_published_1_0_schemas_are_never_edited() -> None:
    sums = (FROZEN / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) > 50
    for line in sums:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((FROZEN / name).read_bytes()).hexdigest() == digest, name


def test_the_version_history_is_the_difference_between_the_schemas() -> None:
    """``versions.toml`` lists exactly the top-level fields each entity gained since 1.0."""
    added: dict[str, set[str]] = {}
    for path in sorted(FROZEN.glob("*.schema.json")):
        if path.name in ("package.schema.json", "record.schema.json"):
            continue
        old = json.loads(path.read_text(encoding="utf-8"))["properties"]
        new = json.loads((ROOT / "schemas" / path.name).read_text(encoding="utf-8"))
        added[path.name.split(".")[0]] = set(new["properties"]) - set(old)
    declared = versions.added_after("1.0")
    for kind, fields in added.items():
        expected = set(fields)
        listed = {f.split(".", 1)[1] for f in declared if f.split(".")[0] in ("*", kind)}
        assert expected == listed, kind
    assert versions.current() == vs.SCHEMA_VERSION == versions.versions()[-1].version


def _frozen_validator(name: str) -> Draft202012Validator:
    resources = [
        (s["$id"], Resource.from_contents(s))
        for s in (json.loads(p.read_text("utf-8")) for p in FROZEN.glob("*.schema.json"))
    ]
    schema = json.loads((FROZEN / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=Registry().with_resources(resources))


def test_1_0_data_is_still_valid_as_1_0() -> None:
    for name in ("sample.jsonl", "sample.json"):
        report = vs.validate(V10 / name)
        assert report.errors == 0 and report.warnings == 0, dict(report.issues_by_code)
    records = _frozen_validator("record.schema.json")
    for record in _lines(V10 / "sample.jsonl")[::7]:
        assert not list(records.iter_errors(record)), record["id"]
    package = json.loads((V10 / "sample.json").read_text(encoding="utf-8"))
    assert package["metadata"]["schema_version"] == "1.0"
    assert not list(_frozen_validator("package.schema.json").iter_errors(package))


def _validate(tmp_path: Path, records: list[dict[str, Any]]) -> dict[str, int]:
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return dict(vs.validate(path, profile="structure").issues_by_code)


ORG = {"type": "organization", "id": "org-1", "name": "示例志愿者协会", "team_type": "2"}
MODIFIED = "2024-03-01T08:00:00+08:00"


def test_data_is_validated_against_the_version_it_declares(tmp_path: Path) -> None:
    assert _validate(tmp_path, [{**ORG, "schema_version": "1.1", "modified": MODIFIED}]) == {}
    assert _validate(tmp_path, [{**ORG, "modified": MODIFIED}]) == {}  # no version: current
    assert _validate(tmp_path, [{**ORG, "schema_version": "1.0"}]) == {}
    newer = _validate(tmp_path, [{**ORG, "schema_version": "1.0", "modified": MODIFIED}])
    assert newer == {"VS131": 1}
    assert _validate(tmp_path, [{**ORG, "schema_version": "1.9"}]) == {"VS132": 1}


def test_the_package_version_applies_to_its_records(tmp_path: Path) -> None:
    package = {
        "metadata": {
            "schema_version": "1.0",
            "publisher": {"name": "示例"},
            "generated_at": MODIFIED,
        },
        "organizations": [{**ORG, "modified": MODIFIED}],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    report = vs.validate(path, profile="structure")
    assert dict(report.issues_by_code) == {"VS131": 1}
    message = report.examples["VS131"][0].message("en")
    assert message == "field modified was added in version 1.1, but the data declares version 1.0"


@pytest.mark.parametrize("name", ["sample.jsonl", "sample.json"])
def test_upgrade_is_lossless_and_reported(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    report = upgrade(V10 / name, out)
    assert report.to_version == versions.current()
    assert vs.validate(out).errors == 0
    if name.endswith(".jsonl"):
        before, after = _lines(V10 / name), _lines(out)
    else:
        old = json.loads((V10 / name).read_text(encoding="utf-8"))
        new = json.loads(out.read_text(encoding="utf-8"))
        assert new["metadata"] == {**old["metadata"], "schema_version": versions.current()}
        before = [r for k, v in old.items() if k != "metadata" for r in v]
        after = [r for k, v in new.items() if k != "metadata" for r in v]
    assert len(before) == len(after) == report.records
    declared = sum(1 for r in before if "schema_version" in r)
    assert declared > 0
    assert report.changes[f"schema_version → {versions.current()}"] == declared
    key = lambda r: (r["type"], r["id"])  # noqa: E731
    for old_record, new_record in zip(sorted(before, key=key), sorted(after, key=key), strict=True):
        if "schema_version" in old_record:
            old_record = {**old_record, "schema_version": versions.current()}
        assert new_record == old_record


def test_upgrade_refuses_to_destroy_its_input_or_downgrade(tmp_path: Path) -> None:
    copy = tmp_path / "s.jsonl"
    copy.write_bytes((V10 / "sample.jsonl").read_bytes())
    with pytest.raises(UpgradeError, match="is the input file"):
        upgrade(copy, copy)
    assert copy.read_bytes() == (V10 / "sample.jsonl").read_bytes()
    current = tmp_path / "current.jsonl"
    upgrade(copy, current)
    with pytest.raises(UpgradeError, match="cannot downgrade"):
        upgrade(current, tmp_path / "o.jsonl", to="1.0")
    assert not (tmp_path / "o.jsonl").exists()


def test_upgrade_refuses_unknown_versions_and_leaves_no_output(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    with pytest.raises(UpgradeError, match="unknown version"):
        upgrade(V10 / "sample.jsonl", out, to="7.3")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_vstd_upgrade_command(tmp_path: Path) -> None:
    out = tmp_path / "up.json"
    result = CliRunner().invoke(app, ["upgrade", str(V10 / "sample.json"), str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["records"] == 499
    same = CliRunner().invoke(app, ["upgrade", str(out), str(out), "--lang", "zh"])
    assert same.exit_code == 2 and "就是输入文件" in same.output
