"""The measured paths. Each runs in its own fresh child process and returns counts.

A measurement gets the prepared inputs (``inputs``: paths written by `data`) and a scratch
directory, does its work, and returns ``{"records": n, "seconds": wall time, ...}``;
``{"unavailable": why}`` when the path cannot be measured here (a feature not merged yet,
node missing …). The parent adds the child's peak RSS. Each child first runs its
measurement once, untimed, on small "warm" inputs (``warm_*``): the figures are then
steady-state throughput, while lazy imports, schema compilation and caches count as
start-up, which the ``startup`` case measures on its own.
"""

from __future__ import annotations

import csv
import inspect
import json
import os
import resource
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from suite.data import ROOT

SCHEMAS = ROOT / "schemas"
JS_DIR = ROOT / "tests" / "js"
AJV_SCRIPT = Path(__file__).with_name("ajv_bench.mjs")
Result = dict[str, Any]
Measure = Callable[[dict[str, str], Path], Result]


def _timed(work: Callable[[], Result]) -> Result:
    start = time.perf_counter()
    result = work()
    result["seconds"] = time.perf_counter() - start
    return result


# ----------------------------------------------------------------------- JSON Lines validation
def floor(inputs: dict[str, str], _tmp: Path) -> Result:
    """orjson.loads + orjson.dumps of every line: what any pipeline pays."""
    import orjson

    loads, dumps = orjson.loads, orjson.dumps

    def work() -> Result:
        count = 0
        with open(inputs["jsonl"], "rb") as stream:
            for line in stream:
                try:  # noqa: SIM105 (a context manager per line would slow the floor down)
                    dumps(loads(line))
                except orjson.JSONDecodeError:
                    pass
                count += 1
        return {"records": count}

    return _timed(work)


def jobs_available() -> bool:
    """True once ``validate(..., jobs=N)`` exists (helper perf-parallel adds it)."""
    from volunteer_standard import validate

    return "jobs" in inspect.signature(validate).parameters


def _validate(inputs: dict[str, str], tmp: Path, profile: str, jobs: int | None) -> Result:
    from volunteer_standard import validate

    kwargs: dict[str, Any] = {"profile": profile, "workdir": str(tmp)}
    if jobs is not None:
        kwargs["jobs"] = jobs
    elif jobs_available():
        kwargs["jobs"] = 1

    def work() -> Result:
        report = validate(inputs["jsonl"], **kwargs)
        assert report.input_error is None, report.input_error
        result: Result = {"records": report.records, "errors": report.errors}
        if kwargs.get("jobs", 1) > 1:  # worker processes: their largest peak RSS
            workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            result["workers_rss_mib"] = workers
        return result

    return _timed(work)


def vstd_national(inputs: dict[str, str], tmp: Path) -> Result:
    return _validate(inputs, tmp, "national", None)


def vstd_structure(inputs: dict[str, str], tmp: Path) -> Result:
    return _validate(inputs, tmp, "structure", None)


def vstd_jobs(inputs: dict[str, str], tmp: Path) -> Result:
    if not jobs_available():
        return {"unavailable": "validate(..., jobs=N) not available yet"}
    result = _validate(inputs, tmp, "national", os.cpu_count() or 1)
    result["jobs"] = os.cpu_count() or 1
    return result


# ----------------------------------------------------------------------- reference validators
def _schemas() -> dict[str, dict[str, Any]]:
    """The published schemas by record type (``record`` dispatches on ``type``)."""
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text("utf-8"))
        for path in SCHEMAS.glob("*.schema.json")
    }


def schema_validators(by_type: dict[str, Callable[[Any], bool]]) -> Callable[[bytes], bool]:
    """``verdict(line)``: the record's ``type`` selects the schema; anything else goes to the
    record schema; a line that is not JSON is invalid."""
    import orjson

    fallback = by_type["record"]

    def verdict(line: bytes) -> bool:
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            return False
        kind = data.get("type") if isinstance(data, dict) else None
        check = by_type.get(kind, fallback) if isinstance(kind, str) else fallback
        return check(data)

    return verdict


def jsonschema_rs_verdict() -> Callable[[bytes], bool]:
    import jsonschema_rs

    schemas = _schemas()
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
    return schema_validators(
        {
            kind: jsonschema_rs.validator_for(
                schema, validate_formats=True, registry=registry
            ).is_valid
            for kind, schema in schemas.items()
        }
    )


def jsonschema_py_verdict() -> Callable[[bytes], bool]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = _schemas()
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values()
    )
    checker = Draft202012Validator.FORMAT_CHECKER
    return schema_validators(
        {
            kind: Draft202012Validator(schema, registry=registry, format_checker=checker).is_valid
            for kind, schema in schemas.items()
        }
    )


def _lines(path: str, limit: int | None = None) -> Iterator[bytes]:
    with open(path, "rb") as stream:
        for index, line in enumerate(stream):
            if limit is not None and index >= limit:
                return
            if line.strip():
                yield line


