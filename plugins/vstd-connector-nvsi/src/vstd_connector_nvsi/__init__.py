"""vstd-connector-nvsi: the national system's (NVSI 2.0) coded-column exports ↔ the standard.

A reference plugin: it is installed like any vendor's connector and registers itself
through the ``volunteer_standard`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable

from volunteer_standard import hookimpl
from volunteer_standard.connectors import Connector
from vstd_connector_nvsi.connector import NvsiConfig, NvsiConnector

__version__ = "0.1.0"
__all__ = ["NvsiConfig", "NvsiConnector", "register_connectors"]


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``nvsi`` connector."""
    register(NvsiConnector)
