"""Options and helpers shared by the command modules."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from volunteer_standard.i18n import default_lang
from volunteer_standard.validation.catalogue import Lang


class LangOption(StrEnum):
    zh = "zh"
    en = "en"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


LangArg = Annotated[
    LangOption | None,
    typer.Option("--lang", help="Language of messages (default: from the locale)."),
]


def resolve_lang(value: LangOption | None) -> Lang:
    if value is None:
        return default_lang()
    return "zh" if value is LangOption.zh else "en"


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error and exit; never a traceback."""
    typer.echo(f"vstd: error: {message}", err=True)
    raise typer.Exit(code)
