"""Validation throughput against the floor: a shortcut to the ``validate`` case of the suite.

Runs ``bench/run.py --only validate`` (orjson floor, ``vstd validate`` with the national and
the structure profile, ratios measured in the same run) at one size; see bench/README.md.

    .venv/bin/python bench/validate_throughput.py --records 200000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import main as suite


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    return suite(["--only", "validate", "--sizes", str(args.records), "--rounds", str(args.rounds)])


if __name__ == "__main__":
    sys.exit(main())
