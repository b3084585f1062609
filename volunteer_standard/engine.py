"""The conversion engine: source connector → validation → target connector, streaming.

Nothing is lost: every record read is either written or sent to the reject file with its
location, issue codes and reason, and the summary proves the balance
``read == written + rejected``. Nothing is destroyed: outputs are checked against the
inputs before anything is opened, and every output is written atomically, so a failed or
interrupted run leaves the previous output or none. Memory stays flat: records flow one
at a time and the reject file is written as it goes.

``convert()`` runs in stages: :func:`plan_run` (connectors, paths, rules, privacy),
:func:`read_checked` (the connector's items, with its faults named), :func:`judge` (the
checks and the profile), then delivery (write or reject) and :func:`finish_run` (commit
outputs, then state).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from volunteer_standard import codes
from volunteer_standard.connectors.base import (
    Checkpoint,
    Connector,
    ConnectorError,
    RecordWriter,
    SourceRecord,
    load_config,
)
from volunteer_standard.connectors.registry import get_connector
from volunteer_standard.errors import VstdError
from volunteer_standard.io.atomic import write_text
from volunteer_standard.io.paths import check_distinct
from volunteer_standard.io.reader import InputError, Location, RawRecord
from volunteer_standard.io.rejects import (
    NullRejectSink,
    RejectEntry,
    RejectSink,
    default_rejects_path,
    open_reject_sink,
)
from volunteer_standard.models import Entity
from volunteer_standard.privacy import Privacy
from volunteer_standard.text import Lang, Text, as_text
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.structure import RecordChecker

if TYPE_CHECKING:
    from volunteer_standard.validation.parallel.ranges import RangeCluster

OnInvalid = Literal["reject", "keep", "fail"]

#: The rule profile ``convert`` applies unless told otherwise (the same as ``validate``).
DEFAULT_PROFILE = "national"


class ConversionAborted(VstdError):
    """``on_invalid="fail"`` met an invalid record, or the run could not happen."""


class ConnectorFault(ConnectorError):
    """A connector broke its contract (yielded something else than records and checkpoints,
    a record without a usable location, an unserialisable checkpoint, or raised)."""


@dataclass
class ConvertSummary:
    """Counts of one conversion; ``balanced`` must always be true."""

    read: int = 0
    written: int = 0
    rejected: int = 0
    kept_invalid: int = 0
    written_by_type: Counter[str] = field(default_factory=Counter)
    reject_codes: Counter[str] = field(default_factory=Counter)
    state: dict[str, Any] = field(default_factory=dict)
    rejects_path: str | None = None
    privacy: str = "raw"
    profile: str = DEFAULT_PROFILE
    #: Bytes of the source read so far, for a progress display (``None``: the source
    #: connector cannot say); not part of :meth:`to_dict`.
    bytes_read: int | None = None

    @property
    def balanced(self) -> bool:
        return self.read == self.written + self.rejected

    @property
    def exit_code(self) -> int:
        """0 when everything converted, 1 when some records were rejected."""
        return 0 if self.rejected == 0 else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "written": self.written,
            "rejected": self.rejected,
            "kept_invalid": self.kept_invalid,
            "balanced": self.balanced,
            "written_by_type": dict(sorted(self.written_by_type.items())),
            "reject_codes": dict(sorted(self.reject_codes.items())),
            "rejects": self.rejects_path,
            "rejects_mode": "0600" if self.rejects_path else None,
            "privacy": self.privacy,
            "profile": self.profile,
            "state": self.state,
        }


def _connector(spec: str | Connector, config: str | Path | Mapping[str, Any] | None) -> Connector:
    if isinstance(spec, Connector):
        return spec
    cls = get_connector(spec)
    if isinstance(config, (str, Path)):
        return cls(load_config(cls, config))
    return cls(config)


def default_privacy(connector: Connector) -> Privacy:
    """Raw for a target that keeps the standard's own lossless form (the standard's files,
    its flat tables, a database in its layout, a hub, which masks by scope itself); masked
    for an export to another system's format (the brief: raw only when asked)."""
    keeps = getattr(connector, "keeps_standard_form", None)
    return Privacy("raw" if callable(keeps) and keeps() else "masked")


