"""HSDS mapping: official-schema validity, third-party data lossless, privacy, fidelity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from vstd_connector_hsds import HsdsConnector, schema_errors
from vstd_connector_hsds.schemas import schema_names

from volunteer_standard.engine import convert
from volunteer_standard.models import Organization
from volunteer_standard.privacy import Privacy
from volunteer_standard.testing import read_objects, sample_entities, write_objects

HERE = Path(__file__).parent
THIRD_PARTY = HERE / "data" / "third-party"
SHARED = HERE.parents[2].parent / "shared" / "standards" / "hsds-3.0"
BUNDLED = HERE.parent / "src" / "vstd_connector_hsds" / "schema"
TYPES = ("organization", "project", "station", "activity")
FILES = {"organizations": "organization", "services": "service", "locations": "location"}


#: Round trips keep personal data as it is (exports mask by default).
RAW = Privacy("raw")


def hsds_objects(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """HSDS objects of a JSON-form folder, by file stem."""
    out: dict[str, list[dict[str, Any]]] = {}
    for stem in FILES:
        path = folder / f"{stem}.ndjson"
        if path.exists():
            out[stem] = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return out


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """JSON pointer → scalar value of every leaf: the fields counted for fidelity."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(leaves(item, f"{path}/{key}"))
        return out
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(leaves(item, f"{path}/{i}"))
        return out
    return {path: value}


def fidelity(original: Any, back: Any) -> tuple[int, int]:
    """(fields preserved, fields total): leaves of ``original`` found unchanged in ``back``."""
    want, got = leaves(original), leaves(back)
    kept = sum(1 for k, v in want.items() if k in got and got[k] == v and type(got[k]) is type(v))
    return kept, len(want)


@pytest.mark.skipif(not SHARED.exists(), reason="shared standards folder not present")
def test_bundled_schemas_are_the_official_files() -> None:
    for path in sorted((SHARED / "schema").glob("*.json")):
        assert (BUNDLED / path.name).read_bytes() == path.read_bytes(), path.name
    assert (BUNDLED / "LICENSE").read_bytes() == (SHARED / "LICENSE").read_bytes()


def test_strict_schema_refuses_unknown_properties() -> None:
    ok = {"id": "6f2c7b1e-3d2a-4c55-9a1e-0b7d2f9e4a11", "name": "n", "description": "d"}
    assert schema_errors("organization", ok) == []
    assert schema_errors("organization", {**ok, "colour": "red"})
    nested = {**ok, "phones": [{"id": ok["id"], "number": "1", "colour": "red"}]}
    assert schema_errors("organization", nested), "nested objects are closed too"
    assert schema_errors("organization", {**ok, "id": "not-a-uuid"}), "uuid format is checked"
    assert set(schema_names()) >= {"organization", "service", "location", "attribute"}


@pytest.mark.parametrize("keep", [True, False])
def test_everything_written_validates_against_hsds_3(tmp_path: Path, keep: bool) -> None:
    target = tmp_path / "out"
    config = {"keep_standard_fields": keep}
    write_objects(HsdsConnector(config), target, sample_entities(TYPES))
    written = hsds_objects(target)
    assert sum(len(v) for v in written.values()) == len(sample_entities(TYPES))
    for stem, objects in written.items():
        for obj in objects:
            assert schema_errors(FILES[stem], obj) == [], obj["id"]


def test_third_party_sample_is_valid_hsds() -> None:
    for stem, objects in hsds_objects(THIRD_PARTY).items():
        for obj in objects:
            assert schema_errors(FILES[stem], obj) == [], obj["id"]


def test_third_party_import_keeps_unmapped_parts_under_extensions() -> None:
    records = read_objects(HsdsConnector(), THIRD_PARTY)
    assert len(records) == 7
    food_bank = next(r for r in records if r.id == "6f2c7b1e-3d2a-4c55-9a1e-0b7d2f9e4a11")
    assert isinstance(food_bank, Organization)
    assert food_bank.name == "Riverside Community Food Bank"
    assert str(food_bank.website) == "https://rcfb.example.org"
    patch = food_bank.extensions["hsds"]["patch"]  # type: ignore[index]
    kept = {op["path"] for op in patch}
    assert {"/tax_status", "/funding", "/programs", "/metadata", "/contacts"} <= kept
    kinds = sorted(r.type for r in records)
    assert kinds == [
        "organization",
        "organization",
        "project",
        "project",
        "project",
        "station",
        "station",
    ]


