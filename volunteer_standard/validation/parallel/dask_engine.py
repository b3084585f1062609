"""Validation on a Dask cluster (``validate(..., cluster=DaskCluster())``,
``vstd validate --engine dask``).

Why Dask and not a scheduler of our own: an operator who outgrows one machine already
runs (or can start) a Dask cluster, which places work, moves results and survives a lost
worker. The work is the same batch function as ``--jobs`` (:mod:`.batch`), over byte
ranges of the input that each worker reads itself (:mod:`.partitions`); the client takes
the results back in input order and does what depends on order (:mod:`.run`), so the
report, the issues and the cross-record checks are those of a single-process run.

Dask is an optional dependency (``pip install 'volunteer-standard[dask]'``): it is
imported here only, and only when a run starts.
"""

from __future__ import annotations

import importlib.util
import os
import stat
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from volunteer_standard.errors import VstdError
from volunteer_standard.io.limits import limits
from volunteer_standard.io.reader import Format, InputError, RawRecord, _open_binary, iter_raw
from volunteer_standard.profiles import Profile
from volunteer_standard.registry import REGISTRY
from volunteer_standard.text import Text
from volunteer_standard.validation.parallel.batch import BatchResult, BatchSettings
from volunteer_standard.validation.parallel.partitions import (
    Partition,
    Unusable,
    check_partition,
    count,
    number,
    plan,
    range_size,
)
from volunteer_standard.validation.parallel.pool import default_jobs
from volunteer_standard.validation.parallel.run import Emit, ParallelValidation
from volunteer_standard.validation.report import Report
from volunteer_standard.validation.rules.engine import RuleEngine

#: Ranges in flight per worker: enough to keep workers busy while the client applies
#: results, few enough that results waiting for their turn stay small.
WINDOW_PER_WORKER = 2

_MISSING = Text(
    "未安装 Dask：pip install 'volunteer-standard[dask]'（或不加 --engine dask，在本机运行）",
    "Dask is not installed: pip install 'volunteer-standard[dask]' "
    "(or run on this machine without --engine dask)",
)


class ClusterError(VstdError):
    """Dask is missing, or its scheduler cannot be reached."""


@dataclass(frozen=True)
class DaskCluster:
    """Where and how a validation runs on Dask.

    ``scheduler``: a scheduler's address (``tcp://host:8786``), a ``distributed.Client``
    already connected, or ``None`` for a local cluster of ``workers`` processes (default:
    one per core) started for the run and stopped after it. ``partition_bytes``: the size
    of the input's byte ranges, one task each (default: a few per worker, 1 to 64 MiB).
    """

    scheduler: str | Any | None = None
    workers: int | None = None
    partition_bytes: int | None = None

    def __post_init__(self) -> None:
        if importlib.util.find_spec("distributed") is None:
            raise ClusterError(_MISSING)
        if self.partition_bytes is not None and self.partition_bytes < 1:
            raise ValueError("partition_bytes must be at least 1")

    @contextmanager
    def client(self) -> Iterator[Any]:
        """A connected ``distributed.Client`` for the duration of a run."""
        dask: Any = importlib.import_module("distributed")  # untyped: called through Any

        if self.scheduler is not None and not isinstance(self.scheduler, str):
            yield self.scheduler  # the caller's client: theirs to close
            return
        try:
            if self.scheduler is None:
                cluster = dask.LocalCluster(
                    n_workers=self.workers or default_jobs(),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                client = dask.Client(cluster)
            else:
                cluster, client = None, dask.Client(self.scheduler, timeout=30)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                Text(
                    f"无法连接 Dask 调度器 {self.scheduler}：{exc}",
                    f"cannot reach the Dask scheduler {self.scheduler}: {exc}",
                )
            ) from None
        try:
            yield client
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

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
    ) -> DaskValidation | None:
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
        return DaskValidation(settings, self, engine=engine, report=report, take=take)


class DaskValidation(ParallelValidation):
    """Feeds one JSON Lines file through a Dask cluster into the run's engine and report
    (a JSON package is read by the client, as one process would)."""

    def __init__(
        self,
        settings: BatchSettings,
        cluster: DaskCluster,
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
        with self.cluster.client() as client:
            workers = _workers(client)
            chosen = self.cluster.partition_bytes or range_size(size - start, workers)
            parts = plan(path, self.settings.label, start, size, chosen)
            bounds = self.settings.limits
            counts = client.gather(client.map(count, parts, bounds=bounds, pure=False))
            parts = number(parts, counts, line, self.engine.seq)
            for item in _in_order(client, self.settings, parts):
                if isinstance(item, BatchResult):
                    self._apply(item)
                elif isinstance(item, Unusable):
                    raise InputError(item.text)
                else:
                    self.take(item, self._once)

    def _head(self, path: str, fmt: Format | None) -> tuple[int | None, int]:
        """Check the records up to the first JSON Lines one here (the reader decides
        whether the input is usable and what it is; a package is read to the end here).
        Returns where the rest starts and the number of the last line read, or ``None``
        when nothing is left."""
        stream, _, owned = _open_binary(path)
        try:
            raw = None
            for raw in iter_raw(stream, fmt=fmt, name=self.settings.label):
                self.take(raw, self._once)
                if raw.collection is None:
                    return stream.tell(), raw.location.line or 0
            return None, 0
        finally:
            if owned:
                stream.close()

    @staticmethod
    def fatal(exc: Exception) -> bool:
        return isinstance(exc, ClusterError) or ParallelValidation.fatal(exc)


def _workers(client: Any) -> int:
    return max(1, len(client.scheduler_info().get("workers", ())))


def _in_order(client: Any, settings: BatchSettings, parts: list[Partition]) -> Iterator[Any]:
    """Every range's items, range after range, with a bounded number of ranges in flight.
    Pending tasks are cancelled when the run ends early."""
    run = uuid.uuid4().hex
    [shared] = client.scatter([settings], broadcast=True)
    window = _workers(client) * WINDOW_PER_WORKER
    pending: deque[Any] = deque()
    todo = iter(parts)
    try:
        for part in todo:
            pending.append(client.submit(check_partition, run, shared, part, pure=False))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if pending:
            client.cancel(list(pending))
