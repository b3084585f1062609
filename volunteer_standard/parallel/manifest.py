"""The manifest of a partitioned conversion: which parts, in which order, holding what.

Why a manifest: a folder of parts is only usable when a reader can tell that it is whole
and in which order the parts go. The client writes ``manifest.json`` into the output
folder last, once every part is in: the parts in input order with their counts, their
output and reject files (names, records, byte sizes, SHA-256), and the merged summary. It
is not JSON Lines, so ``vstd validate OUTPUT/`` reads the parts alone, as one dataset.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from volunteer_standard._version import __version__

#: The manifest's file name in the output folder.
MANIFEST_NAME = "manifest.json"
#: What ``format`` says in every manifest (and how a previous output is recognised).
FORMAT = "vstd-partitioned-conversion"
VERSION = 1
#: Digits of a part's number at least (``part-00000.jsonl``); more when there are more
#: parts, so that the order of the names is the order of the parts.
MIN_DIGITS = 5
_PART = re.compile(r"part-\d+\.jsonl")


def name_width(parts: int) -> int:
    """The digits of the part numbers for a run of ``parts`` parts."""
    return max(MIN_DIGITS, len(str(max(0, parts - 1))))


def part_name(index: int, width: int = MIN_DIGITS) -> str:
    """The file name of part ``index`` (outputs and reject files alike)."""
    return f"part-{index:0{width}d}.jsonl"


def is_part_name(name: str) -> bool:
    """Whether ``name`` is a part's file name."""
    return _PART.fullmatch(name) is not None


@dataclass(frozen=True, slots=True)
class FileInfo:
    """One written file: its name in its folder, records, bytes and SHA-256 (hex)."""

    name: str
    records: int
    bytes: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "records": self.records,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }


@dataclass(frozen=True, slots=True)
class PartInfo:
    """One part: the records read for it (from input line ``first_line`` on), its output
    file and its reject file (``None``: nothing written, or nothing rejected; a single run
    writes no reject file either, and ``vstd validate`` refuses an empty file)."""

    index: int
    first_line: int
    read: int
    written: int
    rejected: int
    kept_invalid: int
    output: FileInfo | None
    rejects: FileInfo | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.index,
            "first_line": self.first_line,
            "read": self.read,
            "written": self.written,
            "rejected": self.rejected,
            "kept_invalid": self.kept_invalid,
            "output": None if self.output is None else self.output.to_dict(),
            "rejects": None if self.rejects is None else self.rejects.to_dict(),
        }


def manifest(
    source: str, rejects: str | None, summary: dict[str, Any], parts: list[PartInfo]
) -> dict[str, Any]:
    """The manifest's content: ``rejects`` is the reject folder relative to the output
    folder (``None``: nothing was rejected), ``summary`` the merged summary."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"volunteer-standard {__version__}",
        "source": source,
        "rejects": rejects,
        "summary": summary,
        "partitions": [p.to_dict() for p in parts],
    }


def dumps(content: dict[str, Any]) -> str:
    """The manifest as written (stable key order, readable, UTF-8)."""
    return json.dumps(content, ensure_ascii=False, indent=1) + "\n"


def is_manifest(path: Path) -> bool:
    """Whether ``path`` is a manifest written by a partitioned conversion."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(loaded, dict) and loaded.get("format") == FORMAT