def jsonschema_rs(inputs: dict[str, str], _tmp: Path) -> Result:
    """orjson.loads + jsonschema-rs (formats on) on every line: schema only, no rules."""
    verdict = jsonschema_rs_verdict()

    def work() -> Result:
        count = invalid = 0
        with open(inputs["jsonl"], "rb") as stream:  # as lean as the floor's loop
            for line in stream:
                count += 1
                invalid += not verdict(line)
        return {"records": count, "invalid": invalid}

    return _timed(work)


def jsonschema_py(inputs: dict[str, str], _tmp: Path) -> Result:
    """Python ``jsonschema`` Draft 2020-12 with formats: slow, so on the subsample only; the
    rate is extrapolated (records/s of the subsample)."""
    verdict = jsonschema_py_verdict()
    limit = int(inputs["subsample"])

    def work() -> Result:
        count = invalid = 0
        for line in _lines(inputs["jsonl"], limit):
            count += 1
            invalid += not verdict(line)
        return {"records": count, "invalid": invalid, "subsample": True}

    return _timed(work)


def ajv_command(jsonl: str, mode: str) -> list[str] | str:
    """The node command running ajv on ``jsonl``, or why it cannot run."""
    node = shutil.which("node")
    if node is None:
        return "node not installed"
    if not (JS_DIR / "node_modules" / "ajv").exists():
        return "tests/js/node_modules missing (npm ci --prefix tests/js)"
    return [node, str(AJV_SCRIPT), str(JS_DIR), str(SCHEMAS), jsonl, mode]


# ----------------------------------------------------------------------- conversions
def _convert(source: str, target: Path, **kwargs: Any) -> Result:
    from volunteer_standard.engine import convert

    def work() -> Result:
        summary = convert(source, str(target), rejects=target.parent / "rejects.jsonl", **kwargs)
        assert summary.balanced
        return {"records": summary.read, "rejected": summary.rejected}

    return _timed(work)


def package_floor(inputs: dict[str, str], tmp: Path) -> Result:
    """orjson doing the package layout: each line parsed, dumped into its collection's
    spool file, and the spools joined into one JSON object."""
    import orjson

    def work() -> Result:
        spools: dict[str, Any] = {}
        count = 0
        for line in _lines(inputs["jsonl"]):
            count += 1
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            kind = str(data.get("type")) if isinstance(data, dict) else "other"
            spool = spools.get(kind)
            if spool is None:
                spool = spools[kind] = (tmp / f"spool-{kind}").open("w+b")
            else:
                spool.write(b",")
            spool.write(orjson.dumps(data))
        with (tmp / "floor.json").open("wb") as out:
            out.write(b'{"metadata":{}')
            for kind, spool in spools.items():
                out.write(b',"' + kind.encode() + b's":[')
                spool.seek(0)
                shutil.copyfileobj(spool, out)
                spool.close()
                out.write(b"]")
            out.write(b"}")
        return {"records": count}

    return _timed(work)


def package_vstd(inputs: dict[str, str], tmp: Path) -> Result:
    return _convert(inputs["jsonl"], tmp / "out.json")


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def flatcsv_floor(inputs: dict[str, str], tmp: Path) -> Result:
    """orjson.loads, nested objects flattened to dotted columns, lists as JSON, csv.writer
    into one file per type."""
    import orjson

    def work() -> Result:
        files: dict[str, Any] = {}
        writers: dict[str, Any] = {}
        count = 0
        for line in _lines(inputs["jsonl"]):
            count += 1
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if not isinstance(data, dict):
                continue
            kind = str(data.get("type"))
            writer = writers.get(kind)
            if writer is None:
                files[kind] = (tmp / f"{kind}.csv").open("w", encoding="utf-8", newline="")
                writer = writers[kind] = csv.writer(files[kind])
            writer.writerow(
                [
                    v if isinstance(v, str) else orjson.dumps(v).decode()
                    for v in _flat(data).values()
                ]
            )
        for handle in files.values():
            handle.close()
        return {"records": count}

    return _timed(work)


def flatcsv_vstd(inputs: dict[str, str], tmp: Path) -> Result:
    return _convert(inputs["jsonl"], tmp / "flat", target_connector="tabular")


# ----------------------------------------------------------------------- CSV mapping, XLSX
def csv_floor(inputs: dict[str, str], tmp: Path) -> Result:
    """csv.reader over the GB18030 files + header mapping to a dict + orjson.dumps."""
    import orjson

    def work() -> Result:
        count = 0
        with (tmp / "floor.jsonl").open("wb") as out:
            for path in sorted(Path(inputs["regional"]).glob("*.csv")):
                with path.open(encoding="gb18030", newline="") as stream:
                    rows = csv.reader(stream)
                    header = next(rows)
                    for row in rows:
                        out.write(orjson.dumps(dict(zip(header, row, strict=False))) + b"\n")
                        count += 1
        return {"records": count}

    return _timed(work)


