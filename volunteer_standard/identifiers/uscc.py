"""Checks for the unified social credit code (统一社会信用代码, GB 32100-2015).

Implemented here rather than through ``stdnum.cn.uscc`` because stdnum requires positions 1-8
to be digits and so rejects valid codes issued by 中央军委改革和编制办公室 (A), 农业 (N) and
其他 (Y) authorities. The embedded organisation code (GB 11714) is checked as a warning only:
some registration authorities assign 主体标识码 values that do not follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from volunteer_standard.identifiers._common import (
    IdProblem,
    compact_input,
    error,
    has_errors,
    warning,
)

#: The 31 characters of GB 32100 (no I, O, S, V, Z), in check-value order.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_CODE_RE = re.compile("[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}")
_ORG_BODY_RE = re.compile("[0-9A-Z]{8}")

#: 登记管理部门 (position 1) and their 机构类别 (position 2), GB 32100-2015 with XG1-2016.
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}

#: Prefixes of social organisations registered by civil affairs: 社会团体, 社会服务机构, 基金会.
CIVIL_AFFAIRS_PREFIXES = ("51", "52", "53")


@dataclass(frozen=True, slots=True)
class UsccCheck:
    """Result of `check_uscc`; parsed parts are filled whenever the code is well formed."""

    ok: bool
    problems: tuple[IdProblem, ...]
    authority: str | None = None
    category: str | None = None
    region_code: str | None = None
    org_code: str | None = None


def uscc_check_char(body: str) -> str:
    """Return the GB 32100 check character (ISO 7064 MOD 31-3) for the first 17 characters."""
    if len(body) != 17 or any(c not in _VALUES for c in body):
        raise ValueError("expected 17 characters of the GB 32100 alphabet")
    total = sum(_VALUES[c] * w for c, w in zip(body, _WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """Return the GB 11714 check character for the 8-character organisation code body."""
    if _ORG_BODY_RE.fullmatch(body) is None:
        raise ValueError("expected 8 characters 0-9 or A-Z")
    # GB 11714 values letters by their place in A-Z (A = 10), unlike the USCC alphabet.
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc_authority_label(authority: str) -> str | None:
    """Chinese name of a registration authority code (position 1), e.g. "5" → 民政."""
    entry = AUTHORITIES.get(authority)
    return entry[0] if entry else None


def uscc_category_label(authority: str, category: str) -> str | None:
    """Chinese name of an organisation category (position 2) under its authority, or None."""
    entry = AUTHORITIES.get(authority)
    return entry[1].get(category) if entry else None


def normalize_uscc(value: str) -> str:
    """Canonical form of user input: trimmed, spaces removed, full-width to ASCII, upper case.

    It does not validate; pass the result to `check_uscc`.
    """
    return compact_input(value).upper()


def _format_problem(code: str) -> IdProblem:
    if len(code) != 18:
        detail = f"expected 18 characters, got {len(code)}"
    elif any(c in "IOSVZ" for c in code):
        detail = "the letters I, O, S, V and Z are not used in unified social credit codes"
    elif any(c not in _VALUES for c in code):
        detail = "only digits and the upper-case letters of GB 32100 are allowed"
    else:
        detail = "positions 3-8 must be a 6-digit division code"
    return error("uscc.format", detail)


def check_uscc(value: str) -> UsccCheck:
    """Check a unified social credit code: format, check character, authority and org code.

    Lowercase letters are accepted with a ``uscc.format`` warning; whitespace and other
    non-canonical input is an error (use `normalize_uscc` on user input first).
    """
    if not isinstance(value, str):
        return UsccCheck(False, (error("uscc.format", "expected a string"),))
    problems: list[IdProblem] = []
    code = value
    if code != code.upper() and _CODE_RE.fullmatch(code.upper()):
        code = code.upper()
        problems.append(warning("uscc.format", "lowercase letters; store the code in upper case"))
    if _CODE_RE.fullmatch(code) is None:
        return UsccCheck(False, (_format_problem(code),))

    if code[17] != uscc_check_char(code[:17]):
        problems.append(error("uscc.checksum", "check character does not match (GB 32100)"))
    authority, category = code[0], code[1]
    if uscc_category_label(authority, category) is None:
        problems.append(
            warning("uscc.authority", "unknown registration authority and category combination")
        )
    org_code = code[8:17]
    if org_code[8] != org_code_check_char(org_code[:8]):
        problems.append(
            warning(
                "uscc.org_code_checksum",
                "organisation code (positions 9-17) fails its GB 11714 check character",
            )
        )

    found = tuple(problems)
    return UsccCheck(
        ok=not has_errors(found),
        problems=found,
        authority=authority,
        category=category,
        region_code=code[2:8],
        org_code=org_code,
    )


def is_civil_affairs_registered(value: str) -> bool:
    """Whether `value` is a valid code of a 社会团体, 社会服务机构 or 基金会 (prefix 51/52/53).

    This is how a registered 志愿服务组织 is normally recognised; an invalid code never
    qualifies, whatever its prefix.
    """
    return check_uscc(value).ok and value.upper().startswith(CIVIL_AFFAIRS_PREFIXES)
