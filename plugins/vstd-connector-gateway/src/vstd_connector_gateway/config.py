"""The ``gateway`` connector's configuration.

Keys are secrets (``SecretStr``): they come from a config file or from the environment
(``VSTD_GATEWAY_APP_SECRET``, ``VSTD_GATEWAY_SM2_PRIVATE_KEY``, ``VSTD_GATEWAY_SM4_KEY``,
``VSTD_GATEWAY_SM4_IV``), never from the command line, and never appear in logs, errors or
``--help``. The platform's SM2 public key is not a secret.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from volunteer_standard.connectors import ConnectorConfig


class GatewayConfig(ConnectorConfig):
    """Options of the ``gateway`` connector."""

    app_id: str = Field(description="The app_id the gateway issued to this system.")
    sign_method: Literal["sm3", "hmac-sm3", "sm2"] = Field(
        "sm3",
        description="How requests are signed: sm3 (SM3 of the sorted parameters and the "
        "app secret), hmac-sm3, or sm2 (the system's SM2 private key).",
    )
    app_secret: SecretStr | None = Field(
        None, description="Shared secret for sm3 / hmac-sm3 signing."
    )
    sm2_private_key: SecretStr | None = Field(
        None, description="This system's SM2 private key (hex) for sm2 signing."
    )
    platform_public_key: str | None = Field(
        None,
        description="The platform's SM2 public key (hex, 04||x||y) that personal fields are "
        "encrypted with; without it they are sent in the clear inside the (SM4) payload.",
    )
    platform_sign_key: str | None = Field(
        None,
        description="The platform's SM2 public key (hex) for its signed answers; when set, "
        "an answer whose sign does not verify is refused.",
    )
    sm2_order: Literal["c1c3c2", "c1c2c3"] = Field(
        "c1c3c2", description="SM2 ciphertext layout (GB/T 32918.4-2016: c1c3c2)."
    )
    sm4_key: SecretStr | None = Field(
        None, description="SM4 payload key (32 hex digits or 16 characters); unset: no SM4."
    )
    sm4_mode: Literal["ecb", "cbc"] = Field("cbc", description="SM4 mode of the platform.")
    sm4_iv: SecretStr | None = Field(None, description="SM4-CBC initial vector.")
    body_digest: bool = Field(
        False,
        description="Send hex(SM3(biz_content)) in a header so the gateway can tell a body "
        "changed in transit from a wrong key (this project's addition to the pattern).",
    )
    profile: str | None = Field(
        None,
        description="A gateway profile TOML (interfaces, field maps, error codes) "
        "replacing the bundled one.",
    )
    page_size: int = Field(100, ge=1, le=1000, description="Items per lookup page.")
    batch_size: int = Field(100, ge=1, le=1000, description="Items per upload call.")
    timeout: float = Field(30.0, gt=0, description="Seconds to wait for one answer.")
    retries: int = Field(3, ge=0, le=10, description="Retries of a failed call.")
    verify_tls: bool = Field(True, description="Verify the gateway's TLS certificate.")
    rate_limit: float | None = Field(None, gt=0, description="At most this many calls per second.")
    max_response_bytes: int = Field(
        20_000_000, ge=1024, description="Largest answer accepted (checked while streaming)."
    )


__all__ = ["GatewayConfig"]
