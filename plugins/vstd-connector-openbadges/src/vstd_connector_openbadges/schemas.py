"""The official Open Badges 3.0 and VC 2.0 JSON Schemas and JSON-LD contexts, bundled.

``standards/`` holds unchanged copies (1EdTech specification licence; W3C software and
document licence): the OB 3.0 AchievementCredential schema (draft 2019-09), the VC 2.0
credential schema (draft 2020-12), the OB 3.0.3 and VC 2.0 contexts. Validation runs
offline: a registry serves the bundled files by their ``$id``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator, Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource

#: Context URLs a credential names, and the bundled file that answers each.
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "vc-credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
}
VC_CONTEXT, OB_CONTEXT = CONTEXTS


def bundled(name: str) -> dict[str, Any]:
    """One bundled standards file, parsed."""
    text = resources.files(__package__).joinpath("standards", name).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _validators() -> tuple[Any, Any]:
    ob = bundled("ob-achievementcredential.json")
    vc = bundled("vc-verifiable-credential-schema.json")
    registry: Registry = Registry().with_resources(
        [(ob["$id"], Resource.from_contents(ob)), (vc["$id"], Resource.from_contents(vc))]
    )
    return (
        Draft201909Validator(ob, registry=registry),
        Draft202012Validator(vc, registry=registry),
    )


def errors(credential: Any) -> list[str]:
    """Why ``credential`` is not a valid OB 3.0 AchievementCredential and VC 2.0
    credential (empty when it is both); the reasons never quote values."""
    out = []
    for label, validator in zip(("OB 3.0", "VC 2.0"), _validators(), strict=True):
        for error in validator.iter_errors(credential):
            where = "/" + "/".join(str(p) for p in error.absolute_path)
            # Only messages that name properties, never ones that quote a value: a value
            # may be personal (a name in a plain IdentityObject).
            why = error.message if error.validator == "required" else f"fails {error.validator!r}"
            out.append(f"{label} {where}: {why}")
    return out


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves only the bundled contexts (no network)."""
    name = CONTEXTS.get(url)
    if name is None:
        raise ValueError(f"context {url} is not bundled (no network access)")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": bundled(name),
    }


__all__ = ["CONTEXTS", "OB_CONTEXT", "VC_CONTEXT", "bundled", "document_loader", "errors"]
