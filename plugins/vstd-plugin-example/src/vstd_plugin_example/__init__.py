"""An example plugin: a rule profile, a code list and an extension schema, all as data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from volunteer_standard import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_profiles(register: Callable[..., None]) -> None:
    for file in sorted((HERE / "profiles").glob("*.toml")):
        register(file.stem, file)


@hookimpl
def register_codelists(register: Callable[..., None]) -> None:
    register(HERE / "codelists")


@hookimpl
def register_extensions(register: Callable[..., None]) -> None:
    schema: dict[str, Any] = json.loads((HERE / "example.schema.json").read_text("utf-8"))
    register("example", schema)
