"""The synthetic sample: valid, deterministic, consistent, streaming; and the broken files.

Failure messages name record ids only, never ID or phone numbers (even synthetic ones).
"""

from __future__ import annotations

import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import orjson
import pytest

from volunteer_standard import codelists, samples, validate
from volunteer_standard.identifiers import (
    check_mobile,
    check_resident_id,
    check_uscc,
    is_civil_affairs_registered,
    mask_resident_id,
)
from volunteer_standard.models import Certificate
from volunteer_standard.samples import SampleSpec
from volunteer_standard.samples.plan import Plan, first_pass, plan_records
from volunteer_standard.samples.world import build_world
from volunteer_standard.validation import CATALOGUE, Issue

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RISKY = {"0012", "0013"}
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample")
    samples.write_sample(path)
    samples.write_broken(path)
    return path


@pytest.fixture(scope="module")
def records(out_dir: Path) -> dict[str, list[dict[str, Any]]]:
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with (out_dir / "sample.jsonl").open("rb") as fh:
        for line in fh:
            row = orjson.loads(line)
            by_type[row["type"]].append(row)
    return dict(by_type)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# -- validity, determinism, drift ---------------------------------------------------------


@pytest.mark.parametrize("name", ["sample.json", "sample.jsonl"])
def test_sample_is_valid_without_warnings(out_dir: Path, name: str) -> None:
    report = validate(out_dir / name)
    assert report.input_error is None
    assert dict(report.issues_by_code) == {}
    assert report.errors == 0
    assert report.warnings == 0
    assert report.format == ("package" if name.endswith(".json") else "jsonl")


def test_package_and_jsonl_hold_the_same_records(out_dir: Path) -> None:
    package = orjson.loads((out_dir / "sample.json").read_bytes())
    lines = [orjson.loads(x) for x in (out_dir / "sample.jsonl").read_bytes().splitlines()]
    from_package = [r for key, rows in package.items() if key != "metadata" for r in rows]
    assert from_package == lines
    assert package["metadata"]["generated_at"] == "2025-12-31T00:00:00+08:00"
    assert package["metadata"]["extensions"][0]["namespace"] == samples.EXTENSION_NAMESPACE


def test_output_is_deterministic(out_dir: Path, tmp_path: Path) -> None:
    again = samples.write_sample(tmp_path)
    for name, path in again.items():
        assert path.read_bytes() == (out_dir / name).read_bytes(), name
    other = samples.write_sample(tmp_path / "other", SampleSpec(seed=7))
    assert other["sample.jsonl"].read_bytes() != again["sample.jsonl"].read_bytes()


def test_examples_match_the_generator(out_dir: Path) -> None:
    """examples/ is generated: regenerate with `python -m volunteer_standard.samples examples`."""
    expected = sorted(p.name for p in out_dir.iterdir())
    present = sorted(p.name for p in EXAMPLES.iterdir() if p.is_file() and p.name != "README.md")
    assert present == expected
    stale = [n for n in expected if (EXAMPLES / n).read_bytes() != (out_dir / n).read_bytes()]
    assert stale == [], "regenerate: python -m volunteer_standard.samples examples"
    assert (EXAMPLES / "README.md").is_file()


def test_counts_meet_the_spec(records: dict[str, list[dict[str, Any]]]) -> None:
    spec = SampleSpec()
    counts = {kind: len(rows) for kind, rows in records.items()}
    assert counts["volunteer"] >= spec.volunteers
    assert counts["organization"] >= spec.organizations
    assert counts["project"] >= spec.projects
    assert counts["service_record"] >= spec.service_records
    assert counts["certificate"] >= spec.certificates
    assert counts["activity"] == spec.projects * spec.activities_per_project
    for kind in ("training_record", "award", "evaluation", "demand", "station"):
        assert counts[kind] >= 1, kind
    for kind, rows in records.items():
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), kind


# -- consistency ----------------------------------------------------------------------------


