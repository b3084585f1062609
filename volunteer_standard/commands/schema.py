"""``vstd schema``: regenerate or check the published JSON Schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from volunteer_standard.commands._common import fail


def schema_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write to.")] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Only report drift; exit 1 if the files differ.")
    ] = False,
    dictionary: Annotated[
        Path | None,
        typer.Option("--dictionary", help="Also write the Markdown data dictionary there."),
    ] = None,
) -> None:
    """Write the JSON Schemas (2020-12) and code lists generated from the models."""
    from volunteer_standard.datadict import data_dictionary_markdown
    from volunteer_standard.schema import check_schemas, write_schemas

    if dictionary is not None and not check:
        dictionary.write_text(data_dictionary_markdown(), encoding="utf-8")
    if check:
        drift = check_schemas(out_dir)
        for name in drift:
            typer.echo(f"drift: {out_dir / name}")
        if drift:
            fail(f"{len(drift)} published file(s) differ from the models; run 'vstd schema'", 1)
        typer.echo(f"{out_dir}: up to date")
        return
    written = write_schemas(out_dir)
    typer.echo(f"wrote {len(written)} files to {out_dir}")