def _with_marked_columns(privacy: Privacy, reader: Connector, source: str) -> Privacy:
    """Columns the source's mapping marks sensitive are sensitive on every output path."""
    marked = getattr(reader, "sensitive_columns", None)
    if callable(marked):
        privacy.sensitive_columns = privacy.sensitive_columns | frozenset(marked(source))
    return privacy


def writable_types(connector: Connector, target: str) -> tuple[str, ...]:
    """The entity types ``connector`` writes to ``target``, known before ``open_writer``.

    A connector whose answer depends on its configuration or target (a mapping that maps
    only some types) defines ``writable_types(target)``; otherwise its ``writes`` counts.
    """
    method = getattr(connector, "writable_types", None)
    if callable(method):
        return tuple(method(target))
    return tuple(connector.writes)


# -- stage 1: plan -------------------------------------------------------------------------


@dataclass
class RunPlan:
    """Everything decided before the first record is read."""

    reader: Connector
    writer_connector: Connector
    source: str
    target: str
    rejects: Path | IO[bytes] | None
    writes: tuple[str, ...]
    rules: Any
    current: list[Issue]
    privacy: Privacy
    lang: Lang
    on_invalid: OnInvalid
    state_path: Path | None = None


def plan_run(
    source: str,
    target: str,
    *,
    source_connector: str | Connector,
    target_connector: str | Connector,
    source_config: str | Path | Mapping[str, Any] | None,
    target_config: str | Path | Mapping[str, Any] | None,
    rejects: str | Path | IO[bytes] | None,
    profile: str | Path | None,
    privacy: Privacy | None,
    lang: Lang,
    on_invalid: OnInvalid,
    state_path: str | Path | None,
) -> RunPlan:
    """Build the connectors, refuse outputs that are inputs, choose the reject path.

    Nothing is opened for writing here: a refused run leaves every file as it was.
    """
    reject_path: Path | None = None
    stream: IO[bytes] | None = None
    if isinstance(rejects, (str, Path)):
        reject_path = Path(rejects)
    elif rejects is None:
        # Beside a file target; in the working folder for stdout or a URL (a database, an API).
        local = target != "-" and "://" not in target
        # A folder target ("out/") gets its rejects beside the folder, not inside it.
        beside = target.rstrip("/" + os.sep)
        reject_path = Path(f"{beside}.rejects.jsonl") if local else default_rejects_path()
    else:
        stream = rejects
    check_distinct(
        {
            "input": source,
            "--from-config": source_config if isinstance(source_config, (str, Path)) else None,
            "--to-config": target_config if isinstance(target_config, (str, Path)) else None,
        },
        {"output": target, "--rejects": reject_path, "--state": state_path},
    )
    reader = _connector(source_connector, source_config)
    writer_connector = _connector(target_connector, target_config)
    if target != "-":
        checked = writer_connector.check(target, for_writing=True)
        if not checked.ok:
            raise ConnectorError(checked.message)
    current: list[Issue] = []
    rules = None
    if profile is not None and str(profile) != "structure":
        rules = _rule_engine(profile, source, current.append)
    return RunPlan(
        reader=reader,
        writer_connector=writer_connector,
        source=source,
        target=target,
        rejects=reject_path if reject_path is not None else stream,
        writes=writable_types(writer_connector, target),
        rules=rules,
        current=current,
        privacy=_with_marked_columns(privacy or default_privacy(writer_connector), reader, source),
        lang=lang,
        on_invalid=on_invalid,
        state_path=Path(state_path) if state_path is not None else None,
    )


