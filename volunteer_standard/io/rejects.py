"""Reject files: where every record that could not be converted lands, with its reasons.

Nothing is lost: a rejected record is written with its location, issue codes, reasons (in
the user's language) and the record itself. Reject files hold personal data, so they are
created with mode 0600 (owner only) and, like every output, written atomically: an
interrupted run leaves the previous reject file or none.

The sink is chosen by the reject path's suffix: ``.jsonl`` (default) is built in; other
suffixes are served by factories registered with :func:`register_reject_sink` (the
tabular connector registers ``.csv`` and ``.xlsx``, lazily, by module name).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import orjson

from volunteer_standard.errors import VstdError
from volunteer_standard.io.atomic import AtomicFile
from volunteer_standard.io.reader import Location
from volunteer_standard.text import Lang, Text

#: Permission bits of every reject file: the owner alone may read what was rejected.
REJECT_FILE_MODE = 0o600


class RejectSinkError(VstdError):
    """No sink handles the reject path's suffix, or the sink cannot be opened."""


@dataclass(slots=True)
class RejectEntry:
    """One rejected record: where it was, why, and what it held (already privacy-filtered).

    ``raw`` is the record as the source had it (column → cell for a table), which a
    tabular sink uses to write the row back in the source's own layout.
    """

    location: Location
    codes: list[str]
    reasons: list[Text]
    record: dict[str, Any] | None = None
    raw: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class RejectSink(Protocol):
    """Receives rejected records; :meth:`close` completes the file, :meth:`abort` drops it."""

    count: int

    def write(self, entry: RejectEntry) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


#: A factory opens a sink for a path in a language.
RejectSinkFactory = Callable[[Path, Lang], RejectSink]

_FACTORIES: dict[str, RejectSinkFactory | str] = {
    ".csv": "volunteer_standard.connectors.tabular.rejects:open_reject_sink",
    ".xlsx": "volunteer_standard.connectors.tabular.rejects:open_reject_sink",
}


def register_reject_sink(suffix: str, factory: RejectSinkFactory | str) -> None:
    """Serve reject paths ending in ``suffix`` (``".csv"``) with ``factory`` (or
    ``"module:function"``, imported the first time such a path is used)."""
    _FACTORIES[suffix.lower()] = factory


def reject_sink_suffixes() -> list[str]:
    """Suffixes a reject path may have."""
    return sorted({".jsonl", ".ndjson", *_FACTORIES})


def _json_bytes(entry: Mapping[str, Any]) -> bytes:
    """Compact JSON; falls back to escaped JSON for what orjson refuses (lone surrogates,
    integers beyond 64 bits), so that such a record is still kept, not lost."""
    try:
        return orjson.dumps(entry, default=str)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(entry, ensure_ascii=True, default=str).encode("ascii")


class JsonlRejectSink:
    """The default sink: one JSON object per rejected record (file created 0600, atomic)."""

    def __init__(self, path: Path, lang: Lang = "en") -> None:
        self.path = path
        self.lang = lang
        self.count = 0
        self._out: AtomicFile | None = None

    def write(self, entry: RejectEntry) -> None:
        if self._out is None:
            self._out = AtomicFile(self.path, mode=REJECT_FILE_MODE)
        line = {
            "location": str(entry.location),
            "file": entry.location.file,
            "line": entry.location.line,
            "pointer": entry.location.pointer,
            "codes": entry.codes,
            "reasons": [r.get(self.lang) for r in entry.reasons],
            "record": entry.record,
            "raw": entry.raw,
            **entry.extra,
        }
        self._out.write(_json_bytes(line) + b"\n")
        self.count += 1

    def close(self) -> None:
        """Complete the reject file (none is created when nothing was rejected)."""
        if self._out is not None:
            self._out.commit()

    def abort(self) -> None:
        if self._out is not None:
            self._out.discard()


class NullRejectSink:
    """Counts rejects that the caller collects itself (a stream passed by a library user)."""

    def __init__(self, stream: Any = None, lang: Lang = "en") -> None:
        self.stream = stream
        self.lang = lang
        self.count = 0

    def write(self, entry: RejectEntry) -> None:
        if self.stream is not None:
            line = {
                "location": str(entry.location),
                "codes": entry.codes,
                "reasons": [r.get(self.lang) for r in entry.reasons],
                "record": entry.record,
                "raw": entry.raw,
            }
            self.stream.write(_json_bytes(line) + b"\n")
        self.count += 1

    def flush(self) -> None:
        """Hand what was written to the caller's stream (``vstd sync`` fsyncs it)."""
        if self.stream is not None:
            self.stream.flush()

    def close(self) -> None:
        self.flush()

    def abort(self) -> None:
        self.close()


def _resolve(factory: RejectSinkFactory | str) -> RejectSinkFactory:
    if not isinstance(factory, str):
        return factory
    module_name, _, attr = factory.partition(":")
    try:
        loaded: RejectSinkFactory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError):
        raise RejectSinkError(
            Text(
                "处理该后缀拒收文件的组件（{factory}）不可用",
                "the reject sink for this suffix ({factory}) is not available",
            ).format(factory=factory)
        ) from None
    return loaded


def open_reject_sink(path: str | Path, lang: Lang = "en") -> RejectSink:
    """The sink for ``path``, chosen by its suffix (``.jsonl`` unless another is registered).

    Raises :class:`RejectSinkError` naming the suffixes that work when none handles it.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".jsonlines"):
        return JsonlRejectSink(target, lang)
    factory = _FACTORIES.get(suffix)
    if factory is None:
        raise RejectSinkError(
            Text(
                "拒收文件 {path} 的后缀 {suffix} 无法处理；可用：{known}",
                "no reject sink handles {path} (suffix {suffix!r}); use one of: {known}",
            ).format(
                path=str(path), suffix=suffix or "(none)", known=", ".join(reject_sink_suffixes())
            )
        )
    return _resolve(factory)(target, lang)


def default_rejects_path(now: datetime | None = None) -> Path:
    """``./vstd-rejects-<UTC time>.jsonl``: where rejects go when the output is stdout."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return Path(f"vstd-rejects-{moment}.jsonl")


__all__ = [
    "REJECT_FILE_MODE",
    "JsonlRejectSink",
    "NullRejectSink",
    "RejectEntry",
    "RejectSink",
    "RejectSinkError",
    "RejectSinkFactory",
    "default_rejects_path",
    "open_reject_sink",
    "register_reject_sink",
    "reject_sink_suffixes",
]
