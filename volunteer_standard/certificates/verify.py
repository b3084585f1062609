"""Verify a signed certificate offline: integrity, signature, issuer key and revocation.

Each outcome has its own exit code (``vstd certificate verify``) and an explanation in
Chinese and English. The checks run in this order and stop at the first failure:

1. the file is UTF-8 JSON (``unreadable``, 2);
2. it is a certificate of the standard (``invalid``, 3);
3. it is signed (``unsigned``, 4);
4. the signing key is one the verifier trusts, and trusts for the certificate's issuer
   (``unknown_key``, 5);
5. the signature matches the content and the file is byte-for-byte as signed (``altered``, 6);
6. the certificate is not revoked, neither in itself nor in the issuer's revocation
   list (``revoked``, 7); a revocation list that cannot be trusted is ``revocation_list``, 8.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from volunteer_standard.certificates.errors import CertificateError
from volunteer_standard.certificates.keys import KeyRing, PublicKey
from volunteer_standard.certificates.proof import check_proof, proof_key_id
from volunteer_standard.certificates.revocation import RevocationList, load_revocation_list
from volunteer_standard.models import Certificate
from volunteer_standard.text import Lang, Text


class Outcome(StrEnum):
    """The result of a verification; the value is stable for scripts."""

    valid = "valid"
    unreadable = "unreadable"
    invalid = "invalid"
    unsigned = "unsigned"
    unknown_key = "unknown_key"
    altered = "altered"
    revoked = "revoked"
    revocation_list = "revocation_list"


#: Exit code of ``vstd certificate verify`` per outcome.
EXIT_CODES: dict[Outcome, int] = {
    Outcome.valid: 0,
    Outcome.unreadable: 2,
    Outcome.invalid: 3,
    Outcome.unsigned: 4,
    Outcome.unknown_key: 5,
    Outcome.altered: 6,
    Outcome.revoked: 7,
    Outcome.revocation_list: 8,
}

_HEADLINES: dict[Outcome, Text] = {
    Outcome.valid: Text("证明有效", "certificate is valid"),
    Outcome.unreadable: Text("无法读取", "unreadable"),
    Outcome.invalid: Text("不是有效的志愿服务证明", "not a valid certificate"),
    Outcome.unsigned: Text("未签名", "not signed"),
    Outcome.unknown_key: Text("签名密钥不受信任", "signing key not trusted"),
    Outcome.altered: Text("证明已被篡改", "certificate altered"),
    Outcome.revoked: Text("证明已撤销", "certificate revoked"),
    Outcome.revocation_list: Text("撤销清单不可信", "revocation list not trusted"),
}


@dataclass(frozen=True)
class Verdict:
    """What verification found, with the certificate when it could be read."""

    outcome: Outcome
    detail: Text
    certificate: Certificate | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.valid

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.outcome]

    def message(self, lang: Lang = "en") -> str:
        """One line: the headline and the reason."""
        sep = "：" if lang == "zh" else ": "
        return _HEADLINES[self.outcome].get(lang) + sep + self.detail.get(lang)


def _find_key(kid: str | None, keys: KeyRing | PublicKey) -> PublicKey | None:
    if kid is None:
        return None
    if isinstance(keys, PublicKey):
        return keys if keys.kid == kid else None
    return keys.get(kid)


def verify_bytes(
    raw: bytes,
    keys: KeyRing | PublicKey,
    revocations: RevocationList | None = None,
) -> Verdict:
    """Verify a certificate file's bytes against trusted ``keys`` and an optional list."""
    try:
        document: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else f" ({exc.msg})"
        return Verdict(
            Outcome.unreadable,
            Text("文件不是 UTF-8 编码的 JSON", "the file is not UTF-8 JSON") + where,
        )
    if not isinstance(document, dict):
        return Verdict(
            Outcome.invalid, Text("顶层不是 JSON 对象。", "the top level is not an object.")
        )
    try:
        certificate = Certificate.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "(root)"
        return Verdict(
            Outcome.invalid,
            Text(
                "有 {n} 处不符合证明的数据标准，第一处在 {where}。",
                "{n} field error(s) against the certificate schema, the first at {where}.",
            ).format(n=exc.error_count(), where=where),
        )
    if certificate.proof is None:
        return Verdict(
            Outcome.unsigned,
            Text("证明没有电子签名，无法核验出具组织。", "the certificate carries no signature."),
            certificate,
        )
    kid = proof_key_id(document)
    key = _find_key(kid, keys)
    if key is None:
        return Verdict(
            Outcome.unknown_key,
            Text(
                "签名所用密钥 {kid} 不在受信任的出具组织公钥中（--keys / --key）。",
                "it was signed with key {kid}, which is not among the trusted issuer keys "
                "(--keys / --key).",
            ).format(kid=kid),
            certificate,
        )
    owner = keys.owner(key.kid) if isinstance(keys, KeyRing) else None
    if owner is not None and owner != certificate.issuer.organization_id:
        return Verdict(
            Outcome.unknown_key,
            Text(
                "签名密钥 {kid} 属于组织 {owner}，而证明的出具组织是 {org}："
                "不能替别的组织出具证明。",
                "key {kid} is trusted for organization {owner}, but the certificate names "
                "{org} as its issuer.",
            ).format(kid=kid, owner=owner, org=certificate.issuer.organization_id),
            certificate,
        )
    failure = check_proof(document, raw, key)
    if failure is not None:
        return Verdict(Outcome.altered, failure, certificate)
    if certificate.status == "revoked":
        return Verdict(
            Outcome.revoked,
            Text("证明本身标记为已撤销。", "the certificate itself is marked revoked."),
            certificate,
        )
    if revocations is not None:
        if revocations.issuer.organization_id != certificate.issuer.organization_id:
            return Verdict(
                Outcome.revocation_list,
                Text(
                    "撤销清单属于另一个组织（{other}），不能用来核验本证明。",
                    "the revocation list belongs to another organization ({other}).",
                ).format(other=revocations.issuer.organization_id),
                certificate,
            )
        entry = revocations.entry(certificate.certificate_no)
        if entry is not None:
            return Verdict(
                Outcome.revoked,
                Text(
                    "出具组织已于 {when} 撤销本证明，原因：{reason}",
                    "the issuer revoked it on {when}; reason: {reason}",
                ).format(when=entry.revoked_at.isoformat(), reason=entry.reason),
                certificate,
            )
    return Verdict(
        Outcome.valid,
        Text(
            "{no}，由 {issuer} 签名（密钥 {kid}），内容完整{checked}。",
            "{no}, signed by {issuer} (key {kid}), content intact{checked}.",
        ).format(
            no=certificate.certificate_no,
            issuer=certificate.issuer.name,
            kid=kid,
            checked=", not in the revocation list" if revocations is not None else "",
            checked_zh="，不在撤销清单中" if revocations is not None else "",
        ),
        certificate,
    )


def verify_file(
    path: str | Path,
    keys: KeyRing | PublicKey,
    revocations: str | Path | RevocationList | None = None,
) -> Verdict:
    """Verify the certificate at ``path``; a revocation list path is loaded and its
    signature checked with the key that signed the certificate."""
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        return Verdict(
            Outcome.unreadable,
            Text("无法读取 {path}：{why}", "cannot read {path}: {why}").format(
                path=source, why=exc.strerror or type(exc).__name__
            ),
        )
    listing: RevocationList | None = None
    if isinstance(revocations, RevocationList):
        listing = revocations
    elif revocations is not None:
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            document = None
        key = _find_key(proof_key_id(document) if isinstance(document, dict) else None, keys)
        if key is not None:
            try:
                listing = load_revocation_list(revocations, key)
            except CertificateError as exc:
                verdict = verify_bytes(raw, keys)
                if not verdict.ok:
                    return verdict
                return Verdict(Outcome.revocation_list, exc.text, verdict.certificate)
    return verify_bytes(raw, keys, listing)


__all__ = ["EXIT_CODES", "Outcome", "Verdict", "verify_bytes", "verify_file"]
