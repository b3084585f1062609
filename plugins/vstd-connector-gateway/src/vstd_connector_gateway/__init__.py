"""vstd-connector-gateway: the provincial government gateway pattern ↔ the standard.

A form API signed with SM3 or SM2 over the sorted parameters, with SM2-encrypted personal
fields and optional SM4 payloads, as seen in public client code of 志愿北京 and the NVSI
Jiangsu sub-site (not an official specification). Registers the ``gateway`` connector
through the ``volunteer_standard`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable

from volunteer_standard import hookimpl
from volunteer_standard.connectors import Connector
from vstd_connector_gateway.client import GatewayClient, GatewayRefused
from vstd_connector_gateway.config import GatewayConfig
from vstd_connector_gateway.connector import GatewayConnector, GatewayConnectorConfig
from vstd_connector_gateway.profile import Profile, load_profile

__version__ = "0.1.0"
__all__ = [
    "GatewayClient",
    "GatewayConfig",
    "GatewayConnector",
    "GatewayConnectorConfig",
    "GatewayRefused",
    "Profile",
    "load_profile",
    "register_connectors",
]


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``gateway`` connector."""
    register(GatewayConnector)
