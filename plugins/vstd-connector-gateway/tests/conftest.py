"""A local gateway per test, and a matching client configuration (synthetic keys)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from vstd_connector_gateway.server import GatewaySettings, LocalGateway

from volunteer_standard.connectors.http import gm

APP_SECRET = "test-app-secret-0001"
SM4_KEY = "00112233445566778899aabbccddeeff"
SM4_IV = "0f0e0d0c0b0a09080706050403020100"


@dataclass(frozen=True)
class Keys:
    platform_private: str
    platform_public: str
    client_private: str
    client_public: str


@pytest.fixture(scope="session")
def keys() -> Keys:
    platform = gm.sm2_keypair()
    client = gm.sm2_keypair()
    return Keys(platform[0], platform[1], client[0], client[1])


def server_settings(keys: Keys, **changes: Any) -> GatewaySettings:
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


@pytest.fixture
def gateway(keys: Keys) -> Iterator[LocalGateway]:
    with LocalGateway(server_settings(keys)) as running:
        yield running


@pytest.fixture
def config(keys: Keys) -> dict[str, Any]:
    """The client configuration matching the ``gateway`` fixture."""
    return client_config(keys)
