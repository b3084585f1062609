"""Conversion with worker processes: the main process's side (see the package docstring).

The main process delivers every record in input order exactly as ``engine._pump`` does:
the records it reads itself (the first one, a line beyond the size limit, every record of
a package) through the same steps, the others from the workers' outcomes, writing their
encoded bytes and handing rejects to the sink, counting and reporting progress per record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from volunteer_standard.connectors.base import ConnectorError, RecordWriter
from volunteer_standard.connectors.standard import StandardConnector, source_record
from volunteer_standard.engine import (
    ConvertSummary,
    RunPlan,
    _fail_on,
    _maybe_progress,
    _reject,
    judge,
)
from volunteer_standard.io.limits import limits
from volunteer_standard.io.reader import InputError, RawRecord
from volunteer_standard.io.rejects import RejectSink
from volunteer_standard.parallel.convert_batch import (
    ConvertChecker,
    ConvertResult,
    ConvertSettings,
    convert_batch,
    init_worker,
)
from volunteer_standard.validation.parallel import lines
from volunteer_standard.validation.parallel.batch import Batch
from volunteer_standard.validation.parallel.pool import OrderedPool
from volunteer_standard.validation.parallel.run import effective_jobs
from volunteer_standard.validation.structure import RecordChecker
from volunteer_standard.validation.validate import clock

Progress = Callable[[ConvertSummary], None]


def parallel_conversion(
    plan: RunPlan,
    writer: RecordWriter,
    jobs: int | None,
    *,
    state: Mapping[str, Any] | None,
    on_checkpoint: Callable[[dict[str, Any]], None] | None,
) -> ParallelConversion | None:
    """The run's worker side, or ``None`` when one process converts: anything but a
    standard JSON Lines source into a writer that encodes apart, or a small input."""
    if jobs == 1:
        return None
    settings = conversion_settings(plan, writer, state=state, on_checkpoint=on_checkpoint)
    if settings is None:
        return None
    processes = effective_jobs(jobs, plan.source)
    if processes <= 1:
        return None
    return ParallelConversion(plan, settings, processes)


def conversion_settings(
    plan: RunPlan,
    writer: RecordWriter,
    *,
    state: Mapping[str, Any] | None,
    on_checkpoint: Callable[[dict[str, Any]], None] | None,
) -> ConvertSettings | None:
    """What workers need to convert this run's records, or ``None`` when only one process
    can: anything but a standard JSON Lines source into a writer that encodes apart (also
    used by ``convert_cluster``)."""
    reader = plan.reader
    if type(reader) is not StandardConnector:
        return None
    encode = getattr(writer, "encode", None)
    if not callable(encode) or not callable(getattr(writer, "write_encoded", None)):
        return None
    if state is not None or on_checkpoint is not None or reader._form(plan.source) == "package":
        return None
    rules = plan.rules
    if rules is not None:
        ctx = rules.ctx
        profile, today, now = ctx.profile, ctx.today, ctx.now
    else:
        profile = None
        today, now = clock()
    return ConvertSettings(
        label=plan.source,
        limits=limits(),
        profile=profile,
        today=today,
        now=now,
        writes=plan.writes,
        writer_name=plan.writer_connector.name,
        privacy=plan.privacy,
        lang=plan.lang,
        on_invalid=plan.on_invalid,
        encode=encode,
    )


class ParallelConversion:
    """Delivers one conversion's records, checked by worker processes, in input order."""

    def __init__(self, plan: RunPlan, settings: ConvertSettings, jobs: int) -> None:
        self.plan = plan
        self.settings = settings
        self.jobs = jobs
        self._local: ConvertChecker | None = None

    def pump(
        self,
        summary: ConvertSummary,
        sink: RejectSink,
        writer: Any,
        progress: Progress | None,
        every: int,
    ) -> None:
        """Read, judge and deliver every record (``engine._pump``'s contract)."""
        plan = self.plan
        checker = RecordChecker()
        reader = plan.reader
        assert isinstance(reader, StandardConnector)
        items = lines.input_items(
            plan.source,
            fmt=reader._form(plan.source),
            name=plan.source,
            batch_bytes=lines.BATCH_BYTES,
        )
        workers: OrderedPool[Batch, ConvertResult] = OrderedPool(
            convert_batch, init_worker, (self.settings,), jobs=self.jobs, local=self._here
        )
        # The progress display asks the reader how far it is: the bytes of the batches
        # delivered so far (the reader itself reads nothing in this run).
        done_bytes = 0
        reader._where = lambda: done_bytes
        try:
            for done in workers.run(items, _is_batch):
                if isinstance(done, ConvertResult):
                    done_bytes += done.size
                    self._deliver(done, summary, sink, writer, progress, every)
                else:
                    self._read_here(done, checker, summary, sink, writer, progress, every)
        except InputError as exc:
            raise ConnectorError(exc.text) from None
        finally:
            end = done_bytes
            reader._where = lambda: end

    def _here(self, batch: Batch) -> ConvertResult:
        if self._local is None:
            self._local = ConvertChecker(self.settings)
        return self._local.check(batch)

    def _deliver(
        self,
        result: ConvertResult,
        summary: ConvertSummary,
        sink: RejectSink,
        writer: Any,
        progress: Progress | None,
        every: int,
    ) -> None:
        plan = self.plan
        fail = plan.on_invalid == "fail"
        write = writer.write_encoded
        by_type = summary.written_by_type
        for kind, data, record, verdict in result.outcomes:
            summary.read += 1
            if verdict is not None:
                assert record is not None
                if fail:
                    _fail_on(record, verdict)
                if data is None:
                    _reject(plan, summary, sink, record, verdict)
                    _maybe_progress(summary, progress, every)
                    continue
                summary.kept_invalid += 1
            assert kind is not None
            assert data is not None
            write(kind, data)
            summary.written += 1
            by_type[kind] += 1
            _maybe_progress(summary, progress, every)

    def _read_here(
        self,
        raw: RawRecord,
        checker: RecordChecker,
        summary: ConvertSummary,
        sink: RejectSink,
        writer: Any,
        progress: Progress | None,
        every: int,
    ) -> None:
        """A record read by this process, delivered as ``engine._pump`` delivers it."""
        plan = self.plan
        record = source_record(raw)
        if record is None:
            return
        summary.read += 1
        verdict = judge(record, plan, checker)
        if not verdict.ok:
            if plan.on_invalid == "fail":
                _fail_on(record, verdict)
            if not (plan.on_invalid == "keep" and verdict.obj is not None):
                _reject(plan, summary, sink, record, verdict)
                _maybe_progress(summary, progress, every)
                return
            summary.kept_invalid += 1
        assert verdict.obj is not None
        writer.write(plan.privacy.entity(verdict.obj))
        summary.written += 1
        summary.written_by_type[verdict.obj.type] += 1
        _maybe_progress(summary, progress, every)


def _is_batch(item: Any) -> bool:
    return isinstance(item, Batch)
