"""VR5xx: certificates (谁记录谁证明, 民发〔2015〕149号) and star levels (domain.md §1c-d, §3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.validation.rules_support import at, dataset, record, rule_codes, run


def _certify(tmp_path: Path, edit: Any = None, *extra: dict[str, Any], **kwargs: Any) -> list[Any]:
    ds = dataset()
    if edit is not None:
        edit(ds)
    _report, issues = run(tmp_path, [*ds.values(), *extra], **kwargs)
    return issues


def test_consistent_certificate(tmp_path: Path) -> None:
    assert rule_codes(_certify(tmp_path)) == []


def test_total_equals_the_sum_of_lines(tmp_path: Path) -> None:
    def edit(ds: dict[str, Any]) -> None:
        ds["cert"]["total_hours"] = "3.00"

    (issue,) = _certify(tmp_path, edit)
    assert issue.code == "VR501" and "3.00" in issue.message("en") and "2.50" in issue.message("en")


def test_revoked_certificates_are_not_counted(tmp_path: Path) -> None:
    def edit(ds: dict[str, Any]) -> None:
        cert = ds["cert"]
        cert.update(status="revoked", revoked_at=at("2024-05-01", "09:00"), total_hours="9.00")
        cert["issuer"]["organization_id"] = "org-2"  # would be a foreign record if counted
        cert["lines"][0]["hours"] = "8.00"

    assert rule_codes(_certify(tmp_path, edit)) == []


def test_revocation_fields(tmp_path: Path) -> None:
    def revoked(ds: dict[str, Any]) -> None:
        ds["cert"]["status"] = "revoked"

    def issued_with_time(ds: dict[str, Any]) -> None:
        ds["cert"]["revoked_at"] = at("2024-05-01", "09:00")

    assert rule_codes(_certify(tmp_path, revoked)) == ["VR510"]
    assert rule_codes(_certify(tmp_path, issued_with_time)) == ["VR509"]


def test_period_covers_the_lines(tmp_path: Path) -> None:
    def edit(ds: dict[str, Any]) -> None:
        ds["cert"]["period"] = {"start": "2024-03-06", "end": "2024-03-31"}

    issues = _certify(tmp_path, edit)
    assert [(i.code, i.path) for i in issues] == [("VR502", "/lines/0/period")]


def test_dates_of_issue(tmp_path: Path) -> None:
    def future(ds: dict[str, Any]) -> None:
        ds["cert"]["issued_on"] = "2025-07-01"

    def too_early(ds: dict[str, Any]) -> None:
        ds["cert"]["issued_on"] = "2024-03-04"

    assert rule_codes(_certify(tmp_path, future)) == ["VR511"]
    assert rule_codes(_certify(tmp_path, too_early)) == ["VR512"]


def test_only_the_recording_organisation_certifies(tmp_path: Path) -> None:
    """谁记录谁证明: org-2 may not certify a record kept by org-1."""

    def edit(ds: dict[str, Any]) -> None:
        ds["cert"]["issuer"]["organization_id"] = "org-2"

    (issue,) = _certify(tmp_path, edit)
    assert issue.code == "VR503" and issue.path == "/lines/0/service_record_ids/0"
    assert "'rec-1'" in issue.message("en") and "谁记录谁证明" in issue.message("zh")


def test_lines_agree_with_their_records(tmp_path: Path) -> None:
    other = record("rec-2", at("2024-03-06", "09:00"), at("2024-03-06", "10:00"), "1.00")
    other["volunteer_id"] = "vol-2"
    pending = record(
        "rec-3", at("2024-03-07", "09:00"), at("2024-03-07", "10:00"), "1.00", status="pending"
    )

    def edit(ds: dict[str, Any]) -> None:
        line = ds["cert"]["lines"][0]
        line["service_record_ids"] = ["rec-1", "rec-2", "rec-3"]
        line["hours"] = "4.50"
        ds["cert"]["total_hours"] = "4.50"

    issues = _certify(tmp_path, edit, other, pending, ignore=["VR601"])
    found = sorted((i.code, i.path) for i in issues)
    assert found == [
        ("VR504", "/lines/0/service_record_ids/1"),
        ("VR506", "/lines/0/service_record_ids/2"),
        ("VR507", "/lines/0/service_record_ids/1"),
        ("VR507", "/lines/0/service_record_ids/2"),
    ]


def test_line_hours_equal_the_records(tmp_path: Path) -> None:
    def edit(ds: dict[str, Any]) -> None:
        ds["cert"]["lines"][0]["hours"] = "3.00"
        ds["cert"]["total_hours"] = "3.00"

    (issue,) = _certify(tmp_path, edit)
    assert issue.code == "VR505" and issue.path == "/lines/0/hours"
    assert "3.00" in issue.message("en") and "2.50" in issue.message("en")


def test_records_listed_before_they_appear(tmp_path: Path) -> None:
    """The certificate comes first in the file; its records are resolved at the end."""
    ds = dataset()
    rows = [ds["cert"], ds["org"], ds["vol"], ds["prj"], ds["act"], ds["rec"]]
    assert rule_codes(run(tmp_path, rows)[1]) == []


def test_holder_matches_the_volunteer(tmp_path: Path) -> None:
    def edit(ds: dict[str, Any]) -> None:
        ds["cert"]["volunteer"]["volunteer_no"] = "V-OTHER"

    (issue,) = _certify(tmp_path, edit)
    assert issue.code == "VR508" and issue.path == "/volunteer/volunteer_no"


# -- stars ----------------------------------------------------------------------------------------


def _history(hours_per_day: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One 8-hour record per day (hours as given, type 1 or 2) from 2024-04-01 on."""
    out = []
    for n, (hours, kind) in enumerate(hours_per_day):
        day = f"2024-{4 + n // 28:02d}-{1 + n % 28:02d}"
        out.append(record(f"rec-h{n}", at(day, "08:00"), at(day, "16:00"), hours, hours_type=kind))
    return out


