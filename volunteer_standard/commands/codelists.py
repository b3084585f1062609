"""``vstd codelists``: list the code lists and show their codes."""

from __future__ import annotations

import difflib
from typing import Annotated

import typer

from volunteer_standard.commands._common import LangArg, fail, resolve_lang
from volunteer_standard.text import Text

app = typer.Typer(help="Browse the code lists (代码表).", no_args_is_help=True)


@app.command("list")
def list_command(lang: LangArg = None) -> None:
    """List every code list with its size and whether it is closed."""
    from volunteer_standard import codelists

    language = resolve_lang(lang)
    for item in codelists.all_codelists():
        title = item.title_zh if language == "zh" else item.title_en
        kind = "closed" if item.closed else "open"
        typer.echo(f"{item.name:<22} {kind:<6} {len(item.codes):>4}  {title}")


@app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="Code list name, e.g. service_category.")],
    lang: LangArg = None,
) -> None:
    """Print the codes of one list with both labels."""
    from volunteer_standard import codelists

    try:
        item = codelists.get(name)
    except KeyError:
        close = difflib.get_close_matches(name, codelists.names(), n=3)
        fail(
            Text(
                f"未知的代码表 {name!r}" + (f"；是否想用 {'、'.join(close)}？" if close else ""),
                f"unknown code list {name!r}"
                + (f"; did you mean {', '.join(close)}?" if close else ""),
            ).get(resolve_lang(lang))
        )
    for code in item.codes:
        mark = " (deprecated)" if code.deprecated else ""
        typer.echo(f"{code.code}\t{code.label_zh}\t{code.label_en}{mark}")
