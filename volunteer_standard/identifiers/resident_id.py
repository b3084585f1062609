"""Checks for 18-character citizen identity numbers (GB 11643-1999) and numbers built like them.

Covered: resident ID numbers, the numbers on 港澳台居民居住证 (address codes 810000, 820000,
830000) and the 2023 外国人永久居留身份证 (leading 9). python-stdnum supplies the checksum.
The place check is ours: stdnum rejects 810000/830000, and its place data is separate from
the project's region history, which records when codes were in use.

The checker is strict about its input (no whitespace, no full-width digits) so that stored
values are canonical; call `normalize_resident_id` first to clean user input.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from stdnum.cn import ric as _ric

from volunteer_standard.identifiers._common import (
    IdProblem,
    compact_input,
    error,
    has_errors,
    warning,
)

Kind = Literal["resident", "hk_macao_permit", "taiwan_permit", "foreign_permanent"]
Gender = Literal["1", "2"]
MaskStyle = Literal["6+4", "last4"]

#: Address codes that 港澳台居民居住证 numbers use instead of a county code.
PERMIT_PREFIXES: dict[str, Kind] = {
    "810000": "hk_macao_permit",
    "820000": "hk_macao_permit",
    "830000": "taiwan_permit",
}

_EARLIEST_BIRTH = date(1900, 1, 1)
_NUMBER_RE = re.compile("[0-9]{17}[0-9Xx]")
_BODY_RE = re.compile("[0-9]{17}")
_LEGACY_RE = re.compile("[0-9]{15}")
# GB/T 2261.1 sex codes: 0 unknown and 9 unspecified cannot be compared with a number.
_GENDER_CODES = frozenset({"0", "1", "2", "9"})


@dataclass(frozen=True, slots=True)
class IdCheck:
    """Result of `check_resident_id`.

    The parsed fields are filled whenever the number is well formed, even if the checksum or
    another rule failed, so callers can explain the failure; trust them only when `ok`.
    """

    ok: bool
    problems: tuple[IdProblem, ...]
    birth_date: date | None = None
    gender: Gender | None = None
    region_code: str | None = None
    kind: Kind | None = None
    #: ISO 3166-1 numeric nationality code; only for ``foreign_permanent`` numbers.
    nationality_code: str | None = None


def resident_id_check_char(body: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for 17 ASCII digits (via stdnum)."""
    if _BODY_RE.fullmatch(body) is None:
        raise ValueError("expected exactly 17 ASCII digits")
    # stdnum's function takes the full number and ignores its last character.
    check: str = _ric.calc_check_digit(body + "0")
    return check


def _birth_date_of(number: str) -> date | None:
    """Parse positions 7-14 (YYYYMMDD); None when they are not a calendar date.

    Done here rather than with ``stdnum.cn.ric.get_birth_date``, which re-cleans the string on
    every call and so took about 40% of the whole check; the input is already ASCII digits.
    """
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def normalize_resident_id(value: str) -> str:
    """Canonical form of user input: trimmed, spaces removed, full-width to ASCII, upper-case X.

    It does not validate; pass the result to `check_resident_id`.
    """
    return compact_input(value).upper()


def mask_resident_id(value: str, style: MaskStyle = "6+4") -> str:
    """Mask a number for display (domain §6b).

    ``"6+4"`` keeps the address code and the last four (``110105********1234``), hiding the
    birth date; ``"last4"`` is the national system's style (``**************123X``). Values too
    short to keep anything safely are masked entirely; the length is preserved.
    """
    number = normalize_resident_id(value)
    if style == "6+4":
        head, tail = 6, 4
    elif style == "last4":
        head, tail = 0, 4
    else:
        raise ValueError(f"unknown mask style {style!r}; use '6+4' or 'last4'")
    hidden = len(number) - head - tail
    if hidden < 4:
        return "*" * len(number)
    return number[:head] + "*" * hidden + number[len(number) - tail :]


def _format_problem(value: str) -> IdProblem:
    """Explain why a value is not 17 digits plus a check character, without quoting it."""
    if value != normalize_resident_id(value) and _NUMBER_RE.fullmatch(normalize_resident_id(value)):
        detail = (
            "contains whitespace or full-width characters; normalise it first "
            "(normalize_resident_id)"
        )
    elif _LEGACY_RE.fullmatch(value):
        detail = "15-digit first-generation number; only 18-character numbers are accepted"
    elif len(value) != 18:
        detail = f"expected 18 characters, got {len(value)}"
    else:
        detail = "expected 17 digits 0-9 followed by a check character 0-9 or X"
    return error("id.format", detail)


def _kind_of(number: str) -> Kind:
    if number[0] == "9":
        return "foreign_permanent"
    return PERMIT_PREFIXES.get(number[:6], "resident")


