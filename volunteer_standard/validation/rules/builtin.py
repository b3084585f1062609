"""Registers the built-in rules through the same hook that plugins use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from volunteer_standard.hookspecs import hookimpl
from volunteer_standard.validation.rules import BUILTIN_RULES


@hookimpl
def register_rules(register: Callable[..., None]) -> None:
    for rule_cls in BUILTIN_RULES:
        register(rule_cls)


__all__: list[Any] = []
