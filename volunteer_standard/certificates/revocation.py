"""Revocation lists (撤销清单): a signed file naming an issuer's revoked certificates.

The file is JSON in the signed file form of :mod:`.signing`::

    {
      "entries": [
        {"certificate_no": "ZM2025-…", "reason": "信息有误，已重新出具",
         "revoked_at": "2025-12-30T09:00:00+08:00"}
      ],
      "issuer": {"name": "…", "organization_id": "org-001"},
      "proof": {"created": "…", "key_id": "…", "signature": "…", "type": "Ed25519-JCS-2026"},
      "type": "certificate_revocation_list",
      "updated_at": "2025-12-30T09:00:00+08:00"
    }

It is signed with the same key as the certificates it lists; a verifier trusts it only when
that key is trusted for the issuer. Entries are only ever added, never removed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from volunteer_standard.certificates._files import write_atomic
from volunteer_standard.certificates.errors import CertificateError
from volunteer_standard.certificates.keys import PublicKey, SigningKey
from volunteer_standard.certificates.proof import check_proof
from volunteer_standard.certificates.signing import file_form, sign_document
from volunteer_standard.models._types import EntityId
from volunteer_standard.models.certificate import CertificateProof
from volunteer_standard.text import Text

LIST_TYPE = "certificate_revocation_list"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class RevocationEntry(_Closed):
    """One revoked certificate and why."""

    certificate_no: str
    revoked_at: datetime
    reason: str


class RevocationIssuer(_Closed):
    """The organization whose certificates the list revokes."""

    organization_id: EntityId
    name: str


class RevocationList(_Closed):
    """An issuer's signed list of revoked certificate numbers."""

    type: Literal["certificate_revocation_list"] = "certificate_revocation_list"
    issuer: RevocationIssuer
    updated_at: datetime
    entries: list[RevocationEntry]
    proof: CertificateProof | None = None

    def entry(self, certificate_no: str) -> RevocationEntry | None:
        """The entry revoking ``certificate_no``, if any."""
        return next((e for e in self.entries if e.certificate_no == certificate_no), None)

    def document(self) -> dict[str, Any]:
        """The list as a JSON object."""
        return self.model_dump(mode="json", exclude_none=True)


def _unreadable(path: Path, why: str) -> CertificateError:
    return CertificateError(
        Text(
            "撤销清单 {path} 无法使用：{why}", "revocation list {path} cannot be used: {why}"
        ).format(path=path, why=why)
    )


def load_revocation_list(path: str | Path, key: PublicKey | None = None) -> RevocationList:
    """Read a revocation list; with ``key``, also require its valid signature by that key."""
    source = Path(path)
    try:
        data = source.read_bytes()
        document = json.loads(data.decode("utf-8"))
    except OSError as exc:
        raise _unreadable(source, exc.strerror or type(exc).__name__) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _unreadable(source, "not UTF-8 JSON / 不是 UTF-8 JSON") from None
    try:
        revocations = RevocationList.model_validate(document)
    except ValidationError as exc:
        raise _unreadable(source, f"{exc.error_count()} field error(s) / 字段错误") from None
    if key is not None:
        failure = check_proof(document, data, key)
        if failure is not None:
            raise _unreadable(source, failure.en)
    return revocations


def revoke(
    path: str | Path,
    key: SigningKey,
    *,
    certificate_no: str,
    organization_id: str,
    issuer_name: str,
    reason: str,
    now: datetime | None = None,
) -> RevocationList:
    """Add ``certificate_no`` to the list at ``path`` (made if missing), re-sign, write atomically.

    An existing list must carry a valid signature by ``key`` and belong to the same issuer.
    Revoking a number twice keeps the first entry.
    """
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    target = Path(path)
    if target.exists():
        current = load_revocation_list(target, key.public)
        if current.issuer.organization_id != organization_id:
            raise _unreadable(
                target, f"it belongs to organization {current.issuer.organization_id}"
            )
    else:
        current = RevocationList(
            issuer=RevocationIssuer(organization_id=organization_id, name=issuer_name),
            updated_at=moment,
            entries=[],
        )
    if current.entry(certificate_no) is None:
        current.entries.append(
            RevocationEntry(certificate_no=certificate_no, revoked_at=moment, reason=reason)
        )
    current.updated_at = moment
    current.proof = None
    signed = sign_document(current.document(), key, now=moment)
    write_atomic(target, file_form(signed))
    return RevocationList.model_validate(signed)


__all__ = [
    "LIST_TYPE",
    "RevocationEntry",
    "RevocationIssuer",
    "RevocationList",
    "load_revocation_list",
    "revoke",
]
