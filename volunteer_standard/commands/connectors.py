"""``vstd connectors``: list connectors and show one's configuration schema."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from volunteer_standard.commands._common import LangArg, fail, resolve_lang
from volunteer_standard.text import Text

_READ = Text("读", "read")
_WRITE = Text("写", "write")

app = typer.Typer(help="Connectors to other systems.", no_args_is_help=True)


@app.command("list")
def list_command(lang: LangArg = None) -> None:
    """List the available connectors and what they read and write."""
    from volunteer_standard.connectors import connectors

    language = resolve_lang(lang)
    for name, cls in connectors().items():
        reads = _READ.get(language) if cls.reads else "-"
        writes = _WRITE.get(language) if cls.writes else "-"
        typer.echo(f"{name:<16} {cls.version:<8} {reads:<5} {writes:<6} {cls.title}")


@app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="Connector name.")], lang: LangArg = None
) -> None:
    """Print a connector's description and configuration JSON Schema."""
    from volunteer_standard.connectors import ConnectorError, get_connector

    try:
        cls = get_connector(name)
    except ConnectorError as exc:
        fail(exc.message(resolve_lang(lang)))
    typer.echo(json.dumps(cls.describe(), ensure_ascii=False, indent=2))
