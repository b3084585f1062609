"""Validation on a Dask cluster (``validate(..., cluster=DaskCluster())``,
``vstd validate --engine dask``).

Why Dask and not a scheduler of our own: an operator who outgrows one machine already
runs (or can start) a Dask cluster, which places work, moves results and survives a lost
worker. The work is the same batch function as ``--jobs`` (:mod:`.batch`), over byte
ranges of the input that each worker reads itself (:mod:`.partitions`); the client takes
the results back in input order and does what depends on order (:mod:`.ranges`), so the
report, the issues and the cross-record checks are those of a single-process run.

Dask is an optional dependency (``pip install 'volunteer-standard[dask]'``): it is
imported here only, and only when a run starts.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from volunteer_standard.io.limits import Limits
from volunteer_standard.text import Text
from volunteer_standard.validation.parallel.partitions import (
    Partition,
    count,
)
from volunteer_standard.validation.parallel.pool import default_jobs
from volunteer_standard.validation.parallel.ranges import ClusterError, RangeCluster, Work

#: Ranges in flight per worker: enough to keep workers busy while the client applies
#: results, few enough that results waiting for their turn stay small.
WINDOW_PER_WORKER = 2

_MISSING = Text(
    "未安装 Dask：pip install 'volunteer-standard[dask]'（或不加 --engine dask，在本机运行）",
    "Dask is not installed: pip install 'volunteer-standard[dask]' "
    "(or run on this machine without --engine dask)",
)

_LOST = Text(
    "Dask 集群未能完成校验（工作进程退出或连接中断：{error}）；"
    "可重试，或不加 --engine dask 在本机运行",
    "the Dask cluster did not finish the checks (a worker died or a connection was lost: "
    "{error}); retry, or run on this machine without --engine dask",
)

__all__ = ["ClusterError", "DaskCluster"]


@dataclass(frozen=True)
class DaskCluster(RangeCluster):
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
    def session(self) -> Iterator[_DaskRanges]:
        dask: Any = importlib.import_module("distributed")
        lost = (dask.KilledWorker, OSError, TimeoutError)  # CommClosedError is an OSError
        with self.client() as client:
            try:
                yield _DaskRanges(client)
            except lost as exc:
                raise ClusterError(_LOST.format(error=_describe(exc))) from None

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
                    host="127.0.0.1",  # reachable from this machine only
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


def _describe(exc: BaseException) -> str:
    """The exception's type and text (a Dask exception may fail to make its text)."""
    try:
        text = str(exc)
    except Exception:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _DaskRanges:
    """Counts and checks ranges as Dask tasks (see ``ranges.Ranges``)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", ())))

    def counts(self, parts: list[Partition], bounds: Limits) -> list[int]:
        client = self.client
        return list(client.gather(client.map(count, parts, bounds=bounds, pure=False)))

    def results(
        self, work: Work, run: str, settings: Any, parts: list[Partition]
    ) -> Iterator[list[Any]]:
        """Range after range, with a bounded number in flight; pending tasks are
        cancelled when the run ends early."""
        client = self.client
        [shared] = client.scatter([settings], broadcast=True)
        window = self.workers * WINDOW_PER_WORKER
        pending: deque[Any] = deque()
        try:
            for part in parts:
                pending.append(client.submit(work, run, shared, part, pure=False))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            if pending:
                client.cancel(list(pending))
