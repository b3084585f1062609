"""The region a record belongs to, for region-scoped tokens.

A record's region is read from its own fields where it has one (a volunteer's registration
region, an organization's address…); a service, training or award record inherits its
volunteer's region. A record with no region at all gets the submitting token's home region
(its first region scope), or stays unknown (visible only to tokens scoped to all regions).
"""

from __future__ import annotations

from typing import Any

_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "volunteer": (("registration_region",), ("residence", "region_code"), ("service_regions",)),
    "organization": (
        ("address", "region_code"),
        ("registration", "authority_region"),
        ("service_regions",),
    ),
    "project": (("region_code",), ("location", "region_code")),
    "activity": (("region_code",), ("location", "region_code")),
    "station": (("address", "region_code"),),
    "demand": (("region_code",), ("address", "region_code"), ("location", "region_code")),
}

#: Types whose region is the region of the volunteer they are about.
VOLUNTEER_BOUND = ("service_record", "training_record", "award", "evaluation", "certificate")


def own_region(kind: str, data: dict[str, Any]) -> str:
    """The six-digit region a record names itself, or ``""``."""
    for path in _PATHS.get(kind, ()):
        value: Any = data
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and len(value) == 6 and value.isdigit():
            return value
    return ""


def volunteer_ref(kind: str, data: dict[str, Any]) -> str | None:
    """The volunteer id a record is about, for types that inherit its region."""
    if kind in VOLUNTEER_BOUND:
        ref = data.get("volunteer_id")
        if isinstance(ref, str):
            return ref
        holder = data.get("holder")
        if isinstance(holder, dict) and isinstance(holder.get("volunteer_id"), str):
            return str(holder["volunteer_id"])
    return None
