"""Validation over byte ranges on a cluster: the client's side, for any engine.

Why apart from Dask: the work on the workers is plain functions over plain data
(:mod:`.partitions`), so any engine that runs a function per partition and returns the
results in partition order can check a file: Dask (:mod:`.dask_engine`), Spark's
``mapPartitions`` (docs/distributed.md), a batch system. An engine supplies a
:class:`RangeCluster`: a session that counts and checks ranges; this module does the rest,
in the order of the input, exactly as one process would: the records up to the first
JSON Lines one (the reader decides what the input is and whether it can be used), the
cut into ranges, the line and record numbers of each range, and the results applied to
the run's report and cross-record index (:class:`.run.ParallelValidation`).
"""

from __future__ import annotations

import os
import stat
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from volunteer_standard.errors import VstdError
from volunteer_standard.io.folder import folder_files
from volunteer_standard.io.limits import Limits, limits
from volunteer_standard.io.reader import Format, InputError, RawRecord, _open_binary, iter_raw
from volunteer_standard.profiles import Profile
from volunteer_standard.registry import REGISTRY
from volunteer_standard.validation.parallel.batch import BatchResult, BatchSettings
from volunteer_standard.validation.parallel.partitions import (
    Item,
    Partition,
    Unusable,
    check_partition,
    number,
    plan,
    range_size,
)
from volunteer_standard.validation.parallel.run import Emit, ParallelValidation
from volunteer_standard.validation.progress import ProgressCallback
from volunteer_standard.validation.report import Report
from volunteer_standard.validation.rules.engine import RuleEngine


class ClusterError(VstdError):
    """The cluster's engine is not installed, or the cluster cannot be reached."""


#: What a worker runs per range: (run id, the run's settings, the range) -> its items.
Work = Callable[[str, Any, Partition], list[Any]]


class Ranges(Protocol):
    """One run's connection to a cluster."""

    #: Workers available (the ranges are sized so that each gets a few).
    workers: int

    def counts(self, parts: list[Partition], bounds: Limits) -> list[int]:
        """``partitions.count(part, bounds)`` of every range, in range order."""
        ...

    def results(
        self, work: Work, run: str, settings: Any, parts: list[Partition]
    ) -> Iterable[list[Any]]:
        """``work(run, settings, part)`` of every range, in range order (lazily: memory
        stays flat when only a few ranges are in flight). ``work`` is a module-level
        function: ``partitions.check_partition`` for validation."""
        ...


class RangeCluster(ABC):
    """A cluster that checks a file's byte ranges (subclass: :meth:`session`)."""

    #: Bytes per range; ``None``: a few ranges per worker, 1 to 64 MiB each.
    partition_bytes: int | None = None

    @abstractmethod
    def session(self) -> AbstractContextManager[Ranges]:
        """Connect for the duration of one run."""

    def validation(
        self,
        source: object,
        profile: Profile,
        label: str,
        clock: tuple[date, datetime],
        *,
        engine: RuleEngine,
        report: Report,
        take: Callable[[RawRecord, Emit], None],
    ) -> RangeValidation | None:
        """The run on this cluster, or ``None`` when one process does it: the input is not
        a file (standard input, a stream, objects), or rules, code lists or extensions
        were registered at run time (a worker would not have them)."""
        if not isinstance(source, (str, Path)) or str(source) == "-" or REGISTRY.has_runtime():
            return None
        try:
            if not stat.S_ISREG(os.stat(source).st_mode):
                return None
        except OSError:
            return None  # the reader reports it
        today, now = clock
        settings = BatchSettings(profile, label, today, now, limits(), engine.salt())
        return RangeValidation(settings, self, engine=engine, report=report, take=take)


@dataclass
class _File:
    """One file of the input: its first record (checked by the client when the file's
    turn comes) and its ranges; or the error that makes the input unusable there."""

    path: Path
    label: str
    head: RawRecord | None = None
    start: int = 0
    size: int = 0
    line: int = 0
    error: InputError | None = None
    parts: list[Partition] = field(default_factory=list)


