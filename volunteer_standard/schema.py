"""Export the models as JSON Schema 2020-12: the only writer of ``schemas/``.

The published schemas must mean the same in every validator, not only in Python, so the
export adjusts what pydantic emits:

* every pattern ends in ``(?!\\n)$``: Python's ``$`` also matches before a trailing
  newline, ECMA-262's does not; the lookahead makes both reject ``"110101\\n"``;
* each entity file is self-contained (its own ``$defs``) with a versioned URN ``$id``, so
  it can be used alone; the package and JSON Lines schemas refer to them by ``$id``;
* closed code lists are inlined as ``enum``; every code field names its list in
  ``x-codelist`` (published as CSV in ``schemas/codelists/``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from volunteer_standard import codelists
from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.labels import ENTITY_TYPES
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS, PackageMetadata

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_PREFIX = f"urn:volunteer-standard:{SCHEMA_VERSION}:"

TITLES_ZH = {
    **{kind: text.zh for kind, text in ENTITY_TYPES.items()},
    "package": "数据包",
    "record": "JSON Lines 记录",
    "metadata": "数据包元数据",
}


def schema_id(name: str) -> str:
    """The stable ``$id`` of a published schema (``urn:volunteer-standard:1.0:volunteer``)."""
    return ID_PREFIX + name


class _Generator(GenerateJsonSchema):
    def generate(self, schema: Any, mode: Any = "validation") -> Any:
        result = super().generate(schema, mode=mode)
        return _portable(result)


def _anchor(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("(?!\\n)$"):
        return pattern[:-1] + "(?!\\n)$"
    return pattern


def _portable(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                out[key] = _anchor(value)
            elif key == "patternProperties":
                # pydantic rejects keys outside the pattern; say so in the schema too.
                out[key] = {_anchor(k): _portable(v) for k, v in value.items()}
                out.setdefault("additionalProperties", False)
            elif key in ("properties", "$defs"):
                out[key] = {k: _portable(v) for k, v in value.items()}
            else:
                out[key] = _portable(value)
        return out
    if isinstance(node, list):
        return [_portable(v) for v in node]
    return node


def model_schema(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The JSON Schema of one model, as published."""
    body = model.model_json_schema(schema_generator=_Generator, ref_template="#/$defs/{model}")
    head: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": schema_id(name),
        "x-title-zh": TITLES_ZH.get(name, name),
        "x-schema-version": SCHEMA_VERSION,
    }
    return {**head, **body}


def package_schema() -> dict[str, Any]:
    """Schema of the JSON package: metadata plus one array per entity type."""
    meta = model_schema(PackageMetadata, "metadata")
    defs = meta.pop("$defs", {})
    for key in ("$schema", "$id"):
        meta.pop(key)
    properties: dict[str, Any] = {"metadata": {"$ref": "#/$defs/PackageMetadata"}}
    for kind, plural in COLLECTIONS.items():
        properties[plural] = {
            "type": "array",
            "title": f"{ENTITY_MODELS[kind].__name__} records",
            "x-title-zh": TITLES_ZH[kind],
            "items": {"$ref": schema_id(kind)},
        }
    return {
        "$schema": DIALECT,
        "$id": schema_id("package"),
        "title": "Volunteer data package",
        "x-title-zh": TITLES_ZH["package"],
        "description": "A dataset: metadata, then one array per entity type. Records in an "
        "array may omit 'type'.",
        "x-schema-version": SCHEMA_VERSION,
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": {**defs, "PackageMetadata": meta},
    }


def record_schema() -> dict[str, Any]:
    """Schema of one JSON Lines line: any entity, chosen by its required ``type``."""
    kinds = list(ENTITY_MODELS)
    return {
        "$schema": DIALECT,
        "$id": schema_id("record"),
        "title": "JSON Lines record",
        "x-title-zh": TITLES_ZH["record"],
        "description": "One line of a JSON Lines file: an entity object with its 'type'.",
        "x-schema-version": SCHEMA_VERSION,
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": kinds}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                "then": {"$ref": schema_id(kind)},
            }
            for kind in kinds
        ],
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for every published schema."""
    files = {f"{kind}.schema.json": model_schema(m, kind) for kind, m in ENTITY_MODELS.items()}
    files["package.schema.json"] = package_schema()
    files["record.schema.json"] = record_schema()
    return files


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: str | Path) -> list[Path]:
    """(Re)generate ``schemas/``: the JSON Schemas and a copy of the code lists."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = out / name
        path.write_text(_dump(schema), encoding="utf-8")
        written.append(path)
    lists = out / "codelists"
    lists.mkdir(exist_ok=True)
    for src in sorted(codelists.data_dir().glob("*.csv")):
        if src.name.startswith("regions"):
            continue
        shutil.copyfile(src, lists / src.name)
        written.append(lists / src.name)
    return written


def check_schemas(out_dir: str | Path) -> list[str]:
    """Names of published files that differ from what the models generate (drift)."""
    out = Path(out_dir)
    drift = []
    for name, schema in all_schemas().items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != _dump(schema):
            drift.append(name)
    for src in sorted(codelists.data_dir().glob("*.csv")):
        if src.name.startswith("regions"):
            continue
        path = out / "codelists" / src.name
        if not path.exists() or path.read_bytes() != src.read_bytes():
            drift.append(f"codelists/{src.name}")
    return drift
