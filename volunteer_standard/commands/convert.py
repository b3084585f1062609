"""``vstd convert``: move data between two systems through the standard."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from volunteer_standard.profiles import ProfileError

if TYPE_CHECKING:
    from rich.console import Console


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
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help="Rule profile for per-record rules (name or file)."),
    ] = None,
) -> None:
    """Convert INPUT to OUTPUT; exit 0 when all converted, 1 when some were rejected, 2 on
    failure. The summary (JSON on stderr) proves read = written + rejected."""
    show = not quiet and sys.stderr.isatty()
    started = time.monotonic()
    with live_progress(started) if show else _no_progress() as progress:
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
                profile=profile,
                progress=progress,
            )
        except BrokenPipeError:
            raise  # the reader went away: vstd's main() stops quietly
        except (ConnectorError, ConversionAborted, ProfileError, OSError) as exc:
            fail(str(exc))
    if state is not None:
        save_state(state, summary.state)
    report = summary.to_dict()
    report["seconds"] = round(time.monotonic() - started, 3)
    typer.echo(json.dumps(report, ensure_ascii=False), err=True)
    raise typer.Exit(summary.exit_code)


ProgressCallback = Callable[[ConvertSummary], None]


@contextmanager
def _no_progress() -> Iterator[ProgressCallback | None]:
    yield None


@contextmanager
def live_progress(
    started: float, console: Console | None = None
) -> Iterator[ProgressCallback | None]:
    """A rich progress display on stderr: records read, written and rejected, and the rate.

    Only for a terminal: piped or redirected stderr gets the JSON summary alone, which
    scripts parse. The total is unknown while streaming, so there is no bar.
    """
    from rich.console import Console  # imported here: only a terminal run pays for rich
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn(
            "read {task.fields[read]:,}  written {task.fields[written]:,}  "
            "[red]rejected {task.fields[rejected]:,}[/]  {task.fields[rate]:,.0f} rec/s"
        ),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=False,
    )
    task = progress.add_task("convert", total=None, read=0, written=0, rejected=0, rate=0.0)

    def show(summary: ConvertSummary) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        progress.update(
            task,
            completed=summary.read,
            read=summary.read,
            written=summary.written,
            rejected=summary.rejected,
            rate=summary.read / elapsed,
        )

    with progress:
        yield show
