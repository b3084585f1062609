"""Hook specifications: what a plugin can add to volunteer-standard.

A plugin is a module (found through the ``volunteer_standard`` entry-point group) that
implements any of these hooks with ``@volunteer_standard.hookimpl``. Each hook receives a
``register`` callable, as in datasette and llm, so a plugin says what it adds in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import typer

    from volunteer_standard.connectors.base import Connector

hookspec = pluggy.HookspecMarker("volunteer_standard")
hookimpl = pluggy.HookimplMarker("volunteer_standard")


@hookspec
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Register connector classes (one system's data ↔ the standard)."""


@hookspec
def register_profiles(register: Callable[[str, Path], None]) -> None:
    """Register validation rule profiles: a name and a TOML profile file."""


@hookspec
def register_rules(register: Callable[[Any], None]) -> None:
    """Register validation rule classes that profiles can enable."""


@hookspec
def register_codelists(register: Callable[[Path], None]) -> None:
    """Register a folder of extra code-list CSV files (same layout as the bundled ones)."""


@hookspec
def register_extensions(register: Callable[[str, dict[str, Any]], None]) -> None:
    """Register an extension namespace and the JSON Schema of its ``extensions`` object."""


@hookspec
def register_commands(cli: typer.Typer) -> None:
    """Add commands to the ``vstd`` command line."""
