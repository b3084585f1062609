"""``vstd plugin new``: scaffold a connector package that installs and passes its tests."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from volunteer_standard.commands._common import fail


class PluginKind(StrEnum):
    csv = "csv"
    http = "http"


app = typer.Typer(help="Write plugins (connector packages).", no_args_is_help=True)


@app.command("new")
def new_command(
    name: Annotated[str, typer.Argument(help="Connector name, e.g. 'acme-hr'.")],
    directory: Annotated[
        Path, typer.Option("--dir", help="Folder to create the package in.", file_okay=False)
    ] = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Write into an existing, non-empty folder.")
    ] = False,
    kind: Annotated[
        PluginKind,
        typer.Option("--kind", help="csv: a file connector; http: an API connector."),
    ] = PluginKind.csv,
) -> None:
    """Create vstd-connector-NAME: pyproject with the entry point, a working connector
    skeleton, synthetic sample data, tests using the conformance kit, and a README."""
    from volunteer_standard.scaffold import ScaffoldError, create_plugin

    try:
        root = create_plugin(name, directory, force=force, kind=kind.value)
    except (ScaffoldError, OSError) as exc:
        fail(exc)
    typer.echo(str(root))
    typer.echo(f"next: cd {root} && pip install -e '.[test]' && pytest", err=True)
