"""VR6xx: references, duplicates and the profile's required fields; the index keeps no numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.validation.rules_support import (
    GB11643_EXAMPLE,
    NOW,
    TODAY,
    at,
    dataset,
    only,
    record,
    rid,
    rule_codes,
    run,
)
from volunteer_standard.io.reader import iter_raw
from volunteer_standard.profiles import load_profile
from volunteer_standard.validation.rules import index as index_module
from volunteer_standard.validation.rules.engine import RuleEngine
from volunteer_standard.validation.structure import RecordChecker


def test_forward_references_resolve(tmp_path: Path) -> None:
    ds = dataset()
    # Every record refers to something that only comes later in the file.
    rows = [ds["cert"], ds["rec"], ds["act"], ds["prj"], ds["vol"], ds["org"]]
    assert rule_codes(run(tmp_path, rows)[1]) == []


def test_unresolved_references_point_at_the_referring_record(tmp_path: Path) -> None:
    ds = dataset()
    rec = dict(ds["rec"], volunteer_id="vol-404", activity_id="act-404")
    rows = [ds["org"], ds["vol"], ds["prj"], ds["act"], rec]
    issues = only(run(tmp_path, rows)[1], "VR601")
    assert [(i.path, i.location.line, i.record_id) for i in issues] == [
        ("/volunteer_id", 5, "rec-1"),
        ("/activity_id", 5, "rec-1"),
    ]
    assert "'vol-404'" in issues[0].message("en") and "志愿者" in issues[0].message("zh")


def test_every_kind_of_reference(tmp_path: Path) -> None:
    ds = dataset()
    rows: list[dict[str, Any]] = [
        ds["org"],
        dict(ds["org2"], parent_id="org-9"),
        dict(ds["vol"], organization_ids=["org-1", "org-9"]),
        dict(ds["prj"], organization_id="org-9"),
        dict(ds["act"], project_id="prj-9"),
        {
            "type": "training_record",
            "id": "trn-1",
            "volunteer_id": "vol-9",
            "topic": "急救",
            "start": at("2024-02-01", "09:00"),
        },
        {
            "type": "award",
            "id": "awd-1",
            "subject_type": "2",
            "subject_id": "vol-1",  # a volunteer id, but subject_type 2 means a project
            "title": "最佳项目",
            "awarded_on": "2024-12-05",
            "granted_by": "示例区文明办",
        },
        {
            "type": "evaluation",
            "id": "evl-1",
            "direction": "org_to_volunteer",
            "volunteer_id": "vol-1",
            "service_record_id": "rec-9",
            "scores": {"overall": 5},
            "evaluated_on": "2024-03-06",
        },
        {
            "type": "demand",
            "id": "dmd-1",
            "title": "陪伴老人",
            "service_categories": ["0017"],
            "status": "matched",
            "matched_project_ids": ["prj-1", "prj-9"],
            "station_id": "stn-9",
        },
    ]
    issues = only(run(tmp_path, rows)[1], "VR601")
    assert sorted((i.record_id, i.path) for i in issues) == [
        ("act-1", "/project_id"),
        ("awd-1", "/subject_id"),
        ("dmd-1", "/matched_project_ids/1"),
        ("dmd-1", "/station_id"),
        ("evl-1", "/service_record_id"),
        ("org-2", "/parent_id"),
        ("prj-1", "/organization_id"),
        ("trn-1", "/volunteer_id"),
        ("vol-1", "/organization_ids/1"),
    ]


def test_references_to_structurally_broken_records_resolve(tmp_path: Path) -> None:
    ds = dataset()
    broken_volunteer = dict(ds["vol"], gender="男")  # VS120: reported once, not per reference
    rows = [ds["org"], broken_volunteer, ds["prj"], ds["act"], ds["rec"]]
    _report, issues = run(tmp_path, rows)
    assert sorted(i.code for i in issues) == ["VS120"]


def test_duplicate_ids_per_type(tmp_path: Path) -> None:
    ds = dataset()
    twin = dict(ds["prj"], title="另一个项目")
    same_id_other_type = dict(ds["act"], id="prj-1")
    rows = [ds["org"], ds["prj"], twin, same_id_other_type]
    (issue,) = only(run(tmp_path, rows)[1], "VR602")
    assert issue.location.line == 3 and "line 2" in issue.message("en")


def test_duplicate_service_record_ids(tmp_path: Path) -> None:
    ds = dataset()
    again = record("rec-1", at("2024-03-06", "09:00"), at("2024-03-06", "10:00"), "1.00")
    third = dict(again, start=at("2024-03-07", "09:00"), end=at("2024-03-07", "10:00"))
    rows = [ds["org"], ds["vol"], ds["prj"], ds["act"], ds["rec"], again, third]
    issues = only(run(tmp_path, rows)[1], "VR602")
    assert [(i.record_id, i.location.line) for i in issues] == [("rec-1", 6), ("rec-1", 7)]
    assert all("line 5" in i.message("en") for i in issues)


def test_duplicate_volunteers_by_identity_number_and_number(tmp_path: Path) -> None:
    ds = dataset()
    same_person = dict(
        ds["vol"],
        id="vol-2",
        volunteer_no="V2",
        id_document={"type": "01", "number": GB11643_EXAMPLE.lower()},
    )
    same_no = dict(ds["vol"], id="vol-3", id_document=None)
    del same_no["id_document"]
    _report, issues = run(
        tmp_path, [ds["vol"], same_person, same_no], ignore=["VR208", "VR601", "VR610"]
    )
    assert [(i.code, i.record_id) for i in issues] == [
        ("VR603", "vol-2"),
        ("VR604", "vol-3"),
    ]
    for issue in issues:
        assert GB11643_EXAMPLE not in issue.message("en") and "'vol-1'" in issue.message("en")


def test_duplicate_identity_numbers_come_in_the_order_of_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: VR603 groups were ordered by the salted hash of the number, so the
    order of the issues (and of a report's examples) changed from one run to the next."""
    ds = dataset()
    numbers = [rid("110105", "19800101", f"{i:03d}") for i in range(8)]
    first = [dict(ds["vol"], id=f"a{i}", volunteer_no=f"A{i}") for i in range(8)]
    for row, number in zip(first, numbers, strict=True):
        row["id_document"] = {"type": "01", "number": number}
    again = [dict(row, id=f"b{i}", volunteer_no=f"B{i}") for i, row in enumerate(first)]
    rows = [*first, *again[::-1]]  # the later ones in the opposite order
    orders = []
    for salt in (b"\x01" * 16, b"\x02" * 16):
        monkeypatch.setattr(index_module.os, "urandom", lambda n, salt=salt: salt[:n])
        issues = only(run(tmp_path, rows)[1], "VR603")
        orders.append([i.record_id for i in issues])
    assert orders[0] == orders[1] == [f"b{i}" for i in range(8)]


