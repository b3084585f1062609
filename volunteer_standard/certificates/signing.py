"""Sign signed documents (certificates, revocation lists) and check their signatures.

The scheme, ``Ed25519-JCS-2026`` (docs/certificates.md):

* the **signing input** is the RFC 8785 (JCS) canonical JSON of the document with its
  ``proof`` in place but without ``proof.signature``; the proof's type, key id and time are
  therefore signed too;
* the **signature** is Ed25519 over those bytes, base64url without padding;
* the **file form** is the document as UTF-8 JSON with sorted keys, two-space indentation
  and a final newline. A signed file must be byte-for-byte in this form, so that a change
  to any byte, even to white space the signature does not cover, is caught.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import rfc8785

from volunteer_standard.certificates.keys import SigningKey, b64url

#: The ``proof.type`` of this scheme.
PROOF_TYPE = "Ed25519-JCS-2026"


def canonical_json(data: Any) -> bytes:
    """RFC 8785 canonical JSON bytes."""
    return rfc8785.dumps(data)


def signing_input(document: dict[str, Any]) -> bytes:
    """The bytes the signature covers: JCS of ``document`` without ``proof.signature``."""
    unsigned = copy.deepcopy(document)
    proof = unsigned.get("proof")
    if isinstance(proof, dict):
        proof.pop("signature", None)
    return canonical_json(unsigned)


def file_form(document: dict[str, Any]) -> bytes:
    """The one byte form in which a signed document is stored."""
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return text.encode("utf-8") + b"\n"


def sign_document(
    document: dict[str, Any], key: SigningKey, *, now: datetime | None = None
) -> dict[str, Any]:
    """A copy of ``document`` with a fresh ``proof`` by ``key`` (any old proof replaced)."""
    signed = copy.deepcopy(document)
    created = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    signed["proof"] = {
        "type": PROOF_TYPE,
        "key_id": key.kid,
        "created": created.isoformat().replace("+00:00", "Z"),
    }
    signed["proof"]["signature"] = b64url(key.sign(signing_input(signed)))
    return signed


__all__ = ["PROOF_TYPE", "canonical_json", "file_form", "sign_document", "signing_input"]