def test_references_resolve(records: dict[str, list[dict[str, Any]]]) -> None:
    ids = {kind: {r["id"] for r in rows} for kind, rows in records.items()}
    activity_project = {a["id"]: a["project_id"] for a in records["activity"]}
    for v in records["volunteer"]:
        assert set(v["organization_ids"]) <= ids["organization"]
    for p in records["project"]:
        assert p["organization_id"] in ids["organization"]
    for r in records["service_record"]:
        assert r["volunteer_id"] in ids["volunteer"]
        assert r["organization_id"] in ids["organization"]
        assert r["project_id"] in ids["project"]
        if "activity_id" in r:
            assert activity_project[r["activity_id"]] == r["project_id"]
    for t in records["training_record"]:
        assert t["volunteer_id"] in ids["volunteer"]
        assert t["organization_id"] in ids["organization"]
    for e in records["evaluation"]:
        assert e["volunteer_id"] in ids["volunteer"]
        assert e["project_id"] in ids["project"]
        assert e["service_record_id"] in ids["service_record"]
    subject = {"1": "organization", "2": "project", "3": "volunteer"}
    for a in records["award"]:
        assert a["subject_id"] in ids[subject[a["subject_type"]]]
    for d in records["demand"]:
        assert set(d.get("matched_project_ids", [])) <= ids["project"]
    for s in records["station"]:
        assert s["organization_id"] in ids["organization"]


def test_service_records_are_consistent(records: dict[str, list[dict[str, Any]]]) -> None:
    projects = {p["id"]: p for p in records["project"]}
    activities = {a["id"]: a for a in records["activity"]}
    members = {v["id"]: set(v["organization_ids"]) for v in records["volunteer"]}
    now = _dt("2025-12-31T00:00:00+08:00")
    for r in records["service_record"]:
        start, end = _dt(r["start"]), _dt(r["end"])
        assert start.utcoffset() == end.utcoffset() == timedelta(hours=8)
        assert start < end <= now
        assert start.date() == end.date()
        seconds = Decimal((end - start).total_seconds())
        assert r["hours"] == str((seconds / 3600).quantize(CENT, rounding=ROUND_HALF_UP))
        assert Decimal("0.5") <= Decimal(r["hours"]) <= Decimal(8)
        project = projects[r["project_id"]]
        assert _dt(project["start"]) <= start and end <= _dt(project["end"]), r["id"]
        assert r["organization_id"] == project["organization_id"]
        assert r["organization_id"] in members[r["volunteer_id"]]
        if "activity_id" in r:
            activity = activities[r["activity_id"]]
            assert _dt(activity["start"]) <= start and end <= _dt(activity["end"]), r["id"]
        assert _dt(r["recorded_at"]) >= end
    statuses = Counter(r["status"] for r in records["service_record"])
    assert statuses["effective"] > len(records["service_record"]) * 0.7
    assert statuses["pending"] and statuses["rejected"]
    hours_types = Counter(r["hours_type"] for r in records["service_record"])
    assert hours_types["1"] > len(records["service_record"]) * 0.8


EVENT_KEYS = {
    "recorded_at",
    "given_at",
    "retrieved_at",
    "revoked_at",
    "published_at",
    "issued_on",
    "evaluated_on",
    "awarded_on",
    "registered_on",
    "consent_on",
    "founded_on",
    "opened_on",
}


