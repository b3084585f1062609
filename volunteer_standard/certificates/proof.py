"""Check the proof of a signed document against a public key (scheme in :mod:`.signing`)."""

from __future__ import annotations

from typing import Any

from volunteer_standard.certificates.keys import PublicKey, b64url, b64url_decode
from volunteer_standard.certificates.signing import PROOF_TYPE, file_form, signing_input
from volunteer_standard.text import Text

ALTERED_FORM = Text(
    "文件在签名后被改动过（字节与签名时的文件形式不一致）。",
    "the file was changed after signing (its bytes differ from the signed file form).",
)
BAD_SIGNATURE = Text(
    "签名与内容不符：签名后内容被改动，或不是用该密钥签的名。",
    "the signature does not match the content: it was changed after signing, or not "
    "signed with this key.",
)
NO_PROOF = Text("文件没有电子签名（proof）。", "the file carries no signature (proof).")
BAD_PROOF = Text(
    "签名信息（proof）不完整或格式不对：{detail}。",
    "the signature block (proof) is incomplete or malformed: {detail}.",
)


def proof_key_id(document: dict[str, Any]) -> str | None:
    """The ``proof.key_id`` of a document, when it has one."""
    proof = document.get("proof")
    kid = proof.get("key_id") if isinstance(proof, dict) else None
    return kid if isinstance(kid, str) else None


def check_proof(document: dict[str, Any], raw: bytes, key: PublicKey) -> Text | None:
    """``None`` when ``raw`` (the file's bytes, parsed as ``document``) is validly signed by
    ``key``; otherwise why not."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return NO_PROOF
    if proof.get("type") != PROOF_TYPE:
        return BAD_PROOF.format(detail=f"type is not {PROOF_TYPE}")
    if proof.get("key_id") != key.kid:
        return BAD_PROOF.format(detail="key_id is not the id of the key")
    encoded = proof.get("signature")
    try:
        signature = b64url_decode(encoded) if isinstance(encoded, str) else b""
    except ValueError:
        signature = b""
    if len(signature) != 64 or b64url(signature) != encoded:
        return BAD_PROOF.format(detail="signature is not 64 bytes in canonical base64url")
    if not key.verify(signature, signing_input(document)):
        return BAD_SIGNATURE
    if raw != file_form(document):
        return ALTERED_FORM
    return None


__all__ = ["ALTERED_FORM", "BAD_PROOF", "BAD_SIGNATURE", "NO_PROOF", "check_proof", "proof_key_id"]
