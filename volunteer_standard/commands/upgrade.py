"""``vstd upgrade``: bring data from an older version of the standard to the current one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from volunteer_standard.commands._common import LangArg, fail, resolve_lang
from volunteer_standard.text import Text

_DONE = Text(
    "已升级 {records} 条记录到 {version} 版：{output}",
    "upgraded {records} records to version {version}: {output}",
)


def upgrade_command(
    input: Annotated[Path, typer.Argument(help="A JSON package or JSON Lines file.")],
    output: Annotated[Path, typer.Argument(help="Where to write the upgraded data.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Target version (default: the current one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    lang: LangArg = None,
) -> None:
    """Upgrade data to a newer version of the standard, keeping every field (with a report)."""
    from volunteer_standard.upgrade import UpgradeError, upgrade

    language = resolve_lang(lang)
    try:
        report = upgrade(input, output, to=to)
    except UpgradeError as exc:
        fail(exc.message(language))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return
    typer.echo(
        _DONE.format(records=report.records, version=report.to_version, output=output).get(
            language
        ),
        err=True,
    )
    for change, count in sorted(report.changes.items()):
        typer.echo(f"  {change}: {count}", err=True)
