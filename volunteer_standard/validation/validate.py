"""``validate()``: stream an input through the checks and return a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import IO

from volunteer_standard.io.paths import check_distinct
from volunteer_standard.io.reader import Format, InputError, Location, iter_raw
from volunteer_standard.profiles import Profile, load_profile
from volunteer_standard.validation.baseline import Baseline
from volunteer_standard.validation.catalogue import CATALOGUE
from volunteer_standard.validation.filter import profile_filter
from volunteer_standard.validation.report import Issue, Report
from volunteer_standard.validation.structure import RecordChecker

#: China Standard Time: "today" ends at midnight in Beijing unless ``now`` says otherwise.
CST = timezone(timedelta(hours=8))


def clock(today: date | None = None, now: datetime | None = None) -> tuple[date, datetime]:
    """The "today" and "now" that rules compare with (Beijing time unless given)."""
    if now is None:
        now = datetime.now(UTC) if today is None else datetime.combine(today, time(23, 59, 59), CST)
    if today is None:
        today = now.astimezone(CST).date()
    return today, now


def resolve_codes(names: Iterable[str]) -> frozenset[str]:
    """Issue codes for rule codes or names (``VR306`` or ``hours-exceed-duration``).

    Raises ``ValueError`` naming the unknown ones, so that a typo in ``--ignore`` does not
    silently ignore nothing.
    """
    from volunteer_standard.validation.rules import rule_classes

    rule_classes()
    by_name = {item.name: code for code, item in CATALOGUE.items()}
    out: set[str] = set()
    unknown: list[str] = []
    for name in names:
        code = name if name in CATALOGUE else by_name.get(name)
        if code is None:
            unknown.append(name)
        else:
            out.add(code)
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(unknown)} (see 'vstd rules')")
    return frozenset(out)


def validate(
    source: str | Path | IO[bytes],
    *,
    fmt: Format | None = None,
    on_issue: Callable[[Issue], None] | None = None,
    max_examples: int = 5,
    name: str | None = None,
    profile: str | Path | Profile | None = None,
    ignore: Iterable[str] = (),
    baseline: str | Path | Baseline | None = None,
    today: date | None = None,
    now: datetime | None = None,
    write_baseline: str | Path | None = None,
    workdir: str | Path | None = None,
) -> Report:
    """Validate a JSON package or JSON Lines input (path, ``"-"`` for stdin, or a stream).

    The input is read once, record by record: structural checks and the profile's
    per-record rules run as each record is read; cross-record rules keep their state in a
    temporary SQLite index (under ``workdir`` if given) and run at the end, so memory does
    not grow with the input. Every issue is passed to ``on_issue`` as it is found; the
    report keeps counts and the first ``max_examples`` issues of each code.

    ``profile`` is a profile name, a TOML file or a :class:`Profile` (default: national).
    Issues whose code (or rule name) is in ``ignore`` and issues accepted by ``baseline``
    are not reported; they are counted in ``report.suppressed``. ``write_baseline`` writes
    every issue found (except ignored ones) as a new baseline. ``today``/``now`` fix the
    clock for "not in the future" checks. Unusable input is reported in
    ``report.input_error`` (exit code 2), never raised; an unknown profile or rule raises
    ``ValueError``.
    """
    from volunteer_standard.validation.rules.engine import RuleEngine

    if name is not None:
        label = name
    elif isinstance(source, (str, Path)):
        label = "<stdin>" if str(source) == "-" else str(source)
    else:
        label = "<stream>"
    if write_baseline is not None and isinstance(source, (str, Path)):
        check_distinct({"input": source}, {"--write-baseline": write_baseline})
    prof = load_profile(profile)
    ignored = resolve_codes(ignore)
    accepted = (
        baseline if baseline is None or isinstance(baseline, Baseline) else Baseline.load(baseline)
    )
    recorder = Baseline() if write_baseline is not None else None
    today, now = clock(today, now)

    report = Report(source=label, max_examples=max_examples, profile=prof.name)
    checker = RecordChecker()
    keep = profile_filter(prof)

    def emit(found: Issue) -> None:
        issue = keep(found)
        if issue is None:
            return
        if issue.code in ignored:
            report.suppressed += 1
            return
        if recorder is not None:
            recorder.add(issue)
        if accepted is not None and accepted.absorb(issue):
            report.suppressed += 1
            return
        report.add(issue)
        if on_issue is not None:
            on_issue(issue)

    engine = RuleEngine(prof, source=label, today=today, now=now, emit=emit, workdir=workdir)
    try:
        try:
            for raw in iter_raw(source, fmt=fmt, name=name):
                if report.format is None:
                    report.format = "jsonl" if raw.collection is None else "package"
                kind, obj = checker.check(raw, emit)
                if raw.collection != "metadata":
                    report.records += 1
                    report.records_by_type[kind or "(unknown)"] += 1
                    engine.record(raw, kind, obj)
        except InputError as exc:
            report.input_error = str(exc)
            return report
        if report.format == "package" and not checker.saw_metadata:
            emit(Issue("VS141", Location(label), ""))
        engine.finish()
    finally:
        engine.close()
    if recorder is not None and write_baseline is not None:
        recorder.write(write_baseline)
    return report
