"""vstd-connector-gateway: the provincial government gateway pattern ↔ the standard.

A form API signed with SM3 or SM2 over the sorted parameters, with SM2-encrypted personal
fields and optional SM4 payloads, as seen in public client code of 志愿北京 and the NVSI
Jiangsu sub-site (not an official specification). Registers the ``gateway`` connector
through the ``volunteer_standard`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from volunteer_standard import hookimpl
from volunteer_standard.lazy import lazy_attributes

if TYPE_CHECKING:
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

#: Public name → (module, name there): imported on first use, so that loading the plugins
#: (which every ``vstd validate`` does, for rules and profiles) does not import the
#: connector and its libraries until the connector is used.
_LAZY = {
    "GatewayClient": ("vstd_connector_gateway.client", "GatewayClient"),
    "GatewayConfig": ("vstd_connector_gateway.config", "GatewayConfig"),
    "GatewayConnector": ("vstd_connector_gateway.connector", "GatewayConnector"),
    "GatewayConnectorConfig": ("vstd_connector_gateway.connector", "GatewayConnectorConfig"),
    "GatewayRefused": ("vstd_connector_gateway.client", "GatewayRefused"),
    "Profile": ("vstd_connector_gateway.profile", "Profile"),
    "load_profile": ("vstd_connector_gateway.profile", "load_profile"),
}


__getattr__ = lazy_attributes(globals(), _LAZY)


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``gateway`` connector."""
    from vstd_connector_gateway.connector import GatewayConnector

    register(GatewayConnector)
