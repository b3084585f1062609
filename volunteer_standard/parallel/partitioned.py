"""Partitioned conversion on a cluster (``convert(..., cluster=..., partitioned=True)``,
``vstd convert --engine dask --partitioned``): a folder of parts instead of one file.

Why: with one output file the client writes every record, so the cluster converts no
faster than one machine can write. Here each worker writes its byte range's part
(``OUTPUT/part-00000.jsonl`` …) and the part's reject file (``OUTPUT.rejects/part-00000.jsonl``
…) itself, each only when it holds a record (:mod:`.part_writer`); the client reads the
input's first record (it decides that the input is usable, as in every run), cuts and
numbers the ranges as validation does (:mod:`volunteer_standard.validation.parallel.
partitions`), takes the parts' counts back in input order, merges the summary and writes
the manifest (:mod:`.manifest`).

The parts, concatenated in order, are byte for byte the output of a single-process run,
and the reject files the single-process reject file; the merged summary has the same
counts. Conversion judges records one by one in every run (cross-record rules need the
whole input: ``vstd validate OUTPUT/`` checks the parts as one dataset).

Nothing is half-done: the parts are written into staging folders beside the targets,
which replace the targets only when every part is in and the manifest written; a failure,
an interruption or an invalid record under ``on_invalid="fail"`` removes them and leaves
the previous output, or none. An existing target is replaced only when it is empty or a
previous partitioned output, and never when it holds the input.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from volunteer_standard.connectors.base import Connector, ConnectorError, RecordWriter
from volunteer_standard.connectors.standard import StandardConfig, StandardConnector
from volunteer_standard.engine import (
    ConversionAborted,
    ConvertSummary,
    OnInvalid,
    RunPlan,
    plan_run,
)
from volunteer_standard.io.atomic import AtomicFolder, _umask, write_text
from volunteer_standard.io.reader import InputError, RawRecord, _open_binary, iter_raw
from volunteer_standard.io.writer import dump_record
from volunteer_standard.models import Entity
from volunteer_standard.parallel.convert_batch import ConvertSettings
from volunteer_standard.parallel.convert_run import Progress, conversion_settings
from volunteer_standard.parallel.manifest import (
    MANIFEST_NAME,
    PartInfo,
    dumps,
    is_manifest,
    is_part_name,
    manifest,
    name_width,
)
from volunteer_standard.parallel.part_writer import (
    PartDone,
    PartSettings,
    PartTask,
    write_partition,
)
from volunteer_standard.privacy import Privacy
from volunteer_standard.registry import REGISTRY
from volunteer_standard.text import Lang, Text
from volunteer_standard.validation.parallel.partitions import Partition, number, plan, range_size
from volunteer_standard.validation.parallel.ranges import RangeCluster, Ranges

_CANNOT = Text(
    "分区输出（--partitioned）无法进行：", "partitioned output (--partitioned) cannot run: "
)
_WHY = {
    "cluster": Text(
        "各分区由集群的工作进程写出，请同时指定集群（--engine dask）",
        "the parts are written by a cluster's workers: choose one (--engine dask)",
    ),
    "state": Text(
        "增量读取（--state）只适用于单一输出", "incremental reads (--state) need a single output"
    ),
    "folder": Text(
        "输出必须是本机或共享存储上的文件夹（不能是 - 或 URL）",
        "the output must be a folder on local or shared storage (not - or a URL)",
    ),
    "rejects": Text(
        "拒收位置必须是文件夹路径（每个分区一个拒收文件）",
        "the rejects must go to a folder path (one reject file per part)",
    ),
    "parent": Text(
        "{path} 所在的文件夹不存在或不可写入",
        "the folder holding {path} does not exist or cannot be written",
    ),
    "nested": Text(
        "输出文件夹与拒收文件夹不能相同，也不能相互包含",
        "the output folder and the reject folder must differ and not hold each other",
    ),
    "from": Text(
        "只能读取标准 JSON Lines 文件（--from standard）",
        "it reads standard JSON Lines files only (--from standard)",
    ),
    "to": Text(
        "各分区写为标准 JSON Lines（--to standard，不能是 JSON 数据包）",
        "the parts are standard JSON Lines (--to standard, not a JSON package)",
    ),
    "file": Text(
        "输入必须是每个工作进程都能读取的普通文件（不能是标准输入）",
        "the input must be a regular file every worker can read (not standard input)",
    ),
    "package": Text(
        "JSON 数据包是一个整体，无法切分；请不加 --partitioned 转换",
        "a JSON package is one document and cannot be cut; convert it without --partitioned",
    ),
    "runtime": Text(
        "运行时注册的规则、代码表或扩展不在工作进程中",
        "rules, code lists or extensions registered at run time are not on the workers",
    ),
}


def _refused(why: str, **params: Any) -> ConversionAborted:
    return ConversionAborted(_CANNOT + _WHY[why].format(**params))


def _not_replaced(role: str, path: Path, what: Text) -> ConversionAborted:
    return ConversionAborted(
        _CANNOT
        + Text(
            "{role}（{path}）{what_zh}，未作改动；请选择新的或空的文件夹",
            "{role} ({path}) {what}, and was left as it is; choose a new or empty folder",
        ).format(role=role, path=str(path), what=what.en, what_zh=what.zh)
    )


_A_FILE = Text("是一个文件", "is a file")
_NOT_OURS = Text(
    "是一个并非由分区转换写出的文件夹", "is a folder that no partitioned conversion wrote"
)


@dataclass
class PartitionedSummary(ConvertSummary):
    """The merged summary of a partitioned conversion, with its parts in order."""

    partitions: list[PartInfo] = field(default_factory=list)
    #: The output folder and its manifest.
    output: str = ""
    manifest: str = ""

    def to_dict(self) -> dict[str, Any]:
        merged = super().to_dict()
        merged["output"] = self.output
        merged["manifest"] = self.manifest
        merged["partitions"] = [p.to_dict() for p in self.partitions]
        return merged

    def add(self, part: ConvertSummary) -> None:
        """Add a part's counts."""
        self.read += part.read
        self.written += part.written
        self.rejected += part.rejected
        self.kept_invalid += part.kept_invalid
        self.written_by_type.update(part.written_by_type)
        self.reject_codes.update(part.reject_codes)


