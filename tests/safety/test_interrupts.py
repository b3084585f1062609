"""SIGINT and SIGTERM at random points: the previous output or none, never a partial one;
no temporary or spool file left behind; exit 130/143 with a message (issue 12)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE = EXAMPLES / "sample.jsonl"
VSTD = [sys.executable, "-c", "from volunteer_standard.cli import main; main()"]


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 12,000 records: long enough to be interrupted half-way."""
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    path.write_bytes(SAMPLE.read_bytes() * 24)
    return path


def _run_and_signal(args: list[str], sig: int, after: float, tmpdir: Path) -> tuple[int, str]:
    env = {**os.environ, "TMPDIR": str(tmpdir), "VSTD_LANG": "en"}
    proc = subprocess.Popen(
        [*VSTD, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    time.sleep(after)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize("target", ["out.json", "out.jsonl"])
def test_killed_conversions_leave_the_previous_output_or_none(
    tmp_path: Path, big_input: Path, target: str
) -> None:
    rng = random.Random(12)
    spool = tmp_path / "spool"
    spool.mkdir()
    out = tmp_path / target
    previous = b""
    for attempt, sig in enumerate([signal.SIGINT, signal.SIGTERM] * 2):
        code, err = _run_and_signal(
            ["convert", str(big_input), str(out), "--quiet"], sig, rng.uniform(0.8, 3.0), spool
        )
        if code == -sig:  # killed while Python was still starting: nothing was opened yet
            assert (out.read_bytes() if out.exists() else b"") == previous, attempt
        elif code in (128 + signal.SIGINT, 128 + signal.SIGTERM):
            assert code == 128 + sig, (attempt, err)
            assert "stopped by" in err
            assert (out.read_bytes() if out.exists() else b"") == previous, attempt
        else:  # finished before the signal: the output must be whole
            assert code == 0, err
            previous = out.read_bytes()
            if target.endswith(".json"):
                assert orjson.loads(previous)["volunteers"]
            else:
                assert len(previous.splitlines()) == len(big_input.read_bytes().splitlines())
        assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".vstd-tmp")]
        assert not list(spool.iterdir()), "spool files with personal data were left behind"
