"""Per-record rules without the index report what the usual rule engine reports.

Conversion runs a profile's per-record rules with :func:`per_record_rules` (no SQLite
index); record by record, the issues must be those of a :class:`RuleEngine` with its
index, on valid and broken records of every kind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.profiles import load_profile
from volunteer_standard.samples import SampleSpec, generate
from volunteer_standard.validation.per_record import DroppedIndex, per_record_rules
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.rules.engine import RuleEngine
from volunteer_standard.validation.structure import RecordChecker
from volunteer_standard.validation.validate import clock

ROOT = Path(__file__).resolve().parents[2]


def _records() -> list[Any]:
    spec = SampleSpec(volunteers=60, service_records=400, seed=3)
    found: list[Any] = [obj.model_dump(mode="json", exclude_none=True) for obj in generate(spec)]
    for number, data in enumerate(found):  # per-record rule issues, structure intact
        if data["type"] == "service_record" and number % 7 == 0:
            data["hours"] = "99.00"  # more than its duration
        elif data["type"] == "service_record" and number % 11 == 0:
            data["start"], data["end"] = data["end"], data["start"]
        elif data["type"] == "volunteer" and number % 5 == 0 and "id_document" in data:
            number_text = data["id_document"]["number"]
            wrong = "0" if number_text[-1] != "0" else "1"
            data["id_document"]["number"] = number_text[:-1] + wrong
    lines = (ROOT / "examples" / "broken.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def _issues(engine: Any, records: list[Any], found: list[Issue]) -> list[list[Issue]]:
    checker = RecordChecker()
    out = []
    for number, data in enumerate(records, start=1):
        found.clear()
        raw = RawRecord(data, Location("in.jsonl", number, ""))
        kind, obj = checker.check(raw, lambda _issue: None)
        if obj is not None:
            engine.record(raw, kind, obj)
        out.append(list(found))
    return out


@pytest.mark.parametrize("profile", ["national", "zhejiang"])
def test_the_same_issues_as_the_rule_engine_with_its_index(profile: str, tmp_path: Path) -> None:
    records = _records()
    today, now = clock()
    prof = load_profile(profile)
    usual: list[Issue] = []
    dropped: list[Issue] = []
    with_index = RuleEngine(
        prof, source="in.jsonl", today=today, now=now, emit=usual.append, workdir=tmp_path
    )
    assert with_index.index is not None  # the profile has cross-record rules
    without = per_record_rules(prof, source="in.jsonl", today=today, now=now, emit=dropped.append)
    try:
        expected = _issues(with_index, records, usual)
        got = _issues(without, records, dropped)
    finally:
        with_index.close()
        without.close()
    assert got == expected
    assert any(expected)  # the broken records do raise per-record issues


def test_the_dropped_index_keeps_nothing() -> None:
    index = DroppedIndex()
    for table in index.tables.values():
        table.add((1, "x"))
        assert table.rows == ()
    assert not index.has("rec")
