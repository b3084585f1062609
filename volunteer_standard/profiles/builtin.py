"""Registers the bundled rule profiles through the same hook that plugins use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from volunteer_standard.hookspecs import hookimpl

PROFILE_DIR = Path(__file__).resolve().parent


@hookimpl
def register_profiles(register: Callable[..., None]) -> None:
    for file in sorted(PROFILE_DIR.glob("*.toml")):
        register(file.stem, file)


__all__: list[Any] = []
