"""Synthetic generators, and property tests of the checks built on them."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteer_standard.identifiers import (
    check_mobile,
    check_resident_id,
    check_uscc,
    is_civil_affairs_registered,
    mask_resident_id,
)
from volunteer_standard.identifiers.generate import (
    make_foreign_permanent_id,
    make_mobile,
    make_resident_id,
    make_uscc,
)

from ._id_expected import USCC_ALPHABET

TODAY = date(2024, 6, 1)
REGIONS = ["110101", "110105", "310104", "440305", "510107", "650102"]

seeds = st.integers(min_value=0, max_value=2**32)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
genders = st.sampled_from(["1", "2"])


def test_make_resident_id_is_deterministic_and_valid() -> None:
    first = make_resident_id(
        random.Random(7), region_code="110105", birth_date=date(1990, 3, 7), gender="2"
    )
    again = make_resident_id(
        random.Random(7), region_code="110105", birth_date=date(1990, 3, 7), gender="2"
    )
    assert first == again
    result = check_resident_id(first, today=TODAY)
    assert result.ok
    assert result.problems == ()
    assert (result.region_code, result.birth_date, result.gender) == (
        "110105",
        date(1990, 3, 7),
        "2",
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region_code": "11010", "birth_date": date(1990, 1, 1), "gender": "1"}, "region_code"),
        ({"region_code": "１１０１０５", "birth_date": date(1990, 1, 1), "gender": "1"}, "ASCII"),
        ({"region_code": "110105", "birth_date": date(1990, 1, 1), "gender": "M"}, "gender"),
        ({"region_code": "110105", "birth_date": date(1899, 12, 31), "gender": "1"}, "1900"),
    ],
)
def test_make_resident_id_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_resident_id(random.Random(0), **kwargs)  # type: ignore[arg-type]


def test_make_foreign_permanent_id() -> None:
    number = make_foreign_permanent_id(random.Random(1), birth_date=date(1985, 6, 15))
    result = check_resident_id(number, today=TODAY)
    assert result.ok
    assert result.kind == "foreign_permanent"
    assert result.nationality_code == "840"
    with pytest.raises(ValueError, match="province_code"):
        make_foreign_permanent_id(random.Random(1), birth_date=date(1985, 6, 15), province_code="9")


@pytest.mark.parametrize(
    ("authority", "category"),
    [("5", "1"), ("5", "2"), ("5", "3"), ("9", "1"), ("Y", "1"), ("N", "2"), ("A", "1")],
)
def test_make_uscc_is_valid(authority: str, category: str) -> None:
    code = make_uscc(random.Random(3), authority=authority, category=category)
    result = check_uscc(code)
    assert result.ok
    assert result.problems == ()
    assert (result.authority, result.category, result.region_code) == (
        authority,
        category,
        "110105",
    )
    assert is_civil_affairs_registered(code) == (authority == "5")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"authority": "I"}, "authority"),
        ({"category": "12"}, "category"),
        ({"region_code": "11010A"}, "region_code"),
    ],
)
def test_make_uscc_rejects_bad_arguments(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_uscc(random.Random(0), **kwargs)


@given(seeds)
def test_make_mobile_is_valid(seed: int) -> None:
    assert check_mobile(make_mobile(random.Random(seed))) == ()


@given(seeds, st.sampled_from(REGIONS), birth_dates, genders)
def test_generated_resident_ids_always_validate(
    seed: int, region: str, birth: date, gender: str
) -> None:
    number = make_resident_id(
        random.Random(seed), region_code=region, birth_date=birth, gender=gender
    )
    result = check_resident_id(number, birth_date=birth, gender=gender, today=TODAY)
    assert result.ok, result.problems
    assert (result.birth_date, result.gender, result.region_code) == (birth, gender, region)


@given(seeds, st.sampled_from(REGIONS), birth_dates, genders, st.data())
def test_any_single_character_change_is_detected(
    seed: int, region: str, birth: date, gender: str, data: st.DataObject
) -> None:
    number = make_resident_id(
        random.Random(seed), region_code=region, birth_date=birth, gender=gender
    )
    position = data.draw(st.integers(min_value=0, max_value=17))
    allowed = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from(sorted(set(allowed) - {number[position]})))
    changed = number[:position] + replacement + number[position + 1 :]
    result = check_resident_id(changed, today=TODAY)
    assert not result.ok
    assert "id.checksum" in [p.code for p in result.problems]


@given(seeds, birth_dates, st.data())
def test_any_single_character_change_in_a_foreign_id_is_detected(
    seed: int, birth: date, data: st.DataObject
) -> None:
    number = make_foreign_permanent_id(random.Random(seed), birth_date=birth)
    position = data.draw(st.integers(min_value=1, max_value=17))  # position 0 changes the kind
    allowed = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from(sorted(set(allowed) - {number[position]})))
    changed = number[:position] + replacement + number[position + 1 :]
    assert "id.checksum" in [p.code for p in check_resident_id(changed, today=TODAY).problems]


@given(
    seeds,
    st.sampled_from(["51", "52", "53", "91", "92", "Y1", "N1", "A1"]),
    st.sampled_from(REGIONS),
)
def test_generated_usccs_always_validate(seed: int, head: str, region: str) -> None:
    code = make_uscc(random.Random(seed), authority=head[0], category=head[1], region_code=region)
    result = check_uscc(code)
    assert result.ok
    assert result.problems == ()


@given(seeds, st.data())
def test_any_single_character_change_in_a_uscc_is_detected(seed: int, data: st.DataObject) -> None:
    code = make_uscc(random.Random(seed))
    position = data.draw(st.integers(min_value=0, max_value=17))
    allowed = "0123456789" if 2 <= position <= 7 else USCC_ALPHABET
    replacement = data.draw(st.sampled_from(sorted(set(allowed) - {code[position]})))
    changed = code[:position] + replacement + code[position + 1 :]
    result = check_uscc(changed)
    assert not result.ok
    assert "uscc.checksum" in [p.code for p in result.problems]


@given(seeds, st.sampled_from(REGIONS), birth_dates, genders)
def test_masks_hide_the_birth_date(seed: int, region: str, birth: date, gender: str) -> None:
    number = make_resident_id(
        random.Random(seed), region_code=region, birth_date=birth, gender=gender
    )
    assert mask_resident_id(number)[6:14] == "*" * 8
    assert mask_resident_id(number, style="last4")[:14] == "*" * 14


@given(st.from_regex("[0-9]{8}", fullmatch=True))
def test_birth_date_parsing_agrees_with_stdnum(digits: str) -> None:
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    from volunteer_standard.identifiers.resident_id import _birth_date_of

    number = "110105" + digits + "0010"
    try:
        expected: date | None = ric.get_birth_date(number)
    except ValidationError:
        expected = None
    assert _birth_date_of(number) == expected
