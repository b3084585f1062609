"""The ``vstd`` command line: a thin layer over the library, one module per command group."""

from __future__ import annotations

import typer

from volunteer_standard._version import SCHEMA_VERSION, __version__
from volunteer_standard.commands import codelists as codelists_cmd
from volunteer_standard.commands.schema import schema_command
from volunteer_standard.commands.validate import validate_command

app = typer.Typer(
    name="vstd",
    help="volunteer-standard: validate and convert volunteer-service data (志愿服务数据标准).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("validate")(validate_command)
app.command("schema")(schema_command)
app.add_typer(codelists_cmd.app, name="codelists")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vstd {__version__} (standard {SCHEMA_VERSION})")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Validate and convert volunteer-service data against the volunteer standard."""


def main() -> None:
    app()
