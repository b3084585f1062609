"""Verdict validators are never looser than the models: "clean" implies valid and no
code-list warning; anything else is only sent the full way."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from volunteer_standard import codelists, validate
from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.models._types import _parse_date, _parse_datetime, _parse_hours
from volunteer_standard.models.introspect import codelist_fields
from volunteer_standard.validation.rules.engine import RuleEngine
from volunteer_standard.validation.structure import _code_warnings
from volunteer_standard.validation.verdict import CLEAN_PATTERNS, is_clean, verdict_validator

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = [
    orjson.loads(line) for line in (ROOT / "examples" / "sample.jsonl").read_bytes().splitlines()
]
_REFERENCE = {
    "date_format": _parse_date,
    "datetime_format": _parse_datetime,
    "hours_format": _parse_hours,
}


def _accepted(kind: str, value: str) -> bool:
    try:
        _REFERENCE[kind](value)
    except PydanticCustomError:
        return False
    return True


def test_every_entity_type_has_a_verdict_validator() -> None:
    """A model that cannot be derived falls back to the slow path silently: fail loudly."""
    assert [kind for kind in ENTITY_MODELS if verdict_validator(kind) is None] == []


@pytest.mark.parametrize("kind", sorted(CLEAN_PATTERNS))
@settings(max_examples=400)
@given(data=st.data())
def test_a_clean_pattern_matches_only_what_the_reference_parser_accepts(
    kind: str, data: st.DataObject
) -> None:
    value = data.draw(st.from_regex(CLEAN_PATTERNS[kind], fullmatch=True))
    assert _accepted(kind, value), value


def test_the_date_pattern_on_every_month_and_day() -> None:
    """Exhaustive over MM-DD 00-39 for leap and common years: never looser than
    ``date.fromisoformat``, and only 29 February and early years are left to it."""
    pattern = re.compile(CLEAN_PATTERNS["date_format"])
    for year in (1000, 1900, 2000, 2023, 2024, 9999):
        for month in range(100):
            for day in range(100):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                ok = _accepted("date_format", text)
                if pattern.fullmatch(text):
                    assert ok, text
                elif ok:
                    assert (month, day) == (2, 29), text


def test_the_date_time_pattern_on_every_clock_and_offset() -> None:
    pattern = re.compile(CLEAN_PATTERNS["datetime_format"])
    for hour in range(100):
        for minute in (0, 5, 59, 60, 99):
            for offset in ("Z", "+08:00", f"-{hour:02d}:{minute:02d}", f"+{hour:02d}:00"):
                for fraction in ("", ".5", ".123456", ".1234567"):
                    text = f"2024-03-05T{hour:02d}:{minute:02d}:{minute:02d}{fraction}{offset}"
                    if pattern.fullmatch(text):
                        assert _accepted("datetime_format", text), text


def test_clean_date_times_have_offsets_and_no_trailing_newline() -> None:
    """Checked through the verdict validator itself (pydantic-core's regex engine)."""
    record = next(r for r in SAMPLE if r["type"] == "service_record")
    assert is_clean("service_record", {**record, "start": "2024-03-05T09:00:00+08:00"})
    for text in ("2024-03-05T09:00:00", "2024-03-05T09:00:00+08:00\n", "2024-03-05 09:00:00Z"):
        assert not is_clean("service_record", {**record, "start": text}), text


def _codes_anywhere() -> list[str]:
    out: list[str] = []
    for name in {name for model in ENTITY_MODELS.values() for _, name in codelist_fields(model)}:
        codes = codelists.get(name)
        for code in codes.codes:
            out += [code.code, code.label_zh]
    return out


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 100)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.sampled_from(_codes_anywhere())
    | st.sampled_from(
        [
            "2024-02-29",
            "2023-02-29",
            "0999-01-01",
            "2024-13-01",
            "2024-03-05T09:00:00",
            "2024-03-05T24:00:00+08:00",
            "2024-03-05T09:00:00+08:60",
            "1.50",
            "1.505",
            "100000",
            "00.5",
            "vol-00001",
            "",
            " ",
            "310105200007243619",
        ]
    )
    | st.text(max_size=6)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*prefix, i))
    return out


def _warnings(kind: str, data: dict[str, Any]) -> list[Any]:
    raw = RawRecord(data, Location("x", 1))
    return list(_code_warnings(data, ENTITY_MODELS[kind], raw, kind, None))


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(SAMPLE), st.data(), _VALUES, st.sampled_from(["set", "drop", "add"]))
def test_clean_means_valid_and_no_warning(
    record: dict[str, Any], data: st.DataObject, value: Any, how: str
) -> None:
    record = copy.deepcopy(record)
    path = data.draw(st.sampled_from(_paths(record)))
    *parents, last = path
    target: Any = record
    for step in parents:
        target = target[step]
    if how == "set" or not isinstance(target, dict):
        target[last] = value
    elif how == "drop":
        del target[last]
    else:
        target[f"{last}_x"] = value
    kind = record.get("type")
    if not isinstance(kind, str) or kind not in ENTITY_MODELS:
        return
    if is_clean(kind, record):
        ENTITY_MODELS[kind].model_validate(record)  # raises if the verdict were looser
        assert _warnings(kind, record) == []


def test_every_sample_record_is_clean_or_has_a_reason() -> None:
    for record in SAMPLE:
        kind = record["type"]
        try:
            ENTITY_MODELS[kind].model_validate(record)
        except ValidationError:
            assert not is_clean(kind, record)
            continue
        assert is_clean(kind, record) or _warnings(kind, record), record["id"]


def test_a_record_is_not_clean_when_a_code_warning_is_due() -> None:
    record = next(r for r in SAMPLE if r["type"] == "volunteer" and r.get("skills"))
    record = {**record, "skills": ["zz-unknown"]}  # an open list: valid, with a warning
    ENTITY_MODELS["volunteer"].model_validate(record)
    assert _warnings("volunteer", record)
    assert not is_clean("volunteer", record)


@pytest.mark.parametrize(
    "name", ["sample.jsonl", "broken.jsonl", "sample.json", "broken-package.json"]
)
def test_reports_are_the_same_with_and_without_models(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The structure profile skips the models; every issue is what the full check gives."""

    def run() -> tuple[list[Any], dict[str, Any]]:
        issues: list[Any] = []
        report = validate(
            ROOT / "examples" / name, profile="structure", on_issue=issues.append, max_examples=0
        )
        return [i.to_dict() for i in issues], report.to_dict()

    lean = run()
    monkeypatch.setattr(RuleEngine, "reads_models", property(lambda self: True))
    assert run() == lean
    assert bool(lean[0]) == name.startswith("broken")


def test_decimal_hours_through_the_api_are_checked_the_full_way() -> None:
    record = next(r for r in SAMPLE if r["type"] == "service_record")
    assert not is_clean("service_record", {**record, "hours": Decimal("1.50")})