def _events(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _events(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _events(v, key)
    elif key in EVENT_KEYS:
        yield key, value


def test_nothing_happens_after_the_package_was_generated(
    records: dict[str, list[dict[str, Any]]],
) -> None:
    now = _dt("2025-12-31T00:00:00+08:00")
    late = []
    for rows in records.values():
        for r in rows:
            for key, value in _events(r):
                moment = _dt(value) if "T" in value else _dt(value + "T23:59:59+08:00")
                if moment > now:
                    late.append((r["id"], key))
            if r["type"] in ("service_record", "training_record") and _dt(r["end"]) > now:
                late.append((r["id"], "end"))
    assert late == []


def test_effective_records_of_a_volunteer_never_overlap(
    records: dict[str, list[dict[str, Any]]],
) -> None:
    spans: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for r in records["service_record"]:
        if r["status"] == "effective":
            spans[r["volunteer_id"]].append((_dt(r["start"]), _dt(r["end"]), r["id"]))
    overlaps = []
    for rows in spans.values():
        rows.sort()
        for (_s1, e1, id1), (s2, _e2, id2) in pairwise(rows):
            if s2 < e1:
                overlaps.append((id1, id2))
    assert overlaps == []


def test_certificates_come_from_the_issuers_effective_records(
    records: dict[str, list[dict[str, Any]]],
) -> None:
    by_id = {r["id"]: r for r in records["service_record"]}
    volunteers = {v["id"]: v for v in records["volunteer"]}
    orgs = {o["id"]: o for o in records["organization"]}
    statuses = Counter(c["status"] for c in records["certificate"])
    assert statuses == {"issued": len(records["certificate"]) - 1, "revoked": 1}
    assert any(len(c["lines"]) > 1 for c in records["certificate"])
    for cert in records["certificate"]:
        holder, issuer = cert["volunteer"], cert["issuer"]
        volunteer = volunteers[holder["volunteer_id"]]
        org = orgs[issuer["organization_id"]]
        assert holder["name"] == volunteer["name"]
        assert holder["volunteer_no"] == volunteer["volunteer_no"]
        # Compared, never printed: the mask must equal the 6+4 mask of the document number.
        masked_ok = holder["id_number_masked"] == mask_resident_id(
            volunteer["id_document"]["number"]
        )
        assert masked_ok, cert["id"]
        assert holder["id_number_masked"][6:14] == "*" * 8
        assert issuer["name"] == org["name"]
        assert issuer.get("uscc") == org.get("uscc")
        total = Decimal(0)
        projects = [line["project_id"] for line in cert["lines"]]
        assert len(projects) == len(set(projects)), cert["id"]
        for line in cert["lines"]:
            line_sum = Decimal(0)
            for rid in line["service_record_ids"]:
                rec = by_id[rid]
                assert rec["status"] == "effective", rid
                assert rec["organization_id"] == issuer["organization_id"], rid
                assert rec["volunteer_id"] == holder["volunteer_id"], rid
                assert rec["project_id"] == line["project_id"], rid
                day = _dt(rec["start"]).date().isoformat()
                assert line["period"]["start"] <= day <= line["period"]["end"], rid
                assert cert["period"]["start"] <= day <= cert["period"]["end"], rid
                line_sum += Decimal(rec["hours"])
            assert Decimal(line["hours"]) == line_sum, cert["id"]
            total += Decimal(line["hours"])
        assert Decimal(cert["total_hours"]) == total, cert["id"]
        assert cert["issued_on"] >= cert["period"]["end"]


def test_star_levels_follow_effective_credit_hours(
    records: dict[str, list[dict[str, Any]]],
) -> None:
    credit: defaultdict[str, Decimal] = defaultdict(Decimal)
    for r in records["service_record"]:
        if r["status"] == "effective" and r["hours_type"] == "1":
            credit[r["volunteer_id"]] += Decimal(r["hours"])
    thresholds = [(1500, "5"), (1000, "4"), (600, "3"), (300, "2"), (100, "1")]
    starred = 0
    for v in records["volunteer"]:
        hours = credit[v["id"]]
        expected = next((level for limit, level in thresholds if hours >= limit), None)
        assert v.get("star_level") == expected, v["id"]
        starred += expected is not None
    assert 0 < starred < len(records["volunteer"]) / 2


def test_minors_have_guardians_and_stay_off_risky_projects(
    records: dict[str, list[dict[str, Any]]],
) -> None:
    volunteers = {v["id"]: v for v in records["volunteer"]}
    projects = {p["id"]: p for p in records["project"]}
    served_minors: set[str] = set()
    for r in records["service_record"]:
        v = volunteers[r["volunteer_id"]]
        day = _dt(r["start"]).date()
        age = _age(date.fromisoformat(v["birth_date"]), day)
        if age < 18:
            served_minors.add(v["id"])
            assert not RISKY & set(projects[r["project_id"]]["service_categories"]), r["id"]
            assert "guardian" in v, v["id"]
            assert any(c["purpose"] == "minors_guardian" for c in v["consents"]), v["id"]
    assert served_minors
    ages = [
        _age(date.fromisoformat(v["birth_date"]), date(2024, 1, 1)) for v in volunteers.values()
    ]
    assert any(14 <= a < 18 for a in ages)
    assert any(a < 14 for a in ages)
    for v in volunteers.values():
        if _age(date.fromisoformat(v["birth_date"]), date(2025, 12, 31)) < 14:
            assert v["guardian"]["consent_on"] <= v["registered_on"], v["id"]


def test_risky_projects_insure_volunteers(records: dict[str, list[dict[str, Any]]]) -> None:
    risky = [p for p in records["project"] if RISKY & set(p["service_categories"])]
    assert {"0012", "0013"} <= {c for p in risky for c in p["service_categories"]}
    for p in risky:
        assert "01" in p["guarantees"], p["id"]


def test_organizations(records: dict[str, list[dict[str, Any]]]) -> None:
    teams = Counter(o["team_type"] for o in records["organization"])
    assert teams["2"] >= 1 and teams["1"] == 1
    prefixes = set()
    for o in records["organization"]:
        if o["team_type"] == "2":
            assert is_civil_affairs_registered(o["uscc"]), o["id"]
            prefixes.add(o["uscc"][:2])
        else:
            assert "uscc" not in o and o["approving_unit"]["name"]
    assert prefixes == {"51", "52", "53"}


def test_provenance_identifiers_and_extensions(
    records: dict[str, list[dict[str, Any]]],
) -> None:
    for kind, rows in records.items():
        assert any(r.get("provenance", {}).get("source_system") == "vstd-sample" for r in rows)
        assert any("provenance" not in r for r in rows) or len(rows) == 1, kind
        assert any(r.get("identifiers", [{}])[0].get("scheme") == "nvsi" for r in rows), kind
    extended = [r for rows in records.values() for r in rows if "extensions" in r]
    assert extended and all(set(r["extensions"]) == {"sample"} for r in extended)


def test_identifiers_are_valid(records: dict[str, list[dict[str, Any]]]) -> None:
    today = date(2025, 12, 31)
    bad_ids, bad_phones = [], []
    for v in records["volunteer"]:
        check = check_resident_id(
            v["id_document"]["number"],
            birth_date=date.fromisoformat(v["birth_date"]),
            gender=v["gender"],
            today=today,
        )
        if not check.ok or check.problems:
            bad_ids.append(v["id"])
        phones = [v.get("phone"), v.get("guardian", {}).get("phone")]
        phones.append(v.get("emergency_contact", {}).get("phone"))
        if any(p is not None and check_mobile(p) for p in phones):
            bad_phones.append(v["id"])
    assert bad_ids == []
    assert bad_phones == []
    codes = [o.get("uscc") for o in records["organization"]]
    codes += [o.get("approving_unit", {}).get("uscc") for o in records["organization"]]
    bad_uscc = [i for i, c in enumerate(codes) if c is not None and not check_uscc(c).ok]
    assert bad_uscc == []
    assert sum(c is not None for c in codes) == len(records["organization"])


# -- broken files -----------------------------------------------------------------------------


def _issues(path: Path) -> tuple[list[Issue], Any]:
    found: list[Issue] = []
    report = validate(path, on_issue=found.append)
    return found, report


def test_broken_jsonl_triggers_every_intended_code(out_dir: Path) -> None:
    found, report = _issues(out_dir / "broken.jsonl")
    assert report.input_error is None
    assert set(report.issues_by_code) == samples.BROKEN_JSONL_CODES
    by_line: dict[int, set[str]] = defaultdict(set)
    for issue in found:
        assert issue.location.line is not None
        by_line[issue.location.line].add(issue.code)
    intended = samples.broken_records()
    assert intended[0][0] == "" and 1 not in by_line  # the first line is valid
    for number, (code, _line) in enumerate(intended, start=1):
        if code:
            extra: set[str] = set()
            assert by_line[number] == {code} | extra, (number, code)


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("broken-package.json", samples.BROKEN_PACKAGE_CODES),
        ("broken-metadata.json", samples.BROKEN_METADATA_CODES),
        ("broken-no-metadata.json", samples.BROKEN_NO_METADATA_CODES),
    ],
)
def test_broken_packages(out_dir: Path, name: str, codes: frozenset[str]) -> None:
    report = validate(out_dir / name)
    assert report.input_error is None
    assert report.format == "package"
    assert set(report.issues_by_code) == codes


