"""``vstd validate``: check a JSON package or JSON Lines file against the standard."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer

from volunteer_standard.commands import _progress
from volunteer_standard.commands._cluster import Engine, EngineArg, SchedulerArg, cluster_for
from volunteer_standard.commands._common import (
    LangArg,
    OutputArg,
    OutputFormat,
    fail,
    resolve_lang,
)
from volunteer_standard.errors import VstdError
from volunteer_standard.interrupts import outputs_complete
from volunteer_standard.io.atomic import AtomicFile
from volunteer_standard.io.paths import check_distinct
from volunteer_standard.text import Lang

if TYPE_CHECKING:  # the validation layer is imported when the command runs, not for --help
    from volunteer_standard.validation import Issue
    from volunteer_standard.validation.progress import ProgressCallback


class ReportPrivacy(StrEnum):
    masked = "masked"
    raw = "raw"


class _Writer(Protocol):
    def write(self, text: str, /) -> int: ...


class _Scrubbed:
    """A text stream that masks ID, phone and e-mail values in everything written."""

    def __init__(self, inner: _Writer) -> None:
        from volunteer_standard.privacy import scrub_text

        self.inner = inner
        self.scrub = scrub_text

    def write(self, text: str) -> int:
        return self.inner.write(self.scrub(text))


class _Stdout:
    """Standard output as it is when written to: while the progress line is shown, rich's
    stand-in prints the report's lines above it instead of through it."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)


class InputFormat(StrEnum):
    jsonl = "jsonl"
    package = "package"


