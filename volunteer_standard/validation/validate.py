"""``validate()``: stream an input through the checks and return a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import BaseModel

from volunteer_standard import codes
from volunteer_standard.errors import VstdError
from volunteer_standard.io.folder import folder_files
from volunteer_standard.io.paths import check_distinct
from volunteer_standard.io.reader import Format, Location, RawRecord, iter_raw
from volunteer_standard.models import Entity
from volunteer_standard.profiles import Profile, load_profile
from volunteer_standard.validation.baseline import Baseline
from volunteer_standard.validation.catalogue import CATALOGUE
from volunteer_standard.validation.filter import profile_filter
from volunteer_standard.validation.progress import ProgressCallback, tracked
from volunteer_standard.validation.report import Issue, Report
from volunteer_standard.validation.sources import RecordSource
from volunteer_standard.validation.structure import RecordChecker

if TYPE_CHECKING:
    from volunteer_standard.validation.parallel.ranges import RangeCluster
    from volunteer_standard.validation.parallel.run import ParallelValidation
    from volunteer_standard.validation.rules.engine import RuleEngine

#: China Standard Time: "today" ends at midnight in Beijing unless ``now`` says otherwise.
CST = timezone(timedelta(hours=8))


def clock(today: date | None = None, now: datetime | None = None) -> tuple[date, datetime]:
    """The "today" and "now" that rules compare with (Beijing time unless given)."""
    if now is None:
        now = datetime.now(UTC) if today is None else datetime.combine(today, time(23, 59, 59), CST)
    if today is None:
        today = now.astimezone(CST).date()
    return today, now


def resolve_codes(names: Iterable[str]) -> frozenset[str]:
    """Issue codes for rule codes or names (``VR306`` or ``hours-exceed-duration``).

    Raises ``ValueError`` naming the unknown ones, so that a typo in ``--ignore`` does not
    silently ignore nothing.
    """
    from volunteer_standard.validation.rules import rule_classes

    rule_classes()
    by_name = {item.name: code for code, item in CATALOGUE.items()}
    out: set[str] = set()
    unknown: list[str] = []
    for name in names:
        code = name if name in CATALOGUE else by_name.get(name)
        if code is None:
            unknown.append(name)
        else:
            out.add(code)
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(unknown)} (see 'vstd rules')")
    return frozenset(out)


#: What :func:`validate` accepts besides files: standard objects in memory.
Objects = Entity | Mapping[str, Any] | Iterable[Entity | Mapping[str, Any]]


def validate(
    source: str | Path | IO[bytes] | Objects,
    *,
    fmt: Format | None = None,
    on_issue: Callable[[Issue], None] | None = None,
    max_examples: int = 5,
    name: str | None = None,
    profile: str | Path | Profile | None = None,
    ignore: Iterable[str] = (),
    baseline: str | Path | Baseline | None = None,
    today: date | None = None,
    now: datetime | None = None,
    write_baseline: str | Path | None = None,
    workdir: str | Path | None = None,
    records: RecordSource | None = None,
    on_progress: ProgressCallback | None = None,
    jobs: int | None = 1,
    cluster: RangeCluster | None = None,
) -> Report:
    """Validate a JSON package or JSON Lines input (path, ``"-"`` for stdin, or a stream),
    or standard objects in memory: one model or dict, or an iterable of them.

    The input is read once, record by record: structural checks and the profile's
    per-record rules run as each record is read; cross-record rules keep their state in a
    temporary SQLite index (under ``workdir`` if given) and run at the end, so memory does
    not grow with the input. Every issue is passed to ``on_issue`` as it is found; the
    report keeps counts and the first ``max_examples`` issues of each code.

    ``profile`` is a profile name, a TOML file or a :class:`Profile` (default: national).
    Issues whose code (or rule name) is in ``ignore`` and issues accepted by ``baseline``
    are not reported; they are counted in ``report.suppressed``. ``write_baseline`` writes
    every issue found (except ignored ones) as a new baseline. ``today``/``now`` fix the
    clock for "not in the future" checks. Unusable input is reported in
    ``report.input_error`` (exit code 2), never raised; an unknown profile or rule raises
    ``ValueError``.

    With ``records`` (a :class:`RecordSource`, such as a connector reading a spreadsheet
    through its mapping: see ``volunteer_standard.connectors.validating.validate_source``),
    the records come from it instead of ``source``, cells it could not translate are
    reported as ``VC100``, and each issue is placed where the source can say (a cell).

    ``on_progress(records, bytes_read)`` is called every thousand records and at the end
    (:mod:`volunteer_standard.validation.progress`), for a display of a long run.

    ``jobs`` processes check the records (``None``: one per core). The report, the order
    of the issues and the baseline are those of a single-process run. JSON Lines files and
    streams larger than a few MiB use them; a package, objects in memory, a connector's
    records, or rules and code lists registered at run time are checked in one process.

    ``cluster`` runs the checks on a cluster instead (``jobs`` is then not used; e.g.
    ``DaskCluster`` of ``volunteer_standard.validation.parallel.dask_engine``): a JSON
    Lines file is cut into byte ranges that the workers read and check; the report, the
    order of the issues and the cross-record checks are again those of a single-process
    run. Other inputs are checked in this process. See docs/distributed.md.
    """
    from volunteer_standard.validation.rules.engine import RuleEngine

    label = name or _label(source)
    if write_baseline is not None and isinstance(source, (str, Path)):
        check_distinct({"input": source}, {"--write-baseline": write_baseline})
    prof = load_profile(profile)
    ignored = resolve_codes(ignore)
    accepted = (
        baseline if baseline is None or isinstance(baseline, Baseline) else Baseline.load(baseline)
    )
    recorder = Baseline() if write_baseline is not None else None
    today, now = clock(today, now)

    report = Report(source=label, max_examples=max_examples, profile=prof.name)
    emit = _issue_sink(report, profile_filter(prof), ignored, recorder, accepted, on_issue, records)
    adapter = records
    engine = RuleEngine(prof, source=label, today=today, now=now, emit=emit, workdir=workdir)
    checker = RecordChecker(models=engine.reads_models)

    def take(raw: RawRecord, out: Callable[[Issue], None]) -> None:
        if report.format is None:
            report.format = _form(source, raw)
        kind, obj = checker.check(raw, out)
        if raw.collection != "metadata":
            report.records += 1
            report.records_by_type[kind or "(unknown)"] += 1
            engine.record(raw, kind, obj)

    parallel = None
    if adapter is None and (cluster is not None or jobs != 1):
        parallel = _parallel(jobs, cluster, source, prof, label, (today, now), engine, report, take)
    try:
        try:
            if parallel is not None:
                parallel.run(source, fmt, emit, on_progress)  # type: ignore[arg-type] # a file
            else:
                for raw in _tracked_records(
                    source, fmt, label, adapter, emit, report, on_progress, engine.start_file
                ):
                    take(raw, emit)
        except VstdError as exc:  # InputError, or a connector's error
            if parallel is not None and parallel.fatal(exc):
                raise
            report.input_error, report.input_error_text = str(exc), exc.text
            return report
        if report.format == "package" and not checker.saw_metadata:
            emit(Issue(code=codes.PACKAGE_METADATA_MISSING, location=Location(label), path=""))
        engine.finish()
    finally:
        engine.close()
    if recorder is not None and write_baseline is not None:
        recorder.write(write_baseline)
    return report


def _parallel(
    jobs: int | None,
    cluster: RangeCluster | None,
    source: object,
    prof: Profile,
    label: str,
    clock: tuple[date, datetime],
    engine: RuleEngine,
    report: Report,
    take: Callable[[RawRecord, Callable[[Issue], None]], None],
) -> ParallelValidation | None:
    """The run's workers: on a cluster, in local processes, or none (one process; a
    folder is checked on a cluster or in one process)."""
    if cluster is not None:
        return cluster.validation(
            source, prof, label, clock, engine=engine, report=report, take=take
        )
    if is_folder(source):
        return None
    from volunteer_standard.validation.parallel.run import parallel_validation

    return parallel_validation(
        jobs, source, prof, label, clock, engine=engine, report=report, take=take
    )


def is_folder(source: object) -> bool:
    """Whether ``source`` names a folder (of JSON Lines files: see ``io.folder``)."""
    return isinstance(source, (str, Path)) and str(source) != "-" and Path(source).is_dir()


def _issue_sink(
    report: Report,
    keep: Callable[[Issue], Issue | None],
    ignored: frozenset[str],
    recorder: Baseline | None,
    accepted: Baseline | None,
    on_issue: Callable[[Issue], None] | None,
    adapter: RecordSource | None,
) -> Callable[[Issue], None]:
    """Where every issue found goes: through the profile filter, ``--ignore`` and the
    baseline into the report (placed by the connector, when records come from one)."""

    def emit(found: Issue) -> None:
        issue = keep(found)
        if issue is None:
            return
        if issue.code in ignored:
            report.suppressed += 1
            return
        if recorder is not None:
            recorder.add(issue)
        if accepted is not None and accepted.absorb(issue):
            report.suppressed += 1
            return
        report.add(issue)
        if on_issue is not None:
            on_issue(issue)

    if adapter is None:
        return emit

    def placed(found: Issue) -> None:
        emit(adapter.locate(found))

    return placed


def _tracked_records(
    source: Any,
    fmt: Format | None,
    label: str,
    adapter: RecordSource | None,
    emit: Callable[[Issue], None],
    report: Report,
    on_progress: ProgressCallback | None,
    start_file: Callable[[str], None],
) -> Iterator[RawRecord]:
    """The input's records in one process, reporting progress when asked to (with the
    bytes read of a file or stream; not of a folder's files, nor through a connector)."""
    if on_progress is None:
        return _raw_records(source, fmt, label, adapter, emit, report, start_file)
    return tracked(
        lambda src: _raw_records(
            source if src is None else src, fmt, label, adapter, emit, report, start_file
        ),
        source if adapter is None and not is_folder(source) else None,
        on_progress,
    )


