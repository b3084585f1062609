"""The connector conformance kit: one set of tests that every connector must pass.

A connector author subclasses :class:`ConnectorAcceptanceTests` in a test module, points it
at the connector and a sample input, and pytest runs the standard checks (as Airbyte's
connector acceptance tests and the Meltano SDK's standard tests do for their ecosystems)::

    from volunteer_standard.testing import ConnectorAcceptanceTests

    class TestMyConnector(ConnectorAcceptanceTests):
        connector = MyConnector
        sample_input = Path(__file__).parent / "data" / "sample.csv"

What it checks, and why each matters to the people downstream:

* the configuration's JSON Schema is valid (``vstd connectors show`` prints it; tools build
  forms from it) and secret fields are write-only;
* ``check`` accepts the sample and reports a missing input without raising;
* every record read from the sample validates against the standard, has a location and
  is of a type the connector declares;
* write → read gives back the bundled standard sample for every entity type the connector
  both reads and writes (fields the format cannot hold must be declared, never lost quietly);
* malformed input (supplied by the author, plus truncated and garbled copies of the sample
  that the kit makes) gives precise rejects, or a clean :class:`ConnectorError`, never a
  crash and never a silently missing record;
* counts balance through :func:`volunteer_standard.engine.convert`;
* incremental state is JSON and a re-run with it continues rather than starting over;
* memory does not grow with the size of the input.
"""

from __future__ import annotations

import gc
import json
import shutil
import tracemalloc
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from volunteer_standard.connectors.base import Checkpoint, Connector, ConnectorError, SourceRecord
from volunteer_standard.engine import ConnectorFault, ConvertSummary, convert
from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.models import ENTITY_MODELS, Entity
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.structure import RecordChecker

_MAX_SHOWN = 8


# -- library functions the tests are made of (usable on their own) ------------------------


@cache
def _sample() -> tuple[Entity, ...]:
    from volunteer_standard.samples import generate

    return tuple(generate())


def sample_entities(types: Iterable[str] | None = None) -> list[Entity]:
    """The bundled synthetic sample (``volunteer_standard.samples``), optionally only some
    entity types, in the sample's (dependency) order."""
    wanted = None if types is None else set(types)
    return [e for e in _sample() if wanted is None or e.type in wanted]


def check_record(
    record: SourceRecord, checker: RecordChecker | None = None
) -> tuple[Entity | None, list[str]]:
    """Validate one read record as the engine does: its model, or the reasons it fails."""
    if record.problems:
        return None, [f"{p.code} {p.text()}" for p in record.problems]
    if record.data is None:
        return None, ["the record has no data and no problem saying why"]
    issues: list[Issue] = []
    _, obj = (checker or RecordChecker()).check(
        RawRecord(record.data, record.location), issues.append
    )
    errors = [f"{i.code} {i.message('en')}" for i in issues if i.severity == "error"]
    if obj is None and not errors:
        errors = ["the record did not validate"]
    return (obj if not errors else None), errors


def write_objects(connector: Connector, target: str | Path, objects: Iterable[Entity]) -> None:
    """Write ``objects`` through the connector's writer and close it."""
    writer = connector.open_writer(str(target))
    try:
        for obj in objects:
            writer.write(obj)
    finally:
        writer.close()


def records_of(
    connector: Connector, source: str, state: Mapping[str, Any] | None = None
) -> Iterator[SourceRecord]:
    """The records ``connector.read`` yields, without its checkpoints."""
    for item in connector.read(source, state):
        if isinstance(item, SourceRecord):
            yield item


def read_objects(
    connector: Connector, source: str | Path, state: Mapping[str, Any] | None = None
) -> list[Entity]:
    """Read and validate every record; raise ``AssertionError`` listing the failures."""
    checker = RecordChecker()
    out: list[Entity] = []
    failures: list[str] = []
    for record in records_of(connector, str(source), state):
        obj, errors = check_record(record, checker)
        if obj is None:
            failures.append(f"{record.location}: {'; '.join(errors)}")
        else:
            out.append(obj)
    if failures:
        shown = "\n  ".join(failures[:_MAX_SHOWN])
        raise AssertionError(f"{len(failures)} record(s) read back invalid:\n  {shown}")
    return out


