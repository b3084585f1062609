"""Mainland mobile numbers, e-mail addresses and name masking."""

from __future__ import annotations

import pytest

from volunteer_standard.identifiers import (
    check_email,
    check_mobile,
    mask_mobile,
    mask_name,
    normalize_mobile,
)


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "19912345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "86 13812345678",
        "8613812345678",
        "0086 138 1234 5678",
        "１３８１２３４５６７８",
    ],
)
def test_valid_mobiles(value: str) -> None:
    assert check_mobile(value) == ()
    assert normalize_mobile(value) == ("19912345678" if "199" in value else "13812345678")


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",  # second digit must be 3-9
        "23812345678",
        "1381234567",
        "138123456789",
        "13812345678\n",
        "138 1234 567a",
        "+8613812345678\n",
        "+85213812345678",
        "010-12345678",  # a landline
        "138.1234.5678",
        "",
    ],
)
def test_invalid_mobiles(value: str) -> None:
    problems = check_mobile(value)
    assert [(p.code, p.severity) for p in problems] == [("phone.format", "error")]
    assert value not in problems[0].detail or not value


def test_non_string_mobile() -> None:
    assert [p.code for p in check_mobile(13812345678)] == ["phone.format"]  # type: ignore[arg-type]


def test_mask_mobile() -> None:
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("+86 138-1234-5678") == "138****5678"
    assert mask_mobile("010-12345678") == "*******5678"
    assert mask_mobile("12345") == "*****"


@pytest.mark.parametrize(
    "value",
    [
        "a@example.com",
        "first.last+tag@sub.example.org",
        "o'brien@example.co.uk",
        "x_1@example.xn--fiqs8s",
        "volunteer@a-b.example.cn",
    ],
)
def test_valid_emails(value: str) -> None:
    assert check_email(value) == ()


@pytest.mark.parametrize(
    "value",
    [
        "no-at-sign",
        "@example.com",
        "a@",
        "a..b@example.com",
        ".a@example.com",
        "a.@example.com",
        "a b@example.com",
        "a@example",
        "a@-example.com",
        "a@example-.com",
        "a@example.c",
        "a@example..com",
        "a@example.com\n",
        "张三@example.com",
        "a@[127.0.0.1]",
        "a@b@example.com",
        "x" * 65 + "@example.com",
        "a@" + "b" * 64 + ".com",
        "",
    ],
)
def test_invalid_emails(value: str) -> None:
    assert [(p.code, p.severity) for p in check_email(value)] == [("email.format", "error")]


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("张", "*"),
        ("", ""),
        (" 李四 ", "李*"),
        ("买买提·艾力", "买****力"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked
