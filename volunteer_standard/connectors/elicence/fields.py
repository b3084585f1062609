"""The licence field dictionary (``data/fields.csv``) and its code tables, loaded once."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

DATA = Path(__file__).parent / "data"
#: The licence name of a volunteer service record certificate.
LICENCE_NAME = "志愿服务记录证明"
#: Identity type code for documents without a code of their own.
OTHER_ID_TYPE = "990"


@dataclass(frozen=True)
class LicenceField:
    """One field of the licence shape."""

    key: str
    label_zh: str
    label_en: str
    #: Dotted path of the certificate field it carries; ``*`` for the surface data;
    #: empty for a derived field.
    path: str
    direction: Literal["out", "both"]
    required: bool
    note: str


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def licence_fields() -> tuple[LicenceField, ...]:
    """The rows of ``fields.csv``, in order."""
    out = []
    for row in _rows("fields.csv"):
        direction = row["direction"]
        assert direction in ("out", "both"), f"fields.csv: bad direction {direction!r}"
        out.append(
            LicenceField(
                key=row["key"],
                label_zh=row["label_zh"],
                label_en=row["label_en"],
                path=row["path"],
                direction="out" if direction == "out" else "both",
                required=row["required"] == "true",
                note=row["note"],
            )
        )
    return tuple(out)


@cache
def id_type_codes() -> dict[str, str]:
    """Standard id_document_type code → licence identity type code."""
    return {row["code"]: row["licence_code"] for row in _rows("holder_id_types.csv")}


@cache
def status_codes() -> dict[str, str]:
    """Standard certificate_status code → licence status code."""
    return {row["status"]: row["licence_code"] for row in _rows("licence_status.csv")}


__all__ = [
    "LICENCE_NAME",
    "OTHER_ID_TYPE",
    "LicenceField",
    "id_type_codes",
    "licence_fields",
    "status_codes",
]