def csv_vstd(inputs: dict[str, str], tmp: Path) -> Result:
    mapping = str(ROOT / "examples" / "regional" / "mapping.yaml")
    return _convert(
        inputs["regional"],
        tmp / "out.jsonl",
        source_connector="tabular",
        source_config={"mapping": mapping},
    )


def xlsx_openpyxl(inputs: dict[str, str], _tmp: Path) -> Result:
    """openpyxl read-only, values only, every sheet: the reference reader."""
    if "xlsx" not in inputs:
        return {"unavailable": inputs.get("xlsx_skipped", "no workbook")}
    try:
        import openpyxl
    except ImportError:
        return {"unavailable": "openpyxl not installed (pip install -e '.[dev]')"}

    def work() -> Result:
        book = openpyxl.load_workbook(inputs["xlsx"], read_only=True, data_only=True)
        count = sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
        book.close()
        return {"records": count}

    return _timed(work)


def xlsx_calamine(inputs: dict[str, str], _tmp: Path) -> Result:
    """python-calamine alone, every sheet (information: the reader vstd uses)."""
    if "xlsx" not in inputs:
        return {"unavailable": inputs.get("xlsx_skipped", "no workbook")}
    from python_calamine import CalamineWorkbook

    def work() -> Result:
        book = CalamineWorkbook.from_path(inputs["xlsx"])
        count = 0
        for name in book.sheet_names:
            count += sum(1 for _ in book.get_sheet_by_name(name).iter_rows())
        return {"records": count}

    return _timed(work)


def xlsx_vstd(inputs: dict[str, str], tmp: Path) -> Result:
    if "xlsx" not in inputs:
        return {"unavailable": inputs.get("xlsx_skipped", "no workbook")}
    return _convert(inputs["xlsx"], tmp / "out.jsonl", source_connector="tabular")


MEASURES: dict[str, Measure] = {
    "floor": floor,
    "vstd-national": vstd_national,
    "vstd-structure": vstd_structure,
    "vstd-jobs": vstd_jobs,
    "jsonschema-rs": jsonschema_rs,
    "jsonschema-py": jsonschema_py,
    "package-floor": package_floor,
    "package-vstd": package_vstd,
    "flatcsv-floor": flatcsv_floor,
    "flatcsv-vstd": flatcsv_vstd,
    "csv-floor": csv_floor,
    "csv-vstd": csv_vstd,
    "xlsx-openpyxl": xlsx_openpyxl,
    "xlsx-calamine": xlsx_calamine,
    "xlsx-vstd": xlsx_vstd,
}


#: Scripts other helpers of issue 13 add to bench/, each with ``measure(n) -> {path: rec/s}``
#: on data of its own: shown next to the suite's figures for comparison, not judged.
HELPER_SCRIPTS = {
    "helper-convert": "convert.py",
    "helper-csv_mapping": "csv_mapping.py",
    "helper-xlsx": "xlsx.py",
}


def helper(name: str, records: int) -> Result:
    """Run a helper script's ``measure(records)`` (absent script: unavailable)."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / HELPER_SCRIPTS[name]
    if not path.exists():
        return {"unavailable": f"bench/{path.name} not present"}
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "measure", None)):
        return {"unavailable": f"bench/{path.name} has no measure()"}
    return {"figures": {str(k): float(v) for k, v in module.measure(records).items()}}


def run_child(name: str, inputs: dict[str, str], tmp: Path) -> Result:
    """Entry point of a measuring child (``run.py --child``)."""
    if name == "generate":
        return generate(inputs, tmp)
    if name in HELPER_SCRIPTS:
        return helper(name, int(inputs["records"]))
    if name == "verdicts":
        from suite.verdicts import check

        return check(inputs, tmp)
    warm = {key.removeprefix("warm_"): value for key, value in inputs.items() if key != "make"}
    warm.update(
        {
            key.removeprefix("warm_"): value
            for key, value in inputs.items()
            if key.startswith("warm_")
        }
    )
    (tmp / "warm").mkdir()
    MEASURES[name](warm, tmp / "warm")  # first calls: lazy imports, compiled schemas, caches
    return MEASURES[name](inputs, tmp)


def generate(inputs: dict[str, str], _tmp: Path) -> Result:
    """Write the inputs one size needs (``inputs`` says which and where)."""
    from suite import data

    records, seed = int(inputs["records"]), int(inputs["seed"])
    make = set(inputs["make"].split(","))
    out: Result = {}
    if "jsonl" in make:
        out["jsonl"] = data.write_jsonl(Path(inputs["jsonl"]), records, seed)
        data.write_jsonl(Path(inputs["warm_jsonl"]), data.WARM_RECORDS, seed)
    if "regional" in make:
        out["regional"] = data.write_regional(Path(inputs["regional"]), records, seed)
        data.write_regional(Path(inputs["warm_regional"]), data.WARM_RECORDS, seed)
    if "xlsx" in make:
        out["xlsx"] = data.write_xlsx(Path(inputs["jsonl"]), Path(inputs["xlsx"]))
        data.write_xlsx(Path(inputs["warm_jsonl"]), Path(inputs["warm_xlsx"]))
    return out
