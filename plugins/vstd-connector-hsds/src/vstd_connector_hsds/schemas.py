"""The official HSDS 3.0 schemas, bundled, and a strict validator built from them.

The upstream files (``schema/``, CC BY-SA 4.0, copied unchanged) have no ``$schema``, use
relative ``$ref``s and carry data-package keywords (``constraints``, ``example``,
``datapackage_metadata`` …). :func:`validator` normalises a copy in memory: it declares
draft 2020-12, gives every file the ``$id`` the HSDS OpenAPI file refers to, drops the
non-JSON-Schema keywords and sets ``additionalProperties: false`` on every object, as
upstream's own validation does. Nothing is fetched: a registry serves the bundled files.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

#: Where the HSDS 3.0 OpenAPI file says the schemas live; used as their ``$id`` base.
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
#: Objects the connector writes at the top level, by file name stem.
TOP_LEVEL = ("organization", "service", "location")
_NOT_SCHEMA = ("name", "path", "datapackage_metadata", "constraints", "example", "core")
_NOT_SCHEMA_TOP = ("tabular_required",)


def schema_names() -> list[str]:
    """Stems of the bundled schema files (``organization``, ``service`` …)."""
    folder = resources.files(__package__).joinpath("schema")
    return sorted(
        p.name[: -len(".json")]
        for p in folder.iterdir()
        if p.name.endswith(".json") and p.name != "openapi.json"
    )


@functools.cache
def raw_schema(name: str) -> dict[str, Any]:
    """One bundled upstream schema file, as published."""
    text = resources.files(__package__).joinpath("schema", f"{name}.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _strict(node: Any, top: bool) -> Any:
    if isinstance(node, list):
        return [_strict(item, False) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {k: _strict(v, False) for k, v in value.items()}
        elif key in _NOT_SCHEMA or (top and key in _NOT_SCHEMA_TOP):
            continue
        else:
            out[key] = _strict(value, False)
    if out.get("type") == "object" or "properties" in out:
        out["additionalProperties"] = False
    return out


def strict_schema(name: str) -> dict[str, Any]:
    """The normalised schema of ``name``: 2020-12, ``$id``, closed objects."""
    schema = _strict(raw_schema(name), True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{BASE}{name}.json"
    return schema  # type: ignore[no-any-return]


@functools.cache
def _registry() -> Registry:
    return Registry().with_resources(
        (f"{BASE}{name}.json", Resource.from_contents(strict_schema(name), DRAFT202012))
        for name in schema_names()
    )


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """A validator of one HSDS object type (``organization``, ``service``, ``location`` …)
    against the bundled schemas, closed everywhere, with formats checked."""
    schema = strict_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def errors(name: str, obj: Any) -> list[str]:
    """Why ``obj`` is not a valid HSDS ``name`` object (empty when it is)."""
    found = sorted(validator(name).iter_errors(obj), key=lambda e: list(e.absolute_path))
    return [f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in found]


__all__ = [
    "BASE",
    "TOP_LEVEL",
    "errors",
    "raw_schema",
    "schema_names",
    "strict_schema",
    "validator",
]
