"""vstd-connector-hsds: Open Referral HSDS 3.0 (JSON and CSV) ↔ the standard.

Organizations ↔ HSDS organizations, projects ↔ services, stations and activity locations
↔ locations. Everything written validates against the bundled official HSDS 3.0 schemas
(closed with ``additionalProperties: false``); see :mod:`vstd_connector_hsds.schemas`.
"""

from __future__ import annotations

from collections.abc import Callable

from volunteer_standard import hookimpl
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


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``hsds`` connector."""
    register(HsdsConnector)
