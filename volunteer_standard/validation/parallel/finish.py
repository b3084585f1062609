"""Cross-record rules resolved in worker processes, one rule per task, issues in rule order.

Why: once the input is read, the cross-record rules query the finished index, and one
process running them one after the other leaves the other cores idle at the end of a run
(Amdahl's law: that serial end bounded what ``--jobs`` could gain). The index is a file:
worker processes open it read-only, all at once, each runs one rule's queries exactly as
the main process would (:meth:`RuleEngine.finish_rule`), and the main process passes the
issues on in rule order, so the issue stream is that of a single-process run.

A rule's issues go to a spool file in the index's temporary directory, in chunks, rather
than back through the pool in one piece: a rule may find an issue per record, and memory
must stay flat.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

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
    return tuple(f"{type(r).__module__}.{type(r).__qualname__}" for r in engine.rules)


class Finisher:
    """Runs one rule's cross-record checks on an index into a spool file."""

    def __init__(self, settings: FinishSettings, engine: RuleEngine) -> None:
        self.settings = settings
        self.engine = engine
        if rule_names(engine) != settings.rules:
            raise RuntimeError("a worker process has other rules than the main process")

    def run(self, position: int) -> Spool:
        spool_dir = Path(self.settings.index.path).parent
        writer = _SpoolWriter(spool_dir / f"issues-{position}.pickle")
        try:
            self.engine.finish_rule(position, writer.add)
        finally:
            spool = writer.close()
        return spool


_FINISHER: Finisher | None = None


def init_finisher(settings: FinishSettings) -> None:
    """Prepare this process for :func:`finish_rule` (a pool's initializer): the rules of
    the run over the index, opened read-only. Ctrl-C is the main process's."""
    global _FINISHER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler (fork)
    run = settings.run
    engine = RuleEngine(
        run.profile,
        source=run.label,
        today=run.today,
        now=run.now,
        emit=_nowhere,
        index=OpenedIndex(settings.index),
    )
    _FINISHER = Finisher(settings, engine)


def finish_rule(position: int) -> Spool:
    """Run ``rules[position]``'s cross-record checks in a process prepared by
    :func:`init_finisher`."""
    if _FINISHER is None:
        raise RuntimeError("init_finisher() was not called in this process")
    return _FINISHER.run(position)


def _nowhere(issue: Issue) -> None:
    raise RuntimeError("issues of a finishing worker go to its spool")


class ParallelFinish:
    """``RuleEngine.finish_elsewhere`` for a run whose index is a local file: the rules
    run in ``jobs`` worker processes; too few rules to share run in this process."""

    def __init__(self, engine: RuleEngine, run: BatchSettings, jobs: int) -> None:
        self.engine = engine
        self.run = run
        self.jobs = jobs

    def __call__(self, positions: list[int]) -> Iterator[Iterable[Issue]]:
        index = self.engine.index
        assert isinstance(index, DatasetIndex)
        settings = FinishSettings(self.run, index.shared(), rule_names(self.engine))
        here = Finisher(settings, self.engine)
        workers: OrderedPool[int, Spool] = OrderedPool(
            finish_rule, init_finisher, (settings,), jobs=self.jobs, local=here.run
        )
        for spool in workers.run(positions, _always):
            yield spool.issues()


def _always(item: object) -> bool:
    return True
