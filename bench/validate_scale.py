"""Validation at scale: a shortcut to the ``validate`` case of the suite at several sizes.

Runs ``bench/run.py --only validate`` (orjson floor, ``vstd validate`` with the national and
the structure profile, each in a fresh child process whose peak RSS is read with
``os.wait4``) at every size, and judges "memory flat" (5M ≤ 1.2x 100k, under 200 MiB) when
the sizes include 100k and 5M; see bench/README.md.

    .venv/bin/python bench/validate_scale.py --sizes 100000,1000000,5000000 --inputs /tmp/vstd
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import main as suite


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000,500000,5000000", help="comma-separated N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--inputs",
        help="keep generated inputs in this directory and reuse them (generating 5M takes minutes)",
    )
    args = parser.parse_args()
    argv = ["--only", "validate", "--sizes", args.sizes, "--seed", str(args.seed)]
    if args.inputs:
        argv += ["--inputs", args.inputs]
    return suite(argv)


if __name__ == "__main__":
    sys.exit(main())
