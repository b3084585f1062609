"""Published JSON Schemas: no drift from the models, and the same verdicts in pydantic,
Python ``jsonschema`` and a non-Python validator (ajv on node)."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.conftest import MINIMAL
from volunteer_standard import SCHEMA_VERSION
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS
from volunteer_standard.schema import all_schemas, check_schemas, schema_id

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
AJV = ROOT / "tests" / "js"


def test_published_schemas_match_the_models() -> None:
    assert check_schemas(SCHEMAS) == [], "run 'vstd schema' to regenerate schemas/"


def test_schemas_are_valid_2020_12_with_versioned_ids() -> None:
    for name, schema in all_schemas().items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].startswith(f"urn:volunteer-standard:{SCHEMA_VERSION}:"), name
        assert schema["x-title-zh"]


def test_no_backslash_d_and_every_pattern_is_anchored_portably() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json"))
    assert "\\\\d" not in text
    for name, schema in all_schemas().items():
        for pattern in _patterns(schema):
            assert pattern.endswith("(?!\\n)$"), (name, pattern)


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        out += list(node.get("patternProperties", {}))
        return out + [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


@functools.cache
def _registry() -> Registry:
    resources = [(s["$id"], Resource.from_contents(s)) for s in all_schemas().values()]
    return Registry().with_resources(resources)


def _py_valid(schema_name: str, instance: Any) -> bool:
    registry = _registry()
    schema = registry[schema_id(schema_name)].contents
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(instance)


def _pydantic_valid(kind: str, instance: Any) -> bool:
    try:
        ENTITY_MODELS[kind].model_validate(instance)
    except Exception:
        return False
    return True


def _ajv(cases: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (AJV / "node_modules" / "ajv").exists():
        if os.environ.get("CI"):
            pytest.fail("node and tests/js/node_modules are required in CI (make installs them)")
        pytest.skip("node or ajv not installed (run 'make test')")
    lines = "\n".join(json.dumps({"schema": schema_id(s), "data": d}) for s, d in cases)
    done = subprocess.run(
        [node, str(AJV / "validate.mjs"), str(SCHEMAS)],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


# Instances where validators commonly disagree; pydantic is the reference.
EDGE_CASES: list[tuple[str, dict[str, Any]]] = [
    ("service_record", MINIMAL["service_record"]),
    ("service_record", MINIMAL["service_record"] | {"hours": 2.5}),
    ("service_record", MINIMAL["service_record"] | {"hours": "2.505"}),
    ("service_record", MINIMAL["service_record"] | {"hours": "2.50\n"}),
    ("service_record", MINIMAL["service_record"] | {"hours": "２.50"}),
    ("service_record", MINIMAL["service_record"] | {"start": "2024-03-05T09:00:00"}),
    ("service_record", MINIMAL["service_record"] | {"status": "ok"}),
    ("volunteer", MINIMAL["volunteer"] | {"service_regions": ["110105"]}),
    ("volunteer", MINIMAL["volunteer"] | {"service_regions": ["110105\n"]}),
    ("volunteer", MINIMAL["volunteer"] | {"service_regions": ["１１０１０５"]}),
    ("volunteer", MINIMAL["volunteer"] | {"birth_date": "2024-02-30"}),
    ("volunteer", MINIMAL["volunteer"] | {"birth_date": "20240201"}),
    ("volunteer", MINIMAL["volunteer"] | {"gender": "男"}),
    ("volunteer", MINIMAL["volunteer"] | {"skills": ["88"]}),
    ("volunteer", MINIMAL["volunteer"] | {"extra": 1}),
    ("volunteer", MINIMAL["volunteer"] | {"extensions": {"nvsi": {"a": 1}}}),
    ("volunteer", MINIMAL["volunteer"] | {"extensions": {"NVSI": {"a": 1}}}),
    ("volunteer", MINIMAL["volunteer"] | {"name": 7}),
    ("organization", MINIMAL["organization"] | {"uscc": "51110000MJ0000000X"}),
    ("organization", MINIMAL["organization"] | {"uscc": "51110000MJ0000000I"}),
    ("organization", MINIMAL["organization"] | {"member_count": -1}),
    ("project", MINIMAL["project"] | {"service_categories": []}),
] + [(kind, record) for kind, record in MINIMAL.items()]


def test_pydantic_and_jsonschema_agree() -> None:
    for kind, instance in EDGE_CASES:
        assert _pydantic_valid(kind, instance) == _py_valid(kind, instance), (kind, instance)


def test_pydantic_and_ajv_agree() -> None:
    results = _ajv(EDGE_CASES)
    assert len(results) == len(EDGE_CASES)
    for (kind, instance), result in zip(EDGE_CASES, results, strict=True):
        assert _pydantic_valid(kind, instance) == result["valid"], (kind, instance, result)


def _sample_lines(name: str) -> list[dict[str, Any]]:
    path = ROOT / "examples" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_sample_data_is_accepted_by_both_validators() -> None:
    package = json.loads((ROOT / "examples" / "sample.json").read_text(encoding="utf-8"))
    assert _py_valid("package", package)
    lines = _sample_lines("sample.jsonl")
    assert all(_py_valid("record", line) for line in lines[:400])
    results = _ajv([("package", package)] + [("record", line) for line in lines])
    assert all(r["valid"] for r in results), [r for r in results if not r["valid"]][:3]


def test_broken_file_is_rejected_by_both_validators() -> None:
    from volunteer_standard.samples import broken_records

    # Codes the JSON Schema cannot express: warnings and the major-version check.
    beyond_schema = {"", "VS121", "VS122", "VS130", "VS131", "VS132"}  # version checks
    cases = []
    for code, line in broken_records():
        try:
            cases.append((code, json.loads(line)))
        except ValueError:
            continue  # the deliberately non-JSON line
    for code, instance in cases:
        assert _py_valid("record", instance) == (code in beyond_schema), code
    results = _ajv([("record", instance) for _, instance in cases])
    assert [r["valid"] for r in results] == [code in beyond_schema for code, _ in cases]


def test_package_schema_lists_every_collection() -> None:
    schema = all_schemas()["package.schema.json"]
    assert set(schema["properties"]) == {"metadata", *COLLECTIONS.values()}


def test_data_dictionary_is_up_to_date() -> None:
    from volunteer_standard.datadict import data_dictionary_markdown

    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert text == data_dictionary_markdown(), "run: vstd schema --dictionary docs/data-model.md"
