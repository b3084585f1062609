"""Registers the built-in connectors through the same hook that plugins use.

The connector modules are imported when the hook is called, that is when a connector is
first looked up: loading the plugins for rules or profiles (``vstd validate``) does not
import SQLAlchemy, httpx or the spreadsheet readers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from volunteer_standard.hookspecs import hookimpl


@hookimpl
def register_connectors(register: Callable[..., None]) -> None:
    from volunteer_standard.connectors.elicence import ElicenceConnector
    from volunteer_standard.connectors.exchange import ExchangeConnector
    from volunteer_standard.connectors.sql import SqlConnector
    from volunteer_standard.connectors.standard import StandardConnector
    from volunteer_standard.connectors.tabular import TabularConnector

    register(StandardConnector)
    register(TabularConnector)
    register(SqlConnector)
    register(ExchangeConnector)
    register(ElicenceConnector)


__all__: list[Any] = []
