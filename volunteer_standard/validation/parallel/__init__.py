"""Validation over several processes (``validate(..., jobs=N)``, ``vstd validate --jobs``).

The main process reads the input and cuts JSON Lines into batches of whole lines
(:mod:`.lines`); worker processes check each batch's structure and per-record rules and
collect its cross-record index rows (:mod:`.batch`, :mod:`.rows`); the main process takes
the results back in input order (:mod:`.pool`) and does what depends on order (:mod:`.run`):
the report, issue filtering and the SQLite index that the cross-record rules query at the
end. Output is identical to a single-process run. A JSON package is read in one process.

The batch function is plain data in, plain data out, so other engines can run it too:
``init_worker(settings)`` once per process, then ``check_batch(batch)`` per batch.
"""

from volunteer_standard.validation.parallel.batch import (
    Batch,
    BatchChecker,
    BatchResult,
    BatchSettings,
    check_batch,
    init_worker,
)
from volunteer_standard.validation.parallel.pool import WorkerError, default_jobs

__all__ = [
    "Batch",
    "BatchChecker",
    "BatchResult",
    "BatchSettings",
    "WorkerError",
    "check_batch",
    "default_jobs",
    "init_worker",
]
