"""Ed25519 signing keys of issuing organizations: make, store, load, export.

Formats (shared with every signer in the project, e.g. the Open Badges plugin's VC-JOSE
credentials): the private key is a PKCS#8 PEM file written atomically with mode 0600; the
public key is a SubjectPublicKeyInfo PEM file or a JWK (RFC 8037, ``kty=OKP``,
``crv=Ed25519``). A key's id (``kid``) is its RFC 7638 JWK thumbprint (SHA-256,
base64url), so the same key has the same id wherever it is exported. Private key bytes are
never printed, logged or put into an error message.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from volunteer_standard.certificates._files import write_atomic
from volunteer_standard.certificates.errors import SigningKeyError
from volunteer_standard.text import Text

#: File names inside a key folder made by :func:`generate_key_files`.
PRIVATE_NAME = "private.pem"
PUBLIC_NAME = "public.pem"


def b64url(data: bytes) -> str:
    """base64url without padding (JOSE)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of :func:`b64url`; raises ``ValueError`` on bad input."""
    if not isinstance(text, str) or any(c in text for c in "=+/ \n"):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The RFC 7638 thumbprint of the key's JWK: a stable, public key id."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url(_raw_public(key))}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


@dataclass(frozen=True)
class PublicKey:
    """An issuer's public key with its id."""

    key: Ed25519PublicKey

    @property
    def kid(self) -> str:
        return key_id(self.key)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``data``."""
        try:
            self.key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def to_pem(self) -> bytes:
        """SubjectPublicKeyInfo PEM."""
        return self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def to_jwk(self) -> dict[str, str]:
        """The public JWK (RFC 8037) with ``kid``, ``use=sig`` and ``alg=EdDSA``."""
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64url(_raw_public(self.key)),
            "kid": self.kid,
            "use": "sig",
            "alg": "EdDSA",
        }


@dataclass(frozen=True)
class SigningKey:
    """An issuer's private key. Its ``repr`` shows the key id only."""

    key: Ed25519PrivateKey

    def __repr__(self) -> str:
        return f"SigningKey(kid={self.kid!r})"

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.key.public_key())

    @property
    def kid(self) -> str:
        return self.public.kid

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data``."""
        return self.key.sign(data)

    def to_pem(self) -> bytes:
        """Unencrypted PKCS#8 PEM (protect the file, not the bytes: mode 0600)."""
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def generate_key() -> SigningKey:
    """A new random Ed25519 key."""
    return SigningKey(Ed25519PrivateKey.generate())