def test_broken_files_cover_the_structural_catalogue() -> None:
    covered = set().union(*(codes for _data, codes in samples.broken_files().values()))
    structural = {code for code in CATALOGUE if code.startswith("VS1")}
    deprecated = [
        (cl.name, c.code) for cl in codelists.all_codelists() for c in cl.codes if c.deprecated
    ]
    # VS122 needs a deprecated code; add a line for it once a code list has one.
    assert deprecated == []
    # VS151 needs an extension schema registered by a plugin: the example plugin's tests
    # (plugins/vstd-plugin-example) cover it. VS106/VS107 (duplicate keys, values beyond
    # limits) have their own hostile inputs in tests/safety/test_hostile_input.py.
    assert structural - covered == {"VS122", "VS151", "VS106", "VS107"}


# -- streaming ----------------------------------------------------------------------------


STREAM_SPEC = SampleSpec(
    volunteers=20,
    organizations=2,
    projects=3,
    activities_per_project=1,
    service_records=200_000,
    training_records=0,
    awards=0,
    evaluations=10,
    certificates=3,
    demands=0,
    stations=0,
)


def test_record_plan_streams_200k_records_in_flat_memory() -> None:
    """The planner (run twice by generate()) holds per-volunteer state only."""
    world = build_world(STREAM_SPEC)
    plans = plan_records(world)
    last_end: dict[int, tuple[int, int]] = {}
    count = 0

    def check(batch: Iterator[Plan]) -> None:
        nonlocal count
        for p in batch:
            assert 30 <= p.minutes <= 480 and p.start >= 360
            assert p.start + p.minutes <= 22 * 60
            assert (p.day, p.start) >= last_end.get(p.volunteer, (0, 0))
            last_end[p.volunteer] = (p.day, p.start + p.minutes)
            count += 1

    check(islice(plans, 100_000))
    tracemalloc.start()
    try:
        for _ in islice(plans, 20_000):
            count += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024
    count += sum(1 for _ in plans)
    assert count == STREAM_SPEC.service_records


