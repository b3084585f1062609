"""Writers refuse before writing; reject files keep what orjson refuses; exit codes."""

from __future__ import annotations

import json
import signal
import stat
from pathlib import Path

import pytest

import volunteer_standard.connectors.tabular.writers as writers
from tests.conftest import MINIMAL
from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.tabular.connector import FlatLayout
from volunteer_standard.connectors.tabular.writers import TableWriter
from volunteer_standard.interrupts import Interrupted, run_guarded
from volunteer_standard.io.reader import Location
from volunteer_standard.io.rejects import JsonlRejectSink, RejectEntry
from volunteer_standard.models import Organization
from volunteer_standard.text import Text


def _org(n: int) -> Organization:
    return Organization.model_validate({**MINIMAL["organization"], "id": f"org-{n}"})


def test_an_encoding_that_cannot_hold_a_value_is_refused_before_writing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    writer = TableWriter(str(target), FlatLayout(), fmt="csv", encoding="ascii", delimiter=",")
    with pytest.raises(ConnectorError) as info:
        writer.write(_org(1))  # the name is Chinese
    writer.abort()
    message = str(info.value)
    assert "row 2" in message and "'name'" in message and "ascii" in message
    assert MINIMAL["organization"]["name"] not in message  # the value is not shown
    assert not target.exists()  # main left a 0-byte file and a traceback


def test_the_xlsx_row_limit_is_checked_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 3)
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    writer = TableWriter(str(target), FlatLayout(), fmt="xlsx", encoding="utf-8", delimiter=",")
    for n in range(5):
        writer.write(_org(n))
    with pytest.raises(ConnectorError, match="nothing was written"):
        writer.close()
    assert target.read_bytes() == b"previous"  # main left a valid workbook missing rows


def test_reject_files_keep_surrogates_and_big_integers(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    sink = JsonlRejectSink(path)
    sink.write(
        RejectEntry(
            Location("in", 1),
            ["VS107"],
            [Text("超出", "beyond")],
            {"text": "a\ud800b", "n": 10**400},
        )
    )
    sink.close()
    entry = json.loads(path.read_text(encoding="ascii"))
    assert entry["record"]["text"] == "a\ud800b" and entry["record"]["n"] == 10**400
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _exit_code(app: object) -> int:
    with pytest.raises(SystemExit) as info:
        run_guarded(app)  # type: ignore[arg-type]
    return int(info.value.code or 0)


def test_internal_errors_exit_70_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> None:
        raise KeyError("110101199003077777")

    assert _exit_code(broken) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (KeyError)" in err
    assert "110101199003077777" not in err


def test_broken_pipe_exits_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    def piped() -> None:
        raise BrokenPipeError

    assert _exit_code(piped) == 0
    assert capsys.readouterr().err == ""


def test_interrupted_exits_130(capsys: pytest.CaptureFixture[str]) -> None:
    from volunteer_standard.io import atomic

    def stopped() -> None:
        atomic.request_stop(signal.SIGINT)
        raise Interrupted(signal.SIGINT)

    try:
        assert _exit_code(stopped) == 130
    finally:
        atomic._STOP.clear()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    assert "SIGINT" in capsys.readouterr().err
