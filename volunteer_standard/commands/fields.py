"""``vstd fields``: the fields of the standard, with their sensitivity class."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from volunteer_standard.commands._common import LangArg, resolve_lang


class FieldsFormat(StrEnum):
    text = "text"
    markdown = "markdown"


def fields_command(
    sensitivity: Annotated[
        bool,
        typer.Option("--sensitivity", help="Only personal and sensitive fields (PIPL art. 28)."),
    ] = False,
    output_format: Annotated[
        FieldsFormat, typer.Option("--format", "-f", help="text, or markdown for the docs.")
    ] = FieldsFormat.text,
    lang: LangArg = None,
) -> None:
    """List every field of the standard with its class: public, personal or sensitive."""
    from volunteer_standard.sensitivity import CLASS_LABELS, field_classes, markdown_table

    language = resolve_lang(lang)
    if output_format is FieldsFormat.markdown:
        typer.echo(markdown_table(language, only_personal=sensitivity), nl=False)
        return
    for row in field_classes(only_personal=sensitivity):
        label = CLASS_LABELS[row.sensitivity].get(language)
        typer.echo(f"{row.entity:<16} {row.path:<40} {label}")