def comparable(obj: Entity, exclude: Collection[str] = ()) -> dict[str, Any]:
    """An entity as JSON, without ``None`` fields and without the ``exclude`` fields."""
    dumped = obj.model_dump(mode="json", exclude_none=True)
    return {k: v for k, v in dumped.items() if k not in exclude}


def input_size(path: Path) -> int:
    """Bytes of a file, or of all files under a folder."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def peak_read_memory(connector: Connector, source: str | Path) -> tuple[int, int]:
    """(records read, peak bytes traced by ``tracemalloc``) while reading ``source`` and
    dropping each record: what a streaming pipeline holds."""
    gc.collect()
    tracemalloc.start()
    count = 0
    try:
        for _record in records_of(connector, str(source)):
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


@dataclass(frozen=True)
class Variant:
    """A malformed copy of a sample input.

    ``min_written`` is how many records must still come through (``None``: no promise),
    so that a connector that drops the rest of a file after one bad line is caught.
    """

    name: str
    path: Path
    description: str
    min_written: int | None = None


_GARBAGE = b'!!garbage {"broken": [1,\n'


def _text_target(path: Path) -> Path | None:
    """The file to damage: the input itself, or a folder's first file (sorted)."""
    if path.is_file():
        return path
    files = sorted(p for p in path.rglob("*") if p.is_file())
    return files[0] if files else None


def _copy_with(sample: Path, out_dir: Path, name: str, damage: bytes) -> Path:
    """A copy of ``sample`` (file or folder) under ``out_dir/name`` with the damaged file."""
    dest_root = out_dir / name
    dest_root.mkdir(parents=True, exist_ok=True)
    if sample.is_file():
        dest = dest_root / sample.name
        dest.write_bytes(damage)
        return dest
    copy = dest_root / sample.name
    shutil.copytree(sample, copy)
    target = _text_target(sample)
    assert target is not None
    (copy / target.relative_to(sample)).write_bytes(damage)
    return copy


