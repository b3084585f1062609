"""The ``openbadges`` connector: certificates and service records ↔ OB 3.0 credentials.

Writes one credential per line: a VC-JOSE compact JWS (EdDSA, Ed25519; the issuing
organization's PKCS#8 PEM key) by default, or the unsecured credential JSON with
``secure = false``. Reads the same lines back, verifying each JWS against the trusted SPKI
PEM public keys (and the configured private key's own); a credential whose proof does not
verify, or that has none, is rejected with the reason in Chinese and English.

Nothing is lost: parts of a credential the standard has no field for are kept under
``extensions["openbadges"]`` (a JSON Patch), so exporting the record again gives the same
credential; standard fields OB has no place for travel in the credential's ``vstd`` member
(a JSON literal declared in an inline context). With ``holder = "hashed"`` (default) the
volunteer's number and name appear only as salted hashes, and no personal field is put in
``vstd``; importing such a credential gives ``***`` for what only the hash names.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import Field, SecretStr

from volunteer_standard.connectors import (
    Checkpoint,
    Connector,
    ConnectorConfig,
    ConnectorError,
    Problem,
    ReadItem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.connectors.helpers import BAD_SHAPE, iter_text_lines
from volunteer_standard.connectors.helpers.patch import LosslessCodec, Operation
from volunteer_standard.io.reader import Location
from volunteer_standard.models import Entity
from volunteer_standard.text import Text
from vstd_connector_openbadges import jose, mapping, schemas
from vstd_connector_openbadges.keys import load_private_key, load_public_key

#: Extension namespace of the credential parts the standard has no place for.
NAMESPACE = "openbadges"
#: Problem codes of rejected credentials (VC701–VC704 are the proof's, in ``jose``).
NO_PROOF = "VC705"
NOT_A_BADGE = "VC706"

#: Standard fields that are personal: never carried in clear when the holder is hashed.
PERSONAL = (
    "/volunteer",
    "/volunteer_id",
    "/recorded_by",
    "/issuer/responsible_person",
    "/issuer/handler",
    "/issuer/contact",
)


class OpenBadgesConfig(ConnectorConfig):
    """Options of the ``openbadges`` connector."""

    private_key: str | None = Field(
        None,
        description="Issuing organization's Ed25519 private key (PKCS#8 PEM file) to sign with.",
    )
    private_key_password: SecretStr | None = Field(
        None,
        description="Password of an encrypted private key file.",
        json_schema_extra={"writeOnly": True},
    )
    public_keys: list[str] = Field(
        default_factory=list,
        description="Ed25519 public keys (SPKI PEM files) whose credentials are trusted on import.",
    )
    secure: bool = Field(
        True, description="Write compact JWS (VC-JOSE); false: unsecured JSON lines."
    )
    require_proof: bool = Field(
        True, description="Reject imported credentials without a verifiable proof."
    )
    holder: Literal["hashed", "plain"] = Field(
        "hashed",
        description="How the volunteer's number and name appear: salted SHA-256 hashes, or plain.",
    )
    issuer_base: str = Field(
        mapping.ISSUER_PREFIX,
        description="Prefix of issuer ids (an organization id is appended), e.g. a URL or DID.",
    )
    keep_standard_fields: bool = Field(
        True,
        description="Carry standard fields OB has no place for in the credential's 'vstd' member.",
    )


def _strip_personal(carry: list[Operation]) -> list[Operation]:
    def personal(path: str) -> bool:
        return any(
            path == p or path.startswith(p + "/") or p.startswith(path + "/") for p in PERSONAL
        )

    return [op for op in carry if not personal(str(op.get("path", "")))]


class OpenBadgesConnector(Connector):
    """Open Badges 3.0 credentials (VC-JOSE): certificates and service records."""

    name = "openbadges"
    title = "Open Badges 3.0 / Verifiable Credentials (VC-JOSE, EdDSA)"
    version = "0.1.0"
    reads = ("certificate", "service_record")
    writes = ("certificate", "service_record")
    config_model = OpenBadgesConfig

    @property
    def options(self) -> OpenBadgesConfig:
        assert isinstance(self.config, OpenBadgesConfig)
        return self.config

    # -- keys and codecs -----------------------------------------------------------------
    def signing_key(self) -> Ed25519PrivateKey | None:
        """The configured private key (``None`` when there is none)."""
        if not self.options.private_key:
            return None
        password = self.options.private_key_password
        return load_private_key(
            self.options.private_key, password.get_secret_value() if password else None
        )

    def trusted_keys(self) -> list[Ed25519PublicKey]:
        """Public keys whose signatures are accepted on import."""
        keys = [load_public_key(path) for path in self.options.public_keys]
        own = self.signing_key()
        if own is not None:
            keys.append(own.public_key())
        return keys

    def salt(self) -> mapping.Salt | None:
        """Salt of each credential's hashes (``None`` when the holder is shown plain):
        derived from the signing key with HMAC, so it is stable for one issuer and
        unguessable by others; random per credential without a key."""
        if self.options.holder == "plain":
            return None
        key = self.signing_key()
        if key is None:
            return lambda _number: secrets.token_hex(16)
        secret = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return lambda number: hmac.new(secret, number.encode(), hashlib.sha256).hexdigest()[:32]

    def codecs(self) -> dict[str, LosslessCodec]:
        """The lossless codec of certificates and of service records (built once: the
        key file is read once per connector)."""
        cached: dict[str, LosslessCodec] | None = getattr(self, "_codecs", None)
        if cached is not None:
            return cached
        base, salt = self.options.issuer_base, self.salt()
        self._codecs = {
            "certificate": LosslessCodec(
                NAMESPACE,
                lambda d: mapping.certificate_to_credential(d, salt, base),
                lambda c: mapping.credential_to_certificate(c, base),
            ),
            "service_record": LosslessCodec(
                NAMESPACE,
                lambda d: mapping.record_to_credential(d, salt, base),
                lambda c: mapping.credential_to_record(c, base),
            ),
        }
        return self._codecs

    # -- reading -------------------------------------------------------------------------
    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        from volunteer_standard.connectors.helpers import iter_files

        trusted = self.trusted_keys()
        codecs = self.codecs()
        for path in iter_files(source, ("*.jwt", "*.jsonl", "*.ndjson", "*.txt")):
            for line in iter_text_lines(path):
                text = line.text.strip()
                if not text:
                    continue
                if line.problem is not None:
                    yield SourceRecord(None, line.location, {"text": line.text}, [line.problem])
                    continue
                yield self._record(text, line.location, trusted, codecs)
        yield Checkpoint({})

    def _record(
        self,
        text: str,
        location: Location,
        trusted: list[Ed25519PublicKey],
        codecs: Mapping[str, LosslessCodec],
    ) -> SourceRecord:
        raw = {"text": text[:200] + ("…" if len(text) > 200 else "")}
        try:
            credential = self._credential(text, trusted)
        except jose.ProofError as exc:
            return SourceRecord(None, location, raw, [Problem(exc.code, _at(location, exc.text))])
        problems = schemas.errors(credential)
        if problems:
            message = Text(
                f"不是有效的 Open Badges 3.0 凭证：{problems[0]}",
                f"not a valid Open Badges 3.0 credential: {problems[0]}",
            )
            return SourceRecord(None, location, raw, [Problem(NOT_A_BADGE, _at(location, message))])
        carry = credential.pop(mapping.CARRY, None)
        context = credential.get("@context")
        if isinstance(context, list) and mapping.CARRY_CONTEXT in context:
            credential["@context"] = [c for c in context if c != mapping.CARRY_CONTEXT]
        cid = credential.get("id")
        kind = "service_record" if str(cid).startswith(mapping.RECORD_PREFIX) else "certificate"
        ops = carry if isinstance(carry, list) else None
        return SourceRecord(codecs[kind].import_(credential, ops), location, raw)

    def _credential(self, text: str, trusted: list[Ed25519PublicKey]) -> dict[str, Any]:
        if text.startswith("{"):
            try:
                credential = json.loads(text)
            except ValueError:
                raise jose.ProofError(
                    BAD_SHAPE, Text("这一行不是合法的 JSON", "the line is not valid JSON")
                ) from None
            if not isinstance(credential, dict):
                raise jose.ProofError(
                    BAD_SHAPE, Text("这一行不是 JSON 对象", "the line is not a JSON object")
                )
            if self.options.require_proof:
                proof = credential.get("proof")
                kind = proof.get("type") if isinstance(proof, dict) else None
                raise jose.ProofError(
                    NO_PROOF,
                    Text(
                        "凭证没有可验证的证明（需要 VC-JOSE 紧凑 JWS）"
                        + (f"；不支持的证明类型 {kind}" if kind else ""),
                        "the credential has no proof that can be verified (a VC-JOSE compact JWS "
                        "is required)" + (f"; unsupported proof type {kind}" if kind else ""),
                    ),
                )
            return credential
        return jose.verify(text, trusted)

    # -- writing -------------------------------------------------------------------------
    def open_writer(self, target: str) -> RecordWriter:
        key = self.signing_key()
        if self.options.secure and key is None:
            raise ConnectorError(
                Text(
                    "签发 VC-JOSE 凭证需要私钥：请配置 private_key，或设 secure = false",
                    "signing VC-JOSE credentials needs a private key: set private_key, "
                    "or secure = false",
                )
            )
        return CredentialWriter(self, Path(target), key if self.options.secure else None)

    def credential(self, obj: Entity) -> dict[str, Any]:
        """The unsigned OB 3.0 credential of a certificate or service record."""
        codec = self.codecs().get(obj.type)
        if codec is None:
            raise ConnectorError(f"the openbadges connector does not write {obj.type!r}")
        out, carry = codec.export(obj.model_dump(mode="json", exclude_none=True))
        if self.options.holder == "hashed":
            carry = _strip_personal(carry)
        if carry and self.options.keep_standard_fields:
            out["@context"] = [*out["@context"], mapping.CARRY_CONTEXT]
            out[mapping.CARRY] = carry
        return out


def _at(location: Location, message: Text) -> Text:
    return Text(f"{location}：{message.zh}", f"{location}: {message.en}")


class CredentialWriter:
    """One credential per line, into a temporary file renamed into place on close."""

    def __init__(
        self, connector: OpenBadgesConnector, target: Path, key: Ed25519PrivateKey | None
    ) -> None:
        self.connector = connector
        self.key = key
        self.target = target
        parent = target.parent if str(target.parent) else Path(".")
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=parent)
        self._tmp = Path(name)
        self._out: IO[str] = os.fdopen(handle, "w", encoding="utf-8")
        self._credential: Callable[[Entity], dict[str, Any]] = connector.credential

    def write(self, obj: Entity) -> None:
        credential = self._credential(obj)
        line = (
            jose.sign(credential, self.key)
            if self.key
            else json.dumps(credential, ensure_ascii=False)
        )
        self._out.write(line + "\n")

    def close(self) -> None:
        self._out.close()
        os.chmod(self._tmp, 0o644)
        self._tmp.replace(self.target)
