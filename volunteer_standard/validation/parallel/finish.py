"""Cross-record rules resolved in worker processes, one rule per task, issues in rule order.

Why: once the input is read, the cross-record rules query the finished index, and one
process running them one after the other leaves the other cores idle at the end of a run
(Amdahl's law: that serial end bounded what ``--jobs`` could gain). The index is a file:
the worker processes that checked the records (kept for this) open it read-only, all at
once, each runs one rule's queries exactly as the main process would
(:meth:`RuleEngine.finish_rule`), and the main process passes the issues on in rule
order, so the issue stream is that of a single-process run.

A rule's issues go to a spool file in the index's temporary directory, in chunks, rather
than back through the pool in one piece: a rule may find an issue per record, and memory
must stay flat.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from volunteer_standard.validation.parallel.batch import BatchSettings
from volunteer_standard.validation.parallel.packing import Packed, pack, unpack
from volunteer_standard.validation.parallel.pool import OrderedPool
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.rules.engine import RuleEngine
from volunteer_standard.validation.rules.index import DatasetIndex, OpenedIndex, SharedIndex

#: Issues per pickled chunk of a spool file.
CHUNK = 1000


@dataclass(frozen=True, slots=True)
class FinishSettings:
    """What a process needs to run the run's cross-record rules; picklable."""

    run: BatchSettings
    index: SharedIndex
    #: Each rule's class (module and name) by position in ``RuleEngine.rules``: a worker
    #: checks that it runs the same rule as the main process would.
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Spool:
    """One rule's issues: a file of pickled chunks (``path`` ``None``: no issues)."""

    path: str | None = None

    def issues(self) -> Iterator[Issue]:
        """The issues, in order; the file is removed once read."""
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as stream:
                while chunk := _load(stream):
                    for packed in chunk:
                        yield unpack(packed)
        finally:
            os.unlink(self.path)


def _load(stream: IO[bytes]) -> list[Packed]:
    try:
        chunk: list[Packed] = pickle.load(stream)
    except EOFError:
        return []
    return chunk


class _SpoolWriter:
    """Writes issues to a spool file in chunks (opened at the first issue)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pending: list[Packed] = []
        self.stream: IO[bytes] | None = None

    def add(self, issue: Issue) -> None:
        self.pending.append(pack(issue))
        if len(self.pending) >= CHUNK:
            self._write()

    def _write(self) -> None:
        if self.stream is None:
            self.stream = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        pickle.dump(self.pending, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending = []

    def close(self) -> Spool:
        if self.pending:
            self._write()
        if self.stream is None:
            return Spool()
        self.stream.close()
        return Spool(str(self.path))


def rule_names(engine: RuleEngine) -> tuple[str, ...]:
    """The classes of an engine's rules, in order."""
    return tuple(f"{type(r).__module__}.{type(r).__qualname__}" for r in engine.rules)


class Finisher:
    """Runs one rule's cross-record checks on an index into a spool file."""

    def __init__(self, settings: FinishSettings, engine: RuleEngine) -> None:
        self.settings = settings
        self.engine = engine
        if rule_names(engine) != settings.rules:
            raise RuntimeError("a worker process has other rules than the main process")

    def close(self) -> None:
        self.engine.close()

    def run(self, position: int) -> Spool:
        spool_dir = Path(self.settings.index.path).parent
        writer = _SpoolWriter(spool_dir / f"issues-{position}.pickle")
        try:
            self.engine.finish_rule(position, writer.add)
        finally:
            spool = writer.close()
        return spool


_FINISHER: Finisher | None = None


def finish_rule(task: tuple[FinishSettings, int]) -> Spool:
    """Run the cross-record checks of rule ``position`` (``task``: the settings and the
    position) in a worker process; the rules and the index, opened read-only, are
    prepared once per process and run."""
    global _FINISHER
    settings, position = task
    if _FINISHER is None or _FINISHER.settings != settings:
        if _FINISHER is not None:
            _FINISHER.close()
        _FINISHER = Finisher(settings, _engine(settings))
    return _FINISHER.run(position)


def _engine(settings: FinishSettings) -> RuleEngine:
    run = settings.run
    return RuleEngine(
        run.profile,
        source=run.label,
        today=run.today,
        now=run.now,
        emit=_nowhere,
        index=OpenedIndex(settings.index),
    )


def _nowhere(issue: Issue) -> None:
    raise RuntimeError("issues of a finishing worker go to its spool")


class ParallelFinish:
    """``RuleEngine.finish_elsewhere`` for a run whose index is a local file: the rules
    run on the workers that checked the records (kept for it: see ``OrderedPool.then``)."""

    def __init__(self, engine: RuleEngine, run: BatchSettings, workers: OrderedPool[Any, Any]):
        self.engine = engine
        self.run = run
        self.workers = workers

    def __call__(self, positions: list[int]) -> Iterator[Iterable[Issue]]:
        index = self.engine.index
        assert isinstance(index, DatasetIndex)
        settings = FinishSettings(self.run, index.shared(), rule_names(self.engine))
        for spool in self.workers.then(finish_rule, [(settings, p) for p in positions]):
            yield spool.issues()

    def close(self) -> None:
        """End the workers (when the rules did not run: the run stopped before)."""
        self.workers.close()
