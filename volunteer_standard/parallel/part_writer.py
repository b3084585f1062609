"""One part of a partitioned conversion, converted and written by the worker that reads it.

Why the worker writes: with one output the client writes every record, and on a cluster
that client becomes the bottleneck (every encoded record crosses the network to it). With
``partitioned=True`` a worker reads its byte range (:mod:`volunteer_standard.validation.
parallel.partitions`), judges, masks and encodes its records exactly as the client would
(:class:`.convert_run.ParallelConversion`'s delivery, the same code), and writes the part's
output and reject file itself; only counts, sizes and hashes go back to the client.

Atomic: both files are written under temporary names in the run's staging folders and
renamed on success; a failure or an invalid record under ``on_invalid="fail"`` discards
them. The staging folders replace the targets only when every part is in
(:mod:`.partitioned`), so a part is never half-written and never lands over the input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from volunteer_standard.engine import ConversionAborted, ConvertSummary
from volunteer_standard.io.atomic import AtomicFile
from volunteer_standard.io.reader import RawRecord
from volunteer_standard.io.rejects import JsonlRejectSink
from volunteer_standard.models import Entity
from volunteer_standard.parallel.convert_batch import ConvertChecker, ConvertSettings
from volunteer_standard.parallel.convert_run import ParallelConversion
from volunteer_standard.parallel.manifest import FileInfo, part_name
from volunteer_standard.text import Text
from volunteer_standard.validation.parallel.batch import Batch
from volunteer_standard.validation.parallel.lines import BATCH_BYTES
from volunteer_standard.validation.parallel.partitions import Partition, Unusable, range_items
from volunteer_standard.validation.structure import RecordChecker


@dataclass(frozen=True, slots=True)
class PartTask(Partition):
    """A byte range to convert into part number ``index``; the first part also carries the
    input's first record, which the client read to decide that the input is usable."""

    index: int = 0
    head: RawRecord | None = None


@dataclass(frozen=True, slots=True)
class PartSettings:
    """What every part of one run shares (sent once to each worker)."""

    convert: ConvertSettings
    #: The staging folders the parts are written into (reached by every worker).
    out_dir: str
    rejects_dir: str
    #: Digits of the part numbers.
    width: int


@dataclass(slots=True)
class PartDone:
    """A part's outcome: its counts and files, or why the run stops there."""

    index: int
    summary: ConvertSummary = field(default_factory=ConvertSummary)
    #: ``None``: nothing written (or rejected) in this part.
    output: FileInfo | None = None
    rejects: FileInfo | None = None
    #: The run stops at this part: an invalid record under ``on_invalid="fail"``
    #: (``aborted``) or an input unusable from here on; nothing of the part was kept.
    aborted: Text | None = None
    unusable: Text | None = None


class _Output:
    """A part's output file: the records as the JSON Lines writer writes them, hashed and
    counted as they go; created at the first record (atomic: :meth:`commit` renames it
    into place)."""

    def __init__(self, path: Path, settings: ConvertSettings) -> None:
        self.path = path
        self.file: AtomicFile | None = None
        self.encode = settings.encode
        self.hash = hashlib.sha256()
        self.size = 0
        self.count = 0

    def write_encoded(self, kind: str, data: bytes) -> None:
        if self.file is None:
            self.file = AtomicFile(self.path)
        line = data + b"\n"
        self.file.write(line)
        self.hash.update(line)
        self.size += len(line)
        self.count += 1

    def write(self, obj: Entity) -> None:
        self.write_encoded(obj.type, self.encode(obj))

    def commit(self) -> FileInfo | None:
        """Complete the file; ``None`` when nothing was written (no file, as for rejects)."""
        if self.file is None:
            return None
        self.file.commit()
        return FileInfo(self.path.name, self.count, self.size, self.hash.hexdigest())

    def abort(self) -> None:
        if self.file is not None:
            self.file.discard()


_CHECKER: tuple[str, ConvertChecker] | None = None


def write_partition(run: str, settings: PartSettings, task: Partition) -> list[PartDone]:
    """Convert and write one part in a worker (the checker is prepared once per run and
    worker); returns the part's outcome alone."""
    global _CHECKER
    assert isinstance(task, PartTask)
    if _CHECKER is None or _CHECKER[0] != run:
        _CHECKER = (run, ConvertChecker(settings.convert))
    return [_write(settings, _CHECKER[1], task)]


def _write(settings: PartSettings, checker: ConvertChecker, task: PartTask) -> PartDone:
    name = part_name(task.index, settings.width)
    done = PartDone(task.index)
    out = _Output(Path(settings.out_dir) / name, settings.convert)
    sink = JsonlRejectSink(Path(settings.rejects_dir) / name, settings.convert.lang)
    try:
        done.unusable = _deliver_all(settings.convert, checker, task, done.summary, sink, out)
    except ConversionAborted as exc:
        done.aborted = exc.text
    except BaseException:
        out.abort()
        sink.abort()
        raise
    if done.aborted is not None or done.unusable is not None:
        out.abort()
        sink.abort()
        return done
    done.output, done.rejects = commit(out, sink)
    return done


def _deliver_all(
    settings: ConvertSettings,
    checker: ConvertChecker,
    task: PartTask,
    summary: ConvertSummary,
    sink: JsonlRejectSink,
    out: _Output,
) -> Text | None:
    """Deliver the part's records in input order, as the client would deliver them;
    returns why the input is unusable from some point on, if it is."""
    delivery = ParallelConversion(checker.plan, settings, 1)
    records = RecordChecker()
    if task.head is not None:
        delivery._read_here(task.head, records, summary, sink, out, None, 1)
    for item in range_items(task, settings.limits, BATCH_BYTES):
        if isinstance(item, Batch):
            delivery._deliver(checker.check(item), summary, sink, out, None, 1)
        elif isinstance(item, Unusable):
            return item.text
        else:
            delivery._read_here(item, records, summary, sink, out, None, 1)
    return None


def commit(out: _Output, sink: JsonlRejectSink) -> tuple[FileInfo | None, FileInfo | None]:
    """Rename the part's files into place (each only when it holds a record) and
    describe them."""
    try:
        written = out.commit()
        sink.close()
    except BaseException:
        sink.abort()
        raise
    if not sink.count:
        return written, None
    with sink.path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256")
    rejects = FileInfo(sink.path.name, sink.count, sink.path.stat().st_size, digest.hexdigest())
    return written, rejects
