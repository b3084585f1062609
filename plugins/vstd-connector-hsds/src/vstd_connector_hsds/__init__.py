"""vstd-connector-hsds: Open Referral HSDS 3.0 (JSON and CSV) ↔ the standard.

Organizations ↔ HSDS organizations, projects ↔ services, stations and activity locations
↔ locations. Everything written validates against the bundled official HSDS 3.0 schemas
(closed with ``additionalProperties: false``); see :mod:`vstd_connector_hsds.schemas`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from volunteer_standard import hookimpl
from volunteer_standard.lazy import lazy_attributes

if TYPE_CHECKING:
    from volunteer_standard.connectors import Connector
    from vstd_connector_hsds.connector import HsdsConfig, HsdsConnector, HsdsWriter, codecs
    from vstd_connector_hsds.schemas import errors as schema_errors

__version__ = "0.1.0"
__all__ = [
    "HsdsConfig",
    "HsdsConnector",
    "HsdsWriter",
    "codecs",
    "register_connectors",
    "schema_errors",
]

#: Public name → (module, name there): imported on first use, so that loading the plugins
#: (which every ``vstd validate`` does, for rules and profiles) does not import the
#: connector and its libraries until the connector is used.
_LAZY = {
    "HsdsConfig": ("vstd_connector_hsds.connector", "HsdsConfig"),
    "HsdsConnector": ("vstd_connector_hsds.connector", "HsdsConnector"),
    "HsdsWriter": ("vstd_connector_hsds.connector", "HsdsWriter"),
    "codecs": ("vstd_connector_hsds.connector", "codecs"),
    "schema_errors": ("vstd_connector_hsds.schemas", "errors"),
}


__getattr__ = lazy_attributes(globals(), _LAZY)


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``hsds`` connector."""
    from vstd_connector_hsds.connector import HsdsConnector

    register(HsdsConnector)
