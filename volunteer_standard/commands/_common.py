"""Options and helpers shared by the command modules."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, TextIO

import typer

from volunteer_standard.errors import VstdError
from volunteer_standard.i18n import default_lang
from volunteer_standard.text import Lang, Text


class LangOption(StrEnum):
    zh = "zh"
    en = "en"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


LangArg = Annotated[
    LangOption | None,
    typer.Option("--lang", help="Language of messages (default: from the locale)."),
]


def resolve_lang(value: LangOption | None) -> Lang:
    """The language of this run: the command's ``--lang``, else ``vstd --lang``, else the
    locale. A chosen language also governs every message the library gives on the way."""
    if value is None:
        return default_lang()
    lang: Lang = "zh" if value is LangOption.zh else "en"
    os.environ["VSTD_LANG"] = lang
    return lang


def fail(message: str | Text | Exception, code: int = 2) -> NoReturn:
    """Print a one-line error in the run's language and exit; never a traceback."""
    if isinstance(message, VstdError):
        message = message.text
    elif isinstance(message, Exception):
        message = str(message)
    text = message.get(default_lang()) if isinstance(message, Text) else message
    typer.echo(f"vstd: error: {text}", err=True)
    raise typer.Exit(code)


OutputArg = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to FILE (UTF-8) instead of standard output.",
        dir_okay=False,
    ),
]


def open_output(ctx: typer.Context, path: Path | None) -> TextIO:
    """Standard output, or FILE opened for writing and closed when the command ends.

    The click context closes the file, so that commands can stream into it and still
    leave through ``typer.Exit`` with their exit code.
    """
    if path is None or str(path) == "-":
        return sys.stdout
    try:
        handle = path.open("w", encoding="utf-8")  # closed by the click context
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    ctx.call_on_close(handle.close)
    return handle
