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

from volunteer_standard.commands import _progress
from volunteer_standard.commands._cluster import Engine, EngineArg, SchedulerArg, cluster_for
from volunteer_standard.commands._common import LangArg, fail, resolve_lang
from volunteer_standard.errors import VstdError
from volunteer_standard.interrupts import outputs_complete
from volunteer_standard.text import Lang, Text

if TYPE_CHECKING:  # the engine and rich are imported when the command runs
    from rich.console import Console

    from volunteer_standard.engine import ConvertSummary
    from volunteer_standard.parallel.manifest import PartInfo
    from volunteer_standard.privacy import Mode, Privacy

#: ``engine.DEFAULT_PROFILE``, spelled out so that ``--help`` needs no engine (a test
#: checks that the two agree).
DEFAULT_PROFILE = "national"


class OnInvalid(StrEnum):
    reject = "reject"
    keep = "keep"
    fail = "fail"


class PrivacyMode(StrEnum):
    raw = "raw"
    masked = "masked"
    pseudonymized = "pseudonymized"
    anonymized = "anonymized"


class SummaryFormat(StrEnum):
    auto = "auto"
    table = "table"
    json = "json"


_RAW_WARNING = Text(
    "警告：以原始模式（--privacy raw）导出到 {to} 格式，个人信息未经遮蔽；"
    "请确认接收方有权处理这些数据",
    "warning: exporting raw personal information to the {to} format (--privacy raw); make "
    "sure the receiving system may hold it",
)


def choose_privacy(requested: PrivacyMode | None) -> Privacy | None:
    """The privacy mode asked for with ``--privacy``; ``None`` lets the engine choose (raw
    for the standard's own lossless forms, masked for another system's format)."""
    from volunteer_standard.privacy import MODES, Privacy

    modes: dict[str, Mode] = {m: m for m in MODES}
    return None if requested is None else Privacy(modes[requested.value])


def convert_command(
    input: Annotated[str, typer.Argument(help="Source: file, folder or URL; '-' for stdin.")],
    output: Annotated[
        str, typer.Argument(help="Target file; '-' for stdout; a folder with --partitioned.")
    ],
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
        typer.Option(
            "--rejects",
            help="Reject file, created 0600 (default: OUTPUT.rejects.jsonl, or "
            "./vstd-rejects-TIME.jsonl when OUTPUT is stdout); .jsonl, .csv or .xlsx. With "
            "--partitioned: a folder (default: OUTPUT.rejects).",
        ),
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
        str,
        typer.Option(
            "--profile",
            "-p",
            help="Rule profile for per-record rules (name or file); 'structure' for "
            "structural checks only.",
        ),
    ] = DEFAULT_PROFILE,
    lang: LangArg = None,
    privacy: Annotated[
        PrivacyMode | None,
        typer.Option(
            "--privacy",
            help="raw, masked, pseudonymized or anonymized (default: raw for the standard "
            "format, masked for any other target). The pseudonym key comes from "
            "VSTD_PSEUDONYM_KEY or the OS keyring.",
        ),
    ] = None,
    summary_format: Annotated[
        SummaryFormat,
        typer.Option(
            "--format",
            help="Summary: a table on a terminal, JSON otherwise (auto); or force one.",
        ),
    ] = SummaryFormat.auto,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes that judge records of a standard JSON Lines source (default: one "
            "per core; 1: this process only). Output and rejects are the same whatever the "
            "number.",
        ),
    ] = None,
    engine: EngineArg = Engine.local,
    scheduler: SchedulerArg = None,
    partitioned: Annotated[
        bool,
        typer.Option(
            "--partitioned",
            help="With --engine dask: OUTPUT is a folder; each worker writes its part "
            "(part-00000.jsonl …) and the part's reject file (into OUTPUT.rejects/, or the "
            "folder --rejects names), the client OUTPUT/manifest.json. Concatenated, the parts "
            "are the single output. "
            "与 --engine dask 同用：OUTPUT 为文件夹，各工作进程写出自己的分区及其拒收文件，"
            "客户端写出 manifest.json；各分区依次拼接即为单一输出。",
        ),
    ] = False,
) -> None:
    """Convert INPUT to OUTPUT; exit 0 when all converted, 1 when some were rejected, 2 on
    failure. The summary proves read = written + rejected; nothing is written over an
    input, and an interrupted run leaves the previous output or none."""
    from volunteer_standard.engine import convert, load_state
    from volunteer_standard.privacy import scrub_text

    language = resolve_lang(lang)
    show = _progress.wanted(quiet)
    started = time.monotonic()
    try:
        chosen = choose_privacy(privacy)
        cluster = cluster_for(engine, scheduler, jobs)
    except ValueError as exc:
        fail(str(exc))
    except VstdError as exc:
        fail(exc.message(language))
    if chosen is not None and chosen.mode == "raw" and to != "standard":
        typer.echo(_RAW_WARNING.format(to=to).get(language), err=True)
    # bytes and the time left: for a file read by the standard connector, which says
    # how far it has got (another connector's file has a size but no position)
    total = _progress.input_size(input) if from_ == "standard" else None
    live = live_progress(started, lang=language, total_bytes=total)
    with live if show else _no_progress() as progress:
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
                state_path=state,
                profile=profile,
                progress=progress,
                lang=language,
                privacy=chosen,
                jobs=jobs,
                cluster=cluster,
                partitioned=partitioned,
            )
        except BrokenPipeError:
            raise  # the reader went away: vstd's main() stops quietly
        except VstdError as exc:
            fail(scrub_text(exc.message(language)))  # never an ID or phone number
        except OSError as exc:
            fail(f"{exc.strerror or type(exc).__name__}")
    outputs_complete()  # the outputs are in place: no signal may now claim otherwise
    report = summary.to_dict()
    report["seconds"] = round(time.monotonic() - started, 3)
    as_table = summary_format is SummaryFormat.table or (
        summary_format is SummaryFormat.auto and sys.stderr.isatty()
    )
    if as_table:
        print_summary_table(summary, language)
    else:
        typer.echo(json.dumps(report, ensure_ascii=False), err=True)
    raise typer.Exit(summary.exit_code)


