"""Independent re-implementations of the check-character formulas, written from the standards.

The tests compare the library against these rather than against itself.
"""

from __future__ import annotations

# GB 11643-1999 / ISO 7064 MOD 11-2: the weight of position i (1-based) is 2^(18-i) mod 11.
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def ric_check(body: str) -> str:
    """Check character of a 17-digit body: (12 - sum mod 11) mod 11, 10 written as X."""
    total = sum(int(c) * w for c, w in zip(body, RIC_WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def ric(body: str) -> str:
    """Complete a 17-digit body with its check character."""
    return body + ric_check(body)


def uscc_check(body: str) -> str:
    """GB 32100 check character: alphabet[(31 - sum mod 31) mod 31]."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_check(body: str) -> str:
    """GB 11714 check character: 11 - sum mod 11, 10 -> X, 11 -> 0; letters A=10 ... Z=35."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    value = 11 - sum(v * w for v, w in zip(values, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc(head8: str, org_body: str) -> str:
    """Build a credit code from positions 1-8 and an 8-char org-code body, with both checks."""
    body = head8 + org_body + org_check(org_body)
    return body + uscc_check(body)
