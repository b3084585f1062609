"""VR3xx: service hours and records (NVSI time-entry rules, domain.md §4e; 办法 art. 4).

Start before end, one calendar day in the record's own offset, 1 minute to 24 hours, nothing
in the future (clock injected), hours at most the duration (+0.01 for rounding), inside the
project's and activity's period (which may come later in the file), and no overlapping
effective records of one volunteer anywhere in the input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.validation.rules_support import at, dataset, only, record, rule_codes, run


def _records(tmp_path: Path, *records: dict[str, Any], **kwargs: Any) -> list[Any]:
    ds = dataset()
    base = [ds["org"], ds["vol"], ds["prj"], ds["act"]]
    _report, issues = run(tmp_path, [*base, *records], **kwargs)
    return issues


@pytest.mark.parametrize(
    ("start", "end", "hours", "expected"),
    [
        (at("2024-03-05", "09:00"), at("2024-03-05", "11:30"), "2.50", []),
        (at("2024-03-05", "11:30"), at("2024-03-05", "09:00"), "0.00", ["VR301"]),
        (at("2024-03-05", "23:00"), at("2024-03-06", "00:30"), "1.50", ["VR302"]),
        ("2024-03-05T09:00:00+08:00", "2024-03-05T09:00:30+08:00", "0.00", ["VR303"]),
        (at("2024-03-05", "09:00"), at("2024-03-05", "09:00"), "0.00", ["VR303"]),
        (at("2024-03-05", "09:00"), at("2024-03-05", "09:01"), "0.02", []),
        (at("2024-03-04", "09:00"), at("2024-03-05", "10:00"), "25.00", ["VR302", "VR304"]),
        # 25 minutes = 0.4166… h: 0.42 is the duration rounded to 2 decimals; 0.43 is not.
        (at("2024-03-05", "09:00"), at("2024-03-05", "09:25"), "0.42", []),
        (at("2024-03-05", "09:00"), at("2024-03-05", "09:25"), "0.43", ["VR306"]),
        (at("2024-03-05", "09:00"), at("2024-03-05", "11:00"), "2.50", ["VR306"]),
        # Less than the duration is fine: breaks and travel are not service time.
        (at("2024-03-05", "09:00"), at("2024-03-05", "17:00"), "6.00", []),
    ],
)
def test_time_rules(tmp_path: Path, start: str, end: str, hours: str, expected: list[str]) -> None:
    rec = record("rec-x", start, end, hours, project_id=None)
    assert rule_codes(_records(tmp_path, rec)) == expected


def test_same_day_is_judged_in_the_records_own_offset(tmp_path: Path) -> None:
    # 20:00-22:00 at UTC-5 is one local day, although it spans two days in Beijing time.
    rec = record(
        "rec-x", "2024-03-05T20:00:00-05:00", "2024-03-05T22:00:00-05:00", "2.00", project_id=None
    )
    assert rule_codes(_records(tmp_path, rec)) == []


def test_future_service_uses_the_injected_clock(tmp_path: Path) -> None:
    rec = record("rec-x", at("2025-06-30", "11:00"), at("2025-06-30", "13:00"), "2.00")
    rec["project_id"] = None
    (issue,) = only(_records(tmp_path, rec), "VR305")  # now = 2025-06-30 12:00 +08:00
    assert issue.severity == "error" and issue.path == "/end"
    later = _records(tmp_path, rec, now=None, today=None)
    assert "VR305" not in rule_codes(later)


def test_start_and_end_order_of_other_entities(tmp_path: Path) -> None:
    ds = dataset()
    ds["act"]["end"] = at("2024-03-04", "18:00")
    ds["prj"]["end"] = at("2024-02-01", "08:00")
    _report, issues = run(tmp_path, [ds["org"], ds["prj"], ds["act"]])
    assert sorted((i.code, i.record_id) for i in issues) == [
        ("VR301", "act-1"),
        ("VR301", "prj-1"),
    ]


def test_records_inside_their_project_even_when_it_comes_later(tmp_path: Path) -> None:
    ds = dataset()
    early = record("rec-early", at("2024-02-20", "09:00"), at("2024-02-20", "10:00"), "1.00")
    late = record("rec-late", at("2025-01-05", "09:00"), at("2025-01-05", "10:00"), "1.00")
    inside = record("rec-in", at("2024-06-01", "09:00"), at("2024-06-01", "10:00"), "1.00")
    # The project is the last line: the check waits for it.
    _report, issues = run(tmp_path, [ds["org"], ds["vol"], early, late, inside, ds["prj"]])
    found = only(issues, "VR307")
    assert [(i.record_id, i.location.line) for i in found] == [("rec-early", 3), ("rec-late", 4)]
    assert "'prj-1'" in found[0].message("en")
    open_ended = dict(ds["prj"])
    del open_ended["end"]
    _report, issues = run(tmp_path, [ds["org"], ds["vol"], late, open_ended])
    assert rule_codes(issues) == []


def test_records_inside_their_activity(tmp_path: Path) -> None:
    outside = record(
        "rec-x", at("2024-03-05", "17:00"), at("2024-03-05", "19:00"), "2.00", activity_id="act-1"
    )
    (issue,) = only(_records(tmp_path, outside), "VR308")
    assert issue.severity == "warning"


# -- overlaps -------------------------------------------------------------------------------------


def _filler(n: int) -> list[dict[str, Any]]:
    """Non-overlapping effective records of other volunteers, to push records apart."""
    out = []
    for i in range(n):
        rec = record(f"fill-{i}", at("2024-03-05", "09:00"), at("2024-03-05", "10:00"), "1.00")
        rec["volunteer_id"] = f"vol-f{i % 50}"
        out.append(rec)
    return out


def test_overlaps_far_apart_in_the_file(tmp_path: Path) -> None:
    ds = dataset()
    first = record("rec-a", at("2024-03-05", "09:00"), at("2024-03-05", "12:00"), "3.00")
    second = record("rec-b", at("2024-03-05", "11:00"), at("2024-03-05", "13:00"), "2.00")
    records = [ds["org"], ds["vol"], ds["prj"], second, *_filler(2000), first]
    _report, issues = run(tmp_path, records, ignore=["VR601"])
    (issue,) = only(issues, "VR310")
    # Reported at the later-starting record, naming the other with its line.
    assert issue.record_id == "rec-b" and issue.location.line == 4
    assert "'rec-a'" in issue.message("en") and f"line {len(records)}" in issue.message("en")


def test_overlap_with_an_earlier_long_record_that_is_not_the_neighbour(tmp_path: Path) -> None:
    long = record("rec-long", at("2024-03-05", "08:00"), at("2024-03-05", "18:00"), "10.00")
    short1 = record("rec-s1", at("2024-03-05", "09:00"), at("2024-03-05", "10:00"), "1.00")
    short2 = record("rec-s2", at("2024-03-05", "11:00"), at("2024-03-05", "12:00"), "1.00")
    touching = record("rec-t", at("2024-03-05", "18:00"), at("2024-03-05", "19:00"), "1.00")
    issues = _records(tmp_path, short2, touching, long, short1)
    found = sorted(i.record_id or "" for i in only(issues, "VR310"))
    assert found == ["rec-s1", "rec-s2"]


def test_only_effective_records_of_the_same_volunteer_count(tmp_path: Path) -> None:
    a = record("rec-a", at("2024-03-05", "09:00"), at("2024-03-05", "12:00"), "3.00")
    pending = record(
        "rec-p", at("2024-03-05", "10:00"), at("2024-03-05", "11:00"), "1.00", status="pending"
    )
    other = record("rec-o", at("2024-03-05", "10:00"), at("2024-03-05", "11:00"), "1.00")
    other["volunteer_id"] = "vol-2"
    ds = dataset()
    vol2 = dict(ds["vol"], id="vol-2", volunteer_no="V2", id_document=None)
    del vol2["id_document"]
    issues = _records(tmp_path, a, pending, other, vol2, ignore=["VR610"])
    assert "VR310" not in rule_codes(issues)


def test_exact_duplicates_are_duplicates_not_overlaps(tmp_path: Path) -> None:
    a = record("rec-a", at("2024-03-05", "09:00"), at("2024-03-05", "12:00"), "3.00")
    b = dict(a, id="rec-b")
    assert rule_codes(_records(tmp_path, a, b)) == ["VR605"]
    assert rule_codes(_records(tmp_path, a, b, ignore=["VR605"])) == []
    profile = tmp_path / "p.toml"
    profile.write_text('name = "p"\nextends = "national"\n[rules]\ndisable = ["VR605"]\n')
    assert rule_codes(_records(tmp_path, a, b, profile=profile)) == ["VR310"]


def test_hours_limits_come_from_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(
        'name = "p"\nextends = "national"\n[hours]\nmin_minutes = 30\nmax_hours = 8\n'
    )
    short = record("rec-s", at("2024-03-05", "09:00"), at("2024-03-05", "09:20"), "0.33")
    long = record("rec-l", at("2024-03-06", "08:00"), at("2024-03-06", "18:00"), "10.00")
    issues = _records(tmp_path, short, long, profile=profile)
    assert [(i.code, i.record_id) for i in issues] == [("VR303", "rec-s"), ("VR304", "rec-l")]
    assert "30" in issues[0].message("en") and "8 hours" in issues[1].message("en")
