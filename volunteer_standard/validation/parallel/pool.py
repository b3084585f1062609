"""Worker processes that check batches, with results taken back in input order.

Why a process pool (``concurrent.futures``): the checks are Python code, which one
process runs on one core. Results are consumed in submission order with a bounded number
of batches in flight, so memory stays flat however long the input is. A worker that dies
(killed, out of memory) breaks the pool and the run ends with :class:`WorkerError`
instead of waiting forever. When the run ends early (an error, Ctrl-C, SIGTERM) the
workers are terminated and reaped before the exception goes on: no orphan processes.

The pool starts only once the input has proved larger than a few batches: a small input
is checked in the main process, with the same batch function, so a short run pays no
process start-up.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text

if TYPE_CHECKING:  # imported when the pool starts: a small input never needs them
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")
L = TypeVar("L")
A = TypeVar("A")
S = TypeVar("S")

#: Batches read before the pool starts; a shorter input is checked in this process.
MIN_BATCHES = 4
#: How worker processes start (``None``: :func:`start_method` decides).
START_METHOD: str | None = None
#: Batches in flight per worker: enough to keep workers busy while results are used.
WINDOW_PER_WORKER = 3


#: Seconds a worker may take to finish its batch when the run stops early.
GRACE = 5.0


def _unblock(executor: ProcessPoolExecutor) -> None:
    """Close this process's ends of the executor's pipes (its private queues), so that its
    threads waiting on a terminated worker read the end of the pipe instead of waiting."""
    for queue, end in (("_result_queue", "_writer"), ("_call_queue", "_reader")):
        connection = getattr(getattr(executor, queue, None), end, None)
        close = getattr(connection, "close", None)
        if callable(close):
            with contextlib.suppress(OSError):
                close()


class WorkerError(VstdError):
    """A worker process ended without returning its batch (killed, out of memory)."""


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """``fork`` where it is safe and fast (Linux, no other threads: the workers start with
    everything already imported), else ``forkserver`` or ``spawn``."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1 and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


class OrderedPool(Generic[T, R]):
    """Runs ``work`` over batches in worker processes, yielding results in input order."""

    def __init__(
        self,
        work: Callable[[T], R],
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
        *,
        jobs: int,
        local: Callable[[T], R],
        method: str | None = None,
    ) -> None:
        self.work = work
        self.initializer = initializer
        self.initargs = initargs
        self.jobs = jobs
        #: Checks a batch in this process (a small input never starts the pool).
        self.local = local
        self.method = method
        self.window = max(2, jobs * WINDOW_PER_WORKER)
        self.executor: ProcessPoolExecutor | None = None
        #: Whether the worker processes were started (else everything ran here).
        self.started = False

    def run(
        self,
        items: Iterable[T | L],
        is_batch: Callable[[Any], bool],
        *,
        keep: bool = False,
        read: Callable[[], None] | None = None,
    ) -> Iterator[R | L]:
        """Results of the batches among ``items``, and the other items as they are, in
        order. An exception from ``items`` is raised after everything before it.

        ``keep``: the workers stay for :meth:`then` (else they end with the items).
        ``read`` is called once every item is taken and the workers have the last
        batches: what the caller does then overlaps with their work."""
        pending: deque[Future[R] | tuple[str, Any]] = deque()
        waiting: list[T | L] = []
        failure: Exception | None = None
        try:
            try:
                for item in items:
                    if self.executor is None:
                        waiting.append(item)
                        if sum(map(is_batch, waiting)) < MIN_BATCHES:
                            continue
                        self._start()
                        todo, waiting = waiting, []
                    else:
                        todo = [item]
                    for each in todo:
                        pending.append(self._submit(each, is_batch))
                        while len(pending) > self.window:
                            yield self._take(pending.popleft())
            except Exception as exc:  # the input failed: first what came before it
                failure = exc
            if read is not None and failure is None and self.executor is not None:
                read()
            for item in waiting:
                yield self.local(cast(T, item)) if is_batch(item) else cast(L, item)
            while pending:
                yield self._take(pending.popleft())
            if failure is not None:
                raise failure
        except BaseException:
            self._terminate(pending)
            raise
        finally:
            if not keep:
                self.close()

    def then(self, work: Callable[[A], S], args: Iterable[A]) -> Iterator[S]:
        """``work(arg)`` of every one of ``args`` on the workers that ``run(..., keep=True)``
        left running, results in order; then the workers end. Their processes are already
        started and prepared: a second phase of a run pays no start-up."""
        executor = self.executor
        if executor is None:
            raise RuntimeError("then() needs the workers of run(..., keep=True)")
        pending: deque[Future[S]] = deque()
        try:
            for arg in args:
                pending.append(executor.submit(work, arg))
            while pending:
                yield self._take(pending.popleft())
        except BaseException:
            self._terminate(cast("deque[Future[R] | tuple[str, Any]]", pending))
            raise
        finally:
            self.close()

    def _start(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.started = True
        context = multiprocessing.get_context(self.method or START_METHOD or start_method())
        self.executor = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=context,
            initializer=self.initializer,
            initargs=self.initargs,
        )

    def _submit(self, item: T | L, is_batch: Callable[[Any], bool]) -> Future[R] | tuple[str, Any]:
        assert self.executor is not None
        if is_batch(item):
            return self.executor.submit(self.work, item)  # type: ignore[arg-type]
        return ("item", item)

    @staticmethod
    def _take(entry: Future[Any] | tuple[str, Any]) -> Any:
        if isinstance(entry, tuple):
            return entry[1]
        from concurrent.futures.process import BrokenProcessPool

        try:
            return entry.result()
        except BrokenProcessPool:
            raise WorkerError(
                Text(
                    "校验进程意外退出（可能是内存不足或被终止）；可用 --jobs 1 在单个进程中重试",
                    "a worker process ended unexpectedly (out of memory or killed?); "
                    "retry with --jobs 1 to check in one process",
                )
            ) from None

    def _terminate(self, pending: deque[Future[R] | tuple[str, Any]]) -> None:
        """End the workers (an error or an interrupt) and reap them.

        Killing a worker while it writes a result would leave the executor's own threads
        waiting for the rest of the message for ever, so the workers are first asked to
        stop (queued batches cancelled, those running finish within ``GRACE`` seconds);
        only one that is still alive then is terminated, and the pipes those threads could
        wait on are closed so that they see the end and leave.
        """
        executor = self.executor
        if executor is None:
            return
        self.executor = None
        for entry in pending:
            if not isinstance(entry, tuple):
                entry.cancel()
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + GRACE
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
        stuck = [process for process in processes if process.is_alive()]
        for process in stuck:
            process.terminate()
        for process in stuck:
            process.join(timeout=GRACE)
        if stuck:
            _unblock(executor)
        manager = getattr(executor, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=GRACE)

    def close(self) -> None:
        """Let the workers finish and reap them (the normal end)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None
