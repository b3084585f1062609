"""Run ``vstd`` in a child process and measure its peak memory and wall time."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_CODE = """
import os, resource, sys
sys.argv = ["vstd", *sys.argv[1:]]
try:
    from volunteer_standard.cli import main
    main()
finally:
    # VmHWM belongs to this process's own memory map (ru_maxrss may carry the forking
    # parent's peak across exec).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1])
    except OSError:
        pass
    with open(os.environ["VSTD_TEST_PEAK_FILE"], "w") as out:
        out.write(str(peak))
"""


@dataclass
class Measured:
    code: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float


def run_vstd(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Measured:
    """``vstd ARGS`` in a fresh interpreter: exit code, output, peak RSS (MB), wall time."""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        full_env = {**os.environ, "VSTD_LANG": "en", **(env or {})}
        full_env["VSTD_TEST_PEAK_FILE"] = str(peak_file)
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", _CODE, *args],
            capture_output=True,
            env=full_env,
            timeout=timeout,
            check=False,
        )
        seconds = time.monotonic() - started
        peak_kb = int(peak_file.read_text()) if peak_file.exists() else 0
    return Measured(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        peak_kb / 1024,
        seconds,
    )
