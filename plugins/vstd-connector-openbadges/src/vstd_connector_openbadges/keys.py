"""Ed25519 keys in PEM: PKCS#8 private keys, SPKI public keys.

The same format as ``volunteer_standard.certificates.keys`` (being written on another
branch); until that module lands, :func:`load_private_key` and :func:`load_public_key`
are the one place this package reads keys, so the swap is one line each.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from volunteer_standard.connectors import ConnectorError
from volunteer_standard.text import Text


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ConnectorError(
            Text(
                f"无法读取密钥文件 {path}：{exc.strerror}",
                f"cannot read key file {path}: {exc.strerror}",
            )
        ) from None


def load_private_key(path: str | Path, password: str | None = None) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PKCS#8 PEM file (optionally encrypted)."""
    data = _read(path)
    try:
        key = serialization.load_pem_private_key(data, password.encode() if password else None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None  # the reason may quote key material: say only what is wrong
    if not isinstance(key, Ed25519PrivateKey):
        raise ConnectorError(
            Text(
                f"{path} 不是 Ed25519 私钥（PKCS#8 PEM），或口令不对",
                f"{path} is not an Ed25519 private key (PKCS#8 PEM), or the password is wrong",
            )
        )
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """An Ed25519 public key from an SPKI PEM file."""
    data = _read(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise ConnectorError(
            Text(
                f"{path} 不是 Ed25519 公钥（SPKI PEM）",
                f"{path} is not an Ed25519 public key (SPKI PEM)",
            )
        )
    return key


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as an OKP JWK (RFC 8037)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}


def key_id(key: Ed25519PublicKey) -> str:
    """The JWK thumbprint (RFC 7638) of a public key: a ``kid`` nobody has to register."""
    canonical = json.dumps(public_jwk(key), separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


__all__ = ["b64url", "key_id", "load_private_key", "load_public_key", "public_jwk"]