def save_private_key(key: SigningKey, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``key`` as PKCS#8 PEM with mode 0600, atomically; refuse to replace a key."""
    target = Path(path)
    if target.exists() and not overwrite:
        raise SigningKeyError(
            Text(
                "{path} 已存在，拒绝覆盖私钥（丢失私钥将无法再用它签名）。",
                "{path} exists; refusing to overwrite a private key "
                "(a lost key cannot sign again).",
            ).format(path=target)
        )
    return write_atomic(target, key.to_pem(), private=True)


def save_public_key(key: PublicKey, path: str | Path) -> Path:
    """Write the public key as PEM (``.pem``) or JWK (``.jwk``/``.json``), atomically."""
    target = Path(path)
    if target.suffix.lower() in (".jwk", ".json"):
        data = json.dumps(key.to_jwk(), indent=2).encode() + b"\n"
    else:
        data = key.to_pem()
    return write_atomic(target, data)


def generate_key_files(folder: str | Path, *, overwrite: bool = False) -> SigningKey:
    """Make a key folder: ``private.pem`` (0600) and ``public.pem``; return the key."""
    where = Path(folder)
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = generate_key()
    save_private_key(key, where / PRIVATE_NAME, overwrite=overwrite)
    save_public_key(key.public, where / PUBLIC_NAME)
    return key


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(
            Text("无法读取密钥文件 {path}：{why}", "cannot read key file {path}: {why}").format(
                path=path, why=exc.strerror or type(exc).__name__
            )
        ) from None


def load_private_key(path: str | Path) -> SigningKey:
    """Read a PKCS#8 PEM Ed25519 private key (a key folder means its ``private.pem``)."""
    source = Path(path)
    if source.is_dir():
        source = source / PRIVATE_NAME
    try:
        key = serialization.load_pem_private_key(_read(source), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(
            Text(
                "{path} 不是 PKCS#8 PEM 格式的 Ed25519 私钥。",
                "{path} is not an Ed25519 private key in PKCS#8 PEM form.",
            ).format(path=source)
        )
    return SigningKey(key)


def public_key_from_jwk(jwk: object) -> PublicKey:
    """A public key from an RFC 8037 JWK (``kty=OKP``, ``crv=Ed25519``)."""
    if not (
        isinstance(jwk, dict)
        and jwk.get("kty") == "OKP"
        and jwk.get("crv") == "Ed25519"
        and isinstance(jwk.get("x"), str)
    ):
        raise ValueError("not an Ed25519 JWK")
    raw = b64url_decode(jwk["x"])
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return PublicKey(Ed25519PublicKey.from_public_bytes(raw))


def load_public_key(path: str | Path) -> PublicKey:
    """Read a public key: SubjectPublicKeyInfo PEM, a JWK file, or a private key's public half.

    A key folder means its ``public.pem``.
    """
    source = Path(path)
    if source.is_dir():
        source = source / PUBLIC_NAME
    data = _read(source)
    problem = Text(
        "{path} 不是 Ed25519 公钥（PEM 或 JWK）。",
        "{path} is not an Ed25519 public key (PEM or JWK).",
    ).format(path=source)
    if data.lstrip().startswith(b"{"):
        try:
            return public_key_from_jwk(json.loads(data))
        except ValueError:
            raise SigningKeyError(problem) from None
    if b"PRIVATE KEY" in data:
        return load_private_key(source).public
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(problem)
    return PublicKey(key)


class KeyRing:
    """Trusted issuer public keys, found by key id (``verify --keys DIR``).

    A key may be bound to the organization it belongs to (its ``owner``, an organization
    id); verification then accepts it only for certificates issued by that organization.
    """

    def __init__(self, keys: Iterable[PublicKey] = ()) -> None:
        self._keys: dict[str, PublicKey] = {}
        self._owners: dict[str, str] = {}
        for key in keys:
            self.add(key)

    def add(self, key: PublicKey, owner: str | None = None) -> None:
        """Trust ``key``; only for organization ``owner`` when given."""
        self._keys[key.kid] = key
        if owner is not None:
            self._owners[key.kid] = owner

    def get(self, kid: str) -> PublicKey | None:
        return self._keys.get(kid)

    def owner(self, kid: str) -> str | None:
        """The organization id the key is bound to, if any."""
        return self._owners.get(kid)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, kid: object) -> bool:
        return kid in self._keys

    @classmethod
    def from_folder(cls, folder: str | Path) -> KeyRing:
        """Every public key (``*.pem``, ``*.jwk``, ``*.json``) filed per organization.

        The layout binds each key to an organization id: ``DIR/<org-id>/public.pem`` (a key
        folder made by ``vstd keys generate``) or ``DIR/<org-id>.jwk|.pem``; a
        ``public.pem`` directly in DIR (DIR itself is a key folder) belongs to DIR's name.
        Private key files are skipped: a trust store needs public keys only.
        """
        ring = cls()
        root = Path(folder)
        if not root.is_dir():
            raise SigningKeyError(
                Text("{path} 不是文件夹。", "{path} is not a folder.").format(path=root)
            )
        for path in sorted([*root.glob("*"), *root.glob("*/*")]):
            if path.suffix.lower() not in (".pem", ".jwk", ".json") or not path.is_file():
                continue
            if b"PRIVATE KEY" in _read(path)[:200]:
                continue
            try:
                key = load_public_key(path)
            except SigningKeyError:
                continue
            if path.parent != root:
                owner = path.parent.name
            elif path.name == PUBLIC_NAME:
                owner = root.resolve().name
            else:
                owner = path.stem
            ring.add(key, owner)
        return ring


__all__ = [
    "PRIVATE_NAME",
    "PUBLIC_NAME",
    "KeyRing",
    "PublicKey",
    "SigningKey",
    "b64url",
    "b64url_decode",
    "generate_key",
    "generate_key_files",
    "key_id",
    "load_private_key",
    "load_public_key",
    "public_key_from_jwk",
    "save_private_key",
    "save_public_key",
]