def test_third_party_import_then_export_is_lossless(tmp_path: Path) -> None:
    summary = convert(str(THIRD_PARTY), str(tmp_path / "std.jsonl"), source_connector="hsds")
    assert summary.rejected == 0 and summary.written == 7
    convert(
        str(tmp_path / "std.jsonl"), str(tmp_path / "back"), target_connector="hsds", privacy=RAW
    )
    original, back = hsds_objects(THIRD_PARTY), hsds_objects(tmp_path / "back")
    assert back == original
    kept, total = fidelity(original, back)
    print(f"HSDS third-party JSON round trip fidelity: {kept}/{total}")
    assert kept == total


def test_third_party_through_the_csv_form(tmp_path: Path) -> None:
    """JSON → standard → CSV tables → standard → JSON: the fidelity of the tabular form."""
    convert(str(THIRD_PARTY), str(tmp_path / "std.jsonl"), source_connector="hsds")
    convert(
        str(tmp_path / "std.jsonl"),
        str(tmp_path / "csv"),
        target_connector="hsds",
        target_config={"form": "csv"},
        privacy=RAW,
    )
    summary = convert(str(tmp_path / "csv"), str(tmp_path / "std2.jsonl"), source_connector="hsds")
    assert summary.rejected == 0 and summary.written == 7
    convert(
        str(tmp_path / "std2.jsonl"), str(tmp_path / "back"), target_connector="hsds", privacy=RAW
    )
    kept, total = fidelity(hsds_objects(THIRD_PARTY), hsds_objects(tmp_path / "back"))
    print(f"HSDS third-party CSV round trip fidelity: {kept}/{total}")
    assert kept == total


def test_private_contact_channels_are_not_published(tmp_path: Path) -> None:
    org = sample_entities(["organization"])[0]
    assert org.contact is not None
    hidden = org.model_copy(
        update={
            "contact": org.contact.model_copy(update={"phone_visibility": "private"}),
            "leader_name": "王桂佳",
        }
    )
    write_objects(HsdsConnector({"keep_standard_fields": False}), tmp_path / "o", [hidden])
    text = (tmp_path / "o" / "organizations.ndjson").read_text("utf-8")
    assert org.contact.phone is not None and org.contact.phone not in text
    assert "王桂佳" not in text


def test_output_replaces_the_target_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "stale.txt").write_text("old")
    write_objects(HsdsConnector(), target, sample_entities(["organization"]))
    assert sorted(p.name for p in target.iterdir()) == ["organizations.ndjson"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_orphan_child_rows_are_rejected_with_their_line(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    write_objects(HsdsConnector({"form": "csv"}), folder, sample_entities(["organization"]))
    with (folder / "phones.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "0c4f8e2a-1b3d-4e5f-8a9b-7c6d5e4f3a99,,,0c4f8e2a-1b3d-4e5f-8a9b-000000000000,,,123,,,\n"
        )
    summary = convert(str(folder), str(tmp_path / "o.jsonl"), source_connector="hsds")
    assert summary.rejected == 1
    assert summary.written == len(sample_entities(["organization"]))
    reject = json.loads((tmp_path / "o.jsonl.rejects.jsonl").read_text("utf-8"))
    assert reject["file"].endswith("phones.csv") and reject["line"] > 1


def test_api_pages_in_json_files_are_read(tmp_path: Path) -> None:
    text = (THIRD_PARTY / "services.ndjson").read_text("utf-8")
    services = [json.loads(line) for line in text.splitlines()]
    page = {"total_items": 3, "total_pages": 1, "page_number": 1, "contents": services}
    (tmp_path / "services.json").write_text(json.dumps(page), "utf-8")
    records = list(HsdsConnector().read(str(tmp_path)))
    located = [r for r in records if hasattr(r, "location")]
    assert [r.location.pointer for r in located] == ["/contents/0", "/contents/1", "/contents/2"]
    assert all(not r.problems for r in located)


def test_a_folder_without_hsds_files_is_refused(tmp_path: Path) -> None:
    shutil.copy(THIRD_PARTY / "organizations.ndjson", tmp_path / "other.ndjson")
    assert not HsdsConnector().check(str(tmp_path)).ok
