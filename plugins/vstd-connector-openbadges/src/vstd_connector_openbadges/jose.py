"""VC-JOSE: a credential secured as a compact JWS (RFC 7515) signed with EdDSA (Ed25519).

As *Securing Verifiable Credentials using JOSE and COSE* says, the JWS payload is the
credential itself (no ``vc`` claim), the header's ``typ`` is ``vc+jwt`` and ``cty`` is
``vc``. The ``kid`` is the RFC 7638 thumbprint of the issuer's public key, so a verifier
finds the key among those it trusts without a key server.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text
from vstd_connector_openbadges.keys import b64url, key_id

#: Media type of the header's ``typ`` (VC-JOSE-COSE §3.1.1).
TYP = "vc+jwt"


class ProofError(VstdError):
    """A secured credential does not verify; the message says why (zh and en)."""

    def __init__(self, code: str, message: Text) -> None:
        super().__init__(message)
        self.code = code
        self.text = message


def sign(credential: dict[str, Any], key: Ed25519PrivateKey) -> str:
    """The compact JWS of ``credential`` signed with ``key``."""
    header = {"alg": "EdDSA", "kid": key_id(key.public_key()), "typ": TYP, "cty": "vc"}
    signing_input = ".".join(
        b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
        for part in (header, credential)
    )
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def _decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify(token: str, trusted: Iterable[Ed25519PublicKey]) -> dict[str, Any]:
    """The credential in ``token`` once its signature is verified with a trusted key.

    Raises :class:`ProofError` when the token is malformed, signed with another algorithm
    or an unknown key, or when the signature does not match the content.
    """
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ProofError(
            "VC701", Text("不是紧凑 JWS（应有三段）", "not a compact JWS (three parts expected)")
        )
    try:
        header = json.loads(_decode(parts[0]))
        payload = json.loads(_decode(parts[1]))
        signature = _decode(parts[2])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ProofError(
            "VC701",
            Text("JWS 的某一段不是合法的 base64url/JSON", "a JWS part is not valid base64url JSON"),
        ) from None
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        alg = header.get("alg") if isinstance(header, dict) else None
        raise ProofError(
            "VC702",
            Text(
                f"签名算法 {alg!r} 不受支持（只接受 EdDSA）",
                f"signature algorithm {alg!r} is not accepted (EdDSA only)",
            ),
        )
    if header.get("crit"):
        raise ProofError(
            "VC702",
            Text(
                "JWS 含有不认识的关键参数 crit",
                "the JWS has critical parameters (crit) this verifier does not know",
            ),
        )
    keys = list(trusted)
    kid = header.get("kid")
    candidates = [k for k in keys if key_id(k) == kid] if kid else keys
    if not candidates:
        raise ProofError(
            "VC703",
            Text(
                "签发者的密钥不在受信任的公钥中（public_keys）",
                "the issuer's key is not among the trusted public keys (public_keys)",
            ),
        )
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    for candidate in candidates:
        try:
            candidate.verify(signature, signing_input)
        except InvalidSignature:
            continue
        if not isinstance(payload, dict):
            raise ProofError(
                "VC704", Text("JWS 内容不是凭证对象", "the JWS payload is not a credential object")
            )
        return payload
    raise ProofError(
        "VC704",
        Text(
            "签名验证失败：凭证在签名后被改动，或不是用该密钥签名的",
            "the signature does not verify: the credential was changed after signing, "
            "or signed with another key",
        ),
    )


__all__ = ["TYP", "ProofError", "sign", "verify"]
