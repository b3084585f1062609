"""Errors of the certificates package, each with a message in Chinese and English."""

from __future__ import annotations

from volunteer_standard.errors import VstdError


class CertificateError(VstdError):
    """A certificate cannot be issued, rendered, signed or read."""


class SigningKeyError(CertificateError):
    """A key file is missing, unreadable, of the wrong kind, or would be overwritten."""


__all__ = ["CertificateError", "SigningKeyError"]
