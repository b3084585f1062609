"""Conversion on a cluster (``convert(..., cluster=DaskCluster())``,
``vstd convert --engine dask``).

The workers read byte ranges of the source themselves and run the conversion batch
function of ``--jobs`` on them (:mod:`.convert_batch`: judge, apply privacy, encode); the
client delivers every record in input order exactly as one process would (the writer, the
reject sink, the counts: :class:`.convert_run.ParallelConversion`), so the output bytes,
the reject file and the summary are those of a single-process run. The ranges, their
exact line numbers and the clusters are validation's (``validation.parallel.ranges``).
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from volunteer_standard.connectors.base import ConnectorError, RecordWriter
from volunteer_standard.engine import ConvertSummary, RunPlan
from volunteer_standard.io.reader import InputError, RawRecord, _open_binary, iter_raw
from volunteer_standard.io.rejects import RejectSink
from volunteer_standard.parallel.convert_batch import ConvertChecker, ConvertResult, ConvertSettings
from volunteer_standard.parallel.convert_run import (
    ParallelConversion,
    Progress,
    conversion_settings,
)
from volunteer_standard.registry import REGISTRY
from volunteer_standard.validation.parallel.batch import Batch
from volunteer_standard.validation.parallel.lines import BATCH_BYTES
from volunteer_standard.validation.parallel.partitions import (
    Partition,
    Unusable,
    number,
    plan,
    range_items,
    range_size,
)
from volunteer_standard.validation.parallel.ranges import RangeCluster
from volunteer_standard.validation.structure import RecordChecker


def cluster_conversion(
    run: RunPlan,
    writer: RecordWriter,
    cluster: RangeCluster,
    *,
    state: Mapping[str, Any] | None,
    on_checkpoint: Callable[[dict[str, Any]], None] | None,
) -> ClusterConversion | None:
    """The conversion on ``cluster``, or ``None`` when one process converts: the source
    is not a regular file of standard JSON Lines, the writer cannot write records encoded
    elsewhere, or rules were registered at run time (a worker would not have them)."""
    source = run.source
    try:
        if not stat.S_ISREG(os.stat(source).st_mode) or REGISTRY.has_runtime():
            return None
    except (OSError, TypeError, ValueError):
        return None  # standard input, or the reader reports it
    settings = conversion_settings(run, writer, state=state, on_checkpoint=on_checkpoint)
    if settings is None:
        return None
    return ClusterConversion(run, settings, cluster)


class ClusterConversion(ParallelConversion):
    """Delivers one conversion's records, converted by a cluster, in input order."""

    def __init__(self, run: RunPlan, settings: ConvertSettings, cluster: RangeCluster) -> None:
        super().__init__(run, settings, 1)
        self.cluster = cluster

    def pump(
        self,
        summary: ConvertSummary,
        sink: RejectSink,
        writer: Any,
        progress: Progress | None,
        every: int,
    ) -> None:
        """Read, judge and deliver every record (``engine._pump``'s contract)."""
        checker = RecordChecker()

        def here(raw: RawRecord) -> None:
            self._read_here(raw, checker, summary, sink, writer, progress, every)

        try:
            start, line = _head(self.plan.source, here)
            size = os.path.getsize(self.plan.source)
            if start >= size:
                return
            with self.cluster.session() as ranges:
                chosen = self.cluster.partition_bytes or range_size(size - start, ranges.workers)
                parts = plan(self.plan.source, self.plan.source, start, size, chosen)
                counts = ranges.counts(parts, self.settings.limits)
                parts = number(parts, counts, line)
                run = uuid.uuid4().hex
                for items in ranges.results(convert_partition, run, self.settings, parts):
                    for item in items:
                        if isinstance(item, ConvertResult):
                            self._deliver(item, summary, sink, writer, progress, every)
                        elif isinstance(item, Unusable):
                            raise InputError(item.text)
                        else:
                            here(item)
        except InputError as exc:
            raise ConnectorError(exc.text) from None


def _head(source: str, here: Callable[[RawRecord], None]) -> tuple[int, int]:
    """Deliver the first record here (the reader decides whether the input can be used);
    returns where the rest starts and the number of the first record's line."""
    stream, _, owned = _open_binary(source)
    try:
        for raw in iter_raw(stream, fmt="jsonl", name=source):
            here(raw)
            return stream.tell(), raw.location.line or 0
        return 0, 0  # iter_raw raises on an empty input
    finally:
        if owned:
            stream.close()


_CHECKER: tuple[str, ConvertChecker] | None = None


def convert_partition(run: str, settings: ConvertSettings, part: Partition) -> list[Any]:
    """Convert one range in a worker: the results of its batches and its other items, in
    input order (the checker is prepared once per run and worker)."""
    global _CHECKER
    if _CHECKER is None or _CHECKER[0] != run:
        _CHECKER = (run, ConvertChecker(settings))
    checker = _CHECKER[1]
    return [
        checker.check(item) if isinstance(item, Batch) else item
        for item in range_items(part, settings.limits, BATCH_BYTES)
    ]