def _rule_engine(profile: str | Path, source: str, emit: Callable[[Issue], None]) -> Any:
    """A rule engine for per-record checks, through the profile filter ``validate`` uses
    (conversion runs no cross-record rules: nothing goes to an index)."""
    from volunteer_standard.profiles import load_profile
    from volunteer_standard.validation.filter import profile_filter
    from volunteer_standard.validation.per_record import per_record_rules
    from volunteer_standard.validation.validate import clock

    prof = load_profile(profile)
    keep = profile_filter(prof)
    today, now = clock()

    def apply(found: Issue) -> None:
        issue = keep(found)
        if issue is not None:
            emit(issue)

    return per_record_rules(prof, source=source, today=today, now=now, emit=apply)


# -- stage 2: read ---------------------------------------------------------------------------


def _fault(connector: Connector, position: int, what: Text) -> ConnectorFault:
    return ConnectorFault(
        Text(
            "连接器 {name} 出错（第 {position} 条记录之后）：",
            "connector {name!r} failed after record {position}: ",
        ).format(name=connector.name, position=position)
        + what
    )


def read_checked(
    connector: Connector, source: str, state: Mapping[str, Any] | None
) -> Iterator[SourceRecord | Checkpoint]:
    """The connector's items, each checked against the contract.

    A connector that yields something else, a record without a ``Location``, a checkpoint
    that is not JSON, or that raises, ends the run with :class:`ConnectorFault` naming
    the connector and the record position (never a traceback, never the record's data).
    """
    position = 0
    items = iter(connector.read(source, state))
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except VstdError:
            raise
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:
            raise _fault(
                connector,
                position,
                Text("抛出了 {kind}", "it raised {kind}").format(kind=type(exc).__name__),
            ) from exc
        if isinstance(item, Checkpoint):
            try:
                json.dumps(item.state)
            except (TypeError, ValueError):
                raise _fault(
                    connector,
                    position,
                    Text(
                        "检查点状态无法保存为 JSON", "its checkpoint state is not JSON-serialisable"
                    ),
                ) from None
            yield item
            continue
        if not isinstance(item, SourceRecord):
            raise _fault(
                connector,
                position,
                Text(
                    "产出了 {kind}，而不是 SourceRecord", "it yielded {kind}, not a SourceRecord"
                ).format(kind=type(item).__name__),
            )
        if not isinstance(item.location, Location):
            raise _fault(
                connector,
                position,
                Text(
                    "第 {n} 条记录的位置是 {kind}，而不是 Location",
                    "record {n} has a {kind} location, not a Location",
                ).format(n=position + 1, kind=type(item.location).__name__),
            )
        position += 1
        yield item


# -- stage 3: judge --------------------------------------------------------------------------


@dataclass
class Verdict:
    """What the checks say about one record: the object to write, and the errors."""

    obj: Entity | None
    errors: list[Issue]

    @property
    def ok(self) -> bool:
        return self.obj is not None and not self.errors


#: What :func:`check_record` finds: the entity type, the valid object (or ``None``), issues.
Checked = tuple[str | None, Entity | None, list[Issue]]


def check_record(data: Any, location: Location, plan: RunPlan, checker: RecordChecker) -> Checked:
    """The structural checks and the profile's per-record rules on one record's data."""
    issues: list[Issue] = []
    raw = RawRecord(data, location)
    kind, obj = checker.check(raw, issues.append)
    if plan.rules is not None and obj is not None:
        plan.current.clear()
        plan.rules.record(raw, kind, obj)
        issues.extend(plan.current)
    return kind, obj, issues


def judge(record: SourceRecord, plan: RunPlan, checker: RecordChecker) -> Verdict:
    """Run the structural checks and the profile's per-record rules on one record.

    A record carrying ``checked`` was already checked by this run's own
    :func:`check_record` (a connector given it by ``share_record_checks``, see ``_pump``):
    that finding is used, not found again.
    """
    issues: list[Issue] = []
    obj: Entity | None = None
    if not record.problems and record.data is not None:
        checked: Checked | None = getattr(record, "checked", None)
        if checked is None:
            kind, obj, issues = check_record(record.data, record.location, plan, checker)
        else:
            kind, obj, found = checked
            issues.extend(found)
        if kind is not None and kind not in plan.writes:
            issues.append(
                Issue(
                    code=codes.UNKNOWN_TYPE,
                    location=record.location,
                    path="/type",
                    entity_type=kind,
                    record_id=None,
                    params={
                        "value": repr(kind),
                        "expected": f"types the {plan.writer_connector.name} connector writes",
                    },
                )
            )
            obj = None
    return Verdict(obj, [i for i in issues if i.severity == "error"] if issues else issues)


