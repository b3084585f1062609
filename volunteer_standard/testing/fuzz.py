"""Fuzz targets for the readers: each takes bytes and must end in data or a clean error.

"Clean" means a :class:`~volunteer_standard.errors.VstdError` (a one-line, coded message);
anything else (``KeyError``, ``RecursionError``, ``MemoryError`` …) is a finding. The
suite runs them with a bounded number of hypothesis examples; ``fuzz/run.py`` runs them
for as long as asked.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from volunteer_standard.errors import VstdError

Target = Callable[[bytes], None]


def fuzz_json(data: bytes) -> None:
    """JSON package or JSON Lines from a stream: every record yielded or a clean error."""
    from volunteer_standard.io.reader import iter_raw

    for fmt in ("jsonl", "package"):
        try:
            for _record in iter_raw(io.BytesIO(data), fmt=fmt):
                pass
        except VstdError:
            pass


def fuzz_validate(data: bytes) -> None:
    """Full validation of a stream never raises: unusable input is ``input_error``."""
    from volunteer_standard.validation import validate

    report = validate(io.BytesIO(data), profile="structure")
    assert report.input_error is not None or report.records >= 0


def _with_file(data: bytes, suffix: str, body: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="vstd-fuzz-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(VstdError):
            body(path)


def fuzz_csv(data: bytes) -> None:
    """A CSV file in any bytes: rows with problems, or a clean error."""
    from volunteer_standard.connectors.tabular.readers import read_csv

    def body(path: Path) -> None:
        table = read_csv(path)
        for _row in table.rows:
            pass

    _with_file(data, ".csv", body)


def fuzz_xlsx(data: bytes) -> None:
    """A workbook in any bytes: sheets read, or a clean error."""
    from volunteer_standard.connectors.tabular.readers import read_sheet, sheet_names

    def body(path: Path) -> None:
        for name, _visible in sheet_names(path):
            for _row in read_sheet(path, name).rows:
                pass

    _with_file(data, ".xlsx", body)


def fuzz_mapping(data: bytes) -> None:
    """A mapping file (TOML and YAML) in any bytes: a mapping, or a clean error."""
    from volunteer_standard.connectors.tabular.mapping import load_mapping

    def body(path: Path) -> None:
        load_mapping(path)

    for suffix in (".toml", ".yaml"):
        _with_file(data, suffix, body)


TARGETS: dict[str, Target] = {
    "json": fuzz_json,
    "validate": fuzz_validate,
    "csv": fuzz_csv,
    "xlsx": fuzz_xlsx,
    "mapping": fuzz_mapping,
}

__all__ = [
    "TARGETS",
    "Target",
    "fuzz_csv",
    "fuzz_json",
    "fuzz_mapping",
    "fuzz_validate",
    "fuzz_xlsx",
]
