"""VR7xx: personal information in places where it does not belong.

A record id travels everywhere (references, reports, reject files, logs); an ID number used
as one leaks into all of them. PIPL art. 28 makes ID numbers sensitive personal
information, and MZ/T 061 gives volunteers a public number for exactly this purpose.
"""

from __future__ import annotations

from typing import Any

from volunteer_standard.identifiers.resident_id import resident_id_check_char
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.privacy import contains_identifier
from volunteer_standard.validation.rules.base import RecordRef, Rule, issue_type

PRIVACY_TYPES = (
    issue_type(
        "VR701",
        "id-number-as-record-id",
        "error",
        "privacy",
        (
            "记录标识（id 或引用）是一个身份证号码",
            "a record id (id or a reference) is an identity number",
        ),
        (
            "身份证号码属于敏感个人信息，不能作为记录标识：改用志愿者编号或平台内部编号，"
            "需要稳定标识时用带密钥的摘要（见 docs/safety.zh.md）。",
            "an ID number is sensitive personal information and must not be a record id: use "
            "the volunteer number or an internal id, or a keyed digest for stable ids (see "
            "docs/safety.md).",
        ),
        "个人信息保护法 art. 28, 51; MZ/T 061-2015 志愿者统一编号",
    ),
)

_ID_LENGTH = 18
_ID_FIELDS = ("id", "volunteer_id", "organization_id", "project_id", "activity_id")


class IdNumberAsIdRule(Rule):
    """No record id, and no reference to one, is a resident ID number."""

    issue_types = PRIVACY_TYPES
    entity_types = frozenset(ENTITY_MODELS)

    def check(self, obj: Any, rec: RecordRef) -> None:
        for name in _ID_FIELDS:
            value = getattr(obj, name, None)
            # An ID number has 18 characters: shorter ids are cleared without a search.
            if (
                value.__class__ is str
                and len(value) >= _ID_LENGTH
                and contains_identifier(value)
                and _is_id(value)
            ):
                rec.issue("VR701", f"/{name}", {})
                return


def _is_id(value: str) -> bool:
    """Whether ``value`` holds 18 characters with a valid GB 11643 check character."""
    text = value.strip().upper()
    for start in range(max(len(text) - 17, 0)):
        body, check = text[start : start + 17], text[start + 17 : start + 18]
        if body.isascii() and body.isdigit() and resident_id_check_char(body) == check:
            return True
    return False


__all__ = ["PRIVACY_TYPES", "IdNumberAsIdRule"]
