"""Issuing: 谁记录谁证明, effective records only, lines per project, exact totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from volunteer_standard.certificates import (
    CertificateError,
    IssueOptions,
    is_well_formed,
    issue,
    mask_id_number,
)
from volunteer_standard.io.writer import PackageWriter
from volunteer_standard.models import ENTITY_MODELS

from .conftest import ID_A, dataset

OPTIONS = IssueOptions(
    organization_id="org-a",
    volunteers=frozenset({"VS0001"}),
    start=date(2024, 1, 1),
    end=date(2024, 12, 31),
    issued_on=date(2025, 1, 10),
)


def test_only_the_recording_organizations_effective_records_in_the_period(
    data_jsonl: Path,
) -> None:
    result = issue(data_jsonl, OPTIONS)
    [cert] = result.certificates
    by_title = {line.project_title: line for line in cert.lines}
    assert set(by_title) == {"社区助老陪伴", "文明交通引导", "其他志愿服务"}
    assert by_title["社区助老陪伴"].hours == Decimal("3.75")  # 2.50 + 1.25, nothing else
    assert by_title["社区助老陪伴"].service_record_ids == ["sr-001", "sr-002"]
    assert by_title["文明交通引导"].hours == Decimal("3.00")
    assert cert.total_hours == Decimal("6.85")
    assert str(cert.model_dump(mode="json")["total_hours"]) == "6.85"
    assert cert.issuer.organization_id == "org-a"
    assert cert.issuer.responsible_person == "王负责"
    assert cert.period is not None and cert.period.start == date(2024, 1, 1)
    stats = result.stats
    assert (stats.records_counted, stats.not_effective, stats.other_organization) == (4, 2, 1)
    assert stats.outside_period == 1


def test_lines_are_in_order_of_first_service_day(data_jsonl: Path) -> None:
    [cert] = issue(data_jsonl, OPTIONS).certificates
    starts = [line.period.start for line in cert.lines if line.period]
    assert starts == sorted(starts)


def test_id_number_is_masked_on_the_face(data_jsonl: Path) -> None:
    [cert] = issue(data_jsonl, OPTIONS).certificates
    masked = cert.volunteer.id_number_masked
    assert masked == ID_A[:6] + "********" + ID_A[-4:]
    assert ID_A not in cert.model_dump_json()


def test_mask_other_documents_keeps_last_four() -> None:
    assert mask_id_number("05", "E12345678") == "*****5678"
    assert mask_id_number("05", "E123") == "****"


def test_number_is_well_formed_stable_and_unique(data_jsonl: Path) -> None:
    first = issue(data_jsonl, OPTIONS).certificates[0]
    again = issue(data_jsonl, OPTIONS).certificates[0]
    assert is_well_formed(first.certificate_no)
    assert first.certificate_no == again.certificate_no  # a retried run makes no duplicate
    reissued = issue(data_jsonl, IssueOptions(**{**OPTIONS.__dict__, "serial": 2}))
    assert reissued.certificates[0].certificate_no != first.certificate_no
    batch = issue(data_jsonl, IssueOptions(**{**OPTIONS.__dict__, "volunteers": None}))
    numbers = [c.certificate_no for c in batch.certificates]
    assert len(numbers) == len(set(numbers)) == 2


def test_a_mistyped_number_fails_the_check_character(data_jsonl: Path) -> None:
    number = issue(data_jsonl, OPTIONS).certificates[0].certificate_no
    wrong = number[:-3] + ("0" if number[-3] != "0" else "1") + number[-2:]
    assert not is_well_formed(wrong)


def test_batch_mode_issues_one_per_volunteer(data_jsonl: Path) -> None:
    result = issue(data_jsonl, IssueOptions(organization_id="org-a", issued_on=date(2025, 1, 1)))
    totals = {c.volunteer.volunteer_no: c.total_hours for c in result.certificates}
    assert totals == {"VS0001": Decimal("13.85"), "VS0002": Decimal("2.30")}


def test_package_input_gives_the_same_certificate(tmp_path: Path, data_jsonl: Path) -> None:
    package = tmp_path / "data.json"
    with PackageWriter(package) as writer:
        for obj in dataset():
            writer.write(ENTITY_MODELS[obj["type"]].model_validate(obj))
    from_package = issue(package, OPTIONS).certificates[0]
    from_lines = issue(data_jsonl, OPTIONS).certificates[0]
    assert from_package == from_lines


def test_unknown_issuer_is_refused(data_jsonl: Path) -> None:
    with pytest.raises(CertificateError, match="only the organization that recorded"):
        issue(data_jsonl, IssueOptions(organization_id="org-x"))


def test_other_organizations_hours_cannot_be_certified(data_jsonl: Path) -> None:
    with pytest.raises(CertificateError) as caught:
        issue(data_jsonl, IssueOptions(organization_id="org-b", volunteers=frozenset({"vol-2"})))
    assert "no effective service hours" in caught.value.message("en")
    assert "已生效" in caught.value.message("zh")


def test_volunteer_without_hours_is_reported(data_jsonl: Path) -> None:
    options = IssueOptions(organization_id="org-a", volunteers=frozenset({"VS0001", "VS9999"}))
    result = issue(data_jsonl, options)
    assert [c.volunteer.volunteer_no for c in result.certificates] == ["VS0001"]
    assert result.without_hours == ["VS9999"]


def test_bundled_sample_certificates_validate(tmp_path: Path) -> None:
    result = issue(Path("examples/sample.jsonl"), IssueOptions(organization_id="org-003"))
    assert result.certificates
    for cert in result.certificates:
        assert cert.total_hours == sum(line.hours for line in cert.lines)


def _big_input(path: Path, others: int) -> Path:
    """The small dataset plus ``others`` effective records of other volunteers at org-a."""
    import orjson

    with path.open("wb") as out:
        for obj in dataset():
            out.write(orjson.dumps(obj) + b"\n")
        for i in range(others):
            record = {
                "type": "service_record",
                "id": f"sr-x{i:07d}",
                "volunteer_id": f"vol-x{i % 10}",
                "organization_id": "org-a",
                "project_id": "prj-1",
                "start": "2024-03-02T09:00:00+08:00",
                "end": "2024-03-02T12:00:00+08:00",
                "hours": "3.00",
                "status": "effective",
            }
            out.write(orjson.dumps(record) + b"\n")
    return path


def test_memory_does_not_grow_with_other_volunteers_records(tmp_path: Path) -> None:
    import tracemalloc

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            issue(path, OPTIONS)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small = _big_input(tmp_path / "small.jsonl", 1_000)
    large = _big_input(tmp_path / "large.jsonl", 4_000)
    peak(small)  # warm-up: imports, code lists
    growth = peak(large) - peak(small)
    # 3 000 more records of others: keeping their ids (the first version did) costs ~200 kB
    assert growth < 50_000, f"peak memory grew by {growth:,} bytes"
