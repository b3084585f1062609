"""Write standard objects as JSON Lines or as a JSON package, streaming.

A package groups records by type, but records arrive in any order; the package writer
spools each type to a temporary file and assembles the package on close, so memory stays
flat whatever the size.

Files are written atomically (see :mod:`volunteer_standard.io.atomic`): ``close`` completes
the output, ``abort`` (or leaving a ``with`` block by an exception) leaves the previous
file, or none, and removes the spool.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import orjson
from pydantic import BaseModel

from volunteer_standard.io.atomic import AtomicFile, SpoolDir
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS, PackageMetadata, Publisher


def dump_record(obj: BaseModel | dict[str, Any]) -> bytes:
    """Serialise a standard object (or an already-dumped dict) as compact JSON bytes.

    A model goes straight to JSON through its pydantic-core serializer: the same bytes as
    ``orjson.dumps(obj.model_dump(mode="json", exclude_none=True))`` (tests compare them)
    without building the intermediate dict, which took more time than the JSON itself.
    """
    if isinstance(obj, BaseModel):
        return obj.__pydantic_serializer__.to_json(obj, exclude_none=True)
    return orjson.dumps(obj)


def _open_out(target: str | Path | IO[bytes]) -> tuple[IO[bytes], AtomicFile | None]:
    """The stream to write, and the atomic file behind it when the target is a path."""
    if isinstance(target, (str, Path)):
        if str(target) == "-":
            import sys

            return sys.stdout.buffer, None
        atomic = AtomicFile(target)
        return atomic.handle, atomic
    return target, None


class JsonlWriter:
    """One typed object per line."""

    def __init__(self, target: str | Path | IO[bytes]) -> None:
        self._out, self._atomic = _open_out(target)
        self.count = 0

    def write(self, obj: BaseModel | dict[str, Any]) -> None:
        self._out.write(dump_record(obj) + b"\n")
        self.count += 1

    def write_encoded(self, kind: str, data: bytes) -> None:
        """Write a record already encoded by :func:`dump_record`."""
        self._out.write(data + b"\n")
        self.count += 1

    def close(self) -> None:
        """Complete the output (renamed into place when it is a file)."""
        if self._atomic is not None:
            self._atomic.commit()
        else:
            self._out.flush()

    def abort(self) -> None:
        """Drop the output: the previous file, if any, stays as it was."""
        if self._atomic is not None:
            self._atomic.discard()
        else:
            self._out.flush()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if t is None:
            self.close()
        else:
            self.abort()


class PackageWriter:
    """A JSON package: metadata first, then one array per entity type.

    Each type's spool already holds its array's body (records joined by ``,\\n``), so
    assembling the package is a plain copy of each spool.
    """

    def __init__(
        self,
        target: str | Path | IO[bytes],
        metadata: PackageMetadata | None = None,
    ) -> None:
        self._target = target
        self.metadata = metadata or PackageMetadata(
            publisher=Publisher(name="volunteer-standard"), generated_at=datetime.now(UTC)
        )
        self._spool = SpoolDir("vstd-package-")
        self._files: dict[str, IO[bytes]] = {}
        self._counts: dict[str, int] = {}
        self.count = 0

    def write(self, obj: BaseModel | dict[str, Any]) -> None:
        kind = getattr(obj, "type", None) if isinstance(obj, BaseModel) else obj.get("type")
        if kind not in ENTITY_MODELS:
            raise ValueError(f"cannot write an object of unknown type {kind!r}")
        self.write_encoded(kind, dump_record(obj))

    def write_encoded(self, kind: str, data: bytes) -> None:
        """Write a record of type ``kind`` already encoded by :func:`dump_record` (by a
        worker process: see ``volunteer_standard.parallel``)."""
        if kind not in ENTITY_MODELS:
            raise ValueError(f"cannot write an object of unknown type {kind!r}")
        spool = self._files.get(kind)
        if spool is None:
            spool = self._files[kind] = (Path(self._spool.name) / f"{kind}.jsonl").open("wb")
            spool.write(data)
        else:
            spool.write(b",\n" + data)
        self._counts[kind] = self._counts.get(kind, 0) + 1
        self.count += 1

    def close(self) -> None:
        """Assemble the package from the spool and complete the output."""
        for handle in self._files.values():
            handle.close()
        out, atomic = _open_out(self._target)
        try:
            meta = orjson.dumps(self.metadata.model_dump(mode="json", exclude_none=True))
            out.write(b'{\n"metadata": ' + meta)
            for kind in ENTITY_MODELS:
                if kind not in self._files:
                    continue
                out.write(b',\n"' + COLLECTIONS[kind].encode() + b'": [\n')
                with (Path(self._spool.name) / f"{kind}.jsonl").open("rb") as body:
                    shutil.copyfileobj(body, out)
                out.write(b"\n]")
            out.write(b"\n}\n")
            if atomic is not None:
                atomic.commit()
            else:
                out.flush()
        except BaseException:
            if atomic is not None:
                atomic.discard()
            raise
        finally:
            self._spool.cleanup()

    def abort(self) -> None:
        """Drop the output and the spool; the previous file, if any, stays as it was."""
        for handle in self._files.values():
            handle.close()
        self._spool.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if t is None:
            self.close()
        else:
            self.abort()
