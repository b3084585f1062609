"""VR2xx: identity numbers, credit codes, phones, e-mail, volunteer numbers, region codes.

Valid and invalid cases follow the sources: GB 11643-1999 (structure, MOD 11-2, its worked
example), residence permits 810000/820000/830000 and the 2023 foreign permanent resident ID
(domain.md §5a), GB 32100-2015 with letter-prefixed codes (§5b), GB/T 2260 history (§5c) and
NVSI area ids (§4d). No message may contain an identity or phone number.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.identifiers._id_expected import ric, uscc, uscc_check
from tests.validation.rules_support import (
    GB11643_EXAMPLE,
    dataset,
    messages,
    only,
    rid,
    rule_codes,
    run,
)
from volunteer_standard.identifiers.generate import make_foreign_permanent_id


def _volunteer(tmp_path: Path, **changes: Any) -> list[Any]:
    ds = dataset()
    ds["vol"].update(changes)
    for key, value in list(ds["vol"].items()):
        if value is None:
            del ds["vol"][key]
    _report, issues = run(tmp_path, [ds["org"], ds["vol"]])
    return issues


def _doc(number: str, kind: str = "01") -> dict[str, str]:
    return {"type": kind, "number": number}


# -- resident identity numbers -----------------------------------------------------------------


def test_gb11643_worked_example_is_valid(tmp_path: Path) -> None:
    assert rule_codes(_volunteer(tmp_path)) == []


@pytest.mark.parametrize(
    ("number", "needle"),
    [
        (GB11643_EXAMPLE[:17], "got 17"),
        ("110105491231002", "15-digit"),
        ("11010519491231002Ｘ", "full-width"),
        ("1101051949123100ZX", "17 digits"),
        (" " + GB11643_EXAMPLE[1:], "spaces"),
    ],
)
def test_format_errors_say_what_is_wrong(tmp_path: Path, number: str, needle: str) -> None:
    issues = _volunteer(tmp_path, id_document=_doc(number), birth_date=None, gender=None)
    (issue,) = only(issues, "VR201")
    assert issue.severity == "error" and issue.path == "/id_document/number"
    assert needle in issue.message("en")
    assert "身份证件号码格式不对" in issue.message("zh")


def test_checksum_error(tmp_path: Path) -> None:
    wrong = GB11643_EXAMPLE[:17] + "1"
    issues = _volunteer(tmp_path, id_document=_doc(wrong))
    assert rule_codes(issues) == ["VR203"]


@pytest.mark.parametrize(
    ("birth", "needle"),
    [("19491331", "not a calendar date"), ("18991231", "before 1900"), ("20991231", "future")],
)
def test_birth_date_errors(tmp_path: Path, birth: str, needle: str) -> None:
    issues = _volunteer(tmp_path, id_document=_doc(rid("110105", birth)), birth_date=None)
    (issue,) = only(issues, "VR202")
    assert needle in issue.message("en")


def test_birth_and_gender_must_agree_with_the_record(tmp_path: Path) -> None:
    issues = _volunteer(tmp_path, birth_date="1950-01-01", gender="1")
    assert rule_codes(issues) == ["VR205", "VR206"]
    # 0 (unknown) and 9 (not stated) are not compared.
    assert rule_codes(_volunteer(tmp_path, gender="9")) == []


def test_lowercase_x_is_a_warning(tmp_path: Path) -> None:
    issues = _volunteer(tmp_path, id_document=_doc(GB11643_EXAMPLE.lower()))
    assert rule_codes(issues) == ["VR208"]
    assert issues[0].severity == "warning"


def test_place_is_checked_against_the_code_valid_at_birth(tmp_path: Path) -> None:
    # 110103 崇文区 was retired in 2010: fine for someone born in 1980, odd for 2015.
    born_1980 = _volunteer(
        tmp_path, id_document=_doc(rid("110103", "19800101")), birth_date=None, gender=None
    )
    assert rule_codes(born_1980) == []
    born_2015 = _volunteer(
        tmp_path, id_document=_doc(rid("110103", "20150101")), birth_date=None, gender=None
    )
    (issue,) = only(born_2015, "VR204")
    assert issue.severity == "warning" and "retired" in issue.message("en")
    unknown = _volunteer(
        tmp_path, id_document=_doc(rid("999901", "19800101")), birth_date=None, gender=None
    )
    assert [i.severity for i in only(unknown, "VR204")] == ["warning"]


@pytest.mark.parametrize(("prefix", "kind"), [("810000", "10"), ("820000", "10"), ("830000", "11")])
def test_residence_permits_of_hk_macao_taiwan(tmp_path: Path, prefix: str, kind: str) -> None:
    number = rid(prefix, "19900101", "124")
    ok = _volunteer(tmp_path, id_document=_doc(number, kind), birth_date=None, gender=None)
    assert rule_codes(ok) == []
    as_resident_id = _volunteer(tmp_path, id_document=_doc(number), birth_date=None, gender=None)
    (issue,) = only(as_resident_id, "VR207")
    assert issue.severity == "warning" and issue.path == "/id_document/type"


def test_2023_foreign_permanent_resident_id(tmp_path: Path) -> None:
    number = make_foreign_permanent_id(random.Random(1), birth_date=date(1985, 5, 6))
    ok = _volunteer(tmp_path, id_document=_doc(number, "12"), birth_date="1985-05-06")
    assert rule_codes(ok) == []
    broken = number[:17] + ("0" if number[17] != "0" else "1")
    assert rule_codes(_volunteer(tmp_path, id_document=_doc(broken, "12"), birth_date=None)) == [
        "VR203"
    ]
    # Pre-2023 cards (15 characters) have no published check and are not checked.
    assert rule_codes(_volunteer(tmp_path, id_document=_doc("USA110085050612", "12"))) == []
    # Passports and other documents are not GB 11643 numbers.
    assert rule_codes(_volunteer(tmp_path, id_document=_doc("E12345678", "05"))) == []


def test_identity_numbers_never_appear_in_messages(tmp_path: Path) -> None:
    bad = [GB11643_EXAMPLE[:17] + "1", rid("110103", "20150101"), GB11643_EXAMPLE.lower()]
    for number in bad:
        for issue in _volunteer(tmp_path, id_document=_doc(number), birth_date="1950-01-01"):
            text = messages(issue)
            assert number not in text and number[:14] not in text and number[6:14] not in text


# -- unified social credit codes ------------------------------------------------------------------


def _org(tmp_path: Path, **changes: Any) -> list[Any]:
    org = dataset()["org"]
    org.update(changes)
    for key, value in list(org.items()):
        if value is None:
            del org[key]
    _report, issues = run(tmp_path, [org])
    return issues


def test_valid_civil_affairs_code(tmp_path: Path) -> None:
    assert rule_codes(_org(tmp_path)) == []


def test_letter_prefixed_codes_are_accepted(tmp_path: Path) -> None:
    # Y (其他), N (农业) and A (军队) authorities: python-stdnum rejects these valid codes.
    for head in ("Y1110105", "N2110105", "A1110105"):
        code = uscc(head, "MA01234A")
        assert rule_codes(_org(tmp_path, uscc=code, team_type="3")) == [], head


def _other(char: str) -> str:
    return "0" if char != "0" else "1"


def test_checksum_structure_authority_and_org_code(tmp_path: Path) -> None:
    good = uscc("51110105", "MA01234A")
    assert rule_codes(_org(tmp_path, uscc=good[:17] + _other(good[17]))) == ["VR211"]
    # Positions 3-8 are a division code: a letter there is a structural error.
    body = "5111A105" + good[8:17]
    assert rule_codes(_org(tmp_path, uscc=body + uscc_check(body))) == ["VR210"]
    unknown_category = uscc("57110105", "MA01234A")
    assert rule_codes(_org(tmp_path, uscc=unknown_category, team_type="3")) == ["VR212"]
    # A wrong GB 11714 check character inside an otherwise valid code is only a warning.
    body = "51110105" + "MA01234A" + _other(good[16])
    assert rule_codes(_org(tmp_path, uscc=body + uscc_check(body))) == ["VR213"]


def test_team_type_and_prefix(tmp_path: Path) -> None:
    company = uscc("91110105", "MA01234A")
    (issue,) = only(_org(tmp_path, uscc=company), "VR214")
    assert issue.severity == "warning" and issue.path == "/team_type"
    assert "51, 52 or 53" in issue.message("en")
    assert rule_codes(_org(tmp_path, team_type="1")) == ["VR214"]
    assert rule_codes(_org(tmp_path, uscc=company, team_type="3")) == []
    assert rule_codes(_org(tmp_path, uscc=None)) == ["VR215"]
    assert rule_codes(_org(tmp_path, uscc=None, team_type="1")) == []


def test_approving_unit_and_issuer_codes_are_checked(tmp_path: Path) -> None:
    good = uscc("12110105", "MA01234A")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    issues = _org(
        tmp_path, uscc=None, team_type="1", approving_unit={"name": "示例中学", "uscc": bad}
    )
    assert [(i.code, i.path) for i in issues] == [("VR211", "/approving_unit/uscc")]
    ds = dataset()
    ds["cert"]["issuer"]["uscc"] = bad
    _report, issues = run(tmp_path, list(ds.values()))
    assert [(i.code, i.path) for i in issues] == [("VR211", "/issuer/uscc")]


# -- phones, e-mail, volunteer numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("13800138000", []),
        ("+86 138 0013 8000", []),
        ("1380013800", ["VR220"]),
        ("12800138000", ["VR220"]),
        ("010-12345678", ["VR220"]),
    ],
)
def test_mobile_numbers(tmp_path: Path, phone: str, expected: list[str]) -> None:
    issues = _volunteer(tmp_path, phone=phone)
    assert rule_codes(issues) == expected
    for issue in issues:
        for lang in ("en", "zh"):
            assert phone not in issue.message(lang) and "138" not in issue.message(lang)


def test_foreign_volunteers_and_guardian_phones(tmp_path: Path) -> None:
    assert rule_codes(_volunteer(tmp_path, phone="+1 202 555 0100", nationality="840")) == []
    guardian = {"name": "监护人", "relation": "51", "phone": "12345"}
    issues = _volunteer(tmp_path, guardian=guardian)
    assert [(i.code, i.path) for i in issues] == [("VR220", "/guardian/phone")]


def test_email_everywhere(tmp_path: Path) -> None:
    assert rule_codes(_volunteer(tmp_path, email="someone@example.com")) == []
    issues = _volunteer(tmp_path, email="someone@localhost")
    (issue,) = only(issues, "VR221")
    assert "domain" in issue.message("en") and "someone" not in issue.message("en")
    nested = _org(tmp_path, contact={"email": "a..b@example.com"})
    assert [(i.code, i.path) for i in nested] == [("VR221", "/contact/email")]


def test_volunteer_no_format_only_when_the_profile_defines_one(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(
        'name = "vno"\nextends = "national"\n[identifiers]\n'
        'volunteer_no_pattern = "^V[0-9]{16}V$"\n',
        encoding="utf-8",
    )
    ds = dataset()
    ok = [ds["org"], ds["vol"]]
    assert rule_codes(run(tmp_path, ok, profile=profile)[1]) == []
    bad = dict(ds["vol"], volunteer_no="110105-0001")
    _report, issues = run(tmp_path, [ds["org"], bad, ds["cert"]], profile=profile)
    assert ("VR222", "/volunteer_no") in [(i.code, i.path) for i in issues]
    assert "110105-0001" not in " ".join(messages(i) for i in issues)
    assert "VR222" not in rule_codes(run(tmp_path, [ds["org"], bad])[1])


# -- region codes ---------------------------------------------------------------------------------


def _project(tmp_path: Path, **changes: Any) -> list[Any]:
    ds = dataset()
    ds["prj"].update(changes)
    _report, issues = run(tmp_path, [ds["org"], ds["prj"]])
    return issues


def test_region_codes_in_use_retired_unknown(tmp_path: Path) -> None:
    assert rule_codes(_project(tmp_path, region_code="110105")) == []
    assert rule_codes(_project(tmp_path, region_code="000000")) == []  # nationwide
    (retired,) = _project(tmp_path, region_code="110103")
    assert retired.code == "VR230" and retired.severity == "warning"
    assert "2010" in retired.message("en") and "110101 东城区" in retired.message("en")
    assert "东城区" in retired.message("zh")
    (unknown,) = _project(tmp_path, region_code="999999")
    assert unknown.code == "VR231" and unknown.severity == "error"
    assert "999999" in unknown.message("en")


@pytest.mark.parametrize(
    ("area_id", "expected"),
    [
        ("110105001", []),
        ("110105001001", []),
        ("110105001001000000", []),
        ("110103001001", ["VR230"]),
        ("990000001001", ["VR231"]),
        ("110108001001", ["VR232"]),
    ],
)
def test_area_ids_are_checked_on_their_first_six_digits(
    tmp_path: Path, area_id: str, expected: list[str]
) -> None:
    location = {"region_code": "110105", "area_id": area_id}
    if expected == ["VR230"]:
        location["region_code"] = "110103"
        expected = ["VR230", "VR230"]
    assert rule_codes(_project(tmp_path, location=location)) == expected


def test_personal_region_codes_are_not_quoted(tmp_path: Path) -> None:
    (issue,) = only(_volunteer(tmp_path, residence={"region_code": "999999"}), "VR231")
    assert issue.path == "/residence/region_code"
    assert "999999" not in messages(issue)


def test_certificate_line_regions_are_checked(tmp_path: Path) -> None:
    ds = dataset()
    ds["cert"]["lines"][0]["region_code"] = "110103"
    _report, issues = run(tmp_path, list(ds.values()))
    assert [(i.code, i.path) for i in issues] == [("VR230", "/lines/0/region_code")]


def test_sample_birth_numbers_with_valid_checks(tmp_path: Path) -> None:
    """Numbers built from the standard's formula pass; one changed digit fails the check."""
    number = ric("32010619850506123")
    assert (
        rule_codes(
            _volunteer(tmp_path, id_document=_doc(number), birth_date="1985-05-06", gender="1")
        )
        == []
    )
    flipped = number[:10] + ("1" if number[10] != "1" else "2") + number[11:]
    assert "VR203" in rule_codes(_volunteer(tmp_path, id_document=_doc(flipped), birth_date=None))
