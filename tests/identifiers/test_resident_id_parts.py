"""The pieces `check_resident_id` is built from, each checked on its own.

The end-to-end behaviour is in test_id_resident.py; these pin down each piece's contract so
that a change to one shows up here before it shows up as a changed report.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from volunteer_standard.identifiers.resident_id import (
    _agreement_problems,
    _birth_date_problems,
    _encoded_fields,
)

from ._id_expected import ric

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("parsed", "detail"),
    [
        (None, "positions 7-14 are not a calendar date"),
        (date(1899, 12, 31), "birth date is before 1900"),
        (date(2024, 6, 2), "birth date is in the future"),
    ],
)
def test_birth_date_problems_name_the_one_reason(parsed: date | None, detail: str) -> None:
    problems = _birth_date_problems(parsed, TODAY)
    assert [(p.code, p.severity, p.detail) for p in problems] == [
        ("id.birth_date", "error", detail)
    ]


@pytest.mark.parametrize("parsed", [date(1900, 1, 1), TODAY])
def test_birth_date_problems_accept_the_bounds(parsed: date) -> None:
    assert _birth_date_problems(parsed, TODAY) == []


def test_birth_date_problems_default_to_the_current_date() -> None:
    assert _birth_date_problems(date.today(), None) == []
    assert _birth_date_problems(date(date.today().year + 1, 1, 1), None) != []


def test_encoded_fields_of_a_resident_number() -> None:
    assert _encoded_fields("resident", ric("11010519900307001")) == ("110105", None, "1")
    assert _encoded_fields("resident", ric("11010519900307002")) == ("110105", None, "2")


def test_encoded_fields_of_a_foreign_permanent_residence_number() -> None:
    # 9 + province 11 + nationality 840 + birth date + sequence: no sex is inferred.
    number = ric("91184019900307001")
    assert _encoded_fields("foreign_permanent", number) == ("110000", "840", None)


def test_agreement_problems_compare_only_what_both_sides_know() -> None:
    born = date(1990, 3, 7)
    assert _agreement_problems(born, "1", born, "1") == []
    assert _agreement_problems(None, "1", date(1991, 1, 1), "1") == []  # unparseable date
    assert _agreement_problems(born, None, born, "2") == []  # no sex encoded
    assert _agreement_problems(born, "1", born, "9") == []  # sex not specified
    assert _agreement_problems(born, "1", None, None) == []


def test_agreement_problems_report_each_mismatch_in_order() -> None:
    born = date(1990, 3, 7)
    found = _agreement_problems(born, "1", date(1990, 3, 8), "2")
    assert [p.code for p in found] == ["id.birth_mismatch", "id.gender_mismatch"]
    assert all(p.severity == "error" for p in found)


def test_agreement_problems_accept_a_recorded_date_time() -> None:
    born = date(1990, 3, 7)
    assert _agreement_problems(born, "2", datetime(1990, 3, 7, 12, 0), "2") == []