def convert_partitioned(
    source: str,
    target: str,
    cluster: RangeCluster | None,
    *,
    source_connector: str | Connector,
    target_connector: str | Connector,
    source_config: str | Path | Mapping[str, Any] | None,
    target_config: str | Path | Mapping[str, Any] | None,
    rejects: str | Path | IO[bytes] | None,
    on_invalid: OnInvalid,
    profile: str | Path | None,
    lang: Lang,
    privacy: Privacy | None,
    progress: Progress | None,
    incremental: bool,
) -> PartitionedSummary:
    """Convert ``source`` into the folder ``target`` on ``cluster``, one part per byte
    range, the rejects into a folder (``rejects``, default ``<target>.rejects``); see the
    module docstring. Raises what ``convert`` raises; a run that cannot be partitioned
    raises :class:`ConversionAborted` before anything is written."""
    if cluster is None:
        raise _refused("cluster")
    if incremental:
        raise _refused("state")
    out_dir, rejects_dir = _targets(target, rejects)
    run_plan = plan_run(
        source,
        str(out_dir),
        source_connector=source_connector,
        target_connector=target_connector,
        source_config=source_config,
        target_config=target_config,
        rejects=rejects_dir,
        profile=profile,
        privacy=privacy,
        lang=lang,
        on_invalid=on_invalid,
        state_path=None,
    )
    _check_plan(run_plan)
    settings = conversion_settings(
        run_plan, cast(RecordWriter, _PartsWriter()), state=None, on_checkpoint=None
    )
    assert settings is not None  # the plan was checked
    summary = PartitionedSummary(privacy=run_plan.privacy.mode, profile=str(profile or "structure"))
    summary.rejects_path = str(rejects_dir)
    summary.output = str(out_dir)
    summary.manifest = str(out_dir / MANIFEST_NAME)
    _Run(run_plan, settings, cluster, out_dir, rejects_dir).run(summary, progress)
    if progress is not None:
        progress(summary)
    return summary


