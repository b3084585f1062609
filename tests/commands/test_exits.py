"""How ``vstd`` ends: quietly when its reader goes away, exit 70 (never 1) on an internal
error, a one-line message for the library's own errors, and help that reads as written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from volunteer_standard.cli import EXIT_INTERNAL, app, main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample.jsonl"


def _piped_into_head(*args: str) -> subprocess.CompletedProcess[bytes]:
    """``vstd ARGS | head -c 1``: the reader closes the pipe after one byte."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    cmd = [sys.executable, "-m", "volunteer_standard", *args]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(1)
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait(timeout=120)
    return subprocess.CompletedProcess(cmd, proc.returncode, b"", err)


@pytest.mark.parametrize(
    "args",
    [
        ("convert", str(SAMPLE), "-", "--quiet", "-p", "structure"),
        ("validate", str(ROOT / "examples" / "broken.jsonl"), "--format", "json"),
        ("codelists", "show", "ethnicity"),
    ],
)
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    done = _piped_into_head(*args)
    assert b"Broken pipe" not in done.stderr and b"Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1, 141), done.returncode


def test_an_internal_error_exits_70_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import volunteer_standard.commands.rules as rules_cmd

    def boom(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("synthetic bug")

    monkeypatch.setattr(rules_cmd, "catalogue_markdown", boom)
    monkeypatch.delenv("VSTD_DEBUG", raising=False)
    monkeypatch.setenv("VSTD_LANG", "en")
    with pytest.raises(SystemExit) as exited:
        main(["rules", "--format", "markdown"])
    assert exited.value.code == EXIT_INTERNAL != 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "--debug" in err
    assert "Traceback" not in err
    monkeypatch.setenv("VSTD_DEBUG", "1")
    with pytest.raises(SystemExit):
        main(["rules", "--format", "markdown"])
    assert "Traceback" in capsys.readouterr().err


def test_version_does_not_load_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    from volunteer_standard.registry import REGISTRY, reset

    reset()
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert REGISTRY._manager is None  # nothing was imported on behalf of plugins


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["validate"],
        ["convert"],
        ["upgrade"],
        ["rules"],
        ["schema"],
        ["plugins"],
        ["template"],
        ["codelists", "show"],
        ["connectors", "show"],
        ["plugin", "new"],
    ],
)
def test_help_reads_as_a_person_wrote_it(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    for placeholder in ("<bool>", "<list[str]>", "{input}", "<str>", "<path>", "NoneType"):
        assert placeholder not in result.output, (command, placeholder)
