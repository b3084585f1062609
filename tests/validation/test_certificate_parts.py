"""The pieces of `CertificateRule.check`, each on its own (the rule: test_rules_certificates)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS
from typing import Any

import pytest

from volunteer_standard.models import Period
from volunteer_standard.validation.rules.certificates import (
    _before,
    _last_service_day,
    _outside,
    _revocation_code,
)

MARCH = Period(start=date(2024, 3, 1), end=date(2024, 3, 31))


@pytest.mark.parametrize(
    ("status", "revoked_at", "code"),
    [
        ("revoked", None, "VR510"),
        ("issued", "2024-05-01T09:00:00+08:00", "VR509"),
        ("revoked", "2024-05-01T09:00:00+08:00", None),
        ("issued", None, None),
    ],
)
def test_revocation_code(status: str, revoked_at: str | None, code: str | None) -> None:
    cert: Any = NS(status=status, revoked_at=revoked_at)
    assert _revocation_code(cert) == code


def test_before_needs_both_dates() -> None:
    assert _before(date(2024, 1, 1), date(2024, 1, 2))
    assert not _before(date(2024, 1, 2), date(2024, 1, 2))
    assert not _before(None, date(2024, 1, 2))
    assert not _before(date(2024, 1, 1), None)


@pytest.mark.parametrize(
    ("line", "outside"),
    [
        (Period(start=date(2024, 3, 1), end=date(2024, 3, 31)), False),
        (Period(start=date(2024, 3, 5), end=date(2024, 3, 6)), False),
        (Period(start=date(2024, 2, 29), end=date(2024, 3, 6)), True),
        (Period(start=date(2024, 3, 5), end=date(2024, 4, 1)), True),
        (Period(start=None, end=date(2024, 4, 1)), True),
        (Period(start=date(2024, 2, 1), end=None), True),
        (Period(start=None, end=None), False),
        (None, False),
    ],
)
def test_outside_the_certificate_period(line: Period | None, outside: bool) -> None:
    assert _outside(MARCH, line) is outside


def test_open_certificate_period_holds_every_line() -> None:
    line = Period(start=date(2020, 1, 1), end=date(2030, 1, 1))
    assert not _outside(None, line)
    assert not _outside(Period(start=None, end=None), line)
    assert _outside(Period(start=None, end=date(2024, 1, 1)), line)


def _cert(period: Period | None, *lines: Period | None) -> Any:
    return NS(period=period, lines=[NS(period=p) for p in lines])


def test_last_service_day_takes_the_latest_end() -> None:
    late_line = Period(start=date(2024, 3, 1), end=date(2024, 4, 2))
    cert = _cert(MARCH, None, late_line)
    assert _last_service_day(cert) == date(2024, 4, 2)
    assert _last_service_day(_cert(MARCH, Period(start=date(2024, 3, 1)))) == date(2024, 3, 31)


def test_last_service_day_is_unknown_without_any_end() -> None:
    assert _last_service_day(_cert(None)) is None
    assert _last_service_day(_cert(Period(start=date(2024, 3, 1)), None)) is None
