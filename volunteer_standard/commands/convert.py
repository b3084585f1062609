"""``vstd convert``: move data between two systems through the standard."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from volunteer_standard.commands._common import fail
from volunteer_standard.connectors import ConnectorError
from volunteer_standard.engine import (
    ConversionAborted,
    ConvertSummary,
    convert,
    load_state,
    save_state,
)


class OnInvalid(StrEnum):
    reject = "reject"
    keep = "keep"
    fail = "fail"


def convert_command(
    input: Annotated[str, typer.Argument(help="Source: file, folder or URL; '-' for stdin.")],
    output: Annotated[str, typer.Argument(help="Target file; '-' for stdout.")],
    from_: Annotated[str, typer.Option("--from", help="Source connector.")] = "standard",
    to: Annotated[str, typer.Option("--to", help="Target connector.")] = "standard",
    from_config: Annotated[
        Path | None, typer.Option("--from-config", help="Source connector config (TOML/YAML/JSON).")
    ] = None,
    to_config: Annotated[
        Path | None, typer.Option("--to-config", help="Target connector config (TOML/YAML/JSON).")
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Reject file (default: OUTPUT.rejects.jsonl)."),
    ] = None,
    on_invalid: Annotated[
        OnInvalid, typer.Option("--on-invalid", help="What to do with invalid records.")
    ] = OnInvalid.reject,
    state: Annotated[
        Path | None,
        typer.Option("--state", help="Bookmark file for incremental reads (read and updated)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Convert INPUT to OUTPUT; exit 0 when all converted, 1 when some were rejected, 2 on
    failure. The summary (JSON on stderr) proves read = written + rejected."""
    show = not quiet and sys.stderr.isatty()
    started = time.monotonic()
    progress = _live_progress(started) if show else None
    try:
        summary = convert(
            input,
            output,
            source_connector=from_,
            target_connector=to,
            source_config=from_config,
            target_config=to_config,
            rejects=rejects,
            on_invalid=on_invalid.value,
            state=load_state(state),
            progress=progress,
        )
    except (ConnectorError, ConversionAborted, OSError) as exc:
        fail(str(exc))
    if show:
        sys.stderr.write("\n")
    if state is not None:
        save_state(state, summary.state)
    report = summary.to_dict()
    report["seconds"] = round(time.monotonic() - started, 3)
    typer.echo(json.dumps(report, ensure_ascii=False), err=True)
    raise typer.Exit(summary.exit_code)


def _live_progress(started: float) -> Callable[[ConvertSummary], None]:
    def show(summary: ConvertSummary) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        sys.stderr.write(
            f"\rread {summary.read:,}  written {summary.written:,}  "
            f"rejected {summary.rejected:,}  {summary.read / elapsed:,.0f} rec/s"
        )
        sys.stderr.flush()

    return show
