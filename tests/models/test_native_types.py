"""Dates, date-times, hours and closed codes are checked natively by pydantic-core; the
Python reference implementations still decide what a refused value is called."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from volunteer_standard.models import ServiceRecord, Volunteer
from volunteer_standard.models._types import _parse_datetime, _parse_hours, precise_error

_RECORD = {
    "type": "service_record",
    "id": "sr-1",
    "volunteer_id": "vol-1",
    "organization_id": "org-1",
    "start": "2024-03-05T09:00:00+08:00",
    "end": "2024-03-05T11:30:00+08:00",
    "hours": "2.50",
    "status": "effective",
}


def _error(**changes: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as info:
        ServiceRecord.model_validate(_RECORD | changes)
    (error,) = info.value.errors()
    return dict(error)


@pytest.mark.parametrize(
    ("value", "precise"),
    [
        ("2024-03-05 09:00:00+08:00", "datetime_format"),
        ("2024-03-05T09:00:00", "datetime_format"),
        ("2024-02-30T09:00:00+08:00", "datetime_value"),
        ("2024-03-05T24:00:00+08:00", "datetime_value"),
        (20240305, "datetime_type"),
        (datetime(2024, 3, 5, 9), "datetime_naive"),
    ],
)
def test_refused_date_times_are_named_by_the_reference(value: Any, precise: str) -> None:
    error = _error(start=value)
    assert error["type"] == "datetime_format"
    assert precise_error(error["type"], error["input"])[0] == precise  # type: ignore[index]


@pytest.mark.parametrize("value", [2.5, "2.505", "-1", "１.50", "100000.00", Decimal("2.505")])
def test_refused_hours(value: Any) -> None:
    error = _error(hours=value)
    assert error["type"] == "hours_format"
    assert precise_error("hours_format", value)[0] in ("hours_format", "hours_type")  # type: ignore[index]


def test_python_values_are_still_accepted() -> None:
    tz = timezone(timedelta(hours=8))
    record = ServiceRecord.model_validate(
        _RECORD
        | {"start": datetime(2024, 3, 5, 9, tzinfo=tz), "end": datetime(2024, 3, 5, 3, tzinfo=UTC)}
        | {"hours": Decimal("2.5")}
    )
    assert record.start.utcoffset() == timedelta(hours=8)
    assert record.model_dump(mode="json")["hours"] == "2.50"


def test_closed_code_lists_refuse_labels_natively() -> None:
    error = _error(status="有效")
    assert error["type"] == "code_closed"
    assert error["ctx"]["codelist"] == "hours_record_status"
    with pytest.raises(ValidationError):
        Volunteer.model_validate({"type": "volunteer", "id": "v", "name": "x", "gender": 1})


_TEXTS = st.from_regex(
    r"[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\.[0-9]{1,6})?(Z|[+-][01][0-9]:[0-5][0-9])",
    fullmatch=True,
)


@given(_TEXTS)
def test_native_date_times_equal_the_reference(text: str) -> None:
    try:
        expected: datetime | None = _parse_datetime(text)
    except Exception:
        expected = None
    try:
        got: datetime | None = ServiceRecord.model_validate(_RECORD | {"start": text}).start
    except ValidationError:
        got = None
    assert got == expected
    if got is not None and expected is not None:
        assert got.utcoffset() == expected.utcoffset()


@given(st.from_regex(r"(0|[1-9][0-9]{0,4})(\.[0-9]{1,2})?", fullmatch=True))
def test_native_hours_equal_the_reference(text: str) -> None:
    record = ServiceRecord.model_validate(_RECORD | {"hours": text})
    assert record.hours == _parse_hours(text)
    assert date(2024, 3, 5) == record.start.date()
