"""The rule engine: instantiates the profile's rules, feeds them records, runs ``finish()``.

``validate()`` calls :meth:`RuleEngine.record` once per record, right after the structural
check, and :meth:`RuleEngine.finish` after the last one. Per-record work is a dispatch by
entity type to the enabled rules' ``check`` methods, plus, when a cross-record rule is on,
one row per record (and a few for references) appended to the SQLite index in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from volunteer_standard.identifiers import normalize_resident_id
from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.profiles import Profile
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.rules.base import Emit, RecordRef, Rule, RuleContext
from volunteer_standard.validation.rules.base import rule_classes as _rule_classes
from volunteer_standard.validation.rules.clean import CleanServiceRecord
from volunteer_standard.validation.rules.hours import HoursRule
from volunteer_standard.validation.rules.index import (
    BATCH,
    KIND_NO,
    STATUS_LEVEL,
    DatasetIndex,
    epoch,
    ymd,
)
from volunteer_standard.validation.rules.integrity import references
from volunteer_standard.validation.rules.minors import consent_window
from volunteer_standard.validation.rules.privacy import IdNumberAsIdRule

Check = Callable[[Any, RecordRef], None]
#: Rules known to read of a service record only what a ``CleanServiceRecord`` holds.
_VIEW_RULES: frozenset[type[Rule]] = frozenset({HoursRule, IdNumberAsIdRule})
_HUNDRED = Decimal(100)


class FinishElsewhere(Protocol):
    """Runs cross-record rules outside :meth:`RuleEngine.finish` (see ``finish_elsewhere``)."""

    def __call__(self, positions: list[int]) -> Iterator[Iterable[Issue]]: ...

    def close(self) -> None: ...


class RuleEngine:
    """Runs one profile's rules over one input."""

    def __init__(
        self,
        profile: Profile,
        *,
        source: str,
        today: date,
        now: datetime,
        emit: Emit,
        workdir: str | Path | None = None,
        index: Any = None,
    ) -> None:
        """``index`` replaces the SQLite index with an object offering the same ``tables``,
        ``hash_id`` and ``min_day`` (worker processes collect rows for the main process's
        index: see ``volunteer_standard.validation.parallel``)."""
        self.enabled = profile.enabled_codes()
        self.ctx = RuleContext(profile, today, now, self.enabled, source)
        self._emit = emit
        rules = [cls(self.ctx) for cls in _rule_classes()]
        self.rules: list[Rule] = [r for r in rules if r.active()]
        self.dispatch: dict[str, list[Check]] = {}
        for rule in self.rules:
            for kind in rule.kinds():
                if type(rule).check is not Rule.check:
                    self.dispatch.setdefault(kind, []).append(rule.check)
        needs: set[str] = set()
        for rule in self.rules:
            needs.update(rule.needs)
        self.index: DatasetIndex | None = None
        self._filler: _Filler | None = None
        if needs:
            if index is None:
                self.index = DatasetIndex(source, sorted(needs), workdir=workdir)
                self.ctx.index = self.index
            else:
                self.index = index
            self._filler = _Filler(self.index, profile)
        self.seq = 0
        #: The index tables the enabled rules need (besides "ent" and "bad").
        self.needs = tuple(sorted(needs))
        self._rec = RecordRef("", None, Location(source), None, emit, self.enabled)
        # Service-record times are computed only when someone reads them.
        self._times = "service_record" in self.dispatch or self.index is not None
        self._service_checks: tuple[Check, ...] = tuple(self.dispatch.get("service_record", ()))
        filler = self._filler
        has_rows = filler is not None and filler.rec is not None
        self._service_rows = filler.service_record if filler is not None and has_rows else None
        #: Runs cross-record rules elsewhere (worker processes reading the finalized index:
        #: ``validation.parallel.finish``): given the positions in ``rules`` of those to
        #: run, yields the issues of each as :meth:`finish_rule` passes them, in that order
        #: (``None``: :meth:`finish` runs them here).
        self.finish_elsewhere: FinishElsewhere | None = None

    @property
    def views(self) -> frozenset[str]:
        """Entity types whose clean records may come as a view of their data instead of a
        model (``rules.clean``): those whose every check is one known to read only what
        the view holds."""
        checks = self._service_checks
        if all(type(getattr(c, "__self__", None)) in _VIEW_RULES for c in checks):
            return frozenset({"service_record"})
        return frozenset()

    @property
    def reads_models(self) -> bool:
        """Whether any rule or the index reads the model of a valid record (when none
        does, the structural check need not build one)."""
        return bool(self.dispatch) or self.index is not None

    def start_file(self, label: str) -> None:
        """The next records come from the file ``label`` (a folder input): cross-record
        issues about them name it."""
        if isinstance(self.index, DatasetIndex):
            self.index.start_file(self.seq + 1, label)

    def salt(self) -> bytes:
        """The index's salt for hashed ID numbers (empty when there is no index)."""
        return getattr(self.index, "salt", b"")

    def record(self, raw: RawRecord, kind: str | None, obj: Any) -> None:
        """Check one record (after its structural check) and index it."""
        self.seq += 1
        if kind is None:
            return
        if obj is None:
            if self.index is not None and isinstance(raw.data, dict):
                rid = raw.data.get("id")
                if isinstance(rid, str) and kind in KIND_NO:
                    self.index.tables["bad"].add((KIND_NO[kind], rid))
            return
        rec = self._rec
        rec.kind = kind
        rec.record_id = obj.id
        rec.location = raw.location
        rec.raw = raw.data
        if kind == "service_record" and self._times:
            # The bulk of any input: computed once here, read by rules and the index.
            if obj.__class__ is CleanServiceRecord:
                rec.start_ts, rec.end_ts = obj.instants()
                rec.hours_cents = obj.cents()
                day = obj.day()
            else:
                start = obj.start
                rec.start_ts = epoch(start)
                rec.end_ts = epoch(obj.end)
                rec.hours_cents = int(obj.hours * _HUNDRED)
                day = start.year * 10000 + start.month * 100 + start.day
            for check in self._service_checks:
                check(obj, rec)
            if self._service_rows is not None:
                self._service_rows(self.seq, obj, rec, day)
                return
        else:
            checks = self.dispatch.get(kind)
            if checks:
                for check in checks:
                    check(obj, rec)
        if self._filler is not None:
            self._filler.add(self.seq, kind, obj, rec)

    def finish(self) -> None:
        """Resolve cross-record checks; issues go to the same ``emit`` as per-record ones."""
        if self.index is None:
            return
        self.index.finalize()
        positions = [i for i, rule in enumerate(self.rules) if rule.needs]
        if self.finish_elsewhere is None:
            for i in positions:
                self.finish_rule(i, self._emit)
            return
        emit = self._emit
        for issues in self.finish_elsewhere(positions):
            for issue in issues:
                emit(issue)

    def finish_rule(self, position: int, emit: Emit) -> None:
        """Run the cross-record checks of ``rules[position]`` alone, passing the issues of
        enabled codes to ``emit`` (in the order :meth:`finish` would)."""
        assert self.index is not None
        enabled = self.enabled

        def filtered(issue: Issue) -> None:
            if issue.code in enabled:
                emit(issue)

        self.rules[position].finish(self.index, filtered)

    def close(self) -> None:
        if self.finish_elsewhere is not None:
            self.finish_elsewhere.close()
            self.finish_elsewhere = None
        if self.index is not None:
            self.index.close()
            self.index = None


