"""``vstd template``: an empty data-entry template (XLSX with drop-downs, or CSV headers)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from volunteer_standard.commands._common import fail


class TemplateFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def template_command(
    output: Annotated[Path, typer.Argument(help="File (.xlsx/.csv) or folder (CSV) to write.")],
    connector: Annotated[
        str, typer.Option("--connector", help="Connector whose layout to use.")
    ] = "tabular",
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Mapping file (YAML/TOML); default: the flat layout."),
    ] = None,
    format: Annotated[
        TemplateFormat | None,
        typer.Option("--format", help="xlsx (default) or csv (UTF-8 with BOM, headers only)."),
    ] = None,
    types: Annotated[
        list[str] | None,
        typer.Option("--type", help="Entity types of a flat-layout template (repeatable)."),
    ] = None,
) -> None:
    """Write an empty template with the headers (and drop-down lists for coded columns)."""
    if connector != "tabular":
        fail(f"connector {connector!r} has no templates (only 'tabular' does)")
    from volunteer_standard.connectors import ConnectorError
    from volunteer_standard.connectors.tabular import MappingError, write_template

    try:
        written = write_template(
            output,
            mapping=mapping,
            fmt=format.value if format else None,
            types=types,
        )
    except (ConnectorError, MappingError, OSError) as exc:
        fail(exc)
    for path in written:
        typer.echo(str(path))
