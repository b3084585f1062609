"""Validation with worker processes: the main process's side.

Why the split: structure and per-record rules are most of the work and need nothing but
the record, so workers do them (:mod:`.batch`); everything whose result depends on what
came before stays here, in input order, so that the report, the issue stream, the
baseline and the cross-record checks are those of a single-process run: issue filtering
(profile, ``--ignore``, baseline), counting, record numbering, the "newer version"
warning given once per run, and the SQLite index that ``finish()`` queries.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from volunteer_standard import codes
from volunteer_standard.io.limits import limits
from volunteer_standard.io.reader import Format, RawRecord
from volunteer_standard.profiles import Profile
from volunteer_standard.registry import REGISTRY
from volunteer_standard.validation.parallel import lines, pool
from volunteer_standard.validation.parallel.batch import (
    Batch,
    BatchChecker,
    BatchResult,
    BatchSettings,
    check_batch,
    init_worker,
)
from volunteer_standard.validation.parallel.finish import ParallelFinish
from volunteer_standard.validation.parallel.packing import unpack
from volunteer_standard.validation.parallel.pool import OrderedPool, WorkerError, default_jobs
from volunteer_standard.validation.progress import ProgressCallback
from volunteer_standard.validation.report import Issue, Report
from volunteer_standard.validation.rules.engine import RuleEngine
from volunteer_standard.validation.rules.index import DatasetIndex

Emit = Callable[[Issue], None]


def parallel_validation(
    jobs: int | None,
    source: object,
    profile: Profile,
    label: str,
    clock: tuple[date, datetime],
    *,
    engine: RuleEngine,
    report: Report,
    take: Callable[[RawRecord, Emit], None],
) -> ParallelValidation | None:
    """The run's worker side, or ``None`` when one process does it (see
    :func:`effective_jobs`)."""
    processes = effective_jobs(jobs, source)
    if processes <= 1:
        return None
    today, now = clock
    settings = BatchSettings(profile, label, today, now, limits(), engine.salt())
    return ParallelValidation(settings, jobs=processes, engine=engine, report=report, take=take)


def effective_jobs(jobs: int | None, source: object) -> int:
    """How many processes to use: 1 (the single-process path) unless the input is a file
    or stream, more than a few batches long, and every rule, code list and extension is
    one a new process also has (nothing registered at run time)."""
    wanted = default_jobs() if jobs is None else jobs
    if wanted <= 1 or not _is_input(source) or REGISTRY.has_runtime():
        return 1
    if isinstance(source, (str, Path)) and str(source) != "-":
        try:
            info = os.stat(source)
        except OSError:
            return 1  # the reader reports it
        if stat.S_ISREG(info.st_mode) and info.st_size < pool.MIN_BATCHES * lines.BATCH_BYTES:
            return 1
    return wanted


def _is_input(source: object) -> bool:
    return isinstance(source, (str, Path)) or hasattr(source, "read")


class ParallelValidation:
    """Feeds one input through worker processes into the run's engine and report."""

    def __init__(
        self,
        settings: BatchSettings,
        *,
        jobs: int,
        engine: RuleEngine,
        report: Report,
        take: Callable[[RawRecord, Emit], None],
    ) -> None:
        self.settings = settings
        self.jobs = jobs
        self.engine = engine
        self.report = report
        self.take = take
        self.emit: Emit = _nowhere
        self._warned: set[str] = set()
        self._local: BatchChecker | None = None

    def run(
        self,
        source: str | Path | IO[bytes],
        fmt: Format | None,
        emit: Emit,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """Check every record of ``source``, in order, as a single process would, passing
        the issues to ``emit`` (and, after each batch, the records and bytes done so far
        to ``on_progress``)."""
        self.emit = emit
        items = lines.input_items(
            source, fmt=fmt, name=self.settings.label, batch_bytes=lines.BATCH_BYTES
        )
        workers: OrderedPool[Batch, BatchResult] = OrderedPool(
            check_batch, init_worker, (self.settings,), jobs=self.jobs, local=self._check_here
        )
        done_bytes = 0
        index = self.engine.index
        early = index.build_indexes if isinstance(index, DatasetIndex) else None
        for done in workers.run(items, _is_batch, keep=index is not None, read=early):
            if isinstance(done, BatchResult):
                self._apply(done)
                done_bytes += done.size
                if on_progress is not None:
                    on_progress(self.report.records, done_bytes)
            else:
                self.take(done, self._once)
        if workers.started and self.engine.index is not None:
            # A long input: the cross-record rules run on the same workers.
            self.engine.finish_elsewhere = ParallelFinish(self.engine, self.settings, workers)

    @staticmethod
    def fatal(exc: Exception) -> bool:
        """Whether ``exc`` ends the run rather than marking the input unusable."""
        return isinstance(exc, WorkerError)

    def _check_here(self, batch: Batch) -> BatchResult:
        if self._local is None:
            self._local = BatchChecker(self.settings)
        return self._local.check(batch)

    def _once(self, issue: Issue) -> None:
        """``emit``, keeping only the run's first "newer version" warning per version (each
        batch warns once on its own)."""
        if issue.code == codes.VERSION_NEWER_THAN_TOOLKIT:
            version = issue.params.get("value", "")
            if version in self._warned:
                return
            self._warned.add(version)
        self.emit(issue)

    def _apply(self, result: BatchResult) -> None:
        once = self._once
        for packed in result.issues:
            once(unpack(packed))
        report = self.report
        report.records += result.records
        report.records_by_type.update(result.by_type)
        engine = self.engine
        index = engine.index
        if isinstance(index, DatasetIndex) and result.index is not None:
            index.absorb(result.index, engine.seq)  # numbered after the records before
            index.min_day = min(index.min_day, result.min_day)
        engine.seq += result.records


def _nowhere(issue: Issue) -> None:
    raise RuntimeError("ParallelValidation.run() was not called")


def _is_batch(item: Any) -> bool:
    return isinstance(item, Batch)
