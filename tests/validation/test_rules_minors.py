"""VR4xx: minors by age at each service date, and insurance for risky service.

Sources (domain.md §1f, §6a): PIPL art. 31 (guardian consent under 14), 中国注册志愿者管理办法
art. 4 (consent at 14-18), Zhejiang/Shandong bans on dangerous service for minors, 条例 art. 17
and 慈善法 art. 69 (insurance before dangerous service).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.validation.rules_support import at, dataset, only, record, rid, rule_codes, run

CHILD_BIRTH = "2012-06-15"  # 11 on 2024-03-05, 13 on 2025-06-30 (the test's today)


def _child(**changes: Any) -> dict[str, Any]:
    vol = dataset()["vol"]
    vol.update(
        id="vol-c",
        volunteer_no="VC001",
        birth_date=CHILD_BIRTH,
        gender="1",
        id_document={"type": "01", "number": rid("110105", CHILD_BIRTH.replace("-", ""))},
        phone=None,
    )
    vol.update(changes)
    return {k: v for k, v in vol.items() if v is not None}


def _served(
    tmp_path: Path, volunteer: dict[str, Any], *records: dict[str, Any], **kwargs: Any
) -> list[Any]:
    ds = dataset()
    rows = [ds["org"], volunteer, ds["prj"]]
    for rec in records:
        rec["volunteer_id"] = volunteer["id"]
        rows.append(rec)
    _report, issues = run(tmp_path, rows, **kwargs)
    return issues


def _on(day: str, **extra: Any) -> dict[str, Any]:
    return record(f"rec-{day}", at(day, "09:00"), at(day, "11:00"), "2.00", **extra)


GUARDIAN = {"name": "监护人", "relation": "51", "consent_on": "2023-01-10"}


def test_child_without_guardian_consent(tmp_path: Path) -> None:
    issues = _served(tmp_path, _child(), _on("2024-03-05"))
    assert rule_codes(issues) == ["VR401", "VR404"]
    service = only(issues, "VR401")[0]
    assert service.record_id == "rec-2024-03-05" and service.severity == "error"
    assert "under 14" in service.message("en") and "未满 14" in service.message("zh")
    for issue in issues:
        assert "2012" not in issue.message("en") and "11" not in issue.message("en")


def test_child_with_guardian_consent(tmp_path: Path) -> None:
    assert rule_codes(_served(tmp_path, _child(guardian=GUARDIAN), _on("2024-03-05"))) == []
    consents = [
        {"purpose": "minors_guardian", "given_at": at("2023-01-10", "10:00"), "by_guardian": True}
    ]
    assert rule_codes(_served(tmp_path, _child(consents=consents), _on("2024-03-05"))) == []


def test_consent_must_precede_the_service_and_not_be_withdrawn(tmp_path: Path) -> None:
    late = dict(GUARDIAN, consent_on="2024-04-01")
    issues = _served(tmp_path, _child(guardian=late), _on("2024-03-05"), _on("2024-05-05"))
    assert [i.record_id for i in only(issues, "VR401")] == ["rec-2024-03-05"]
    withdrawn = [
        {
            "purpose": "minors_guardian",
            "given_at": at("2023-01-10", "10:00"),
            "withdrawn_at": at("2024-04-01", "10:00"),
            "by_guardian": True,
        }
    ]
    issues = _served(tmp_path, _child(consents=withdrawn), _on("2024-03-05"), _on("2024-05-05"))
    assert [i.record_id for i in only(issues, "VR401")] == ["rec-2024-05-05"]


def test_age_is_taken_at_each_service_date(tmp_path: Path) -> None:
    # Born 2010-03-05: 13 the day before the 14th birthday, 14 on it.
    birth = "2010-03-05"
    teen = _child(
        birth_date=birth,
        id_document={"type": "01", "number": rid("110105", "20100305")},
    )
    issues = _served(tmp_path, teen, _on("2024-03-04"), _on("2024-03-05"))
    assert [(i.code, i.record_id) for i in issues if i.code.startswith("VR40")] == [
        ("VR401", "rec-2024-03-04"),
        ("VR403", "rec-2024-03-05"),
    ]


def test_a_minor_at_an_early_service_date_and_an_adult_later(tmp_path: Path) -> None:
    """Regression: a volunteer who was an adult on the latest service day (or today) was
    left out of the check, although a minor at the date of an earlier record."""
    birth = "2004-06-15"  # 17 on 2021-09-01, 19 on 2024-03-05
    grown = _child(
        birth_date=birth, id_document={"type": "01", "number": rid("110105", "20040615")}
    )
    records = [_on("2021-09-01", project_id=None), _on("2024-03-05")]
    issues = _served(tmp_path, grown, *records)
    assert [(i.code, i.record_id) for i in issues if i.code.startswith("VR40")] == [
        ("VR403", "rec-2021-09-01"),
    ]


def test_leap_day_birthdays(tmp_path: Path) -> None:
    # Born 2008-02-29: in 2022 the 14th birthday falls on 1 March, not 28 February.
    teen = _child(
        birth_date="2008-02-29",
        id_document={"type": "01", "number": rid("110105", "20080229")},
    )
    records = [_on("2022-02-28", project_id=None), _on("2022-03-01", project_id=None)]
    issues = _served(tmp_path, teen, *records)
    assert [(i.code, i.record_id) for i in issues] == [
        ("VR401", "rec-2022-02-28"),
        ("VR403", "rec-2022-03-01"),
    ]


def test_consent_between_14_and_18_follows_the_profile(tmp_path: Path) -> None:
    teen = _child(
        birth_date="2008-06-15",
        id_document={"type": "01", "number": rid("110105", "20080615")},
    )
    (issue,) = only(_served(tmp_path, teen, _on("2024-03-05")), "VR403")
    assert issue.severity == "warning" and "14-18" in issue.message("en")
    profile = tmp_path / "p.toml"
    profile.write_text('name = "p"\nextends = "national"\n[minors]\nconsent_until_adult = false\n')
    assert rule_codes(_served(tmp_path, teen, _on("2024-03-05"), profile=profile)) == []


@pytest.mark.parametrize(("profile", "severity"), [("national", "warning"), ("zhejiang", "error")])
def test_minors_on_emergency_service(tmp_path: Path, profile: str, severity: str) -> None:
    ds = dataset()
    risky = dict(ds["prj"], id="prj-r", service_categories=["0013"], guarantees=["01"])
    rows = [ds["org"], _child(guardian=GUARDIAN), risky]
    rec = _on("2024-03-05", project_id="prj-r")
    rec["volunteer_id"] = "vol-c"
    _report, issues = run(tmp_path, [*rows, rec], profile=profile)
    (issue,) = only(issues, "VR402")
    assert issue.severity == severity and issue.path == "/project_id"
    # The record's own category counts too, and adults are not concerned.
    fire = _on("2024-03-06", service_category="0012")
    fire["volunteer_id"] = "vol-c"
    _report, issues = run(tmp_path, [*rows, fire])
    assert [i.path for i in only(issues, "VR402")] == ["/service_category"]
    adult = _on("2024-03-05", project_id="prj-r")
    _report, issues = run(tmp_path, [ds["org"], ds["vol"], risky, adult])
    assert rule_codes(issues) == []


def test_project_minimum_age(tmp_path: Path) -> None:
    ds = dataset()
    teen = _child(
        birth_date="2008-06-15",
        id_document={"type": "01", "number": rid("110105", "20080615")},
        guardian=GUARDIAN,
    )
    project = dict(ds["prj"], recruitment={"min_age": 18})
    rec = _on("2024-03-05")
    rec["volunteer_id"] = "vol-c"
    _report, issues = run(tmp_path, [ds["org"], teen, project, rec])
    (issue,) = only(issues, "VR405")
    assert "'prj-1'" in issue.message("en") and "18" in issue.message("en")


def test_insurance_for_risky_categories(tmp_path: Path) -> None:
    ds = dataset()

    def project(**changes: Any) -> list[str]:
        prj = dict(ds["prj"], **changes)
        return rule_codes(run(tmp_path, [ds["org"], prj])[1])

    assert project(service_categories=["0013"]) == ["VR410"]
    assert project(service_categories=["0001", "0012"], guarantees=["04"]) == ["VR410"]
    assert project(service_categories=["0013"], guarantees=["01", "07"]) == []
    assert project(service_categories=["0001"]) == []
    profile = tmp_path / "p.toml"
    profile.write_text('name = "p"\nextends = "national"\n[insurance]\nrisky_categories = []\n')
    prj = dict(ds["prj"], service_categories=["0013"])
    assert rule_codes(run(tmp_path, [ds["org"], prj], profile=profile)[1]) == []
    (issue,) = run(tmp_path, [ds["org"], prj])[1]
    assert issue.path == "/guarantees" and "0013" in issue.message("en")
