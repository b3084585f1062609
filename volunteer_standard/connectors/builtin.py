"""Registers the built-in connectors through the same hook that plugins use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.connectors.tabular import TabularConnector
from volunteer_standard.hookspecs import hookimpl


@hookimpl
def register_connectors(register: Callable[..., None]) -> None:
    register(StandardConnector)
    register(TabularConnector)


__all__: list[Any] = []
