"""Option types that table-shaped connectors (``tabular``, ``sql``) share in their configs."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from volunteer_standard.connectors.tabular.transforms import parse_timezone
from volunteer_standard.models import ENTITY_MODELS


def _entity_type(value: str) -> str:
    if value not in ENTITY_MODELS:
        raise ValueError(f"not an entity type; one of {', '.join(ENTITY_MODELS)}")
    return value


def _timezone(value: str) -> str:
    parse_timezone(value)
    return value


#: An entity type of the standard (``volunteer``, ``service_record`` …).
EntityTypeName = Annotated[str, AfterValidator(_entity_type)]
#: A time zone for naive date-times: an offset (``+08:00``) or an IANA name.
TimezoneName = Annotated[str, AfterValidator(_timezone)]

__all__ = ["EntityTypeName", "TimezoneName"]