_LABELS = {
    **_progress.LABELS,
    "kept": Text("保留（未通过规则）", "kept invalid"),
    "rejects": Text("拒收文件（权限 0600）", "reject file (mode 0600)"),
    "privacy": Text("隐私模式", "privacy mode"),
    "reasons": Text("主要拒收原因", "top reject reasons"),
    "balanced": Text("读取 = 写出 + 拒收", "read = written + rejected"),
    "parts": Text("分区", "parts"),
    "part": Text("分区文件", "part"),
    "bytes": Text("字节", "bytes"),
    "manifest": Text("清单：{path}", "manifest: {path}"),
    "more": Text("另有 {n:,} 个分区，见清单", "{n:,} more parts: see the manifest"),
}

#: Parts listed in the summary table at most (the manifest lists them all).
PARTS_SHOWN = 20


def print_summary_table(
    summary: ConvertSummary, lang: Lang, console: Console | None = None
) -> None:
    """The summary as a table for a person: counts, the reject file, the top reasons."""
    from rich.console import Console
    from rich.table import Table

    from volunteer_standard.validation.catalogue import lookup

    out = console or Console(stderr=True)
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for key, value in (
        ("read", summary.read),
        ("written", summary.written),
        ("rejected", summary.rejected),
        ("kept", summary.kept_invalid),
    ):
        table.add_row(_LABELS[key].get(lang), f"{value:,}")
    table.add_row(_LABELS["balanced"].get(lang), "✓" if summary.balanced else "✗")
    table.add_row(_LABELS["privacy"].get(lang), summary.privacy)
    if summary.rejects_path and summary.rejected:
        table.add_row(_LABELS["rejects"].get(lang), summary.rejects_path)
    out.print(table)
    if summary.reject_codes:
        reasons = Table(title=_LABELS["reasons"].get(lang), show_header=False)
        reasons.add_column()
        reasons.add_column()
        reasons.add_column(justify="right")
        for code, count in summary.reject_codes.most_common(5):
            try:
                name = lookup(code).message(lang).split("：")[0].split(":")[0]
            except KeyError:
                name = ""
            reasons.add_row(code, name, f"{count:,}")
        out.print(reasons)
    parts = getattr(summary, "partitions", None)
    if parts:
        print_parts_table(parts, getattr(summary, "manifest", ""), lang, out)


def print_parts_table(parts: list[PartInfo], manifest: str, lang: Lang, out: Console) -> None:
    """The first parts of a partitioned conversion (``--partitioned``) and the manifest."""
    from rich.table import Table

    table = Table(title=f"{_LABELS['parts'].get(lang)} ({len(parts):,})")
    table.add_column(_LABELS["part"].get(lang))
    for key in ("read", "written", "rejected", "bytes"):
        table.add_column(_LABELS[key].get(lang), justify="right")
    for part in parts[:PARTS_SHOWN]:
        name, size = ("-", 0) if part.output is None else (part.output.name, part.output.bytes)
        row = (part.read, part.written, part.rejected, size)
        table.add_row(name, *(f"{n:,}" for n in row))
    out.print(table)
    if len(parts) > PARTS_SHOWN:
        out.print(_LABELS["more"].format(n=len(parts) - PARTS_SHOWN).get(lang))
    out.print(_LABELS["manifest"].format(path=manifest).get(lang), markup=False)


ProgressCallback = Callable[["ConvertSummary"], None]


@contextmanager
def _no_progress() -> Iterator[ProgressCallback | None]:
    yield None


@contextmanager
def live_progress(
    started: float,
    console: Console | None = None,
    *,
    lang: Lang = "en",
    total_bytes: int | None = None,
) -> Iterator[ProgressCallback | None]:
    """The progress display (:mod:`._progress`): records read, written and rejected, the
    rate, and with ``total_bytes`` the bytes read and the time left.

    Only for a terminal: piped or redirected stderr gets the JSON summary alone, which
    scripts parse.
    """
    with _progress.live_progress(lang, total_bytes, started=started, console=console) as line:

        def show(summary: ConvertSummary) -> None:
            counts = {
                "read": summary.read,
                "written": summary.written,
                "rejected": summary.rejected,
            }
            line.update(counts, summary.read, summary.bytes_read)

        yield show
