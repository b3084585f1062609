"""Per-record verdicts (valid / invalid) of every validator on the same records, compared.

The structure profile of vstd checks what the published JSON Schema expresses, so on every
record it must say what jsonschema-rs, Python ``jsonschema`` and ajv say. A record is
invalid for vstd when an issue of severity "error" points at its line (warnings, such as a
code list's unknown code, are allowed by the schema too). The check runs on the first
``subsample`` lines, where the data module puts broken records.

``VSTD_BENCH_FAKE_VALIDATOR=flip-first`` adds a validator that disagrees on the first record:
the suite's own test uses it to check that a difference fails the run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

#: Differences listed in full (the count is always exact).
MAX_LISTED = 20


def vstd_invalid_lines(path: Path) -> set[int]:
    """Line numbers (1-based) with at least one error from ``validate(profile="structure")``."""
    from volunteer_standard import validate
    from volunteer_standard.validation import Issue

    bad: set[int] = set()

    def collect(issue: Issue) -> None:
        if issue.severity == "error" and issue.location.line is not None:
            bad.add(issue.location.line)

    validate(path, profile="structure", on_issue=collect)
    return bad


def ajv_verdicts(path: Path) -> list[bool] | str:
    """ajv's verdict per line, or why ajv cannot run here."""
    from suite.measures import ajv_command

    command = ajv_command(str(path), "verdicts")
    if isinstance(command, str):
        return command
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    return [line == "1" for line in done.stdout.split()]


def compare(
    lines: list[bytes], verdicts: Mapping[str, list[bool]]
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Invalid counts per validator, and the records where the validators do not all agree."""
    import orjson

    invalid = {name: sum(not v for v in values) for name, values in verdicts.items()}
    differences: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        said = {name: values[index] for name, values in verdicts.items()}
        if len(set(said.values())) > 1:
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError:
                data = None
            kind = data.get("type") if isinstance(data, dict) else None
            ident = data.get("id") if isinstance(data, dict) else None
            differences.append({"line": index + 1, "type": kind, "id": ident, "valid": said})
    return invalid, differences


def _fake(reference: list[bool]) -> list[bool]:
    return [not reference[0], *reference[1:]] if reference else []


def check(inputs: dict[str, str], tmp: Path) -> dict[str, Any]:
    """Verdicts of vstd (structure), jsonschema-rs, jsonschema and ajv on the subsample."""
    from suite.measures import jsonschema_py_verdict, jsonschema_rs_verdict

    limit = int(inputs["subsample"])
    lines: list[bytes] = []
    with open(inputs["jsonl"], "rb") as stream:
        for line in stream:
            if len(lines) >= limit:
                break
            if line.strip():
                lines.append(line.rstrip(b"\n"))
    sub = tmp / "subsample.jsonl"
    sub.write_bytes(b"".join(line + b"\n" for line in lines))
    bad = vstd_invalid_lines(sub)
    verdicts: dict[str, list[bool]] = {
        "vstd structure": [n not in bad for n in range(1, len(lines) + 1)]
    }
    checkers: dict[str, Callable[[bytes], bool]] = {
        "jsonschema-rs": jsonschema_rs_verdict(),
        "jsonschema": jsonschema_py_verdict(),
    }
    for name, verdict in checkers.items():
        verdicts[name] = [verdict(line) for line in lines]
    skipped: dict[str, str] = {}
    ajv = ajv_verdicts(sub)
    if isinstance(ajv, str):
        skipped["ajv"] = ajv
    else:
        verdicts["ajv"] = ajv
    if os.environ.get("VSTD_BENCH_FAKE_VALIDATOR") == "flip-first":
        verdicts["fake (test)"] = _fake(verdicts["jsonschema-rs"])
    invalid, differences = compare(lines, verdicts)
    return {
        "records": len(lines),
        "invalid": invalid,
        "skipped": skipped,
        "difference_count": len(differences),
        "differences": differences[:MAX_LISTED],
    }
