"""vstd-connector-nvsi: the national system's (NVSI 2.0) coded-column exports ↔ the standard.

A reference plugin: it is installed like any vendor's connector and registers itself
through the ``volunteer_standard`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from volunteer_standard import hookimpl
from volunteer_standard.lazy import lazy_attributes

if TYPE_CHECKING:
    from volunteer_standard.connectors import Connector
    from vstd_connector_nvsi.connector import NvsiConfig, NvsiConnector

__version__ = "0.1.0"
__all__ = ["NvsiConfig", "NvsiConnector", "register_connectors"]

#: Public name → (module, name there): imported on first use, so that loading the plugins
#: (which every ``vstd validate`` does, for rules and profiles) does not import the
#: connector and its libraries until the connector is used.
_LAZY = {
    "NvsiConfig": ("vstd_connector_nvsi.connector", "NvsiConfig"),
    "NvsiConnector": ("vstd_connector_nvsi.connector", "NvsiConnector"),
}


__getattr__ = lazy_attributes(globals(), _LAZY)


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``nvsi`` connector."""
    from vstd_connector_nvsi.connector import NvsiConnector

    register(NvsiConnector)
