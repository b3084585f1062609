"""Registers the built-in connectors through the same hook that plugins use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from volunteer_standard.connectors.elicence import ElicenceConnector
from volunteer_standard.connectors.exchange import ExchangeConnector
from volunteer_standard.connectors.sql import SqlConnector
from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.connectors.tabular import TabularConnector
from volunteer_standard.hookspecs import hookimpl


@hookimpl
def register_connectors(register: Callable[..., None]) -> None:
    register(StandardConnector)
    register(TabularConnector)
    register(SqlConnector)
    register(ExchangeConnector)
    register(ElicenceConnector)


__all__: list[Any] = []
