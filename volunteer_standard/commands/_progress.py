"""The live progress line of a long ``vstd validate`` or ``vstd convert`` on a terminal.

Records (and what became of them), the rate, bytes read of the input's size and the time
left, estimated from the bytes. Shown on standard error, and only when it is a terminal:
a piped or redirected run prints what scripts parse and nothing else. rich is imported
when the display starts, so that a run without one never pays for it.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from volunteer_standard.text import Lang, Text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

LABELS = {
    "read": Text("读取", "read"),
    "written": Text("写出", "written"),
    "rejected": Text("拒收", "rejected"),
    "records": Text("记录", "records"),
    "issues": Text("问题", "issues"),
    "rate": Text("条/秒", "rec/s"),
    "left": Text("剩余", "left"),
}


def wanted(quiet: bool) -> bool:
    """Show progress: not ``--quiet``, and standard error is a terminal."""
    return not quiet and sys.stderr.isatty()


def input_size(source: str | os.PathLike[str]) -> int | None:
    """The size of a regular file (``"-"``: standard input), else ``None`` (a pipe, a
    folder, a URL): the total that bytes read are measured against."""
    try:
        info = os.fstat(sys.stdin.fileno()) if str(source) == "-" else os.stat(source)
    except (OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


class ProgressLine:
    """One task of a rich display, updated with counts and the bytes read so far."""

    def __init__(self, progress: Progress, task: TaskID, started: float, lang: Lang) -> None:
        self._progress = progress
        self._task = task
        self._started = started
        self._lang = lang

    def update(self, counts: dict[str, int], records: int, bytes_read: int | None) -> None:
        """``counts``: label key (see :data:`LABELS`) → number, shown in that order."""
        elapsed = max(time.monotonic() - self._started, 1e-6)
        parts = []
        for key, value in counts.items():
            part = f"{LABELS[key].get(self._lang)} {value:,}"
            parts.append(f"[red]{part}[/]" if key == "rejected" and value else part)
        parts.append(f"{records / elapsed:,.0f} {LABELS['rate'].get(self._lang)}")
        # completed=None leaves the bytes as they were: a source without a position
        self._progress.update(self._task, completed=bytes_read, counts="  ".join(parts))


@contextmanager
def live_progress(
    lang: Lang,
    total_bytes: int | None = None,
    *,
    started: float | None = None,
    console: Console | None = None,
    redirect_stdout: bool = False,
) -> Iterator[ProgressLine]:
    """A progress display on standard error (or ``console``) for the time of the block.

    With ``total_bytes`` it shows a bar, bytes read of the total and the time left; without
    (a pipe, a connector) the counts, the rate and the time elapsed. ``redirect_stdout``
    prints what the run writes to standard output above the line instead of through it.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.fields[counts]}")]
    if total_bytes is not None:
        columns += [
            BarColumn(bar_width=20),
            DownloadColumn(),
            TextColumn(LABELS["left"].get(lang)),
            TimeRemainingColumn(),
        ]
    columns.append(TimeElapsedColumn())
    progress = Progress(
        *columns,
        console=console or Console(stderr=True),
        transient=False,
        redirect_stdout=redirect_stdout,
        redirect_stderr=False,
    )
    task = progress.add_task("vstd", total=total_bytes, counts="")
    line = ProgressLine(progress, task, time.monotonic() if started is None else started, lang)
    with progress:
        yield line
