"""Fuzz the readers for a while: ``python fuzz/run.py [SECONDS] [TARGET ...]``.

Hypothesis drives each target of :mod:`volunteer_standard.testing.fuzz` with random and
mutated inputs, in rounds, until the time is up; a finding (any exception that is not a
clean ``VstdError``) is printed with the smallest input hypothesis found, and the exit
code is 1. Run from the repository root with the project's virtual environment.
"""

from __future__ import annotations

import sys
import time
import traceback

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteer_standard.testing.fuzz import TARGETS

SEEDS = [
    b'{"type":"volunteer","id":"v","volunteer_no":"V1","name":"x"}\n',
    b'{"metadata":{},"volunteers":[{"id":"v","name":"x"}]}',
    '姓名,证件号码\r\n张三,"1101\r\n'.encode("gb18030"),
    b'[[entities]]\ntype = "volunteer"\nsheet = "s"\n',
]


def _round(target_name: str, examples: int) -> int:
    target = TARGETS[target_name]
    found: list[str] = []

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(
        st.one_of(
            st.binary(max_size=2000),
            st.builds(
                lambda s, b, i: s[:i] + b + s[i:],
                st.sampled_from(SEEDS),
                st.binary(max_size=40),
                st.integers(0, 80),
            ),
        )
    )
    def run(data: bytes) -> None:
        target(data)

    try:
        run()
    except Exception:
        found.append(traceback.format_exc(limit=6))
    for item in found:
        print(f"finding in {target_name}:\n{item}")
    return len(found)


def main(argv: list[str]) -> int:
    seconds = float(argv[0]) if argv else 60.0
    names = argv[1:] or list(TARGETS)
    started = time.monotonic()
    rounds = findings = 0
    while time.monotonic() - started < seconds:
        for name in names:
            findings += _round(name, 200)
            rounds += 1
    elapsed = time.monotonic() - started
    print(
        f"fuzzed {', '.join(names)} for {elapsed:.0f} s: {rounds} rounds of 200 examples, "
        f"{findings} finding(s)"
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
