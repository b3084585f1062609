"""Resident ID numbers (GB 11643-1999), residence permits, foreigners' permanent-residence IDs."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from volunteer_standard.identifiers import (
    IdCheck,
    check_resident_id,
    mask_resident_id,
    normalize_resident_id,
    resident_id_check_char,
)

from ._id_expected import ric, ric_check

TODAY = date(2024, 6, 1)
FEMALE_1990 = ric("11010519900307002")  # 朝阳区, 1990-03-07, sequence 002 (even: female)
MALE_1990 = ric("11010519900307001")
FULLWIDTH = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)} | {"X": "Ｘ"})


def check(value: str, **kwargs: object) -> IdCheck:
    return check_resident_id(value, today=TODAY, **kwargs)  # type: ignore[arg-type]


def codes(result: IdCheck) -> list[str]:
    return [p.code for p in result.problems]


def errors(result: IdCheck) -> list[str]:
    return [p.code for p in result.problems if p.severity == "error"]


def body_with_check_x() -> str:
    """A 17-digit body whose MOD 11-2 check character is X (found by search, not hard-coded)."""
    for seq in range(1000):
        body = f"11010519900307{seq:03d}"
        if ric_check(body) == "X":
            return body
    raise AssertionError("no body with check character X")


def test_valid_number_is_parsed() -> None:
    result = check(FEMALE_1990)
    assert result.ok
    assert result.problems == ()
    assert result.birth_date == date(1990, 3, 7)
    assert result.gender == "2"
    assert result.region_code == "110105"
    assert result.kind == "resident"
    assert result.nationality_code is None


def test_odd_sequence_digit_is_male() -> None:
    assert check(MALE_1990).gender == "1"


def test_stdnum_documented_sample_is_valid() -> None:
    assert check("360426199101010071").ok


def test_check_character_matches_independent_formula() -> None:
    for body in ("11010519900307002", "36042619910101007", body_with_check_x()):
        assert resident_id_check_char(body) == ric_check(body)


@pytest.mark.parametrize(
    "body", ["1101051990030700", "1101051990030700a", "１１０１０５１９９００３０７００２"]
)
def test_check_character_helper_rejects_bad_bodies(body: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        resident_id_check_char(body)


def test_uppercase_x_check_character() -> None:
    result = check(body_with_check_x() + "X")
    assert result.ok
    assert result.problems == ()


def test_lowercase_x_is_accepted_with_a_normalisation_warning() -> None:
    result = check(body_with_check_x() + "x")
    assert result.ok
    assert [(p.code, p.severity) for p in result.problems] == [("id.format", "warning")]


@pytest.mark.parametrize(
    "value",
    [
        FEMALE_1990 + "\n",
        FEMALE_1990 + " ",
        " " + FEMALE_1990,
        FEMALE_1990[:6] + " " + FEMALE_1990[6:],
        FEMALE_1990[:17],
        FEMALE_1990 + "0",
        "",
        FEMALE_1990[:10] + "A" + FEMALE_1990[11:],
        "X" + FEMALE_1990[1:],
        FEMALE_1990[:17] + "Y",
    ],
)
def test_malformed_values_are_format_errors(value: str) -> None:
    result = check(value)
    assert not result.ok
    assert codes(result) == ["id.format"]
    assert result.kind is None
    assert result.birth_date is None


def test_fullwidth_digits_are_rejected_until_normalised() -> None:
    value = FEMALE_1990.translate(FULLWIDTH)
    assert value != FEMALE_1990
    result = check(value)
    assert not result.ok
    assert codes(result) == ["id.format"]
    assert "normalize_resident_id" in result.problems[0].detail
    assert normalize_resident_id(value) == FEMALE_1990
    assert check(normalize_resident_id(value)).ok


def test_normalize_resident_id() -> None:
    body = body_with_check_x()
    messy = f" {body[:6]} {body[6:14]}\u3000{body[14:]}x\n"
    assert normalize_resident_id(messy) == body + "X"
    assert normalize_resident_id(body + "ｘ") == body + "X"


def test_fifteen_digit_first_generation_number_is_explained() -> None:
    result = check("110105900307002")
    assert codes(result) == ["id.format"]
    assert "15-digit" in result.problems[0].detail


def test_non_string_is_a_format_error() -> None:
    result = check_resident_id(110105199003070021)  # type: ignore[arg-type]
    assert codes(result) == ["id.format"]


@pytest.mark.parametrize("wrong", sorted(set("0123456789X") - {FEMALE_1990[-1]}))
def test_every_wrong_check_character_is_a_checksum_error(wrong: str) -> None:
    result = check(FEMALE_1990[:17] + wrong)
    assert not result.ok
    assert errors(result) == ["id.checksum"]


@pytest.mark.parametrize(
    ("birth", "why"),
    [
        ("19900230", "not a calendar date"),
        ("19901301", "not a calendar date"),
        ("00000000", "not a calendar date"),
        ("18991231", "before 1900"),
        ("20240602", "future"),
    ],
)
def test_impossible_birth_dates(birth: str, why: str) -> None:
    result = check(ric("110105" + birth + "002"))
    assert not result.ok
    assert errors(result) == ["id.birth_date"]
    assert why in result.problems[0].detail


def test_birth_today_and_in_1900_are_allowed() -> None:
    assert "id.birth_date" not in codes(check(ric("110105" + "20240601" + "002")))
    assert "id.birth_date" not in codes(check(ric("110101" + "19000101" + "002")))


def test_today_defaults_to_the_current_date() -> None:
    next_year = date.today().year + 1
    result = check_resident_id(ric(f"110105{next_year}0101002"))
    assert errors(result) == ["id.birth_date"]


def test_birth_date_mismatch() -> None:
    result = check(FEMALE_1990, birth_date=date(1990, 3, 8))
    assert not result.ok
    assert errors(result) == ["id.birth_mismatch"]
    assert check(FEMALE_1990, birth_date=date(1990, 3, 7)).ok
    assert check(FEMALE_1990, birth_date=datetime(1990, 3, 7, 12, 0)).ok


def test_gender_mismatch() -> None:
    result = check(FEMALE_1990, gender="1")
    assert not result.ok
    assert errors(result) == ["id.gender_mismatch"]
    assert check(FEMALE_1990, gender="2").ok
    assert check(MALE_1990, gender="1").ok
    # GB/T 2261.1 "unknown" and "not stated" cannot disagree with the number.
    assert check(FEMALE_1990, gender="0").ok
    assert check(FEMALE_1990, gender="9").ok


def test_gender_must_be_a_gb_2261_code() -> None:
    with pytest.raises(ValueError, match="2261"):
        check(FEMALE_1990, gender="F")


def test_mismatches_are_not_reported_for_an_unparseable_date() -> None:
    result = check(ric("11010519900230002"), birth_date=date(1990, 3, 7))
    assert errors(result) == ["id.birth_date"]


# --- place codes, checked against the bundled region history -----------------------------


def test_place_code_in_use_in_the_birth_year_gives_no_warning() -> None:
    result = check(ric("110103" + "19950612" + "001"))  # 崇文区, in use until 2010
    assert result.ok
    assert "id.place" not in codes(result)


def test_place_code_retired_before_the_birth_year_is_a_warning() -> None:
    result = check(ric("110103" + "20150612" + "001"))
    assert result.ok  # a warning, not an error
    place = [p for p in result.problems if p.code == "id.place"]
    assert len(place) == 1
    assert place[0].severity == "warning"
    assert "retired" in place[0].detail


def test_unknown_place_code_is_a_warning() -> None:
    from volunteer_standard.codelists import regions

    assert regions.status("110199") == "unknown"
    result = check(ric("110199" + "19950612" + "001"))
    assert result.ok
    assert [(p.code, p.severity) for p in result.problems] == [("id.place", "warning")]


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [("810000", "hk_macao_permit"), ("820000", "hk_macao_permit"), ("830000", "taiwan_permit")],
)
def test_residence_permit_numbers_are_accepted(prefix: str, kind: str) -> None:
    # stdnum rejects 810000 and 830000; the project accepts all three permit prefixes.
    result = check(ric(prefix + "19880520" + "003"), birth_date=date(1988, 5, 20), gender="1")
    assert result.ok
    assert result.problems == ()
    assert result.kind == kind
    assert result.region_code == prefix
    assert result.gender == "1"


def test_residence_permit_with_bad_checksum_is_rejected() -> None:
    number = ric("81000019880520003")
    wrong = "0" if number[-1] != "0" else "1"
    assert errors(check(number[:17] + wrong)) == ["id.checksum"]


# --- 2023 foreigners' permanent-residence ID: 9 + province + nationality + birth + seq + check


FOREIGN = ric("9" + "31" + "840" + "19850615" + "123")


def test_foreign_permanent_residence_id_is_parsed() -> None:
    result = check(FOREIGN)
    assert result.ok
    assert result.problems == ()
    assert result.kind == "foreign_permanent"
    assert result.region_code == "310000"
    assert result.nationality_code == "840"
    assert result.birth_date == date(1985, 6, 15)
    assert result.gender is None  # no published sex convention for the sequence code


def test_foreign_id_checksum_and_date_are_checked() -> None:
    wrong = "0" if FOREIGN[-1] != "0" else "1"
    assert errors(check(FOREIGN[:17] + wrong)) == ["id.checksum"]
    assert errors(check(ric("9" + "31" + "840" + "19850631" + "123"))) == ["id.birth_date"]


def test_foreign_id_gender_is_not_compared_but_birth_date_is() -> None:
    assert check(FOREIGN, gender="2").ok
    assert errors(check(FOREIGN, birth_date=date(1985, 6, 16))) == ["id.birth_mismatch"]


def test_foreign_id_with_unknown_province_is_a_place_warning() -> None:
    result = check(ric("9" + "99" + "840" + "19850615" + "123"))
    assert result.ok
    assert [(p.code, p.severity) for p in result.problems] == [("id.place", "warning")]


# --- privacy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        FEMALE_1990[:17] + ("0" if FEMALE_1990[-1] != "0" else "1"),
        ric("11010519900230002"),
        ric("110103" + "20150612" + "001"),
        FEMALE_1990 + "\n",
        "110105900307002",
    ],
)
def test_results_never_quote_the_number(value: str) -> None:
    result = check(value, birth_date=date(2000, 1, 1), gender="1")
    assert result.problems
    assert value.strip() not in repr(result)
    assert value.strip()[6:14] not in " ".join(p.detail for p in result.problems)


def test_mask_first_six_last_four() -> None:
    assert mask_resident_id(FEMALE_1990) == FEMALE_1990[:6] + "*" * 8 + FEMALE_1990[-4:]
    assert mask_resident_id(FEMALE_1990, style="6+4") == mask_resident_id(FEMALE_1990)


def test_mask_last_four_nvsi_style() -> None:
    body = body_with_check_x()
    assert mask_resident_id(body + "x", style="last4") == "*" * 14 + body[-3:] + "X"


def test_mask_short_values_entirely() -> None:
    assert mask_resident_id("12345678") == "********"
    assert mask_resident_id("1234567", style="last4") == "*******"
    assert mask_resident_id("") == ""


def test_mask_unknown_style() -> None:
    with pytest.raises(ValueError, match="mask style"):
        mask_resident_id(FEMALE_1990, style="first3")  # type: ignore[arg-type]