def test_first_pass_state_is_bounded_by_volunteers() -> None:
    spec = SampleSpec(**{**vars(STREAM_SPEC), "service_records": 40_000})
    world = build_world(spec)
    totals = first_pass(world)
    assert len(totals.credit) == spec.volunteers
    assert len(totals.pair_count) <= spec.volunteers * spec.organizations
    assert len(totals.evaluated) == spec.evaluations


def test_entity_stream_does_not_keep_records() -> None:
    spec = SampleSpec(**{**vars(STREAM_SPEC), "service_records": 20_000})
    stream = generate_records(spec)
    for _ in islice(stream, 4_000):
        pass
    tracemalloc.start()
    try:
        for _ in islice(stream, 4_000):
            pass
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024
    assert 4_000 + 4_000 + sum(1 for _ in stream) == spec.service_records


def generate_records(spec: SampleSpec) -> Iterator[Any]:
    """The service records of generate(), without keeping anything."""
    return (e for e in samples.generate(spec) if e.type == "service_record")


def test_dense_volunteers_and_certificates_in_a_large_sample() -> None:
    """Many records per volunteer: certificates stay capped, records stay on their day."""
    spec = SampleSpec(**{**vars(STREAM_SPEC), "service_records": 15_000})
    certs = [e for e in samples.generate(spec) if e.type == "certificate"]
    assert len(certs) == spec.certificates
    for cert in certs:
        assert isinstance(cert, Certificate)
        ids = sum((len(line.service_record_ids or []) for line in cert.lines), 0)
        assert 0 < ids <= 40 + 32
        assert cert.total_hours == sum((line.hours for line in cert.lines), Decimal(0))


# -- spec and command line --------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"organizations": 0},
        {"projects": 2, "organizations": 3},
        {"volunteers": 1, "service_records": samples.MAX_RECORDS_PER_VOLUNTEER + 1},
        {"awards": -1},
    ],
)
def test_impossible_specs_are_rejected(changes: dict[str, int]) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        next(samples.generate(SampleSpec(**changes)))


def test_command_line_writes_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert samples.main([str(tmp_path), "--seed", "3"]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"sample.json", "sample.jsonl", *samples.broken_files()}
    out = capsys.readouterr().out
    assert "sample.json" in out
    assert validate(tmp_path / "sample.jsonl").valid
