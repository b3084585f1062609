"""Where the bundled CSV files live.

Kept apart from ``__init__`` so that ``regions`` can find the data without importing the
code-list loader (and without an import cycle).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


@functools.cache
def data_dir() -> Path:
    """The folder holding the code-list CSV files shipped inside the package.

    Found through ``importlib.resources`` so that it works from a wheel as well as from a
    source checkout; falls back to the module's own folder for exotic loaders whose resources
    are not plain files.
    """
    found = resources.files(__package__ or "volunteer_standard.codelists") / "data"
    if isinstance(found, Path):
        return found
    return Path(__file__).resolve().parent / "data"
