"""``vstd convert`` end to end: exit codes, reject files with locations, the balance line,
--on-invalid, incremental --state, JSON Lines ↔ package, and the progress display."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from volunteer_standard import hookimpl
from volunteer_standard.cli import app
from volunteer_standard.commands.convert import live_progress
from volunteer_standard.connectors import Checkpoint, ReadItem, SourceRecord
from volunteer_standard.connectors.helpers import Bookmark
from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.engine import ConvertSummary
from volunteer_standard.plugins import register_plugin, unregister_plugin

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SAMPLE = EXAMPLES / "sample.jsonl"
BROKEN = EXAMPLES / "broken.jsonl"

runner = CliRunner()


def _convert(*args: str, input: str | None = None) -> tuple[int, dict[str, Any], str]:
    """Run ``vstd convert``; return the exit code, the summary (last stderr line), stdout."""
    result = runner.invoke(app, ["convert", *args], input=input)
    lines = result.stderr.strip().splitlines()
    summary = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return result.exit_code, summary, result.stdout


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_everything_converted_exits_0_with_a_balance_line(tmp_path: Path) -> None:
    code, summary, _ = _convert(str(SAMPLE), str(tmp_path / "out.json"))
    assert code == 0
    records = len(SAMPLE.read_bytes().splitlines())
    assert summary["read"] == records == summary["written"]
    assert summary["rejected"] == 0 and summary["balanced"] is True
    assert sum(summary["written_by_type"].values()) == records
    assert "seconds" in summary
    assert not (tmp_path / "out.json.rejects.jsonl").exists()  # no rejects, no file


def test_jsonl_to_package_and_back_is_exact(tmp_path: Path) -> None:
    package, back = tmp_path / "p.json", tmp_path / "back.jsonl"
    assert _convert(str(SAMPLE), str(package))[0] == 0
    assert json.loads(package.read_text(encoding="utf-8"))["metadata"]["publisher"]
    assert _convert(str(package), str(back))[0] == 0

    def key(record: dict[str, Any]) -> str:
        return json.dumps(record, sort_keys=True, ensure_ascii=False)

    assert sorted(map(key, _lines(back))) == sorted(map(key, _lines(SAMPLE)))


def test_some_rejected_exits_1_with_precise_rejects(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, summary, _ = _convert(str(BROKEN), str(out))
    assert code == 1
    assert summary["balanced"] and summary["read"] == summary["written"] + summary["rejected"]
    assert summary["rejects"] == f"{out}.rejects.jsonl"
    rejects = _lines(Path(summary["rejects"]))
    assert len(rejects) == summary["rejected"] >= 10
    assert len(_lines(out)) == summary["written"]
    by_line = {r["line"]: r for r in rejects}
    truncated = by_line[2]
    assert truncated["file"] == str(BROKEN) and truncated["location"] == f"{BROKEN}:2"
    assert truncated["codes"] == ["VS100"] and "not valid JSON" in truncated["reasons"][0]
    assert truncated["raw"]["text"].startswith('{"type": "volunteer"')
    no_type = by_line[4]
    assert no_type["codes"] == ["VS102"] and no_type["record"]["id"] == "vol-no-type"
    assert all(r["file"] == str(BROKEN) and isinstance(r["line"], int) for r in rejects)
    assert all(r["codes"] and len(r["codes"]) == len(r["reasons"]) for r in rejects)


def test_reject_file_can_be_named(tmp_path: Path) -> None:
    rejects = tmp_path / "elsewhere" / "r.jsonl"
    rejects.parent.mkdir()
    code, summary, _ = _convert(str(BROKEN), str(tmp_path / "o.jsonl"), "--rejects", str(rejects))
    assert code == 1 and summary["rejects"] == str(rejects)
    assert len(_lines(rejects)) == summary["rejected"] > 0


def test_on_invalid_keep_writes_records_that_only_fail_checks(tmp_path: Path) -> None:
    _, rejecting, _ = _convert(str(BROKEN), str(tmp_path / "r.jsonl"))
    code, keeping, _ = _convert(str(BROKEN), str(tmp_path / "k.jsonl"), "--on-invalid", "keep")
    assert code == 1  # structurally broken records can never be written
    kept = keeping["kept_invalid"]
    assert kept >= 1  # e.g. a schema_version of another major version (VS130)
    assert keeping["written"] == rejecting["written"] + kept
    assert keeping["rejected"] == rejecting["rejected"] - kept
    assert keeping["balanced"]
    assert len(_lines(tmp_path / "k.jsonl")) == keeping["written"]


def test_on_invalid_fail_stops_with_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["convert", str(BROKEN), str(tmp_path / "o.jsonl"), "--on-invalid", "fail"]
    )
    assert result.exit_code == 2
    assert f"vstd: error: {BROKEN}:2: invalid record (VS100)" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl", "{tmp}/o.jsonl"], "missing.jsonl"),
        (["--from", "nope", str(SAMPLE), "{tmp}/o.jsonl"], "unknown connector 'nope'"),
        ([str(SAMPLE), "{tmp}/no/such/dir/o.jsonl"], "is not a writable folder"),
        (["--from-config", "{tmp}/absent.toml", str(SAMPLE), "{tmp}/o.jsonl"], "cannot read"),
    ],
)
def test_a_run_that_cannot_happen_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["convert", *(a.format(tmp=tmp_path) for a in args)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("vstd: error:")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_stdin_to_stdout(tmp_path: Path) -> None:
    text = "".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:5])
    code, summary, stdout = _convert("-", "-", input=text)
    assert code == 0 and summary["written"] == 5
    assert [json.loads(line)["id"] for line in stdout.splitlines()] == [
        json.loads(line)["id"] for line in text.splitlines()
    ]


# -- incremental runs ------------------------------------------------------------------------


class _Incremental(StandardConnector):
    """Standard JSON Lines, service records bookmarked on ``recorded_at``."""

    name = "test-incremental"
    title = "test connector with a bookmark"

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        bookmark = Bookmark(state, "recorded_at")
        for record in super().read(source, state):
            assert isinstance(record, SourceRecord)
            data = record.data or {}
            if data.get("type") == "service_record":
                if not bookmark.is_new(data.get("recorded_at")):
                    continue
                bookmark.observe(data.get("recorded_at"))
            yield record
        yield Checkpoint(bookmark.to_state(state))


class _Plugin:
    @staticmethod
    @hookimpl
    def register_connectors(register: Any) -> None:
        register(_Incremental)


@pytest.fixture
def incremental() -> Iterator[str]:
    register_plugin(_Plugin, name="test-incremental-plugin")
    try:
        yield _Incremental.name
    finally:
        unregister_plugin("test-incremental-plugin")


def test_state_round_trip(tmp_path: Path, incremental: str) -> None:
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    hours = [r for r in records if r["type"] == "service_record"]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in hours[:10]), encoding="utf-8")
    state = tmp_path / "state.json"

    code, first, _ = _convert(
        "--from", incremental, "--state", str(state), str(source), str(tmp_path / "1.jsonl")
    )
    assert code == 0 and first["written"] == 10
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved == {"recorded_at": max(r["recorded_at"] for r in hours[:10])}

    code, second, _ = _convert(
        "--from", incremental, "--state", str(state), str(source), str(tmp_path / "2.jsonl")
    )
    assert code == 0 and second["read"] == 0 and second["written"] == 0
    assert json.loads(state.read_text(encoding="utf-8")) == saved

    later = sorted(hours[10:], key=lambda r: r["recorded_at"])[-2:]
    with source.open("a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in later)
    code, third, _ = _convert(
        "--from", incremental, "--state", str(state), str(source), str(tmp_path / "3.jsonl")
    )
    assert code == 0 and third["written"] == 2
    assert [r["id"] for r in _lines(tmp_path / "3.jsonl")] == [r["id"] for r in later]
    assert json.loads(state.read_text(encoding="utf-8")) == {
        "recorded_at": later[-1]["recorded_at"]
    }


def test_state_is_not_saved_when_the_run_fails(tmp_path: Path, incremental: str) -> None:
    state = tmp_path / "state.json"
    code, _, _ = _convert(
        "--from",
        incremental,
        "--state",
        str(state),
        "--on-invalid",
        "fail",
        str(BROKEN),
        str(tmp_path / "o.jsonl"),
    )
    assert code == 2
    assert not state.exists()


# -- progress ------------------------------------------------------------------------------


def test_no_progress_display_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", str(SAMPLE), str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0
    assert len(result.stderr.strip().splitlines()) == 1  # the machine-readable summary only
    json.loads(result.stderr)


def test_live_progress_shows_counts_and_rate() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system=None)
    with live_progress(time.monotonic() - 2.0, console) as show:
        assert show is not None
        show(ConvertSummary(read=4000, written=3990, rejected=10))
    text = buffer.getvalue()
    assert "read 4,000" in text and "written 3,990" in text and "rejected 10" in text
    assert "rec/s" in text
