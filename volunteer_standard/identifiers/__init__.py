"""Identifier and contact checks: resident ID numbers, credit codes, phones, e-mail, masking.

Every check returns `IdProblem` records with stable codes (``id.*``, ``uscc.*``,
``phone.format``, ``email.format``) that never quote the checked value, so results can be
logged. Synthetic generators live in `volunteer_standard.identifiers.generate`.
"""

from volunteer_standard.identifiers._common import IdProblem, Severity
from volunteer_standard.identifiers.contact import (
    check_email,
    check_mobile,
    mask_mobile,
    mask_name,
    normalize_mobile,
)
from volunteer_standard.identifiers.resident_id import (
    IdCheck,
    check_resident_id,
    mask_resident_id,
    normalize_resident_id,
    resident_id_check_char,
)
from volunteer_standard.identifiers.uscc import (
    UsccCheck,
    check_uscc,
    is_civil_affairs_registered,
    normalize_uscc,
    uscc_authority_label,
    uscc_category_label,
    uscc_check_char,
)

__all__ = [
    "IdCheck",
    "IdProblem",
    "Severity",
    "UsccCheck",
    "check_email",
    "check_mobile",
    "check_resident_id",
    "check_uscc",
    "is_civil_affairs_registered",
    "mask_mobile",
    "mask_name",
    "mask_resident_id",
    "normalize_mobile",
    "normalize_resident_id",
    "normalize_uscc",
    "resident_id_check_char",
    "uscc_authority_label",
    "uscc_category_label",
    "uscc_check_char",
]
