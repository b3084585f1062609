"""The base model and field helper shared by every entity of the standard.

Every field carries an English title, a Chinese title (``x-title-zh``) and a one-line
description, so that the published JSON Schema documents itself in both languages.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticUndefined

#: ``public``: may be published; ``personal``: personal information (PIPL art. 4);
#: ``sensitive``: sensitive personal information (PIPL art. 28).
Sensitivity = Literal["public", "personal", "sensitive"]
#: The classes that privacy modes act on.
PERSONAL_CLASSES = frozenset({"personal", "sensitive"})


def field(
    zh: str,
    en: str,
    description: str,
    default: Any = PydanticUndefined,
    *,
    sensitive: Sensitivity | None = None,
    **kwargs: Any,
) -> Any:
    """A pydantic ``Field`` with the bilingual metadata the standard requires.

    ``sensitive`` marks personal information (``personal``) and sensitive personal
    information in the sense of PIPL art. 28 (``sensitive``); every other field is
    ``public``. Every field of the published schema carries its class (``x-sensitivity``),
    which privacy tooling reads.
    """
    extra: dict[str, Any] = {"x-title-zh": zh, "x-sensitivity": sensitive or "public"}
    extra.update(kwargs.pop("json_schema_extra", None) or {})
    return Field(default, title=en, description=description, json_schema_extra=extra, **kwargs)


class StandardModel(BaseModel):
    """Strict, closed objects: what the JSON Schema rejects, the model rejects too.

    ``strict`` stops silent coercion ("2" is not 2), and ``extra="forbid"`` makes unknown
    fields an error; data without a place in the standard belongs under ``extensions``.

    ``defer_build``: a model's validator is built when it is first used, not when the
    models are imported, so a run pays only for the entity types its data holds (and the
    closed code lists those read), not for all of them (start-up, issue 13).
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=False,
        validate_default=False,
        populate_by_name=False,
        ser_json_timedelta="iso8601",
        use_enum_values=True,
        defer_build=True,
    )
