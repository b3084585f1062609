"""Verdict validators: whether a decoded JSON record is clean, without building its model.

Building a pydantic model for every record is most of the cost of a structural check, and
a run that needs no model afterwards (no rule reads one: the ``structure`` profile) only
needs to know that the record is valid. A verdict validator answers that question for one
entity type. It is derived from the model's own core schema, so it cannot drift from it:

* every model becomes a typed dict with the same fields, strictness and ``extra`` policy
  (the same checks, minus the instance at the end);
* the natively parsed dates, date-times and hours become one calendar-exact pattern each
  (no ``datetime`` object is made), stricter than the reference parser, never looser
  (``tests/validation/test_verdict.py`` proves it on every form of the patterns);
* code-list fields accept only the codes that raise no warning: the list's codes that are
  not deprecated and that the model's own schema for the field accepts.

So "clean" implies that the model accepts the record and that no code-list warning is
due. A record that is not clean is checked the full way, which finds its exact issues: a
verdict can only make the common case faster, never change a report.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import SchemaValidator, ValidationError

from volunteer_standard import codelists
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.models._types import CodeListRef

#: Years 1000-9999 (a year below 1000 is checked the full way).
_YEAR = "[1-9][0-9]{3}"
#: Month and day of every calendar date but 29 February (checked the full way).
_MONTH_DAY = (
    "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    "|(?:0[13-9]|1[0-2])-(?:29|30)"
    "|(?:0[13578]|1[02])-31)"
)
_DATE = f"{_YEAR}-{_MONTH_DAY}"
_CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,6})?"
_OFFSET = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"

#: Patterns that only valid values match, by the error type of the native type they stand
#: in for (``models/_types.py``). Hours: the pattern is the whole rule.
CLEAN_PATTERNS: dict[str, str] = {
    "date_format": f"^{_DATE}$",
    "datetime_format": f"^{_DATE}T{_CLOCK}{_OFFSET}$",
    "hours_format": "^(?:0|[1-9][0-9]{0,4})(?:\\.[0-9]{1,2})?$",
}


class _NotDerivable(Exception):
    """The core schema holds something a verdict cannot stand in for (a Python validator
    that would see a dict instead of a model, say): that type is checked the full way."""


def _clean_codes(name: str, leaf: dict[str, Any], config: dict[str, Any]) -> list[str]:
    """The codes of ``name`` a value may take without any issue: not deprecated, and
    accepted by the field's own schema (so the verdict is never looser than the model)."""
    own = SchemaValidator(leaf, config)  # type: ignore[arg-type]
    out = []
    for code in codelists.get(name).codes:
        if code.deprecated:
            continue
        try:
            own.validate_python(code.code, strict=True)
        except ValidationError:
            continue
        out.append(code.code)
    return sorted(out)


def _codelist_of(schema: dict[str, Any]) -> str | None:
    for fn in schema.get("metadata", {}).get("pydantic_js_annotation_functions", ()):
        owner = getattr(fn, "__self__", None)
        if isinstance(owner, CodeListRef):
            return owner.name
    return None


def _model(schema: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    inner = schema["schema"]
    if (
        inner.get("type") != "model-fields"
        or schema.get("custom_init")
        or schema.get("root_model")
        or schema.get("post_init")
        or inner.get("extras_schema")
    ):
        raise _NotDerivable(schema.get("ref"))
    own = {k: v for k, v in schema.get("config", {}).items() if k != "title"}
    if own != config:  # every model shares the root's configuration
        raise _NotDerivable(schema.get("ref"))
    fields: dict[str, Any] = {}
    for name, field in inner["fields"].items():
        if field.get("validation_alias") is not None:
            raise _NotDerivable(name)
        value = field["schema"]
        required = value.get("type") != "default"
        if not required:
            if set(value) - {"type", "schema", "default", "default_factory"}:
                raise _NotDerivable(name)  # on_error, validate_default: not a plain default
            value = value["schema"]
        fields[name] = {
            "type": "typed-dict-field",
            "schema": _derive(value, config),
            "required": required,
        }
    out = {
        "type": "typed-dict",
        "fields": fields,
        "extra_behavior": config.get("extra_fields_behavior", "ignore"),
        "strict": config.get("strict", False),
        "config": config,
    }
    if "ref" in schema:  # a shared definition (deferred builds refer to nested models)
        out["ref"] = schema["ref"]
    return out


def _derive(schema: Any, config: dict[str, Any]) -> Any:
    """The verdict's schema for one node of a model's core schema."""
    if isinstance(schema, list):
        return [_derive(item, config) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    if kind == "model":
        return _model(schema, config)
    if kind == "union" and schema.get("custom_error_type") in CLEAN_PATTERNS:
        return {
            "type": "str",
            "strict": True,
            "pattern": CLEAN_PATTERNS[schema["custom_error_type"]],
        }
    codelist = _codelist_of(schema)
    if codelist is not None:
        leaf = {k: v for k, v in schema.items() if k not in ("metadata", "serialization")}
        return {
            "type": "chain",
            "steps": [
                {"type": "str", "strict": True},
                {"type": "literal", "expected": _clean_codes(codelist, leaf, config)},
            ],
        }
    if isinstance(kind, str) and kind.startswith("function"):
        raise _NotDerivable(kind)
    return {
        key: _derive(value, config)
        for key, value in schema.items()
        if key not in ("metadata", "serialization", "cls")
    }


_VALIDATORS: dict[str, SchemaValidator | None] = {}


def verdict_validator(kind: str) -> SchemaValidator | None:
    """The verdict validator of the entity type ``kind`` (``None``: none can be derived,
    or the type is unknown; such records are checked the full way). Built on first use."""
    if kind not in _VALIDATORS:
        _VALIDATORS[kind] = _build(kind)
    return _VALIDATORS[kind]


def _build(kind: str) -> SchemaValidator | None:
    model = ENTITY_MODELS.get(kind)
    if model is None:
        return None
    schema = dict(model.__pydantic_core_schema__)
    root = schema["schema"] if schema.get("type") == "definitions" else schema
    config = {k: v for k, v in root.get("config", {}).items() if k != "title"}
    try:
        return SchemaValidator(_derive(schema, config), config)  # type: ignore[arg-type]
    except _NotDerivable:
        return None


def is_clean(kind: str, data: dict[str, Any]) -> bool:
    """Whether the JSON record ``data`` of type ``kind`` is valid and owes no code-list
    warning (``False`` means only "check it the full way")."""
    validator = _VALIDATORS.get(kind) or verdict_validator(kind)
    if validator is None:
        return False
    try:
        validator.validate_python(data)
    except ValidationError:
        return False
    return True
