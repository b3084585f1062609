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
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Protocol

from volunteer_standard.errors import VstdError
from volunteer_standard.io.limits import Limits, limits
from volunteer_standard.io.reader import Format, InputError, RawRecord, _open_binary, iter_raw
from volunteer_standard.profiles import Profile
from volunteer_standard.registry import REGISTRY
from volunteer_standard.validation.parallel.batch import BatchResult, BatchSettings
from volunteer_standard.validation.parallel.partitions import (
    Item,
    Partition,
    Unusable,
    number,
    plan,
    range_size,
)
from volunteer_standard.validation.parallel.run import Emit, ParallelValidation
from volunteer_standard.validation.report import Report
from volunteer_standard.validation.rules.engine import RuleEngine


class ClusterError(VstdError):
    """The cluster's engine is not installed, or the cluster cannot be reached."""


class Ranges(Protocol):
    """One run's connection to a cluster."""

    #: Workers available (the ranges are sized so that each gets a few).
    workers: int

    def counts(self, parts: list[Partition], bounds: Limits) -> list[tuple[int, int]]:
        """``partitions.count(part, bounds)`` of every range, in range order."""
        ...

    def results(
        self, run: str, settings: BatchSettings, parts: list[Partition]
    ) -> Iterable[list[Item]]:
        """``partitions.check_partition(run, settings, part)`` of every range, in range
        order (lazily: memory stays flat when only a few ranges are in flight)."""
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


class RangeValidation(ParallelValidation):
    """Feeds one JSON Lines file through a cluster into the run's engine and report (a
    JSON package is read by the client, as one process would read it)."""

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

    def run(self, source: str | Path | IO[bytes], fmt: Format | None, emit: Emit) -> None:
        self.emit = emit
        path = str(source)
        start, line = self._head(path, fmt)
        size = os.path.getsize(path)
        if start is None or start >= size:  # a package, or one record: nothing to share
            return
        with self.cluster.session() as ranges:
            chosen = self.cluster.partition_bytes or range_size(size - start, ranges.workers)
            parts = plan(path, self.settings.label, start, size, chosen)
            counts = ranges.counts(parts, self.settings.limits)
            parts = number(parts, counts, line, self.engine.seq)
            for items in ranges.results(uuid.uuid4().hex, self.settings, parts):
                self._apply_all(items)

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

    def _head(self, path: str, fmt: Format | None) -> tuple[int | None, int]:
        """Check the records up to the first JSON Lines one here. Returns where the rest
        starts and the number of the last line read, or ``None`` after a package."""
        stream, _, owned = _open_binary(path)
        try:
            for raw in iter_raw(stream, fmt=fmt, name=self.settings.label):
                self.take(raw, self._once)
                if raw.collection is None:
                    return stream.tell(), raw.location.line or 0
            return None, 0
        finally:
            if owned:
                stream.close()
