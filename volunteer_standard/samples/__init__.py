"""Synthetic sample data: a seeded, internally consistent dataset, and deliberately broken files.

Why: documentation, tests, benchmarks and demos need realistic data that no one can be
harmed by. Everything here is invented: names are random combinations of common surnames and
given-name characters, ID numbers and credit codes are random numbers with valid check
characters (``identifiers.generate``; ID numbers never repeat within a sample), organisation
names carry "（示例）", e-mail addresses use ``example.com``. Only the region codes are real
(in-use county codes), so that region checks pass. A generated number can coincide with a
real one by chance: never use one to look a person up, and never replace sample data with
real data.

The generator streams (see `plan` for how): memory is bounded by the number of volunteers,
organisations and projects, never by the number of service records.

Modules: `spec` (what to generate, fixed points), `vocabulary` (places, themes), `people`
(names, unique ID numbers), `world` (organisations, people, projects), `plan` (the record
plan), `entities`, `volunteers` and `records` (building the entities), `dataset` (the stream
and the sample files), `broken` (the broken files), `command` (the command line).

Run ``python -m volunteer_standard.samples OUT_DIR [--seed N]`` to regenerate ``examples/``.
"""

from __future__ import annotations

from volunteer_standard.samples.broken import (
    BROKEN_JSONL_CODES,
    BROKEN_METADATA_CODES,
    BROKEN_NO_METADATA_CODES,
    BROKEN_PACKAGE_CODES,
    broken_files,
    broken_records,
    write_broken,
)
from volunteer_standard.samples.command import main
from volunteer_standard.samples.dataset import generate, sample_metadata, write_sample
from volunteer_standard.samples.spec import (
    AS_OF,
    EXTENSION_NAMESPACE,
    GENERATED_AT,
    MAX_RECORDS_PER_VOLUNTEER,
    SOURCE_SYSTEM,
    STAR_THRESHOLDS,
    SampleSpec,
)

__all__ = [
    "AS_OF",
    "BROKEN_JSONL_CODES",
    "BROKEN_METADATA_CODES",
    "BROKEN_NO_METADATA_CODES",
    "BROKEN_PACKAGE_CODES",
    "EXTENSION_NAMESPACE",
    "GENERATED_AT",
    "MAX_RECORDS_PER_VOLUNTEER",
    "SOURCE_SYSTEM",
    "STAR_THRESHOLDS",
    "SampleSpec",
    "broken_files",
    "broken_records",
    "generate",
    "main",
    "sample_metadata",
    "write_broken",
    "write_sample",
]
