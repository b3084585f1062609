"""The ``vstd`` command line: a thin layer over the library, one module per command group."""

from __future__ import annotations

import typer

from volunteer_standard._version import SCHEMA_VERSION, __version__
from volunteer_standard.commands import codelists as codelists_cmd
from volunteer_standard.commands import connectors as connectors_cmd
from volunteer_standard.commands import plugin as plugin_cmd
from volunteer_standard.commands.convert import convert_command
from volunteer_standard.commands.fields import fields_command
from volunteer_standard.commands.plugins import plugins_command
from volunteer_standard.commands.rules import rules_command
from volunteer_standard.commands.schema import schema_command
from volunteer_standard.commands.template import template_command
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
app.command("convert")(convert_command)
app.command("plugins")(plugins_command)
app.command("template")(template_command)
app.command("rules")(rules_command)
app.command("fields")(fields_command)
app.add_typer(codelists_cmd.app, name="codelists")
app.add_typer(connectors_cmd.app, name="connectors")
app.add_typer(plugin_cmd.app, name="plugin")


def _plugin_commands() -> None:
    """Let plugins add commands; a failing plugin is reported by ``vstd plugins``."""
    from volunteer_standard.plugins import call_each

    call_each("register_commands", cli=app)  # each plugin on its own; failures are recorded


_plugin_commands()


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


#: Exit code of an internal error (a bug, not the data): distinct from 1 (the data has
#: errors) and 2 (unusable input); sysexits' EX_SOFTWARE.
EXIT_INTERNAL = 70


def main() -> None:
    """Run the CLI; SIGINT/SIGTERM remove temporaries and exit 130/143 with a message."""
    from volunteer_standard.interrupts import run_guarded

    run_guarded(app, internal_exit=EXIT_INTERNAL)
