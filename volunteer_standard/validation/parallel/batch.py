"""The batch function: structure and per-record rules over whole JSON Lines lines.

Why a batch: one call per few thousand records keeps the cost of moving work between
processes small, and a batch is plain data (bytes of lines, the number of the first line,
the input's label), so the same function runs in a process pool today and under Dask or
Spark's ``mapPartitions`` tomorrow. A batch's result holds everything the main process
needs, in input order: the issues (unfiltered: profile severities, ``--ignore`` and the
baseline are applied by the main process, exactly as in a single-process run), the
number of records of each type, and the cross-record index rows.

Call :func:`init_worker` once per process with the run's :class:`BatchSettings` (the
profile, the fixed clock, the limits and the index salt), then :func:`check_batch` per
batch; or use a :class:`BatchChecker` directly.
"""

from __future__ import annotations

import signal
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from volunteer_standard.io.limits import Limits
from volunteer_standard.io.reader import Location, decode_line
from volunteer_standard.profiles import Profile
from volunteer_standard.validation.parallel.packing import Packed, pack
from volunteer_standard.validation.parallel.rows import NoIndex
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.rules.index import NO_DAY, BatchIndex
from volunteer_standard.validation.structure import RecordChecker


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every batch of one run shares; picklable, sent once to each worker."""

    profile: Profile
    label: str
    today: date
    now: datetime
    limits: Limits
    #: The salt of the main process's index, so that hashed ID numbers compare across
    #: batches (see ``DatasetIndex.hash_id``).
    salt: bytes


@dataclass(frozen=True, slots=True)
class Batch:
    """Consecutive whole lines of a JSON Lines input (after its first record), with their
    line ends; blank lines included, so that line numbers follow from positions."""

    data: bytes
    first_line: int


@dataclass(slots=True)
class BatchResult:
    """What the main process needs from one batch, in input order."""

    #: Bytes of the batch's lines (progress of a run: bytes done so far).
    size: int = 0
    #: Records in the batch (blank lines are not records).
    records: int = 0
    #: Records per entity type, in order of first appearance ("(unknown)" when none).
    by_type: Counter[str] = field(default_factory=Counter)
    #: Every issue found, unfiltered, in the order a single process finds them
    #: (packed: see :mod:`.packing`).
    issues: list[Packed] = field(default_factory=list)
    #: The batch's index rows: an image of a :class:`BatchIndex` (``None``: no rows).
    #: Records are numbered from 1 in the batch; the main process, which knows how many
    #: came before, renumbers them as it appends the rows.
    index: bytes | None = None
    #: Earliest service day (YYYYMMDD) among the batch's records (``NO_DAY``: none).
    min_day: int = NO_DAY


class BatchChecker:
    """Checks batches under one run's settings (one per process)."""

    def __init__(self, settings: BatchSettings) -> None:
        from volunteer_standard.validation.rules.engine import RuleEngine

        self.settings = settings
        self._engine_class = RuleEngine
        probe = RuleEngine(
            settings.profile,
            source=settings.label,
            today=settings.today,
            now=settings.now,
            emit=lambda issue: None,
            index=NoIndex(),
        )
        #: The index tables the profile's cross-record rules need (empty: no index).
        self.needs = probe.needs
        self._index: BatchIndex | None = None

    def check(self, batch: Batch) -> BatchResult:
        """Decode, check structure and per-record rules, collect index rows."""
        s = self.settings
        result = BatchResult(size=len(batch.data))
        issues: list[Issue] = []
        emit = issues.append
        collector = self._collector()
        engine = self._engine_class(
            s.profile,
            source=s.label,
            today=s.today,
            now=s.now,
            emit=emit,
            index=collector,
        )
        # A fresh checker per batch: it warns once per declared version within the batch,
        # and the main process keeps the first warning of the run.
        checker = RecordChecker(models=engine.reads_models)
        by_type = result.by_type
        number = batch.first_line - 1
        for line in batch.data.split(b"\n"):
            number += 1
            text = line.strip()
            if not text:
                continue
            raw = decode_line(text, Location(s.label, number, ""), s.limits)
            kind, obj = checker.check(raw, emit)
            result.records += 1
            by_type[kind or "(unknown)"] += 1
            engine.record(raw, kind, obj)
        result.issues = [pack(issue) for issue in issues]
        if isinstance(collector, BatchIndex):
            result.index = collector.image()
            result.min_day = collector.min_day
        return result

    def _collector(self) -> BatchIndex | NoIndex:
        """The process's batch index, emptied (one per checker: made once, reused)."""
        if not self.needs:
            return NoIndex()
        if self._index is None:
            self._index = BatchIndex(self.needs, self.settings.salt)
        self._index.clear()
        return self._index


_CHECKER: BatchChecker | None = None


def init_worker(settings: BatchSettings) -> None:
    """Prepare this process for :func:`check_batch` (a pool's initializer).

    Ctrl-C reaches every process of the terminal's group: workers ignore it and leave the
    stopping to the main process, which ends them (SIGTERM: they just end, quietly).
    """
    global _CHECKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler (fork)
    _CHECKER = BatchChecker(settings)


def check_batch(batch: Batch) -> BatchResult:
    """Check one batch in a process prepared by :func:`init_worker`."""
    if _CHECKER is None:
        raise RuntimeError("init_worker() was not called in this process")
    return _CHECKER.check(batch)