def _is_file_like(source: object) -> bool:
    return isinstance(source, (str, Path)) or hasattr(source, "read")


def _label(source: object) -> str:
    if isinstance(source, (str, Path)):
        return "<stdin>" if str(source) == "-" else str(source)
    return "<stream>" if _is_file_like(source) else "<objects>"


def _form(source: object, raw: RawRecord) -> str:
    if not _is_file_like(source):
        return "objects"
    return "jsonl" if raw.collection is None else "package"


def _raw_records(
    source: Any,
    fmt: Format | None,
    label: str,
    adapter: RecordSource | None,
    emit: Callable[[Issue], None],
    report: Report,
    start_file: Callable[[str], None],
) -> Iterator[RawRecord]:
    """The input's records: of a file or stream, of a folder of JSON Lines files, of
    objects in memory (each at its position), or through a connector (untranslatable ones
    are counted only)."""
    if adapter is not None:
        yield from _adapted(adapter, emit, report)
    elif is_folder(source):
        for path, name in folder_files(source, label):
            first = True
            for raw in iter_raw(path, fmt="jsonl", name=name):
                if first:
                    start_file(name)
                    first = False
                yield raw
    elif _is_file_like(source):
        yield from iter_raw(source, fmt=fmt, name=label)
    else:
        objects = [source] if isinstance(source, (BaseModel, Mapping)) else source
        for number, obj in enumerate(objects, start=1):
            data = (
                obj.model_dump(mode="json", exclude_none=True)
                if isinstance(obj, BaseModel)
                else obj
            )
            yield RawRecord(data, Location(label, number, f"/{number - 1}"))


def _adapted(
    adapter: RecordSource, emit: Callable[[Issue], None], report: Report
) -> Iterator[RawRecord]:
    report.format = "source"
    for raw, translated in adapter.records(emit):
        if translated:
            yield raw
        else:
            report.records += 1
            kind = raw.data.get("type") if isinstance(raw.data, dict) else None
            report.records_by_type[str(kind or "(unknown)")] += 1
