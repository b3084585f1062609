"""The progress line of ``vstd validate`` and ``vstd convert``: shown on a terminal (records,
issues or rejects, rate, bytes read of the input's size, time left), in the run's
language, and absent when standard error is not a terminal or with ``--quiet``."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.commands._progress import input_size, live_progress
from volunteer_standard.commands.convert import live_progress as convert_progress
from volunteer_standard.engine import ConvertSummary
from volunteer_standard.io import JsonlWriter
from volunteer_standard.samples import SampleSpec, generate

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "data.jsonl"
    with JsonlWriter(path) as out:
        for obj in generate(SampleSpec(volunteers=40, service_records=1500, seed=5)):
            out.write(obj)
    return path


def _on_a_terminal(*args: str, lang: str = "en") -> tuple[int, str, str]:
    """Run vstd with standard error on a pseudo-terminal: (exit code, stdout, terminal)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "VSTD_LANG": lang, "COLUMNS": "160", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "volunteer_standard", *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the process is done
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.stdout.read().decode() if process.stdout else ""
    code = process.wait(timeout=120)
    os.close(leader)
    return code, stdout, _ANSI.sub("", seen.decode("utf-8", "replace"))


def test_validate_shows_progress_on_a_terminal(data: Path) -> None:
    code, stdout, terminal = _on_a_terminal("validate", str(data))
    assert code in (0, 1)
    records = len(data.read_bytes().splitlines())
    assert f"records {records:,}" in terminal and "issues" in terminal
    assert "rec/s" in terminal and "left" in terminal
    assert re.search(r"\b([\d.]+)/\1 [kMG]?B left 0:00:00", terminal)  # all bytes read
    assert stdout.strip() and "rec/s" not in stdout  # the report alone on standard output


def test_validate_progress_speaks_chinese(data: Path) -> None:
    _, _, terminal = _on_a_terminal("validate", str(data), lang="zh")
    assert "记录" in terminal and "条/秒" in terminal and "剩余" in terminal


def test_validate_quiet_on_a_terminal(data: Path) -> None:
    _, _, terminal = _on_a_terminal("validate", "--quiet", str(data))
    assert "rec/s" not in terminal


def test_no_progress_when_standard_error_is_not_a_terminal(data: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(data)])
    assert "rec/s" not in result.stderr and "rec/s" not in result.output
    done = subprocess.run(
        [sys.executable, "-m", "volunteer_standard", "validate", str(data)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "VSTD_LANG": "en"},
    )
    assert done.stderr == "" and "rec/s" not in done.stdout


def test_the_line_shows_bytes_and_time_left_when_the_size_is_known() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=160, color_system=None)
    with live_progress("en", 4_000_000, started=time.monotonic() - 2, console=console) as line:
        line.update({"records": 4000, "issues": 12}, 4000, 1_000_000)
    text = buffer.getvalue()
    assert "records 4,000" in text and "issues 12" in text and "rec/s" in text
    assert "1.0/4.0 MB" in text and "left" in text


def test_the_line_without_a_size_has_counts_and_rate_only() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=160, color_system=None)
    with live_progress("zh", None, started=time.monotonic() - 2, console=console) as line:
        line.update({"records": 10}, 10, None)
    text = buffer.getvalue()
    assert "记录 10" in text and "条/秒" in text and "剩余" not in text


def test_convert_progress_in_chinese() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=160, color_system=None)
    with convert_progress(time.monotonic() - 2.0, console, lang="zh") as show:
        assert show is not None
        show(ConvertSummary(read=4000, written=3990, rejected=10))
    text = buffer.getvalue()
    assert "读取 4,000" in text and "写出 3,990" in text and "拒收 10" in text


def test_input_size_of_a_file_a_folder_and_a_missing_path(data: Path, tmp_path: Path) -> None:
    assert input_size(str(data)) == data.stat().st_size
    assert input_size(str(tmp_path)) is None
    assert input_size(str(tmp_path / "missing")) is None


def test_convert_shows_bytes_and_time_left_on_a_terminal(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, _, terminal = _on_a_terminal("convert", str(data), str(out))
    assert code in (0, 1) and out.exists()
    assert "read" in terminal and "written" in terminal and "rec/s" in terminal
    assert re.search(r"\b([\d.]+)/\1 [kMG]?B left", terminal)  # all bytes read at the end