def test_duplicate_service_records(tmp_path: Path) -> None:
    ds = dataset()
    again = dict(ds["rec"], id="rec-2")
    rejected = dict(ds["rec"], id="rec-3", status="rejected")
    rows = [ds["org"], ds["vol"], ds["prj"], ds["act"], ds["rec"], again, rejected]
    (issue,) = run(tmp_path, rows)[1]
    assert issue.code == "VR605" and issue.record_id == "rec-2" and "line 5" in issue.message("en")


def test_required_fields_come_from_the_profile(tmp_path: Path) -> None:
    ds = dataset()
    vol = {k: v for k, v in ds["vol"].items() if k not in ("gender", "id_document")}
    cert = ds["cert"]
    del cert["issuer"]["handler"]
    # National: the certificate's 经办人 (民发〔2015〕149号); identity data are not required.
    (issue,) = only(run(tmp_path, [ds["org"], vol, cert])[1], "VR610")
    assert issue.path == "/issuer/handler" and issue.severity == "warning"
    assert "national" in issue.message("en") and "national" in issue.message("zh")
    profile = tmp_path / "p.toml"
    profile.write_text(
        'name = "strict"\nextends = "national"\n[rules.severity]\nVR610 = "error"\n'
        '[required]\nvolunteer = ["id_document", "gender", "phone"]\n'
        'service_record = ["content"]\n'
    )
    rec = record("rec-9", at("2024-03-05", "09:00"), at("2024-03-05", "10:00"), "1.00")
    rows = [ds["org"], {k: v for k, v in vol.items() if k != "phone"}, ds["prj"], rec, cert]
    issues = only(run(tmp_path, rows, profile=profile)[1], "VR610")
    # [required] merges per entity type: volunteer and service_record added, certificate kept.
    assert sorted((i.path, i.severity) for i in issues) == [
        ("/content", "error"),
        ("/gender", "error"),
        ("/id_document", "error"),
        ("/issuer/handler", "error"),
        ("/phone", "error"),
    ]


def test_index_stores_no_identity_numbers(tmp_path: Path) -> None:
    """Duplicate detection compares salted hashes; the raw number never reaches SQLite."""
    ds = dataset()
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ds.values()).encode()
    checker = RecordChecker()
    engine = RuleEngine(
        load_profile("national"),
        source="x.jsonl",
        today=TODAY,
        now=NOW,
        emit=lambda issue: None,
        workdir=tmp_path,
    )
    for raw in iter_raw(io.BytesIO(data), fmt="jsonl", name="x.jsonl"):
        kind, obj = checker.check(raw, lambda issue: None)
        engine.record(raw, kind, obj)
    engine.finish()
    assert engine.index is not None
    blob = engine.index.path.read_bytes()
    assert GB11643_EXAMPLE.encode() not in blob and b"19491231" not in blob
    assert b"rec-1" in blob  # the index itself is there
    engine.close()
    assert not list(tmp_path.iterdir())  # the scratch directory is removed