def garbled_variants(sample: Path, out_dir: Path, records: int) -> list[Variant]:
    """Truncated and garbled copies of a text sample (CSV, JSON Lines …); none for binary
    inputs, whose authors supply ``malformed_inputs`` instead.

    ``records`` is how many records the clean sample converts to.
    """
    target = _text_target(sample)
    if target is None:
        return []
    data = target.read_bytes()
    binary = b"\x00" in data[:8192] or data.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"))
    if binary:
        return []
    lines = data.splitlines(keepends=True)
    content = [i for i, line in enumerate(lines) if len(line.strip()) >= 4]
    if len(content) < 2:
        return []
    variants: list[Variant] = []

    # 1. Cut in the middle of a line in the middle of the file: the export was interrupted.
    middle = content[len(content) // 2]
    start = sum(len(line) for line in lines[:middle])
    cut = start + max(1, len(lines[middle].rstrip(b"\r\n")) // 2)
    variants.append(
        Variant(
            "truncated",
            _copy_with(sample, out_dir, "truncated", data[:cut]),
            f"cut in the middle of line {middle + 1}",
        )
    )

    # 2. A line of garbage after the second line: every original record must survive.
    after = content[1] + 1
    garbage = b"".join(lines[:after]) + _GARBAGE + b"".join(lines[after:])
    if not lines[after - 1].endswith(b"\n"):
        garbage = b"".join(lines[:after]) + b"\n" + _GARBAGE + b"".join(lines[after:])
    variants.append(
        Variant(
            "garbage_line",
            _copy_with(sample, out_dir, "garbage_line", garbage),
            f"a line of garbage inserted as line {after + 1}",
            min_written=records,
        )
    )

    # 3. Bytes valid in no encoding in the middle of the second record line.
    line_no = content[1]
    start = sum(len(line) for line in lines[:line_no])
    at = start + len(lines[line_no].rstrip(b"\r\n")) // 2
    damaged = data[:at] + b"\xff\xfe" + data[at + 2 :]
    variants.append(
        Variant(
            "bad_bytes",
            _copy_with(sample, out_dir, "bad_bytes", damaged),
            f"bytes FF FE (valid in no encoding) in the middle of line {line_no + 1}",
            min_written=max(0, records - 1),
        )
    )
    return variants


@dataclass
class MalformedOutcome:
    """What converting one malformed input gave: a summary and its rejects, or the clean
    error that stopped the run."""

    summary: ConvertSummary | None
    rejects: list[dict[str, Any]]
    error: str | None


def convert_malformed(connector: Connector, source: Path, out_dir: Path) -> MalformedOutcome:
    """Convert ``source`` to standard JSON Lines, keeping the reject entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rejects_path = out_dir / "rejects.jsonl"
    try:
        summary = convert(
            str(source),
            str(out_dir / "out.jsonl"),
            source_connector=connector,
            target_connector="standard",
            rejects=rejects_path,
        )
    except ConnectorFault as exc:  # the connector itself broke: report what it raised
        raise (exc.__cause__ or exc) from None
    except ConnectorError as exc:
        return MalformedOutcome(None, [], str(exc) or type(exc).__name__)
    rejects = []
    if rejects_path.exists():
        with rejects_path.open("rb") as handle:
            rejects = [json.loads(line) for line in handle if line.strip()]
    return MalformedOutcome(summary, rejects, None)


def malformed_failures(outcome: MalformedOutcome, min_written: int | None) -> list[str]:
    """Why an outcome breaks the rules (empty when it is fine)."""
    if outcome.error is not None:
        return []  # a clean, explained refusal to run (exit code 2) is acceptable
    summary = outcome.summary
    assert summary is not None
    failures: list[str] = []
    if not summary.balanced:
        failures.append(
            f"counts do not balance: read {summary.read} ≠ written {summary.written} "
            f"+ rejected {summary.rejected}"
        )
    if summary.rejected == 0:
        failures.append("nothing was rejected: the damaged record was accepted or dropped silently")
    if len(outcome.rejects) != summary.rejected:
        failures.append(
            f"{summary.rejected} rejected but {len(outcome.rejects)} entries in the reject file"
        )
    for entry in outcome.rejects[:_MAX_SHOWN]:
        if not entry.get("file") or entry.get("line") is None:
            failures.append(
                f"reject without a precise location (file and line/row/page): "
                f"{entry.get('location')!r} {entry.get('codes')}"
            )
        if not entry.get("codes") or not entry.get("reasons"):
            failures.append(f"reject without codes or reasons at {entry.get('location')!r}")
    if min_written is not None and summary.written < min_written:
        failures.append(
            f"only {summary.written} record(s) written, {min_written} expected: intact records "
            "after the damage were lost"
        )
    return failures


# -- the test class ---------------------------------------------------------------------


class ConnectorAcceptanceTests:
    """Subclass as ``TestXxx`` and set the class attributes; every ``test_*`` runs.

    Required: ``connector`` and ``sample_input`` (a file or folder of valid records), or
    :meth:`make_sample` to generate the sample. Optional attributes tune the checks to what
    the format can do; override :meth:`make_input` for a connector that reads but cannot
    write.
    """

    #: The connector class under test.
    connector: ClassVar[type[Connector]]
    #: Configuration values (as in a config file); secrets may come from the environment.
    config: ClassVar[Mapping[str, Any] | None] = None
    #: A file or folder of valid records in the connector's format.
    sample_input: ClassVar[str | Path]
    #: How many records ``sample_input`` holds, when you want the kit to check it.
    expected_count: ClassVar[int | None] = None
    #: File (or folder) names to write the round trip to; default: ``roundtrip`` with the
    #: sample input's suffix. One name per form, e.g. ``("out.jsonl", "out.json")``.
    roundtrip_targets: ClassVar[Sequence[str]] = ()
    #: Top-level fields per entity type that the format cannot hold: excluded from the
    #: round-trip comparison. Say so in your README; required fields may not be listed.
    roundtrip_exclude: ClassVar[Mapping[str, Collection[str]]] = {}
    #: Malformed inputs of your own (files or folders): each must give precise rejects or
    #: a clean ConnectorError.
    malformed_inputs: ClassVar[Sequence[str | Path]] = ()
    #: Whether the kit also makes truncated and garbled copies of a text sample.
    garble: ClassVar[bool] = True
    #: Records in the smaller input of the memory test (the larger has four times more).
    memory_records: ClassVar[int] = 500
    #: Whether the connector must be found by name among the installed connectors (true
    #: for a packaged plugin: proves the entry point works).
    check_registered: ClassVar[bool] = True

    # -- hooks ---------------------------------------------------------------------------
    @pytest.fixture(scope="class")
    @classmethod
    def sample(cls, tmp_path_factory: pytest.TempPathFactory) -> Path:
        """The valid sample input, made once per test class."""
        return cls().make_sample(tmp_path_factory.mktemp(f"{cls.connector.name}-sample"))

    def make_sample(self, folder: Path) -> Path:
        """Return the valid sample input: ``sample_input`` by default; override to
        generate it into ``folder`` (e.g. with the connector's own writer)."""
        return Path(self.sample_input)

    def new_connector(self) -> Connector:
        """A fresh connector configured with ``config``."""
        return self.connector(self.config)

    def claimed_types(self) -> list[str]:
        """Entity types the connector both reads and writes (the round-trip types)."""
        return [t for t in self.connector.writes if t in self.connector.reads]

    def target_names(self) -> list[str]:
        """File or folder names the round trip and the memory test write to."""
        if self.roundtrip_targets:
            return list(self.roundtrip_targets)
        suffix = Path(self.sample_input).suffix if hasattr(self, "sample_input") else ""
        return [f"roundtrip{suffix}"]

    def make_input(self, n: int, path: Path) -> Path:
        """Write an input of ``n`` records under ``path`` (a folder) and return it.

        The default writes copies of one sample record with the connector's own writer;
        a read-only connector must override this.
        """
        types = self.claimed_types()
        if not types:
            pytest.skip(f"{self.connector.name} cannot write: override make_input to test memory")
        template = sample_entities([types[0]])[0]
        path.mkdir(parents=True, exist_ok=True)
        target = path / self.target_names()[0]
        write_objects(
            self.new_connector(),
            target,
            (template.model_copy(update={"id": f"{template.id}-{i}"}) for i in range(n)),
        )
        return target

    # -- configuration -------------------------------------------------------------------
    def test_config_schema_is_valid_json_schema(self) -> None:
        schema = self.connector.config_model.model_json_schema()
        Draft202012Validator.check_schema(schema)
        description = self.connector.describe()
        json.dumps(description, ensure_ascii=False)
        assert description["name"] == self.connector.name
        assert self.connector.reads or self.connector.writes, "declare reads and/or writes"
        unknown = set(self.connector.reads) | set(self.connector.writes)
        assert unknown <= set(ENTITY_MODELS), f"unknown types: {unknown - set(ENTITY_MODELS)}"

    def test_secrets_are_write_only(self) -> None:
        schema = self.connector.config_model.model_json_schema()
        secrets = [
            name
            for name, prop in schema.get("properties", {}).items()
            if "SecretStr" in str(self.connector.config_model.model_fields[name].annotation)
        ]
        if not secrets:
            pytest.skip("no secret fields")
        for name in secrets:
            prop = schema["properties"][name]
            flat = json.dumps(prop)
            assert '"writeOnly": true' in flat, f"secret field {name!r} is not writeOnly"

    def test_config_loads(self) -> None:
        connector = self.new_connector()
        assert connector.config is not None
        assert repr(connector.config)  # secrets never shown (SecretStr) — and no crash

    def test_registered_by_name(self) -> None:
        if not self.check_registered:
            pytest.skip("check_registered is off")
        from volunteer_standard.connectors.registry import get_connector

        found = get_connector(self.connector.name)
        assert found is self.connector, (
            f"{self.connector.name!r} resolves to {found!r}, not {self.connector!r}: is the "
            "package installed with its entry point in the 'volunteer_standard' group?"
        )

    # -- check ---------------------------------------------------------------------------
    def test_check_accepts_the_sample(self, sample: Path) -> None:
        result = self.new_connector().check(str(sample))
        assert result.ok, f"check() refused the sample input: {result.message}"
        assert result.message

    def test_check_reports_missing_input(self, tmp_path: Path, sample: Path) -> None:
        missing = tmp_path / "does-not-exist" / sample.name
        result = self.new_connector().check(str(missing))
        assert not result.ok, "check() accepted an input that does not exist"
        assert result.message

    def test_check_for_writing(self, tmp_path: Path) -> None:
        if not self.connector.writes:
            pytest.skip("the connector does not write")
        target = tmp_path / self.target_names()[0]
        result = self.new_connector().check(str(target), for_writing=True)
        assert result.ok, f"check(for_writing=True) refused {target}: {result.message}"

    # -- reading -------------------------------------------------------------------------
    def test_read_yields_valid_standard_records(self, sample: Path) -> None:
        connector = self.new_connector()
        checker = RecordChecker()
        failures: list[str] = []
        count = 0
        for record in records_of(connector, str(sample)):
            count += 1
            obj, errors = check_record(record, checker)
            if obj is None:
                failures.append(f"{record.location}: {'; '.join(errors)}")
            elif obj.type not in self.connector.reads:
                failures.append(f"{record.location}: type {obj.type!r} not in reads")
        assert not failures, "invalid records in the sample input:\n  " + "\n  ".join(
            failures[:_MAX_SHOWN]
        )
        assert count > 0, "the sample input gave no records"
        if self.expected_count is not None:
            assert count == self.expected_count

    def test_records_have_locations(self, sample: Path) -> None:
        for record in records_of(self.new_connector(), str(sample)):
            assert isinstance(record.location, Location)
            assert record.location.file, f"record without a file in its location: {record}"
            assert record.location.line is not None or record.location.pointer, (
                f"record without a line, row, page or pointer: {record.location}"
            )

    def test_convert_balances(self, tmp_path: Path, sample: Path) -> None:
        read = sum(1 for _ in records_of(self.new_connector(), str(sample)))
        summary = convert(
            str(sample),
            str(tmp_path / "out.jsonl"),
            source_connector=self.new_connector(),
            target_connector="standard",
        )
        assert summary.balanced
        assert summary.read == read
        assert summary.rejected == 0, f"the valid sample had rejects: {summary.reject_codes}"
        assert summary.exit_code == 0

    def test_state_is_json_and_resumes(self, sample: Path) -> None:
        items = list(self.new_connector().read(str(sample)))
        first = sum(1 for item in items if isinstance(item, SourceRecord))
        checkpoints = [item.state for item in items if isinstance(item, Checkpoint)]
        if not checkpoints or not checkpoints[-1]:
            pytest.skip("the connector keeps no incremental state")
        state = json.loads(json.dumps(checkpoints[-1]))
        again = list(self.new_connector().read(str(sample), state))
        second = sum(1 for item in again if isinstance(item, SourceRecord))
        assert second < first, (
            f"a re-run with the saved state {state} read {second} of {first} records again"
        )
        for item in again:
            if isinstance(item, Checkpoint):
                json.dumps(item.state)

    # -- writing -------------------------------------------------------------------------
    def test_write_read_round_trip(self, tmp_path: Path) -> None:
        types = self.claimed_types()
        if not types:
            pytest.skip("the connector does not both read and write any entity type")
        for name, fields in self.roundtrip_exclude.items():
            model = ENTITY_MODELS[name]
            required = [
                f for f in fields if f in model.model_fields and model.model_fields[f].is_required()
            ]
            assert not required, f"required fields of {name} cannot be excluded: {required}"
        expected = sample_entities(types)
        assert expected, f"the bundled sample has no {types}"
        for name in self.target_names():
            target = tmp_path / name
            write_objects(self.new_connector(), target, expected)
            back = read_objects(self.new_connector(), target)
            self._assert_same(expected, back, name)

    def _assert_same(self, expected: list[Entity], back: list[Entity], where: str) -> None:
        def index(objs: list[Entity]) -> dict[tuple[str, str], dict[str, Any]]:
            out: dict[tuple[str, str], dict[str, Any]] = {}
            for obj in objs:
                out[(obj.type, obj.id)] = comparable(obj, self.roundtrip_exclude.get(obj.type, ()))
            return out

        want, got = index(expected), index(back)
        assert len(back) == len(expected), (
            f"{where}: wrote {len(expected)} records, read back {len(back)}"
        )
        missing = sorted(set(want) - set(got))
        assert not missing, f"{where}: records lost in the round trip: {missing[:_MAX_SHOWN]}"
        for key, value in want.items():
            if got[key] != value:
                diff = sorted(
                    k for k in set(value) | set(got[key]) if value.get(k) != got[key].get(k)
                )
                raise AssertionError(
                    f"{where}: {key[0]} {key[1]} changed in the round trip, fields {diff}:\n"
                    f"  wrote {json.dumps({k: value.get(k) for k in diff}, ensure_ascii=False)}\n"
                    f"  read  {json.dumps({k: got[key].get(k) for k in diff}, ensure_ascii=False)}"
                )

    # -- malformed input -----------------------------------------------------------------
    def _variants(self, tmp_path: Path, sample: Path) -> Iterator[Variant]:
        for i, path in enumerate(self.malformed_inputs):
            yield Variant(f"malformed[{i}]", Path(path), f"author-supplied {path}")
        if self.garble:
            clean = convert(
                str(sample),
                str(tmp_path / "clean.jsonl"),
                source_connector=self.new_connector(),
                target_connector="standard",
            )
            yield from garbled_variants(sample, tmp_path / "garbled", clean.written)

    def test_malformed_input_gives_precise_rejects(self, tmp_path: Path, sample: Path) -> None:
        variants = list(self._variants(tmp_path, sample))
        if not variants:
            pytest.skip("no malformed inputs: set malformed_inputs for a binary format")
        problems: list[str] = []
        for variant in variants:
            try:
                outcome = convert_malformed(
                    self.new_connector(), variant.path, tmp_path / variant.name
                )
            except Exception as exc:  # the point of the test: nothing else may escape
                problems.append(
                    f"{variant.name} ({variant.description}): crashed with "
                    f"{type(exc).__name__}: {exc}"
                )
                continue
            problems.extend(
                f"{variant.name} ({variant.description}): {failure}"
                for failure in malformed_failures(outcome, variant.min_written)
            )
        assert not problems, "malformed input was not handled:\n  " + "\n  ".join(problems)

    # -- resources -----------------------------------------------------------------------
    def test_memory_is_flat(self, tmp_path: Path) -> None:
        n = self.memory_records
        small = self.make_input(n, tmp_path / "small")
        large = self.make_input(4 * n, tmp_path / "large")
        connector = self.new_connector()
        peak_read_memory(connector, small)  # warm up: imports, caches, code lists
        count_small, peak_small = peak_read_memory(self.new_connector(), small)
        count_large, peak_large = peak_read_memory(self.new_connector(), large)
        assert count_small >= n, f"read {count_small} records, expected {n}"
        assert count_large >= 4 * n, f"read {count_large} records, expected {4 * n}"
        extra_bytes = input_size(large) - input_size(small)
        allowed = max(extra_bytes // 4, 512 * 1024)
        growth = peak_large - peak_small
        assert growth <= allowed, (
            f"peak memory grew by {growth:,} bytes for {extra_bytes:,} more bytes of input "
            f"({peak_small:,} → {peak_large:,}): the reader keeps records it has yielded"
        )


__all__ = [
    "ConnectorAcceptanceTests",
    "MalformedOutcome",
    "Variant",
    "check_record",
    "comparable",
    "convert_malformed",
    "garbled_variants",
    "input_size",
    "malformed_failures",
    "peak_read_memory",
    "read_objects",
    "sample_entities",
    "write_objects",
]
