"""``vstd mapping``: draft a mapping for a ledger (``vstd mapping init ledger.csv``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from volunteer_standard.commands._common import LangArg, fail, resolve_lang
from volunteer_standard.errors import VstdError

app = typer.Typer(help="Write and check mapping files (映射文件).", no_args_is_help=True)


@app.command("init")
def init_command(
    source: Annotated[
        Path, typer.Argument(help="The ledger (CSV or XLSX) to draft a mapping for.")
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Mapping file to write (.toml).")
    ] = Path("mapping.toml"),
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet of a workbook.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    lang: LangArg = None,
) -> None:
    """Draft a mapping from the ledger's header and first rows, then say what is left."""
    from volunteer_standard.connectors.tabular.draft import draft_mapping
    from volunteer_standard.connectors.tabular.mapping import MappingError

    zh = resolve_lang(lang) == "zh"
    if not source.is_file():
        fail(f"{source}: no such file")
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    try:
        draft = draft_mapping(source, sheet=sheet)
    except (MappingError, VstdError, OSError) as exc:
        fail(f"{source}: {exc}")
    temp = output.with_name(f".{output.name}.tmp")
    temp.write_text(draft.to_toml(), encoding="utf-8")
    temp.replace(output)
    fields = sum(len(e.lines) for e in draft.entities)
    if zh:
        typer.echo(f"已写出 {output}（{fields} 个字段，{len(draft.unmatched)} 个未匹配的列）")
    else:
        typer.echo(f"wrote {output} ({fields} fields, {len(draft.unmatched)} unmatched columns)")
    left = draft.left_to_decide("zh" if zh else "en")
    if not left:
        typer.echo(
            "草稿可以直接转换台账；请核对标有“待定 TO DECIDE”的行"
            if zh
            else "the draft converts the ledger as is; check the lines marked 待定 TO DECIDE"
        )
        return
    typer.echo("转换前还需决定（待定）：" if zh else "left to decide before it converts (待定):")
    for item in left:
        typer.echo(f"  - {item}")