def _cents(value: Any) -> int:
    return int(value * _HUNDRED)


class _Filler:
    """Turns validated model objects into index rows (only for the tables that exist)."""

    def __init__(self, index: DatasetIndex, profile: Profile) -> None:
        self.index = index
        tables = index.tables
        self.ent = tables["ent"]
        self.ref = tables.get("ref")
        self.rec = tables.get("rec")
        self.vol = tables.get("vol")
        self.proj = tables.get("proj")
        self.act = tables.get("act")
        self.cline = tables.get("cline")
        self.chours = tables.get("chours")
        self.chold = tables.get("chold")
        self.forbidden = frozenset(profile.minors.forbidden_categories)
        self.credit_types = frozenset(profile.stars.hours_types)
        self.rec_rows = self.rec.rows if self.rec is not None else []

    def add(self, seq: int, kind: str, obj: Any, rec: RecordRef) -> None:
        location = rec.location
        self.ent.add((seq, KIND_NO[kind], obj.id, location.line, location.pointer or None))
        if kind == "service_record":
            return
        if kind == "volunteer" and self.vol is not None:
            self._volunteer(seq, obj)
        elif kind == "project" and self.proj is not None:
            ban = 1 if self.forbidden.intersection(obj.service_categories) else 0
            min_age = obj.recruitment.min_age if obj.recruitment is not None else None
            end = epoch(obj.end) if obj.end is not None else None
            self.proj.add((obj.id, seq, epoch(obj.start), end, ban, min_age))
        elif kind == "activity" and self.act is not None:
            self.act.add((obj.id, seq, epoch(obj.start), epoch(obj.end)))
        elif kind == "certificate":
            self._certificate(seq, obj)
        if self.ref is not None:
            for path, target, rid in references(kind, obj):
                self.ref.add((seq, path, KIND_NO[target], rid))

    def service_record(self, seq: int, obj: Any, rec: RecordRef, day: int) -> None:
        """One row per service record, with its location (no "ent" row: see index.TABLES);
        ``day`` is the start's local date (YYYYMMDD)."""
        location = rec.location
        status = STATUS_LEVEL.get(obj.status, 0)
        hours = rec.hours_cents
        rows = self.rec_rows
        rows.append(
            (
                seq,
                obj.id,
                obj.volunteer_id,
                obj.organization_id,
                obj.project_id,
                obj.activity_id,
                rec.start_ts,
                rec.end_ts,
                day,
                status,
                hours if status == 2 and obj.hours_type in self.credit_types else 0,
                hours,
                1 if obj.service_category in self.forbidden else 0,
                location.line,
                location.pointer or None,
            )
        )
        if len(rows) >= BATCH:
            self.rec.flush()  # type: ignore[union-attr]
        if day < self.index.min_day:
            self.index.min_day = day

    def _volunteer(self, seq: int, obj: Any) -> None:
        cfrom, cto = consent_window(obj)
        doc = obj.id_document
        idh = None
        if doc is not None:
            number = normalize_resident_id(doc.number)
            idh = self.index.hash_id(number if len(number) == 18 else f"{doc.type}:{number}")
        star = int(obj.star_level) if obj.star_level and obj.star_level.isdigit() else None
        birth = ymd(obj.birth_date) if obj.birth_date is not None else None
        assert self.vol is not None
        self.vol.add((seq, obj.id, birth, cfrom, cto, star, idh, obj.volunteer_no))

    def _certificate(self, seq: int, obj: Any) -> None:
        holder = obj.volunteer.volunteer_id
        if self.chold is not None and holder is not None:
            self.chold.add((seq, holder, obj.volunteer.volunteer_no))
        if obj.status == "revoked" or self.cline is None or self.chours is None:
            return
        org = obj.issuer.organization_id
        period = obj.period
        for i, line in enumerate(obj.lines):
            ids = line.service_record_ids
            if not ids:
                continue
            lp = line.period or period
            ps = ymd(lp.start) if lp is not None and lp.start is not None else None
            pe = ymd(lp.end) if lp is not None and lp.end is not None else None
            self.chours.add((seq, i, _cents(line.hours), len(ids)))
            for k, rid in enumerate(ids):
                self.cline.add((seq, i, k, rid, org, holder, ps, pe))