class _PartsWriter:
    """Stands for the writer when the run's settings are made: the parts are the standard
    JSON Lines writer's lines (``encode``); the workers write them."""

    encode = staticmethod(dump_record)

    def write(self, obj: Entity) -> None:
        raise NotImplementedError("the workers write the parts")

    def write_encoded(self, kind: str, data: bytes) -> None:
        raise NotImplementedError("the workers write the parts")

    def close(self) -> None:
        """Nothing to close here."""


def _targets(target: str, rejects: str | Path | IO[bytes] | None) -> tuple[Path, Path]:
    """The output and reject folders, refused when replacing them could lose something
    (a file, a folder that is not a previous output, one inside the other)."""
    if target in ("", "-") or "://" in target:
        raise _refused("folder")
    if rejects is not None and not isinstance(rejects, (str, Path)):
        raise _refused("rejects")
    out_dir = Path(target.rstrip("/" + os.sep) or target)
    rejects_dir = Path(rejects) if rejects is not None else Path(f"{out_dir}.rejects")
    if str(rejects_dir) in ("", "-") or "://" in str(rejects_dir):
        raise _refused("rejects")
    a, b = out_dir.resolve(), rejects_dir.resolve()
    if a == b or a.is_relative_to(b) or b.is_relative_to(a):
        raise _refused("nested")
    _replaceable("output", out_dir, lambda f: is_manifest(f / MANIFEST_NAME))
    _replaceable("--rejects", rejects_dir, lambda f: all(is_part_name(p.name) for p in f.iterdir()))
    return out_dir, rejects_dir


def _replaceable(role: str, folder: Path, ours: Callable[[Path], bool]) -> None:
    parent = folder.parent if str(folder.parent) else Path(".")
    if not (parent.is_dir() and os.access(parent, os.W_OK)):
        raise _refused("parent", path=str(folder))
    if not os.path.lexists(folder):
        return
    if not folder.is_dir():
        raise _not_replaced(role, folder, _A_FILE)
    if any(folder.iterdir()) and not ours(folder):
        raise _not_replaced(role, folder, _NOT_OURS)


def _check_plan(run_plan: RunPlan) -> None:
    """Refuse what workers cannot do: anything but a regular standard JSON Lines file
    into standard JSON Lines parts, with nothing registered at run time."""
    reader, writer = run_plan.reader, run_plan.writer_connector
    if type(reader) is not StandardConnector:
        raise _refused("from")
    if type(writer) is not StandardConnector:
        raise _refused("to")
    assert isinstance(writer.config, StandardConfig)
    if writer.config.form == "package":
        raise _refused("to")
    source = run_plan.source
    try:
        regular = source != "-" and stat.S_ISREG(os.stat(source).st_mode)
    except (OSError, ValueError):
        regular = False
    if not regular:
        raise _refused("file")
    if reader._form(source) == "package":
        raise _refused("package")
    if REGISTRY.has_runtime():
        raise _refused("runtime")


