"""Certificates as files: read, write (in the signed file form) and sign."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from volunteer_standard.certificates._files import write_atomic
from volunteer_standard.certificates.errors import CertificateError
from volunteer_standard.certificates.keys import SigningKey
from volunteer_standard.certificates.signing import file_form, sign_document
from volunteer_standard.models import Certificate
from volunteer_standard.text import Text


def certificate_document(certificate: Certificate) -> dict[str, Any]:
    """The certificate as the JSON object that is signed and stored."""
    return certificate.model_dump(mode="json", exclude_none=True)


def sign_certificate(
    certificate: Certificate, key: SigningKey, *, now: datetime | None = None
) -> Certificate:
    """The certificate with the issuer's proof (any earlier proof is replaced)."""
    document = certificate_document(certificate)
    document.pop("proof", None)
    return Certificate.model_validate(sign_document(document, key, now=now))


def write_certificate(certificate: Certificate, path: str | Path) -> Path:
    """Write the certificate atomically in the file form that verification expects."""
    return write_atomic(path, file_form(certificate_document(certificate)))


def read_certificate(path: str | Path) -> Certificate:
    """Read a certificate file (signed or not) into the model."""
    source = Path(path)
    try:
        document = json.loads(source.read_bytes().decode("utf-8"))
        return Certificate.model_validate(document)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
    except (UnicodeDecodeError, json.JSONDecodeError):
        why = "not UTF-8 JSON / 不是 UTF-8 JSON"
    except ValidationError as exc:
        why = f"{exc.error_count()} field error(s) against the certificate schema / 字段错误"
    raise CertificateError(
        Text("无法读取证明 {path}：{why}", "cannot read certificate {path}: {why}").format(
            path=source, why=why
        )
    )


__all__ = ["certificate_document", "read_certificate", "sign_certificate", "write_certificate"]
