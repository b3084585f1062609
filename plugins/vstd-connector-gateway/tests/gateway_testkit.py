"""Helpers of the gateway tests: synthetic keys, matching server and client settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from vstd_connector_gateway.server import GatewaySettings

from volunteer_standard.connectors.http import gm

APP_SECRET = "test-app-secret-0001"
SM4_KEY = "00112233445566778899aabbccddeeff"
SM4_IV = "0f0e0d0c0b0a09080706050403020100"


@dataclass(frozen=True)
class Keys:
    """SM2 key pairs made for the test session (never real keys)."""

    platform_private: str
    platform_public: str
    client_private: str
    client_public: str


@cache
def session_keys() -> Keys:
    """One set of fresh key pairs per test process."""
    platform = gm.sm2_keypair()
    client = gm.sm2_keypair()
    return Keys(platform[0], platform[1], client[0], client[1])


def server_settings(keys: Keys, **changes: Any) -> GatewaySettings:
    """The local gateway's settings: SM3-signed, SM4-CBC payloads, SM2 personal fields."""
    values: dict[str, Any] = {
        "app_id": "vstd-test",
        "sign_method": "sm3",
        "app_secret": APP_SECRET,
        "client_public_key": keys.client_public,
        "sm4_key": SM4_KEY,
        "sm4_mode": "cbc",
        "sm4_iv": SM4_IV,
        "platform_private_key": keys.platform_private,
        **changes,
    }
    return GatewaySettings(**values)


def client_config(keys: Keys, **changes: Any) -> dict[str, Any]:
    """The connector configuration matching :func:`server_settings`."""
    return {
        "app_id": "vstd-test",
        "sign_method": "sm3",
        "app_secret": APP_SECRET,
        "platform_public_key": keys.platform_public,
        "sm4_key": SM4_KEY,
        "sm4_mode": "cbc",
        "sm4_iv": SM4_IV,
        "body_digest": True,
        "retries": 0,
        **changes,
    }