def _reasons(record: SourceRecord, errors: list[Issue]) -> tuple[list[str], list[Text]]:
    if errors:
        return [i.code for i in errors], [Text(i.message("zh"), i.message("en")) for i in errors]
    if record.problems:
        return [p.code for p in record.problems], [as_text(p.message) for p in record.problems]
    return [codes.NOT_AN_OBJECT], [Text("记录无法转换", "the record could not be converted")]


# -- stage 4: run ----------------------------------------------------------------------------


def _open_sink(plan: RunPlan) -> RejectSink:
    if isinstance(plan.rejects, Path):
        return open_reject_sink(plan.rejects, plan.lang)
    return NullRejectSink(plan.rejects, plan.lang)


def _abort(writer: RecordWriter) -> None:
    """Drop a writer's output; a writer without ``abort`` is left unclosed (never
    completed), so that it cannot finish an output that looks whole."""
    abort = getattr(writer, "abort", None)
    if callable(abort):
        abort()


def convert(
    source: str,
    target: str,
    *,
    source_connector: str | Connector = "standard",
    target_connector: str | Connector = "standard",
    source_config: str | Path | Mapping[str, Any] | None = None,
    target_config: str | Path | Mapping[str, Any] | None = None,
    rejects: str | Path | IO[bytes] | None = None,
    on_invalid: OnInvalid = "reject",
    state: Mapping[str, Any] | None = None,
    progress: Callable[[ConvertSummary], None] | None = None,
    progress_every: int = 1000,
    profile: str | Path | None = DEFAULT_PROFILE,
    lang: Lang = "en",
    privacy: Privacy | None = None,
    state_path: str | Path | None = None,
    on_checkpoint: Callable[[dict[str, Any]], None] | None = None,
    jobs: int | None = 1,
    cluster: RangeCluster | None = None,
    partitioned: bool = False,
) -> ConvertSummary:
    """Convert ``source`` (read by ``source_connector``) into ``target``.

    Records that cannot be translated or fail validation go to ``rejects`` (default
    ``<target>.rejects.jsonl``, or ``./vstd-rejects-<time>.jsonl`` when the target is
    ``"-"``; the suffix chooses the sink; created 0600). With ``on_invalid="keep"``
    records that fail only rules are written anyway (structurally invalid ones can never
    be written); with ``"fail"`` the first invalid record aborts the run with
    :class:`ConversionAborted` and no output. ``profile`` (default national, as in
    ``validate``; ``"structure"`` or ``None`` for structural checks only) runs its
    per-record rules on every structurally valid record (cross-record rules need the whole
    input: run ``vstd validate`` on the output for them). ``privacy`` transforms what is
    written (outputs and rejects). ``state_path`` saves the last checkpoint atomically,
    only after the outputs are complete. Reasons are in ``lang``. ``on_checkpoint`` is
    called with the state of each checkpoint once the records before it are durable, for
    writers that can ``flush`` (API targets, ``vstd sync``; a file is only complete when
    closed). ``jobs`` processes judge the records (``None``: one per core) when the source is
    standard JSON Lines and the target's writer can write records encoded elsewhere (see
    ``volunteer_standard.parallel``); output, rejects and summary are those of one process.
    ``cluster`` (e.g. ``DaskCluster``) converts a standard JSON Lines file on a cluster
    instead, with the same output, rejects and summary (``jobs`` is then not used).
    ``partitioned=True`` (with ``cluster``) makes ``target`` a folder that the workers
    write part by part, with a reject file per part in ``rejects`` (a folder; default
    ``<target>.rejects``) and a manifest; concatenated, the parts and the reject files are
    the output and reject file of one process (``volunteer_standard.parallel.partitioned``).

    Raises :class:`ConnectorError` (a :class:`ConnectorFault` when a connector breaks its
    contract), :class:`ConversionAborted` or a :class:`SamePathError` when an output is an
    input; in every case the outputs are left as they were before the run.
    """
    if partitioned:
        from volunteer_standard.parallel.partitioned import convert_partitioned

        return convert_partitioned(
            source,
            target,
            cluster,
            source_connector=source_connector,
            target_connector=target_connector,
            source_config=source_config,
            target_config=target_config,
            rejects=rejects,
            on_invalid=on_invalid,
            profile=profile,
            lang=lang,
            privacy=privacy,
            progress=progress,
            incremental=state is not None or state_path is not None or on_checkpoint is not None,
        )
    plan = plan_run(
        source,
        target,
        source_connector=source_connector,
        target_connector=target_connector,
        source_config=source_config,
        target_config=target_config,
        rejects=rejects,
        profile=profile,
        privacy=privacy,
        lang=lang,
        on_invalid=on_invalid,
        state_path=state_path,
    )
    summary = ConvertSummary(privacy=plan.privacy.mode, profile=str(profile or "structure"))
    if isinstance(plan.rejects, Path):
        summary.rejects_path = str(plan.rejects)
    sink = _open_sink(plan)
    writer = plan.writer_connector.open_writer(target)
    # Compatibility: a connector that narrows ``writes`` in open_writer instead of defining
    # writable_types(target) is asked again once the writer is open.
    plan.writes = writable_types(plan.writer_connector, target)
    progress = _with_position(progress, plan.reader)
    try:
        parallel: Any = None
        if cluster is not None:
            from volunteer_standard.parallel.convert_cluster import cluster_conversion

            parallel = cluster_conversion(
                plan, writer, cluster, state=state, on_checkpoint=on_checkpoint
            )
        elif jobs != 1:
            from volunteer_standard.parallel.convert_run import parallel_conversion

            parallel = parallel_conversion(
                plan, writer, jobs, state=state, on_checkpoint=on_checkpoint
            )
        if parallel is not None:
            parallel.pump(summary, sink, writer, progress, progress_every)
        else:
            _pump(plan, summary, sink, writer, state, progress, progress_every, on_checkpoint)
        finish_run(plan, summary, sink, writer)
    except BaseException:
        _abort(writer)
        sink.abort()
        raise
    if progress is not None:
        progress(summary)
    return summary


