"""Run ``python -m volunteer_standard.samples OUT_DIR [--seed N]`` to regenerate ``examples/``."""

from volunteer_standard.samples.command import main

raise SystemExit(main())
