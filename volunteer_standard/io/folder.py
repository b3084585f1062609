"""A folder of JSON Lines files read as one input (a partitioned export).

Why: large exports come cut into files (``part-00000.jsonl`` …, one per day or region),
and cross-record checks (duplicates, references, overlaps) must see all of them together.
The files are taken in the order of their paths under the folder (byte order, so the
order is the same on every machine), recursively; hidden files and folders are skipped.
Each file is JSON Lines whatever its first line looks like, and issues name the file.
"""

from __future__ import annotations

from pathlib import Path

from volunteer_standard.io.reader import _JSONL_SUFFIXES, InputError
from volunteer_standard.text import Text


def folder_files(folder: str | Path, label: str) -> list[tuple[Path, str]]:
    """The JSON Lines files under ``folder``, each with its label (``label/relative``).

    Raises :class:`InputError` when there is none.
    """
    root = Path(folder)
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in _JSONL_SUFFIXES and path.is_file():
            found.append(
                (relative.as_posix().encode(), path, f"{label.rstrip('/')}/{relative.as_posix()}")
            )
    if not found:
        raise InputError(
            Text(
                f"{label}：文件夹中没有 JSON Lines 文件（.jsonl、.ndjson、.jsonlines）",
                f"{label}: the folder holds no JSON Lines file (.jsonl, .ndjson, .jsonlines)",
            )
        )
    found.sort(key=lambda item: item[0])
    return [(path, name) for _, path, name in found]