def _with_position(
    progress: Callable[[ConvertSummary], None] | None, reader: Connector
) -> Callable[[ConvertSummary], None] | None:
    """``progress`` with ``summary.bytes_read`` brought up to date before each call."""
    if progress is None:
        return None
    show = progress

    def with_position(summary: ConvertSummary) -> None:
        summary.bytes_read = reader.bytes_read()
        show(summary)

    return with_position


def _pump(
    plan: RunPlan,
    summary: ConvertSummary,
    sink: RejectSink,
    writer: RecordWriter,
    state: Mapping[str, Any] | None,
    progress: Callable[[ConvertSummary], None] | None,
    every: int,
    on_checkpoint: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Read, judge and deliver every record.

    A source connector with ``share_record_checks(profile, check)`` is given this run's
    own checks before it reads: one that must check records before letting them out (a
    ledger's row is written whole or rejected whole) can then use them when its profile is
    the run's, and hand each record out with what they found, instead of checking twice.
    """
    checker = RecordChecker()
    share = getattr(plan.reader, "share_record_checks", None)
    if callable(share):
        share(summary.profile, lambda data, at: check_record(data, at, plan, checker))
    # Looked up once, not per record: the writer's method, the privacy transform (none
    # for raw output, which is the object itself) and the per-type counter.
    write = writer.write
    private = None if plan.privacy.mode == "raw" else plan.privacy.entity
    by_type = summary.written_by_type
    try:
        for record in read_checked(plan.reader, plan.source, state):
            if isinstance(record, Checkpoint):
                summary.state = dict(record.state)
                if on_checkpoint is not None:
                    _durable_checkpoint(writer, sink, summary.state, on_checkpoint)
                continue
            summary.read += 1
            verdict = judge(record, plan, checker)
            obj = verdict.obj
            if obj is None or verdict.errors:
                if plan.on_invalid == "fail":
                    _fail_on(record, verdict)
                if not (plan.on_invalid == "keep" and obj is not None):
                    _reject(plan, summary, sink, record, verdict)
                    if progress is not None:
                        _maybe_progress(summary, progress, every)
                    continue
                summary.kept_invalid += 1
            assert obj is not None
            write(obj if private is None else private(obj))
            summary.written += 1
            by_type[obj.type] += 1
            if progress is not None:
                _maybe_progress(summary, progress, every)
    except InputError as exc:
        raise ConnectorError(exc.text) from None


def _durable_checkpoint(
    writer: RecordWriter,
    sink: RejectSink,
    state: dict[str, Any],
    on_checkpoint: Callable[[dict[str, Any]], None],
) -> None:
    """A target that commits as it goes (an API) makes the records before the checkpoint
    durable; only then may the bookmark be saved. A file target cannot: nothing happens."""
    flush = getattr(writer, "flush", None)
    if not callable(flush):
        return
    flush()
    sink_flush = getattr(sink, "flush", None)
    if callable(sink_flush):
        sink_flush()
    on_checkpoint(state)


def _fail_on(record: SourceRecord, verdict: Verdict) -> None:
    """Abort on the first invalid record, naming its position and codes, never its values
    (names, birth dates and ID numbers stay out of messages)."""
    codes, _ = _reasons(record, verdict.errors)
    raise ConversionAborted(
        Text(
            "{location}：记录无效（{codes}），按 --on-invalid fail 停止；未写出任何内容",
            "{location}: invalid record ({codes}); stopped by --on-invalid fail, nothing written",
        ).format(location=str(record.location), codes=", ".join(codes))
    )


def _reject(
    plan: RunPlan,
    summary: ConvertSummary,
    sink: RejectSink,
    record: SourceRecord,
    verdict: Verdict,
) -> None:
    codes, reasons = _reasons(record, verdict.errors)
    sink.write(
        RejectEntry(
            location=record.location,
            codes=codes,
            reasons=reasons,
            record=plan.privacy.data(record.data) if record.data is not None else None,
            raw=plan.privacy.data(record.raw) if record.raw is not None else None,
        )
    )
    summary.rejected += 1
    summary.reject_codes.update(set(codes))


def finish_run(
    plan: RunPlan, summary: ConvertSummary, sink: RejectSink, writer: RecordWriter
) -> None:
    """Complete the output, then the reject file, then (only then) save the state."""
    writer.close()
    sink.close()
    if summary.rejected == 0 and isinstance(plan.rejects, Path):
        summary.rejects_path = None
    if plan.state_path is not None:
        save_state(plan.state_path, summary.state)


def _maybe_progress(
    summary: ConvertSummary, progress: Callable[[ConvertSummary], None] | None, every: int
) -> None:
    if progress is not None and summary.read % every == 0:
        progress(summary)


def load_state(path: str | Path | None) -> dict[str, Any] | None:
    """Read a saved bookmark (``--state FILE``); a missing file means a first run."""
    if path is None or not Path(path).exists():
        return None
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConnectorError(
            Text(
                "状态文件 {path} 无法读取：{kind}", "the state file {path} cannot be read: {kind}"
            ).format(path=str(path), kind=type(exc).__name__)
        ) from None
    return loaded if isinstance(loaded, dict) else None


def save_state(path: str | Path, state: Mapping[str, Any]) -> None:
    """Save a bookmark atomically (an interrupted save keeps the previous one)."""
    write_text(path, json.dumps(dict(state), ensure_ascii=False, indent=1))
