"""Synthetic identifiers for tests and sample data.

The numbers are structurally valid (check characters included) but random. A generated number
can still coincide with a real one by chance, so never use one to look a person or an
organisation up, and never replace sample data with real numbers.
"""

from __future__ import annotations

import random
import re
from datetime import date

from volunteer_standard.identifiers.resident_id import resident_id_check_char
from volunteer_standard.identifiers.uscc import (
    USCC_ALPHABET,
    org_code_check_char,
    uscc_check_char,
)

_REGION_RE = re.compile("[0-9]{6}")
_PROVINCE_RE = re.compile("[1-8][0-9]")
_NATIONALITY_RE = re.compile("[0-9]{3}")
# Prefixes of virtual-operator (170/171) and newer (19x) ranges: valid format, fictional use.
_MOBILE_PREFIXES = ("170", "171", "192", "196", "197", "199")


def _birth_digits(birth_date: date) -> str:
    if birth_date.year < 1900:
        raise ValueError("birth_date must not be before 1900")
    return f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"


def make_resident_id(rng: random.Random, *, region_code: str, birth_date: date, gender: str) -> str:
    """A synthetic 18-character identity number; the sequence parity encodes `gender` (1/2)."""
    if _REGION_RE.fullmatch(region_code) is None:
        raise ValueError("region_code must be 6 ASCII digits")
    if gender not in ("1", "2"):
        raise ValueError("gender must be '1' (male) or '2' (female)")
    last = rng.choice("13579" if gender == "1" else "02468")
    body = f"{region_code}{_birth_digits(birth_date)}{rng.randrange(100):02d}{last}"
    return body + resident_id_check_char(body)


def make_foreign_permanent_id(
    rng: random.Random,
    *,
    birth_date: date,
    province_code: str = "11",
    nationality_code: str = "840",
) -> str:
    """A synthetic 2023-style 外国人永久居留身份证 number (leading 9, MOD 11-2 check)."""
    if _PROVINCE_RE.fullmatch(province_code) is None:
        raise ValueError("province_code must be 2 ASCII digits, 11-82")
    if _NATIONALITY_RE.fullmatch(nationality_code) is None:
        raise ValueError("nationality_code must be 3 ASCII digits (ISO 3166-1 numeric)")
    body = f"9{province_code}{nationality_code}{_birth_digits(birth_date)}{rng.randrange(1000):03d}"
    return body + resident_id_check_char(body)


def make_uscc(
    rng: random.Random,
    *,
    authority: str = "5",
    category: str = "1",
    region_code: str = "110105",
) -> str:
    """A synthetic unified social credit code with valid GB 32100 and GB 11714 check characters."""
    if len(authority) != 1 or authority not in USCC_ALPHABET:
        raise ValueError("authority must be one character of the GB 32100 alphabet")
    if len(category) != 1 or category not in USCC_ALPHABET:
        raise ValueError("category must be one character of the GB 32100 alphabet")
    if _REGION_RE.fullmatch(region_code) is None:
        raise ValueError("region_code must be 6 ASCII digits")
    org_body = "".join(rng.choice(USCC_ALPHABET) for _ in range(8))
    body = f"{authority}{category}{region_code}{org_body}{org_code_check_char(org_body)}"
    return body + uscc_check_char(body)


def make_mobile(rng: random.Random) -> str:
    """A synthetic 11-digit mainland mobile number."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
