"""The bundled JSON-LD context: the schema.org terms this connector writes, no others.

``schemaorg-context.jsonld`` maps each term to its ``https://schema.org/`` IRI (URL-valued
properties typed ``@id``). Pages name the usual ``"@context": "https://schema.org"``; the
bundled file stands in for it offline (:func:`document_loader`), and because it has no
``@vocab``, a term it does not list would be dropped by expansion — which the tests check
never happens.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

#: Context URLs the bundled file answers for.
CONTEXT_URLS = (
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
    "https://schema.org/docs/jsonldcontext.jsonld",
)
SCHEMA = "https://schema.org/"


@functools.cache
def context() -> dict[str, Any]:
    """The bundled context document."""
    text = resources.files(__package__).joinpath("schemaorg-context.jsonld").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def terms() -> dict[str, str]:
    """Term → schema.org IRI of every term the connector may write."""
    out = {}
    for term, definition in context()["@context"].items():
        if term == "schema":
            continue
        curie = definition["@id"] if isinstance(definition, dict) else definition
        out[term] = SCHEMA + curie.removeprefix("schema:")
    return out


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader serving only the bundled context (no network)."""
    if url not in CONTEXT_URLS:
        raise ValueError(f"{url} is not a bundled context (no network access)")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": context(),
    }


__all__ = ["CONTEXT_URLS", "SCHEMA", "context", "document_loader", "terms"]