class _Run:
    """One partitioned run: the client's side."""

    def __init__(
        self,
        run_plan: RunPlan,
        settings: ConvertSettings,
        cluster: RangeCluster,
        out_dir: Path,
        rejects_dir: Path,
    ) -> None:
        self.plan = run_plan
        self.settings = settings
        self.cluster = cluster
        self.out_dir = out_dir
        self.rejects_dir = rejects_dir

    def run(self, summary: PartitionedSummary, progress: Progress | None) -> None:
        """Read the head, have the parts written, then complete the folders in order."""
        try:
            head, start, line = self._head()
        except InputError as exc:
            raise ConnectorError(exc.text) from None
        out = AtomicFolder(self.out_dir)
        rejected = AtomicFolder(self.rejects_dir)  # 0700: reject files hold personal data
        try:
            os.chmod(out.path, 0o777 & ~_umask())  # as a folder made by mkdir
            with self.cluster.session() as ranges:
                tasks = self._tasks(ranges, head, start, line)
                shared = PartSettings(
                    self.settings, str(out.path), str(rejected.path), name_width(len(tasks))
                )
                run = uuid.uuid4().hex
                for items in ranges.results(write_partition, run, shared, list(tasks)):
                    for done in items:
                        self._take(done, tasks, summary, progress)
            self._complete(summary, out, rejected)
        except BaseException:
            _drop(out)
            _drop(rejected)
            raise

    def _head(self) -> tuple[RawRecord, int, int]:
        """The input's first record (the reader decides whether the input is usable and
        what it is), where the rest starts, and the number of its line."""
        source = self.plan.source
        reader = self.plan.reader
        assert isinstance(reader, StandardConnector)
        stream, _, owned = _open_binary(source)
        try:
            for raw in iter_raw(stream, fmt=reader._form(source), name=source):
                if raw.collection is not None:
                    raise _refused("package")
                return raw, stream.tell(), raw.location.line or 0
            raise AssertionError("iter_raw raises on an empty input")  # pragma: no cover
        finally:
            if owned:
                stream.close()

    def _tasks(self, ranges: Ranges, head: RawRecord, start: int, line: int) -> list[PartTask]:
        """The parts: byte ranges after the head (one empty range when there is nothing
        after it), numbered exactly; the first carries the head."""
        source, bounds = self.plan.source, self.settings.limits
        size = os.path.getsize(source)
        if start < size:
            chosen = self.cluster.partition_bytes or range_size(size - start, ranges.workers)
            parts = plan(source, source, start, size, chosen)
            counts = ranges.counts(parts, bounds)
        else:
            parts, counts = [Partition(source, source, size, size)], [0]
        return [
            PartTask(
                p.path,
                p.label,
                p.start,
                p.end,
                p.before,
                index=i,
                head=head if i == 0 else None,
            )
            for i, p in enumerate(number(parts, counts, line))
        ]

    def _take(
        self,
        done: PartDone,
        tasks: list[PartTask],
        summary: PartitionedSummary,
        progress: Progress | None,
    ) -> None:
        """A part's outcome, in input order: the run stops where a single run stops."""
        if done.aborted is not None:
            raise ConversionAborted(done.aborted)
        if done.unusable is not None:
            raise ConnectorError(done.unusable)
        task = tasks[done.index]
        part = done.summary
        summary.add(part)
        summary.partitions.append(
            PartInfo(
                task.index,
                first_line=1 if task.index == 0 else task.before + 1,
                read=part.read,
                written=part.written,
                rejected=part.rejected,
                kept_invalid=part.kept_invalid,
                output=done.output,
                rejects=done.rejects,
            )
        )
        summary.bytes_read = task.end
        if progress is not None:
            progress(summary)

    def _complete(
        self, summary: PartitionedSummary, out: AtomicFolder, rejected: AtomicFolder
    ) -> None:
        """Drop what dead workers left, write the manifest, then put the output folder in
        place and the reject folder after it (none when nothing was rejected)."""
        parts = summary.partitions
        _keep_only(out.path, {p.output.name for p in parts if p.output is not None})
        _keep_only(rejected.path, {p.rejects.name for p in parts if p.rejects is not None})
        if summary.rejected == 0:
            summary.rejects_path = None
        where = None
        if summary.rejected:
            where = os.path.relpath(self.rejects_dir.resolve(), self.out_dir.resolve())
        merged = ConvertSummary.to_dict(summary)
        for key in ("rejects", "rejects_mode", "state"):
            merged.pop(key)
        content = manifest(self.plan.source, where, merged, parts)
        write_text(out.path / MANIFEST_NAME, dumps(content))
        out.commit()
        if summary.rejected:
            rejected.commit()
        else:
            rejected.discard()


def _drop(staging: AtomicFolder) -> None:
    """Remove a staging folder that a worker may still be writing into (a task of a failed
    run that was already running): it is first moved to a fresh name, so that the worker's
    paths lead nowhere and it cannot add a file while the folder is being removed."""
    if staging.done:
        return
    with contextlib.suppress(OSError):  # if it cannot move, it is removed where it is
        trash = AtomicFolder(staging.target)
        try:
            os.replace(staging.path, trash.path)
        finally:
            trash.discard()
    staging.discard()


def _keep_only(folder: Path, names: set[str]) -> None:
    """Remove from a staging folder what is not a finished part: the temporaries of a
    worker that died while writing (its part was written again by another)."""
    for entry in folder.iterdir():
        if entry.name not in names:
            entry.unlink()
