"""Certificate numbers (证明编号) and verification codes (核验码).

A certificate number reads ``ZM2025-MA1B2C3D4-7K3M9QP2H`` (docs/certificates.md):

* ``ZM`` (证明) and the **year of issue**;
* the **issuer code**: the 9-character organization code inside the issuer's unified social
  credit code (GB 32100 positions 9–17), or 9 characters derived from its id when it has none;
* 8 characters of the SHA-256 digest of what the certificate attests (issuer, volunteer,
  period, the service records and hours of every line, date of issue, serial), in
  Crockford base32, and one **check character** (Luhn mod 32) that catches a mistyped
  character or two swapped neighbours.

Numbers need no central counter and are unique in practice (40 bits per issuer and year);
issuing the same content again with the same serial gives the same number, so a retried
batch cannot create duplicates. A re-issue after a correction covers other records (or
takes ``serial=2``) and gets a new number.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from volunteer_standard.certificates.signing import canonical_json

#: Crockford base32: no I, L, O, U (nothing to confuse with 1, 0 or V when read aloud).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_RE = re.compile(r"^ZM[0-9]{4}-[0-9A-Z]{9}-[0-9A-HJKMNP-TV-Z]{9}$")


def _base32(data: bytes, length: int) -> str:
    value = int.from_bytes(data, "big")
    bits = len(data) * 8
    out = []
    for i in range(length):
        shift = bits - 5 * (i + 1)
        out.append(ALPHABET[(value >> shift) & 31])
    return "".join(out)


def check_character(payload: str) -> str:
    """Luhn mod 32 check character over the Crockford base32 characters of ``payload``."""
    factor, total = 2, 0
    for char in reversed(payload):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def issuer_code(organization_id: str, uscc: str | None) -> str:
    """The 9-character issuer part of a number."""
    if uscc and len(uscc) == 18:
        return uscc[8:17]
    return _base32(hashlib.sha256(organization_id.encode()).digest()[:6], 9)


def certificate_number(
    *, issued_on: date, organization_id: str, uscc: str | None, content: Any, serial: int = 1
) -> str:
    """The number of a certificate attesting ``content`` (any JSON value)."""
    digest = hashlib.sha256(canonical_json([content, serial])).digest()
    body = _base32(digest[:5], 8)
    return (
        f"ZM{issued_on.year:04d}-{issuer_code(organization_id, uscc)}-{body}{check_character(body)}"
    )


def is_well_formed(number: str) -> bool:
    """Whether ``number`` has the shape and check character of a number of this scheme."""
    if not NUMBER_RE.fullmatch(number):
        return False
    body = number[-9:-1]
    return check_character(body) == number[-1]


def verification_code(content: Any) -> str:
    """A 12-character code (``XXXX-XXXX-XXXX``) printed on the certificate for manual checks.

    It is a digest of the certificate's content, so the code on a paper copy only matches
    the electronic certificate it was printed from.
    """
    raw = _base32(hashlib.sha256(canonical_json(content)).digest()[:8], 12)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


__all__ = [
    "ALPHABET",
    "certificate_number",
    "check_character",
    "is_well_formed",
    "issuer_code",
    "verification_code",
]
