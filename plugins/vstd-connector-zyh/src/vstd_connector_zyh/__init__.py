"""vstd-connector-zyh: a 志愿汇 (zyh365)-style HTTP API ↔ the standard.

A reference plugin on the HTTP connector base: installed like any vendor's connector, it
registers itself through the ``volunteer_standard`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from volunteer_standard import hookimpl
from volunteer_standard.lazy import lazy_attributes

if TYPE_CHECKING:
    from volunteer_standard.connectors import Connector
    from vstd_connector_zyh.connector import API_FILE, ZyhConfig, ZyhConnector

__version__ = "0.1.0"
__all__ = ["API_FILE", "ZyhConfig", "ZyhConnector", "register_connectors"]

#: Public name → (module, name there): imported on first use, so that loading the plugins
#: (which every ``vstd validate`` does, for rules and profiles) does not import the
#: connector and its libraries until the connector is used.
_LAZY = {
    "API_FILE": ("vstd_connector_zyh.connector", "API_FILE"),
    "ZyhConfig": ("vstd_connector_zyh.connector", "ZyhConfig"),
    "ZyhConnector": ("vstd_connector_zyh.connector", "ZyhConnector"),
}


__getattr__ = lazy_attributes(globals(), _LAZY)


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``zyh`` connector."""
    from vstd_connector_zyh.connector import ZyhConnector

    register(ZyhConnector)
