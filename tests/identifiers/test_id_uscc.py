"""Unified social credit codes (GB 32100-2015) with their embedded GB 11714 organisation codes."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc as stdnum_uscc

from volunteer_standard.identifiers import (
    UsccCheck,
    check_uscc,
    is_civil_affairs_registered,
    normalize_uscc,
    uscc_authority_label,
    uscc_category_label,
    uscc_check_char,
)

from ._id_expected import USCC_ALPHABET, org_check, uscc, uscc_check

SOCIAL_GROUP = uscc("51110105", "MJ001234")  # 民政 社会团体 registered in 朝阳区
FULLWIDTH = str.maketrans(
    {chr(c): chr(c + 0xFEE0) for c in range(0x30, 0x3A)}
    | {chr(c): chr(c + 0xFEE0) for c in range(0x41, 0x5B)}
)


def codes(result: UsccCheck) -> list[str]:
    return [p.code for p in result.problems]


def test_stdnum_documented_sample_is_valid_and_parsed() -> None:
    result = check_uscc("91110000600037341L")
    assert result.ok
    assert result.problems == ()
    assert (result.authority, result.category) == ("9", "1")
    assert result.region_code == "110000"
    assert result.org_code == "600037341"


def test_social_group_code_is_valid() -> None:
    result = check_uscc(SOCIAL_GROUP)
    assert result.ok
    assert result.problems == ()
    assert result.authority == "5"
    assert result.category == "1"
    assert result.region_code == "110105"
    assert result.org_code == SOCIAL_GROUP[8:17]


@pytest.mark.parametrize(
    ("head", "authority"),
    [("Y1110105", "Y"), ("N1320102", "N"), ("N3320102", "N"), ("A1110000", "A"), ("A9110000", "A")],
)
def test_codes_with_letter_authorities_are_accepted(head: str, authority: str) -> None:
    code = uscc(head, "12345678")
    # stdnum requires positions 1-8 to be digits; these are valid codes all the same.
    assert not stdnum_uscc.is_valid(code)
    result = check_uscc(code)
    assert result.ok
    assert result.problems == ()
    assert result.authority == authority


def test_check_character_matches_independent_formula() -> None:
    for body in ("91110000600037341", SOCIAL_GROUP[:17], "Y1110105ABCDEFGHX"):
        assert uscc_check_char(body) == uscc_check(body)


@pytest.mark.parametrize("body", ["9111000060003734", "9111000060003734I", "91110000６00037341"])
def test_check_character_helper_rejects_bad_bodies(body: str) -> None:
    with pytest.raises(ValueError, match="GB 32100"):
        uscc_check_char(body)


@pytest.mark.parametrize("wrong", sorted(set(USCC_ALPHABET) - {SOCIAL_GROUP[-1]}))
def test_every_wrong_check_character_is_rejected(wrong: str) -> None:
    result = check_uscc(SOCIAL_GROUP[:17] + wrong)
    assert not result.ok
    assert codes(result) == ["uscc.checksum"]


@pytest.mark.parametrize("letter", list("IOZSV"))
@pytest.mark.parametrize("position", [0, 1, 9, 17])
def test_letters_outside_the_alphabet_are_rejected(letter: str, position: int) -> None:
    code = SOCIAL_GROUP[:position] + letter + SOCIAL_GROUP[position + 1 :]
    result = check_uscc(code)
    assert not result.ok
    assert codes(result) == ["uscc.format"]
    assert "I, O, S, V and Z" in result.problems[0].detail


@pytest.mark.parametrize(
    "value",
    [
        SOCIAL_GROUP + "\n",
        " " + SOCIAL_GROUP,
        SOCIAL_GROUP[:17],
        SOCIAL_GROUP + "0",
        SOCIAL_GROUP[:4] + "A" + SOCIAL_GROUP[5:],  # region code (positions 3-8) must be digits
        SOCIAL_GROUP[:9] + "-" + SOCIAL_GROUP[10:],
        "",
    ],
)
def test_malformed_values_are_format_errors(value: str) -> None:
    result = check_uscc(value)
    assert not result.ok
    assert codes(result) == ["uscc.format"]
    assert result.authority is None


def test_non_string_is_a_format_error() -> None:
    assert codes(check_uscc(None)) == ["uscc.format"]  # type: ignore[arg-type]


def test_lowercase_is_accepted_with_a_warning() -> None:
    code = uscc("Y1110105", "ABCDEFGH")
    result = check_uscc(code.lower())
    assert result.ok
    assert [(p.code, p.severity) for p in result.problems] == [("uscc.format", "warning")]
    assert result.org_code == code[8:17]


def test_fullwidth_input_is_rejected_until_normalised() -> None:
    value = SOCIAL_GROUP.translate(FULLWIDTH)
    assert codes(check_uscc(value)) == ["uscc.format"]
    assert normalize_uscc(f" {value[:9]} {value[9:].lower()}\n") == SOCIAL_GROUP
    assert check_uscc(normalize_uscc(value)).ok


@pytest.mark.parametrize("head", ["54110105", "B1110105", "94110105", "Y2110105"])
def test_unknown_authority_and_category_pair_is_a_warning(head: str) -> None:
    result = check_uscc(uscc(head, "12345678"))
    assert result.ok
    assert [(p.code, p.severity) for p in result.problems] == [("uscc.authority", "warning")]


def test_org_code_check_matches_gb_11714_examples() -> None:
    # 60003734-1 is the organisation code inside stdnum's documented sample.
    assert org_check("60003734") == "1"
    body = "51110105" + "12345678"
    for wrong in sorted(set("0123456789X") - {org_check("12345678")}):
        code = body + wrong
        result = check_uscc(code + uscc_check(code))
        assert result.ok  # a warning only: some authorities assign non-conforming codes
        assert [(p.code, p.severity) for p in result.problems] == [
            ("uscc.org_code_checksum", "warning")
        ]


def test_org_code_letters_use_gb_11714_values_not_the_uscc_alphabet() -> None:
    # J is 19 in GB 11714 but 18 in the GB 32100 alphabet; the checks must not be mixed up.
    code = uscc("52110105", "MJJJ0001")
    assert check_uscc(code).problems == ()


def test_is_civil_affairs_registered() -> None:
    assert is_civil_affairs_registered(SOCIAL_GROUP)
    assert is_civil_affairs_registered(uscc("52110105", "MJ000001"))
    assert is_civil_affairs_registered(uscc("53100000", "50000001"))
    assert is_civil_affairs_registered(SOCIAL_GROUP.lower())
    assert not is_civil_affairs_registered(uscc("59110105", "MJ000001"))
    assert not is_civil_affairs_registered("91110000600037341L")
    wrong = "0" if SOCIAL_GROUP[-1] != "0" else "1"
    assert not is_civil_affairs_registered(SOCIAL_GROUP[:17] + wrong)
    assert not is_civil_affairs_registered(SOCIAL_GROUP + "\n")


def test_labels() -> None:
    assert uscc_authority_label("5") == "民政"
    assert uscc_authority_label("Y") == "其他"
    assert uscc_authority_label("B") is None
    assert uscc_category_label("5", "1") == "社会团体"
    assert uscc_category_label("5", "2") == "民办非企业单位"
    assert uscc_category_label("5", "3") == "基金会"
    assert uscc_category_label("9", "2") == "个体工商户"
    assert uscc_category_label("9", "9") is None
    assert uscc_category_label("B", "1") is None
