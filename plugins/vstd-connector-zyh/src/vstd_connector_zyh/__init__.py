"""vstd-connector-zyh: a 志愿汇 (zyh365)-style HTTP API ↔ the standard.

A reference plugin on the HTTP connector base: installed like any vendor's connector, it
registers itself through the ``volunteer_standard`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable

from volunteer_standard import hookimpl
from volunteer_standard.connectors import Connector
from vstd_connector_zyh.connector import API_FILE, ZyhConfig, ZyhConnector

__version__ = "0.1.0"
__all__ = ["API_FILE", "ZyhConfig", "ZyhConnector", "register_connectors"]


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``zyh`` connector."""
    register(ZyhConnector)
