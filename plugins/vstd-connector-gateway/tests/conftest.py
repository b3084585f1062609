"""A local gateway per test, and a matching client configuration (synthetic keys)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from gateway_testkit import Keys, client_config, server_settings, session_keys
from vstd_connector_gateway.server import LocalGateway


@pytest.fixture(scope="session")
def keys() -> Keys:
    return session_keys()


@pytest.fixture
def gateway(keys: Keys) -> Iterator[LocalGateway]:
    with LocalGateway(server_settings(keys)) as running:
        yield running


@pytest.fixture
def config(keys: Keys) -> dict[str, Any]:
    """The client configuration matching the ``gateway`` fixture."""
    return client_config(keys)
