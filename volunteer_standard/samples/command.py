"""``python -m volunteer_standard.samples``: regenerate the bundled example files."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from volunteer_standard.samples.broken import write_broken
from volunteer_standard.samples.dataset import write_sample
from volunteer_standard.samples.spec import SampleSpec


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the example files (the counts are printed; personal data never is)."""
    parser = argparse.ArgumentParser(
        prog="python -m volunteer_standard.samples",
        description="Write the synthetic sample and the deliberately broken example files.",
    )
    parser.add_argument("out_dir", type=Path, help="directory to write (e.g. examples)")
    parser.add_argument("--seed", type=int, default=SampleSpec.seed, help="random seed")
    args = parser.parse_args(argv)
    paths = write_sample(args.out_dir, SampleSpec(seed=args.seed))
    paths.update(write_broken(args.out_dir))
    for path in paths.values():
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0