class RangeValidation(ParallelValidation):
    """Feeds a JSON Lines file, or a folder of them, through a cluster into the run's
    engine and report (a JSON package is read by the client, as one process reads it)."""

    def __init__(
        self,
        settings: BatchSettings,
        cluster: RangeCluster,
        *,
        engine: RuleEngine,
        report: Report,
        take: Callable[[RawRecord, Emit], None],
    ) -> None:
        super().__init__(settings, jobs=1, engine=engine, report=report, take=take)
        self.cluster = cluster
        self.on_progress: ProgressCallback | None = None

    def run(
        self,
        source: str | Path | IO[bytes],
        fmt: Format | None,
        emit: Emit,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """Check every record of ``source`` in order, as a single process would, passing
        the issues to ``emit`` (and, after each range, the records and bytes done so far
        to ``on_progress``)."""
        self.emit = emit
        self.on_progress = on_progress
        folder = Path(str(source)).is_dir()
        if folder:
            files = self._heads(folder_files(str(source), self.settings.label), "jsonl")
        else:
            files = self._heads([(Path(str(source)), self.settings.label)], fmt)
        rest = sum(f.size - f.start for f in files)
        if rest == 0:  # a package, or files of one record: nothing to share
            self._apply_files(files, iter(()), folder)
            return
        with self.cluster.session() as ranges:
            chosen = self.cluster.partition_bytes or range_size(rest, ranges.workers)
            for f in files:
                f.parts = plan(str(f.path), f.label, f.start, f.size, chosen)
            counts = ranges.counts([p for f in files for p in f.parts], self.settings.limits)
            for f in files:
                mine, counts = counts[: len(f.parts)], counts[len(f.parts) :]
                f.parts = number(f.parts, mine, f.line)
            parts = [p for f in files for p in f.parts]
            run = uuid.uuid4().hex
            results = iter(ranges.results(check_partition, run, self.settings, parts))
            self._apply_files(files, results, folder)

    def _apply_files(self, files: list[_File], results: Iterator[list[Item]], folder: bool) -> None:
        """Each file's first record, then the results of its ranges, file after file."""
        done = 0
        for f in files:
            if f.error is not None:
                raise f.error
            if f.head is None:
                continue
            if folder:
                self.engine.start_file(f.label)
            self.take(f.head, self._once)
            done += f.start
            for part in f.parts:
                self._apply_all(next(results))
                done += part.end - part.start
                if self.on_progress is not None:
                    self.on_progress(self.report.records, done)

    @staticmethod
    def fatal(exc: Exception) -> bool:
        return isinstance(exc, ClusterError) or ParallelValidation.fatal(exc)

    def _apply_all(self, items: list[Item]) -> None:
        for item in items:
            if isinstance(item, BatchResult):
                self._apply(item)
            elif isinstance(item, Unusable):
                raise InputError(item.text)
            else:
                self.take(item, self._once)

    def _heads(self, paths: list[tuple[Path, str]], fmt: Format | None) -> list[_File]:
        """The files up to the first unusable one, each with its first record."""
        files = []
        for path, label in paths:
            f = _File(path, label)
            files.append(f)
            try:
                self._head(f, fmt)
            except InputError as exc:
                f.error = exc
                break
        return files

    def _head(self, f: _File, fmt: Format | None) -> None:
        """Read a file up to its first JSON Lines record (the reader decides whether the
        input is usable and what it is). A package is checked here and now, whole: it is
        a single input, so nothing comes before it."""
        stream, _, owned = _open_binary(f.path)
        try:
            for raw in iter_raw(stream, fmt=fmt, name=f.label):
                if raw.collection is not None:
                    self.take(raw, self._once)
                    continue
                f.head, f.start, f.line = raw, stream.tell(), raw.location.line or 0
                f.size = os.fstat(stream.fileno()).st_size
                return
        finally:
            if owned:
                stream.close()
