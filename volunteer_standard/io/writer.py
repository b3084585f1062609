"""Write standard objects as JSON Lines or as a JSON package, streaming.

A package groups records by type, but records arrive in any order; the package writer
spools each type to a temporary file and assembles the package on close, so memory stays
flat whatever the size.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import orjson
from pydantic import BaseModel

from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS, PackageMetadata, Publisher


def dump_record(obj: BaseModel | dict[str, Any]) -> bytes:
    """Serialise a standard object (or an already-dumped dict) as compact JSON bytes."""
    data = obj.model_dump(mode="json", exclude_none=True) if isinstance(obj, BaseModel) else obj
    return orjson.dumps(data)


def _open_out(target: str | Path | IO[bytes]) -> tuple[IO[bytes], bool]:
    if isinstance(target, (str, Path)):
        if str(target) == "-":
            import sys

            return sys.stdout.buffer, False
        return Path(target).open("wb"), True
    return target, False


class JsonlWriter:
    """One typed object per line."""

    def __init__(self, target: str | Path | IO[bytes]) -> None:
        self._out, self._owned = _open_out(target)
        self.count = 0

    def write(self, obj: BaseModel | dict[str, Any]) -> None:
        self._out.write(dump_record(obj) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._owned:
            self._out.close()
        else:
            self._out.flush()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class PackageWriter:
    """A JSON package: metadata first, then one array per entity type."""

    def __init__(
        self,
        target: str | Path | IO[bytes],
        metadata: PackageMetadata | None = None,
    ) -> None:
        self._target = target
        self.metadata = metadata or PackageMetadata(
            publisher=Publisher(name="volunteer-standard"), generated_at=datetime.now(UTC)
        )
        self._spool = tempfile.TemporaryDirectory(prefix="vstd-package-")
        self._files: dict[str, IO[bytes]] = {}
        self._counts: dict[str, int] = {}
        self.count = 0

    def write(self, obj: BaseModel | dict[str, Any]) -> None:
        data = obj.model_dump(mode="json", exclude_none=True) if isinstance(obj, BaseModel) else obj
        kind = data.get("type")
        if kind not in ENTITY_MODELS:
            raise ValueError(f"cannot write an object of unknown type {kind!r}")
        spool = self._files.get(kind)
        if spool is None:
            spool = self._files[kind] = (Path(self._spool.name) / f"{kind}.jsonl").open("wb")
        spool.write(orjson.dumps(data) + b"\n")
        self._counts[kind] = self._counts.get(kind, 0) + 1
        self.count += 1

    def close(self) -> None:
        out, owned = _open_out(self._target)
        try:
            meta = orjson.dumps(self.metadata.model_dump(mode="json", exclude_none=True))
            out.write(b'{\n"metadata": ' + meta)
            for kind in ENTITY_MODELS:
                spool = self._files.get(kind)
                if spool is None:
                    continue
                spool.close()
                out.write(b',\n"' + COLLECTIONS[kind].encode() + b'": [\n')
                with (Path(self._spool.name) / f"{kind}.jsonl").open("rb") as lines:
                    first = True
                    for line in lines:
                        if not first:
                            out.write(b",\n")
                        out.write(line.rstrip(b"\n"))
                        first = False
                out.write(b"\n]")
            out.write(b"\n}\n")
        finally:
            if owned:
                out.close()
            else:
                out.flush()
            self._spool.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if t is None:
            self.close()
        else:
            self._spool.cleanup()
