"""The conversion batch function: read, judge and encode whole JSON Lines lines.

Runs in a worker process (or anywhere a batch can go, see
``volunteer_standard.validation.parallel.batch``). For each record it returns what the
main process needs to deliver it exactly as ``engine._pump`` would: the encoded record
to write, or the record and its verdict for the reject sink (rejects are rare; the
record's data travels only for them).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from volunteer_standard.connectors.base import SourceRecord
from volunteer_standard.connectors.standard import StandardConnector, source_record
from volunteer_standard.engine import OnInvalid, RunPlan, Verdict, judge
from volunteer_standard.io.limits import Limits
from volunteer_standard.io.reader import Location, decode_line
from volunteer_standard.privacy import Privacy
from volunteer_standard.profiles import Profile
from volunteer_standard.text import Lang
from volunteer_standard.validation.parallel.batch import Batch
from volunteer_standard.validation.parallel.rows import NoIndex
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.structure import RecordChecker


@dataclass(frozen=True, slots=True)
class ConvertSettings:
    """What every batch of one conversion shares; picklable, sent once to each worker."""

    label: str
    limits: Limits
    #: The profile of the per-record rules and the run's clock (``None``: structure only).
    profile: Profile | None
    today: date
    now: datetime
    writes: tuple[str, ...]
    writer_name: str
    privacy: Privacy
    lang: Lang
    on_invalid: OnInvalid
    #: The target writer's ``encode`` (a module-level function).
    encode: Callable[[Any], bytes]


#: One record's delivery: (entity type, encoded record or ``None``, the record and its
#: verdict when it is invalid). ``None`` encoded and a verdict: rejected.
Outcome = tuple[str | None, bytes | None, SourceRecord | None, Verdict | None]


@dataclass(slots=True)
class ConvertResult:
    """Every record of a batch, in input order."""

    outcomes: list[Outcome] = field(default_factory=list)
    #: Bytes of the batch's lines (progress of a run: bytes done so far).
    size: int = 0


class ConvertChecker:
    """Judges batches under one conversion's settings (one per process)."""

    def __init__(self, settings: ConvertSettings) -> None:
        self.settings = settings
        self.current: list[Issue] = []
        rules = None
        if settings.profile is not None:
            rules = _rule_engine(settings, self.current.append)
        self.plan = RunPlan(
            reader=StandardConnector(),
            writer_connector=_named(settings.writer_name),
            source=settings.label,
            target="",
            rejects=None,
            writes=settings.writes,
            rules=rules,
            current=self.current,
            privacy=settings.privacy,
            lang=settings.lang,
            on_invalid=settings.on_invalid,
        )

    def check(self, batch: Batch) -> ConvertResult:
        s = self.settings
        plan = self.plan
        checker = RecordChecker()
        keep = s.on_invalid == "keep"
        encode = s.encode
        entity = s.privacy.entity
        result = ConvertResult(size=len(batch.data))
        out = result.outcomes
        number = batch.first_line - 1
        for line in batch.data.split(b"\n"):
            number += 1
            text = line.strip()
            if not text:
                continue
            raw = decode_line(text, Location(s.label, number, ""), s.limits)
            record = source_record(raw)
            assert record is not None  # JSON Lines has no metadata
            verdict = judge(record, plan, checker)
            obj = verdict.obj
            if verdict.ok:
                assert obj is not None
                out.append((obj.type, encode(entity(obj)), None, None))
                continue
            written = encode(entity(obj)) if keep and obj is not None else None
            out.append((obj.type if obj is not None else None, written, record, verdict))
            verdict.obj = None  # not needed by the main process; not sent
        return result


def _rule_engine(settings: ConvertSettings, emit: Callable[[Issue], None]) -> Any:
    """The per-record rules through the profile filter, as ``engine._rule_engine`` builds
    them, but on the main process's clock; index rows are dropped."""
    from volunteer_standard.validation.filter import profile_filter
    from volunteer_standard.validation.rules.engine import RuleEngine

    assert settings.profile is not None
    keep = profile_filter(settings.profile)

    def apply(found: Issue) -> None:
        issue = keep(found)
        if issue is not None:
            emit(issue)

    return RuleEngine(
        settings.profile,
        source=settings.label,
        today=settings.today,
        now=settings.now,
        emit=apply,
        index=NoIndex(),
    )


class _Named:
    """Stands for the target connector in messages (``judge`` names it)."""

    def __init__(self, name: str) -> None:
        self.name = name


def _named(name: str) -> Any:
    return _Named(name)


_CHECKER: ConvertChecker | None = None


def init_worker(settings: ConvertSettings) -> None:
    """Prepare this process for :func:`convert_batch` (Ctrl-C is the main process's)."""
    global _CHECKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler (fork)
    _CHECKER = ConvertChecker(settings)


def convert_batch(batch: Batch) -> ConvertResult:
    """Judge and encode one batch in a process prepared by :func:`init_worker`."""
    if _CHECKER is None:
        raise RuntimeError("init_worker() was not called in this process")
    return _CHECKER.check(batch)
