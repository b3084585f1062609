"""Clean service records read from their data (``rules.clean``) are their models' equals:
the same values, the same instants, the same issues and the same index rows."""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.validation.chaos import GOLDEN_INPUT, GOLDEN_TODAY
from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.models import ENTITY_MODELS, ServiceRecord
from volunteer_standard.models._types import _parse_datetime, _parse_hours
from volunteer_standard.profiles import Profile, load_profile
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.rules import RecordRef, Rule, register_rule, unregister_rule
from volunteer_standard.validation.rules import index as index_module
from volunteer_standard.validation.rules.base import issue_type
from volunteer_standard.validation.rules.clean import CleanServiceRecord, cents, instant
from volunteer_standard.validation.rules.engine import RuleEngine
from volunteer_standard.validation.rules.index import epoch
from volunteer_standard.validation.validate import clock
from volunteer_standard.validation.verdict import CLEAN_PATTERNS, is_clean

GOLDEN = Path(__file__).parent / "golden"
_ATTRIBUTES = (
    "id",
    "volunteer_id",
    "organization_id",
    "project_id",
    "activity_id",
    "hours_type",
    "status",
    "service_category",
    "start",
    "end",
    "hours",
)


@settings(max_examples=500)
@given(text=st.from_regex(CLEAN_PATTERNS["datetime_format"], fullmatch=True))
def test_instants_are_those_of_the_parsed_datetime(text: str) -> None:
    assert instant(text) == epoch(_parse_datetime(text))


@settings(max_examples=300)
@given(text=st.from_regex(CLEAN_PATTERNS["hours_format"], fullmatch=True))
def test_cents_are_those_of_the_parsed_hours(text: str) -> None:
    assert cents(text) == int(_parse_hours(text) * 100)


_BASE = {
    "type": "service_record",
    "id": "sr-1",
    "volunteer_id": "vol-1",
    "organization_id": "org-1",
    "start": "2024-03-05T09:00:00+08:00",
    "end": "2024-03-05T11:30:00+08:00",
    "hours": "2.50",
    "status": "effective",
}


@settings(max_examples=300)
@given(
    start=st.from_regex(CLEAN_PATTERNS["datetime_format"], fullmatch=True),
    end=st.from_regex(CLEAN_PATTERNS["datetime_format"], fullmatch=True),
    hours=st.from_regex(CLEAN_PATTERNS["hours_format"], fullmatch=True),
    optional=st.fixed_dictionaries(
        {},
        optional={
            "project_id": st.sampled_from(["prj-1", "p"]),
            "activity_id": st.just("act-1"),
            "hours_type": st.sampled_from(["1", "2", "9"]),
            "service_category": st.sampled_from(["0001", "0012", "x"]),
        },
    ),
    status=st.sampled_from(["effective", "pending", "rejected", "bad"]),
)
def test_a_clean_record_reads_as_its_model(
    start: str, end: str, hours: str, optional: dict[str, str], status: str
) -> None:
    data = {**_BASE, "start": start, "end": end, "hours": hours, "status": status, **optional}
    if not is_clean("service_record", data):
        return
    model = ServiceRecord.model_validate(data)
    view = CleanServiceRecord(data)
    for name in _ATTRIBUTES:
        assert getattr(view, name) == getattr(model, name), name
    assert str(view.hours) == str(model.hours)
    assert view.instants() == (epoch(model.start), epoch(model.end))
    assert view.day() == model.start.year * 10000 + model.start.month * 100 + model.start.day
    assert view.cents() == int(model.hours * 100)


def _golden_records() -> Iterator[RawRecord]:
    lines = gzip.decompress((GOLDEN / GOLDEN_INPUT).read_bytes()).splitlines()
    for number, line in enumerate(lines, start=1):
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(data, dict):
            yield RawRecord(data, Location("chaos.jsonl", number, ""))


def _run(profile: Profile, views: bool) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """Every valid record of the golden input through an engine, service records as
    views or as models; the issues and every row of the index."""
    today, now = clock(GOLDEN_TODAY)
    issues: list[Issue] = []
    engine = RuleEngine(profile, source="chaos.jsonl", today=today, now=now, emit=issues.append)
    assert engine.views == frozenset({"service_record"})
    for raw in _golden_records():
        kind = str(raw.data.get("type"))
        model = ENTITY_MODELS.get(kind)
        if model is None:
            continue
        try:
            obj: Any = model.model_validate(raw.data)
        except ValidationError:
            continue
        if views and kind == "service_record" and is_clean(kind, raw.data):
            obj = CleanServiceRecord(raw.data)
        engine.record(raw, kind, obj)
    engine.finish()
    assert engine.index is not None
    db: sqlite3.Connection = engine.index.db
    tables = {name: db.execute(f"SELECT * FROM {name}").fetchall() for name in engine.index.tables}
    engine.close()
    return [i.to_dict("en") for i in issues], tables


@pytest.mark.parametrize("profile", ["national", "zhejiang"])
def test_views_give_the_issues_and_rows_of_models(
    profile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module.os, "urandom", lambda n: b"s" * n)  # hashed ID numbers
    prof = load_profile(profile)
    with_models = _run(prof, views=False)
    assert len(with_models[1]["rec"]) > 300 and len(with_models[0]) > 100
    assert _run(prof, views=True) == with_models


class _Weekend(Rule):
    """A rule of a plugin: it reads what no view is known to hold."""

    issue_types = (
        issue_type("VR9101", "weekend", "info", "hours", ("周末", "weekend"), ("-", "-"), "test"),
    )
    entity_types = frozenset({"service_record"})

    def check(self, obj: Any, rec: RecordRef) -> None:
        if obj.start.weekday() >= 5:
            rec.issue("VR9101", "/start")


def test_views_only_when_every_check_is_known_to_read_them(tmp_path: Path) -> None:
    today, now = clock(date(2025, 6, 30))

    def views(prof: Profile) -> frozenset[str]:
        engine = RuleEngine(prof, source="x", today=today, now=now, emit=lambda issue: None)
        engine.close()
        return engine.views

    assert views(load_profile("national")) == {"service_record"}
    required = tmp_path / "p.toml"
    required.write_text(
        'name = "p"\nextends = "national"\n[required]\nservice_record = ["content"]\n'
    )
    assert views(load_profile(required)) == frozenset()
    register_rule(_Weekend)
    try:
        prof = load_profile("national")
        assert views(prof) == frozenset()
    finally:
        unregister_rule(_Weekend)