@functools.lru_cache(maxsize=65536)
def _place_problems(kind: Kind, region_code: str, birth_year: int | None) -> tuple[IdProblem, ...]:
    """Warn when the address code is unknown or was not in use in the birth year.

    Cached: bulk files repeat the same few code and year pairs, and the answer is immutable.
    Only warnings: an address code is that of the first registration, which may postdate the
    birth, and the bundled history may lag behind new divisions.
    """
    if kind in ("hk_macao_permit", "taiwan_permit"):
        return ()  # a fixed province-level prefix, not a place of registration
    # Imported here so the format and checksum checks work without loading the code list.
    from volunteer_standard.codelists import regions

    if regions.status(region_code) == "unknown":
        what = "issuing province code" if kind == "foreign_permanent" else "address code"
        return (warning("id.place", f"{what} is not in the bundled division history"),)
    if kind == "foreign_permanent" or birth_year is None:
        return ()  # the province of the issuing authority says nothing about the birth year
    region = regions.lookup(region_code)
    # A number carries the code in force when it was first assigned, which may be years
    # after the birth: a code created later is normal; one retired before the birth is not.
    if region is None or any(
        p.valid_to is None or p.valid_to >= birth_year for p in region.periods
    ):
        return ()
    detail = f"address code was retired in {region.valid_to}, before the birth year"
    return (warning("id.place", detail),)


def _birth_date_problems(parsed_birth: date | None, today: date | None) -> list[IdProblem]:
    """Positions 7-14 must be a calendar date between 1900 and ``today`` (default: the date now)."""
    limit = today if today is not None else date.today()
    if parsed_birth is None:
        return [error("id.birth_date", "positions 7-14 are not a calendar date")]
    if parsed_birth < _EARLIEST_BIRTH:
        return [error("id.birth_date", "birth date is before 1900")]
    if parsed_birth > limit:
        return [error("id.birth_date", "birth date is in the future")]
    return []


def _encoded_fields(kind: Kind, number: str) -> tuple[str, str | None, Gender | None]:
    """(region code, nationality code, sex) as the number's kind encodes them.

    Foreign permanent-residence numbers hold an issuing province and a nationality instead of
    a county; the 2023 rules publish no sex convention for their sequence code, so none is
    inferred. Other numbers carry the county code and an odd (male) or even (female) digit 17.
    """
    if kind == "foreign_permanent":
        return number[1:3] + "0000", number[3:6], None
    return number[:6], None, "1" if int(number[16]) % 2 == 1 else "2"


def _agreement_problems(
    parsed_birth: date | None,
    parsed_gender: Gender | None,
    birth_date: date | None,
    gender: str | None,
) -> list[IdProblem]:
    """Compare what the number encodes with the recorded birth date and sex, when both exist."""
    problems: list[IdProblem] = []
    if isinstance(birth_date, datetime):
        birth_date = birth_date.date()
    if birth_date is not None and parsed_birth is not None and birth_date != parsed_birth:
        problems.append(
            error("id.birth_mismatch", "birth date in the number differs from the recorded one")
        )
    if gender in ("1", "2") and parsed_gender is not None and gender != parsed_gender:
        problems.append(
            error("id.gender_mismatch", "sex encoded in the number differs from the recorded one")
        )
    return problems


def check_resident_id(
    value: str,
    *,
    birth_date: date | None = None,
    gender: str | None = None,
    today: date | None = None,
) -> IdCheck:
    """Check an identity number and, optionally, that it agrees with a recorded birth date and sex.

    `gender` is a GB/T 2261.1 code ("1" male, "2" female; "0"/"9" are not compared). `today`
    bounds the birth date and defaults to the current date. A lowercase final x is accepted
    with an ``id.format`` warning; anything else that is not canonical is an error.
    """
    if gender is not None and gender not in _GENDER_CODES:
        raise ValueError("gender must be a GB/T 2261.1 code: '0', '1', '2' or '9'")
    if not isinstance(value, str):
        return IdCheck(False, (error("id.format", "expected a string"),))
    if _NUMBER_RE.fullmatch(value) is None:
        return IdCheck(False, (_format_problem(value),))

    problems: list[IdProblem] = []
    number = value
    if number[-1] == "x":
        number = number[:-1] + "X"
        problems.append(warning("id.format", "lowercase check character x; store it as X"))
    kind = _kind_of(number)
    if number[-1] != resident_id_check_char(number[:17]):
        problems.append(error("id.checksum", "check character does not match (ISO 7064 MOD 11-2)"))
    parsed_birth = _birth_date_of(number)
    problems.extend(_birth_date_problems(parsed_birth, today))
    region_code, nationality, parsed_gender = _encoded_fields(kind, number)
    problems.extend(_place_problems(kind, region_code, parsed_birth.year if parsed_birth else None))
    problems.extend(_agreement_problems(parsed_birth, parsed_gender, birth_date, gender))

    found = tuple(problems)
    return IdCheck(
        ok=not has_errors(found),
        problems=found,
        birth_date=parsed_birth,
        gender=parsed_gender,
        region_code=region_code,
        kind=kind,
        nationality_code=nationality,
    )
