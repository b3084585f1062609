"""``vstd sync``: incremental connector-to-connector sync with a bookmark file."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from volunteer_standard.commands._common import fail


def sync_command(
    source: Annotated[str, typer.Argument(help="Source: URL, file or folder.")],
    target: Annotated[str, typer.Argument(help="Target: URL (e.g. a hub) or file.")],
    state: Annotated[
        Path, typer.Option("--state", help="Bookmark file: read at start, saved as it goes.")
    ],
    from_: Annotated[str, typer.Option("--from", help="Source connector.")] = "exchange",
    to: Annotated[str, typer.Option("--to", help="Target connector.")] = "exchange",
    from_config: Annotated[
        Path | None, typer.Option("--from-config", help="Source connector config.")
    ] = None,
    to_config: Annotated[
        Path | None, typer.Option("--to-config", help="Target connector config.")
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Reject file, appended to (default: STATE.rejects.jsonl)."),
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="Rule profile for per-record rules.")
    ] = None,
) -> None:
    """Copy what changed in SOURCE since the last run into TARGET.

    The bookmark is saved after every checkpoint whose records the target has made durable
    (for API targets), and at the end; killing the run and starting it again neither loses
    nor duplicates records. Exit 0 when everything synced, 1 when some were rejected."""
    from volunteer_standard.connectors import ConnectorError
    from volunteer_standard.engine import ConversionAborted, convert, load_state, save_state
    from volunteer_standard.profiles import ProfileError

    started = time.monotonic()
    reject_path = rejects or state.with_name(state.name + ".rejects.jsonl")
    with reject_path.open("ab") as reject_stream:

        def checkpoint(values: dict[str, Any]) -> None:
            reject_stream.flush()
            os.fsync(reject_stream.fileno())
            save_state(state, values)

        try:
            summary = convert(
                source,
                target,
                source_connector=from_,
                target_connector=to,
                source_config=from_config,
                target_config=to_config,
                rejects=reject_stream,
                state=load_state(state),
                profile=profile,
                on_checkpoint=checkpoint,
            )
        except (ConnectorError, ConversionAborted, ProfileError, OSError) as exc:
            fail(exc)
        reject_stream.flush()
        os.fsync(reject_stream.fileno())
    if summary.state:
        save_state(state, summary.state)
    report = summary.to_dict()
    report["seconds"] = round(time.monotonic() - started, 3)
    typer.echo(json.dumps(report, ensure_ascii=False), err=True)
    raise typer.Exit(summary.exit_code)