def validate_command(
    ctx: typer.Context,
    input: Annotated[
        str,
        typer.Argument(
            help="File to check, a folder of JSON Lines files (one dataset), or '-' for "
            "standard input."
        ),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Report format.")
    ] = OutputFormat.text,
    lang: LangArg = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--input-format", help="Force the input form (default: detected)."),
    ] = None,
    max_issues: Annotated[
        int | None, typer.Option("--max-issues", help="List at most N issues (all by default).")
    ] = None,
    summary_only: Annotated[
        bool, typer.Option("--summary-only", help="Print only the grouped summary.")
    ] = False,
    output: OutputArg = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile", "-p", help="Rule profile: a name (see 'vstd rules') or a TOML file."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Do not report this rule (code or name); repeatable."),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", help="JSON file of accepted issues: only new issues count."),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option("--write-baseline", help="Write every issue found to FILE as a baseline."),
    ] = None,
    source_connector: Annotated[
        str | None,
        typer.Option("--from", help="Read INPUT with this connector (e.g. tabular)."),
    ] = None,
    source_config: Annotated[
        str | None,
        typer.Option("--from-config", help="Its config file (for tabular: or the mapping)."),
    ] = None,
    engine: EngineArg = Engine.local,
    scheduler: SchedulerArg = None,
    privacy: Annotated[
        ReportPrivacy,
        typer.Option(
            "--privacy",
            help="masked (default): ID and phone numbers in the report are masked; raw "
            "prints them as found.",
        ),
    ] = ReportPrivacy.masked,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes that check records (default: one per core; 1: this process "
            "only). The report is the same whatever the number.",
        ),
    ] = None,
) -> None:
    """Validate INPUT; exit 0 when valid, 1 when the data has errors, 2 when unusable."""
    from volunteer_standard.privacy import scrub_text
    from volunteer_standard.profiles import ProfileError, load_profile
    from volunteer_standard.validation import validate
    from volunteer_standard.validation.baseline import Baseline, BaselineError
    from volunteer_standard.validation.render import JsonReportStream, issue_line, summary_text
    from volunteer_standard.validation.validate import resolve_codes

    language = resolve_lang(lang)
    try:  # before any output: a bad profile, rule or baseline is a usage error (exit 2)
        chosen = load_profile(profile)
        ignored = resolve_codes(ignore or ())
        accepted = Baseline.load(baseline) if baseline is not None else None
        cluster = cluster_for(engine, scheduler, jobs)
        check_distinct(
            {"input": input, "--baseline": baseline, "--profile": _profile_file(profile)},
            {"--output": output, "--write-baseline": write_baseline},
        )
    except (ProfileError, BaselineError, ValueError) as exc:
        fail(exc)
    except VstdError as exc:
        fail(exc.message(language))
    raw_out, atomic = _open_report(ctx, output)
    out = raw_out if privacy is ReportPrivacy.raw else _Scrubbed(raw_out)
    listed = found = 0
    as_json = output_format is OutputFormat.json
    as_html = output_format is OutputFormat.html

    stream = JsonReportStream(out, language) if as_json else None

    def on_issue(issue: Issue) -> None:
        nonlocal listed, found
        found += 1
        if as_html or summary_only or (max_issues is not None and listed >= max_issues):
            return
        if stream is not None:
            stream.issue(issue)
        else:
            out.write(issue_line(issue, language) + "\n")
        listed += 1

    fmt = input_format.value if input_format is not None else None
    records = None
    if source_connector is not None:
        from volunteer_standard.connectors.validating import ConnectorSource, open_connector

        try:
            records = ConnectorSource(open_connector(source_connector, source_config), input)
        except VstdError as exc:
            fail(exc)
    live = _live(language, input, records is None, atomic is None)
    with live if _progress.wanted(quiet) else nullcontext() as line:
        report = validate(
            input,
            fmt=fmt,  # type: ignore[arg-type]
            on_issue=on_issue,
            profile=chosen,
            ignore=ignored,
            cluster=cluster,  # a scheduler that cannot be reached: ClusterError, exit 2
            baseline=accepted,
            write_baseline=write_baseline,
            records=records,
            jobs=jobs,
            on_progress=None if line is None else _reporter(line, lambda: found),
        )
    unusable = scrub_text(report.input_error_in(language) or "")
    if stream is not None:
        stream.finish(report)
    elif as_html:
        from volunteer_standard.validation.html import render_html  # its templates: HTML only

        out.write(render_html(report, language))
        if report.input_error is not None:
            typer.echo(f"vstd: error: {unusable}", err=True)
    elif report.input_error is not None:
        typer.echo(f"vstd: error: {unusable}", err=True)
    else:
        out.write(summary_text(report, language) + "\n")
    if atomic is not None:
        atomic.commit()  # the report is complete: only now does it replace the old one
        outputs_complete()
    raise typer.Exit(report.exit_code)


@contextmanager
def _live(
    lang: Lang, input: str, from_file: bool, to_stdout: bool
) -> Iterator[_progress.ProgressLine]:
    """The progress line on standard error; bytes are measured against the input's size
    when it is a file read directly (not through a connector)."""
    total = _progress.input_size(input) if from_file else None
    redirect = to_stdout and sys.stdout.isatty()  # the report's lines appear above the line
    with _progress.live_progress(lang, total, redirect_stdout=redirect) as line:
        yield line


def _reporter(line: _progress.ProgressLine, issues: Callable[[], int]) -> ProgressCallback:
    """What ``validate()`` calls every thousand records: the line shows records, issues,
    the rate, and bytes read of the input's size."""

    def report(read: int, bytes_read: int | None) -> None:
        line.update({"records": read, "issues": issues()}, read, bytes_read)

    return report


def _profile_file(profile: str | None) -> str | None:
    """The profile option when it names a file (a bundled name is no input to protect)."""
    return profile if profile is not None and Path(profile).is_file() else None


def _open_report(ctx: typer.Context, path: Path | None) -> tuple[_Writer, AtomicFile | None]:
    """Standard output, or an atomic file: a crash or an interrupt leaves the previous
    report (or none), never a half-written one."""
    if path is None or str(path) == "-":
        return _Stdout(), None
    try:
        atomic = AtomicFile(path, text=True)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    ctx.call_on_close(atomic.discard)  # a no-op once committed
    return atomic.handle, atomic
