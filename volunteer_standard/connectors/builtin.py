"""Registers the built-in connectors through the same hook that plugins use."""

from __future__ import annotations

from collections.abc import Callable

from volunteer_standard.connectors.base import Connector
from volunteer_standard.connectors.exchange import ExchangeConnector
from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.connectors.tabular import TabularConnector
from volunteer_standard.hookspecs import hookimpl


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    register(StandardConnector)
    register(TabularConnector)
    register(ExchangeConnector)
