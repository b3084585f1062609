"""Throw-away Ed25519 key files for the tests (made fresh, never committed)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def make_keys(folder: Path, name: str) -> tuple[Path, Path]:
    """(private PKCS#8 PEM, public SPKI PEM) of a new key pair under ``folder``."""
    key = Ed25519PrivateKey.generate()
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


KEY_DIR = Path(tempfile.mkdtemp(prefix="vstd-ob-keys-"))
atexit.register(shutil.rmtree, KEY_DIR, ignore_errors=True)
ISSUER_KEY, ISSUER_PUB = make_keys(KEY_DIR, "issuer")
FOREIGN_KEY, FOREIGN_PUB = make_keys(KEY_DIR, "foreign")
