"""``vstd plugins``: what is installed and what each plugin provides."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from volunteer_standard.plugins import plugin_infos


def plugins_command(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List built-in and installed plugins with versions, hooks, and load errors."""
    infos = plugin_infos()
    if as_json:
        typer.echo(json.dumps([vars(i) for i in infos], ensure_ascii=False, indent=1))
        return
    for info in infos:
        kind = "built-in" if info.builtin else "plugin"
        version = info.version or "?"
        if info.error:
            typer.echo(f"{info.name} {version} [{kind}] BROKEN: {info.error}")
        else:
            typer.echo(f"{info.name} {version} [{kind}] hooks: {', '.join(info.hooks) or '-'}")
