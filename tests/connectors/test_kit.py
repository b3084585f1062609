"""The conformance kit: every built-in connector passes it, and it catches connectors that
leak memory, drop or crash on bad input, lose fields or reject without a location."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from volunteer_standard.connectors import SourceRecord
from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.connectors.tabular import TabularConnector
from volunteer_standard.io.reader import Location
from volunteer_standard.io.writer import JsonlWriter
from volunteer_standard.models import Entity
from volunteer_standard.testing import (
    ConnectorAcceptanceTests,
    garbled_variants,
    sample_entities,
    write_objects,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Records in the bundled example (one per line of its JSON Lines form).
RECORDS = len((EXAMPLES / "sample.jsonl").read_bytes().splitlines())


# -- the built-in connectors pass the kit -----------------------------------------------------


class TestStandardJsonLinesKit(ConnectorAcceptanceTests):
    connector = StandardConnector
    sample_input = EXAMPLES / "sample.jsonl"
    expected_count = RECORDS
    roundtrip_targets = ("roundtrip.jsonl", "roundtrip.json")
    malformed_inputs = (EXAMPLES / "broken.jsonl",)


class TestStandardPackageKit(ConnectorAcceptanceTests):
    connector = StandardConnector
    sample_input = EXAMPLES / "sample.json"
    expected_count = RECORDS


class TestTabularFlatKit(ConnectorAcceptanceTests):
    """The flat layout (no mapping): one CSV per entity type, exact round trip."""

    connector = TabularConnector
    roundtrip_targets = ("roundtrip",)

    def make_sample(self, folder: Path) -> Path:
        target = folder / "flat"
        write_objects(TabularConnector(), target, sample_entities())
        return target


# -- the kit catches broken connectors ------------------------------------------------------


class _Leaky(StandardConnector):
    """Keeps every record it has read: memory grows with the input."""

    name = "leaky"
    kept: ClassVar[list[Any]] = []

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        for record in super().read(source, state):
            self.kept.append(record)
            yield record


class _StopsAtBadLine(StandardConnector):
    """Gives up on the rest of the file after a bad line, without saying so."""

    name = "stops"

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        for record in super().read(source, state):
            if record.problems:
                return
            yield record


class _SkipsBadLines(StandardConnector):
    """Drops bad lines silently."""

    name = "skips"

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        for record in super().read(source, state):
            if not record.problems:
                yield record


class _Crashes(StandardConnector):
    name = "crashes"

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        for record in super().read(source, state):
            if record.problems:
                raise ValueError("unexpected input")
            yield record


class _Nowhere(StandardConnector):
    """Rejects without saying where."""

    name = "nowhere"

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        for record in super().read(source, state):
            if record.problems:
                record.location = Location("")
            yield record


class _LosesPhones(StandardConnector):
    name = "lossy"

    def open_writer(self, target: str) -> Any:
        inner = JsonlWriter(target)

        class Writer:
            def write(self, obj: Entity) -> None:
                inner.write(
                    obj.model_copy(update={"phone": None}) if obj.type == "volunteer" else obj
                )

            def close(self) -> None:
                inner.close()

        return Writer()


def _kit(connector: type[StandardConnector], **attrs: Any) -> ConnectorAcceptanceTests:
    cls = type(
        f"_Kit{connector.__name__}",
        (ConnectorAcceptanceTests,),
        {
            "connector": connector,
            "sample_input": EXAMPLES / "sample.jsonl",
            "check_registered": False,
            **attrs,
        },
    )
    kit: ConnectorAcceptanceTests = cls()
    return kit


SAMPLE = EXAMPLES / "sample.jsonl"


def test_kit_catches_memory_growth(tmp_path: Path) -> None:
    kit = _kit(_Leaky, memory_records=500)
    with pytest.raises(AssertionError, match="peak memory grew"):
        kit.test_memory_is_flat(tmp_path)
    _Leaky.kept.clear()


def test_kit_catches_records_lost_after_a_bad_line(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="intact records after the damage were lost"):
        _kit(_StopsAtBadLine).test_malformed_input_gives_precise_rejects(tmp_path, SAMPLE)


def test_kit_catches_silent_drops(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="nothing was rejected"):
        _kit(_SkipsBadLines).test_malformed_input_gives_precise_rejects(tmp_path, SAMPLE)


def test_kit_catches_crashes(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="crashed with ValueError: unexpected input"):
        _kit(_Crashes).test_malformed_input_gives_precise_rejects(tmp_path, SAMPLE)


def test_kit_catches_rejects_without_location(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="reject without a precise location"):
        _kit(_Nowhere).test_malformed_input_gives_precise_rejects(tmp_path, SAMPLE)


def test_kit_catches_lost_fields_unless_declared(tmp_path: Path) -> None:
    for name in "abc":
        (tmp_path / name).mkdir()
    with pytest.raises(AssertionError, match=r"changed in the round trip, fields \['phone'\]"):
        _kit(_LosesPhones).test_write_read_round_trip(tmp_path / "a")
    _kit(_LosesPhones, roundtrip_exclude={"volunteer": {"phone"}}).test_write_read_round_trip(
        tmp_path / "b"
    )
    with pytest.raises(AssertionError, match="required fields of volunteer"):
        _kit(_LosesPhones, roundtrip_exclude={"volunteer": {"name"}}).test_write_read_round_trip(
            tmp_path / "c"
        )


def test_kit_checks_registration() -> None:
    with pytest.raises(Exception, match="unknown connector 'leaky'"):
        _kit(_Leaky, check_registered=True).test_registered_by_name()


def test_garbled_variants(tmp_path: Path) -> None:
    variants = garbled_variants(SAMPLE, tmp_path, 100)
    assert [v.name for v in variants] == ["truncated", "garbage_line", "bad_bytes"]
    truncated, garbage, bad = (v.path.read_bytes() for v in variants)
    original = SAMPLE.read_bytes()
    assert original.startswith(truncated) and not truncated.endswith(b"\n")
    assert garbage.splitlines()[2].startswith(b"!!garbage")
    assert b"\xff\xfe" in bad.splitlines()[1]
    assert garbage.count(b"\n") == original.count(b"\n") + 1
    assert variants[1].min_written == 100 and variants[2].min_written == 99
    # binary inputs (XLSX is a zip) are left to the author's malformed_inputs
    xlsx = tmp_path / "book.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert garbled_variants(xlsx, tmp_path / "x", 1) == []


def test_the_pytest_plugin_is_loaded(
    request: pytest.FixtureRequest, vstd_sample: list[Entity], vstd_sample_jsonl: Path
) -> None:
    """The ``pytest11`` entry point: fixtures for connector authors, and the kit's marker."""
    assert len(vstd_sample) == len(sample_entities()) > 0
    assert len(vstd_sample_jsonl.read_text(encoding="utf-8").splitlines()) == len(vstd_sample)
    assert any(m.startswith("connector_kit:") for m in request.config.getini("markers"))
    kit_items = [
        item
        for item in request.session.items
        if getattr(item, "cls", None) is TestStandardJsonLinesKit
    ]
    assert all(item.get_closest_marker("connector_kit") for item in kit_items)
