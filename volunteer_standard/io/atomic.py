"""Atomic outputs: write under a temporary name in the same folder, rename on success.

An interrupted or failed run must never leave a file that looks complete. Every output
(files and folders: packages, JSON Lines, tables, reject files, reports, baselines,
state) is written to ``.<name>.<random>.vstd-tmp`` beside its target, flushed and fsynced,
then renamed over the target in one step; on failure the temporary is removed and the
previous output, if any, is left untouched.

Temporaries that are alive are tracked so that a signal handler can remove them
(:func:`remove_temporaries`) before the process exits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

#: Suffix of every temporary the toolkit creates; ``vstd`` never leaves one behind.
TEMP_SUFFIX = ".vstd-tmp"

_LIVE: set[Path] = set()
_LOCK = threading.Lock()
_STOP: list[int] = []


class StopRequested(BaseException):
    """A signal asked the process to stop: no output may be completed any more."""


def request_stop(signum: int) -> None:
    """Record that the process was asked to stop (called from a signal handler)."""
    _STOP.append(signum)


def stop_requested() -> int | None:
    """The signal that asked the process to stop, if any."""
    return _STOP[0] if _STOP else None


def _track(path: Path) -> None:
    with _LOCK:
        _LIVE.add(path)


def _untrack(path: Path) -> None:
    with _LOCK:
        _LIVE.discard(path)


def remove_temporaries() -> int:
    """Remove every temporary file or folder still alive (after SIGINT/SIGTERM); the count."""
    with _LOCK:
        paths = list(_LIVE)
        _LIVE.clear()
    for path in paths:
        _remove(path)
    return len(paths)


def live_temporaries() -> list[Path]:
    """The temporaries currently alive (for tests and diagnostics)."""
    with _LOCK:
        return sorted(_LIVE)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_path(target: Path, *, folder: bool = False) -> Path:
    """A fresh temporary name beside ``target`` (created: a 0600 file or a 0700 folder)."""
    parent = target.parent if str(target.parent) else Path(".")
    prefix = f".{target.name}."
    if folder:
        made = Path(tempfile.mkdtemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=parent))
    else:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=parent)
        os.close(fd)
        made = Path(name)
    _track(made)
    return made


class AtomicFile:
    """A file written under a temporary name and renamed over ``target`` by :meth:`commit`.

    ``mode`` is the final permission of the file (default: 0666 minus the umask, as
    ``open`` would give; reject files pass 0o600). With ``by_name=True`` no stream is
    opened: a library that writes by file name (xlsxwriter) writes :attr:`temp`. Used as a
    context manager it commits when the block succeeds and discards otherwise.
    """

    def __init__(
        self,
        target: str | Path,
        *,
        text: bool = False,
        encoding: str = "utf-8",
        newline: str | None = None,
        mode: int | None = None,
        by_name: bool = False,
    ) -> None:
        self.target = Path(target)
        self.temp = temp_path(self.target)
        self._mode = mode
        self.done = False
        try:
            if mode is not None:
                os.chmod(self.temp, mode)
            else:
                os.chmod(self.temp, 0o666 & ~_umask())
            self.stream: IO[Any] | None = None
            if not by_name:
                self.stream = (
                    self.temp.open("w", encoding=encoding, newline=newline)
                    if text
                    else self.temp.open("wb")
                )
        except BaseException:
            self.discard()
            raise

    @property
    def handle(self) -> IO[Any]:
        """The open temporary (not with ``by_name``)."""
        assert self.stream is not None, "opened by_name: write the temporary by name"
        return self.stream

    def write(self, data: Any) -> int:
        written: int = self.handle.write(data)
        return written

    def commit(self) -> None:
        """Flush, fsync and rename over the target; afterwards the output is complete."""
        if self.done:
            return
        if _STOP:  # a signal arrived (perhaps swallowed by a C extension): never complete
            self.discard()
            raise StopRequested(_STOP[0])
        try:
            if self.stream is not None:
                self.stream.flush()
                os.fsync(self.stream.fileno())
                self.stream.close()
            else:
                with self.temp.open("rb") as written:
                    os.fsync(written.fileno())
            os.replace(self.temp, self.target)
        except BaseException:
            self.discard()
            raise
        self.done = True
        _untrack(self.temp)
        _fsync_dir(self.target.parent if str(self.target.parent) else Path("."))

    def discard(self) -> None:
        """Close and remove the temporary; the target is left as it was."""
        if self.done:
            return
        self.done = True
        stream = getattr(self, "stream", None)
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()
        _remove(self.temp)
        _untrack(self.temp)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if t is None:
            self.commit()
        else:
            self.discard()


class AtomicFolder:
    """A folder built under a temporary name and moved into place by :meth:`commit`.

    An existing target folder is replaced only on success (it is renamed aside, the new
    one renamed in, then the old one removed).
    """

    def __init__(self, target: str | Path) -> None:
        self.target = Path(target)
        self.path = temp_path(self.target, folder=True)
        self.done = False

    def commit(self) -> None:
        if self.done:
            return
        if _STOP:
            self.discard()
            raise StopRequested(_STOP[0])
        old: Path | None = None
        try:
            if self.target.exists():
                old = temp_path(self.target, folder=True)
                old.rmdir()
                os.replace(self.target, old)
            os.replace(self.path, self.target)
        except BaseException:
            if old is not None and not self.target.exists():
                with contextlib.suppress(OSError):
                    os.replace(old, self.target)
            self.discard()
            raise
        self.done = True
        _untrack(self.path)
        if old is not None:
            _remove(old)
            _untrack(old)

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        _remove(self.path)
        _untrack(self.path)


def write_bytes(target: str | Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` atomically."""
    with AtomicFile(target, mode=mode) as out:
        out.write(data)


def write_text(target: str | Path, text: str, *, mode: int | None = None) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    write_bytes(target, text.encode("utf-8"), mode=mode)


class SpoolDir:
    """A tracked private spool folder with an explicit :meth:`cleanup` (0700)."""

    def __init__(self, prefix: str) -> None:
        self.name = tempfile.mkdtemp(prefix=prefix)
        self.path = Path(self.name)
        _track(self.path)

    def cleanup(self) -> None:
        _remove(self.path)
        _untrack(self.path)


def _umask() -> int:
    with _LOCK:
        current = os.umask(0o022)
        os.umask(current)
    return current


__all__ = [
    "TEMP_SUFFIX",
    "AtomicFile",
    "AtomicFolder",
    "SpoolDir",
    "StopRequested",
    "live_temporaries",
    "remove_temporaries",
    "request_stop",
    "stop_requested",
    "temp_path",
    "write_bytes",
    "write_text",
]
