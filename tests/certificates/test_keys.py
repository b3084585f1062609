"""Keys: PKCS#8 PEM private keys with mode 0600, public PEM and JWK with a stable kid."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from pathlib import Path

import pytest

from volunteer_standard.certificates import (
    KeyRing,
    SigningKeyError,
    generate_key,
    generate_key_files,
    load_private_key,
    load_public_key,
    save_private_key,
    save_public_key,
)
from volunteer_standard.certificates.keys import SigningKey


def test_private_key_is_owner_only_and_pkcs8(tmp_path: Path) -> None:
    key = generate_key_files(tmp_path / "k")
    private = tmp_path / "k" / "private.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "k" / "public.pem").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert load_private_key(tmp_path / "k").kid == key.kid
    assert not list((tmp_path / "k").glob(".*.tmp")), "temporary file left behind"


def test_existing_private_key_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "private.pem"
    save_private_key(generate_key(), path)
    before = path.read_bytes()
    with pytest.raises(SigningKeyError, match="refusing to overwrite"):
        save_private_key(generate_key(), path)
    assert path.read_bytes() == before


def test_repr_shows_no_key_material() -> None:
    key = generate_key()
    pem = key.to_pem().decode()
    body = "".join(pem.splitlines()[1:-1])
    assert body not in repr(key) and key.kid in repr(key)


def test_jwk_and_kid_follow_rfc_7638(tmp_path: Path) -> None:
    key = generate_key().public
    jwk = key.to_jwk()
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")
    thumb = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": jwk["x"]}, separators=(",", ":"))
    digest = base64.urlsafe_b64encode(hashlib.sha256(thumb.encode()).digest()).rstrip(b"=")
    assert jwk["kid"] == digest.decode()
    save_public_key(key, tmp_path / "k.jwk")
    save_public_key(key, tmp_path / "k.pem")
    assert load_public_key(tmp_path / "k.jwk").kid == key.kid
    assert load_public_key(tmp_path / "k.pem").kid == key.kid


def test_wrong_files_give_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(SigningKeyError, match="not an Ed25519 private key"):
        load_private_key(bad)
    with pytest.raises(SigningKeyError, match="not an Ed25519 public key"):
        load_public_key(bad)
    with pytest.raises(SigningKeyError, match="cannot read key file"):
        load_private_key(tmp_path / "missing.pem")


def test_keyring_reads_public_keys_only(tmp_path: Path) -> None:
    one: SigningKey = generate_key_files(tmp_path / "org-a")
    two = generate_key().public
    save_public_key(two, tmp_path / "org-b.jwk")
    ring = KeyRing.from_folder(tmp_path)
    assert len(ring) == 2 and one.kid in ring and two.kid in ring