def _stars(
    tmp_path: Path, star: str | None, history: list[tuple[str, str]], profile: str = "national"
) -> list[Any]:
    ds = dataset()
    if star is not None:
        ds["vol"]["star_level"] = star
    rows = [ds["org"], ds["vol"], ds["prj"], *_history(history)]
    return run(tmp_path, rows, profile=profile)[1]


def test_star_level_needs_effective_credit_hours(tmp_path: Path) -> None:
    assert rule_codes(_stars(tmp_path, "1", [("8.00", "1")] * 13)) == []  # 104 h
    (issue,) = _stars(tmp_path, "2", [("8.00", "1")] * 13)
    assert issue.code == "VR520" and issue.severity == "warning"
    assert "300.00" in issue.message("en") and "104.00" in issue.message("en")
    # Honour hours (type 2) do not count: 96 credit + 8 honour.
    assert rule_codes(_stars(tmp_path, "1", [("8.00", "1")] * 12 + [("8.00", "2")])) == ["VR520"]


def test_star_level_below_what_was_earned_is_information(tmp_path: Path) -> None:
    (issue,) = _stars(tmp_path, None, [("8.00", "1")] * 13)
    assert issue.code == "VR521" and issue.severity == "info"


@pytest.mark.parametrize(
    ("profile", "star", "expected"),
    [
        ("national", "2", ["VR520"]),  # two stars need 300 h
        ("beijing-2014", "2", []),  # 200 h
        ("zhangjiagang", "4", []),  # 200 h
        ("zhangjiagang", "5", ["VR520"]),  # 300 h
    ],
)
def test_thresholds_come_from_the_profile(
    tmp_path: Path, profile: str, star: str, expected: list[str]
) -> None:
    history = [("8.00", "1")] * 31 + [("2.00", "1")]  # 250 h of effective credit hours
    assert rule_codes(_stars(tmp_path, star, history, profile)) == expected
