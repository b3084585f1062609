"""The conversion engine: source connector → validation → target connector, streaming.

Nothing is lost: every record read is either written or sent to the reject file with its
location, issue codes and reason, and the summary proves the balance
``read == written + rejected``. Memory stays flat: records flow one at a time and the
reject file is written as it goes.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from volunteer_standard.connectors.base import (
    Checkpoint,
    Connector,
    ConnectorError,
    SourceRecord,
    load_config,
)
from volunteer_standard.connectors.registry import get_connector
from volunteer_standard.errors import VstdError
from volunteer_standard.io.reader import InputError, RawRecord
from volunteer_standard.text import Text
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.structure import RecordChecker

OnInvalid = Literal["reject", "keep", "fail"]


class ConversionAborted(VstdError):
    """``on_invalid="fail"`` met an invalid record, or the run could not happen."""


@dataclass
class ConvertSummary:
    """Counts of one conversion; ``balanced`` must always be true."""

    read: int = 0
    written: int = 0
    rejected: int = 0
    kept_invalid: int = 0
    written_by_type: Counter[str] = field(default_factory=Counter)
    reject_codes: Counter[str] = field(default_factory=Counter)
    state: dict[str, Any] = field(default_factory=dict)
    rejects_path: str | None = None

    @property
    def balanced(self) -> bool:
        return self.read == self.written + self.rejected

    @property
    def exit_code(self) -> int:
        """0 when everything converted, 1 when some records were rejected."""
        return 0 if self.rejected == 0 else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "written": self.written,
            "rejected": self.rejected,
            "kept_invalid": self.kept_invalid,
            "balanced": self.balanced,
            "written_by_type": dict(sorted(self.written_by_type.items())),
            "reject_codes": dict(sorted(self.reject_codes.items())),
            "rejects": self.rejects_path,
            "state": self.state,
        }


class RejectSink:
    """JSON Lines of rejected records: location, codes, reasons and the record itself."""

    def __init__(self, target: str | Path | IO[bytes] | None) -> None:
        self._path = None if target is None or not isinstance(target, (str, Path)) else target
        self._stream: IO[bytes] | None = None if isinstance(target, (str, Path)) else target
        self.count = 0

    def write(self, record: SourceRecord, issues: list[Issue]) -> None:
        if self._stream is None and self._path is not None:
            self._stream = Path(self._path).open("wb")  # noqa: SIM115 - closed in close()
        codes = [i.code for i in issues] or [p.code for p in record.problems]
        reasons = [i.message("en") for i in issues] or [p.text() for p in record.problems]
        entry = {
            "location": str(record.location),
            "file": record.location.file,
            "line": record.location.line,
            "pointer": record.location.pointer,
            "codes": codes,
            "reasons": reasons,
            "record": record.data,
            "raw": record.raw,
        }
        if self._stream is not None:
            self._stream.write(orjson.dumps(entry, default=str) + b"\n")
        self.count += 1

    def flush(self) -> None:
        """Make the rejects written so far durable."""
        if self._stream is not None:
            self._stream.flush()
            if self._path is not None:
                os.fsync(self._stream.fileno())

    def close(self) -> None:
        if self._stream is not None and self._path is not None:
            self._stream.close()


def _connector(spec: str | Connector, config: str | Path | Mapping[str, Any] | None) -> Connector:
    if isinstance(spec, Connector):
        return spec
    cls = get_connector(spec)
    if isinstance(config, (str, Path)):
        return cls(load_config(cls, config))
    return cls(config)


def convert(
    source: str,
    target: str,
    *,
    source_connector: str | Connector = "standard",
    target_connector: str | Connector = "standard",
    source_config: str | Path | Mapping[str, Any] | None = None,
    target_config: str | Path | Mapping[str, Any] | None = None,
    rejects: str | Path | IO[bytes] | None = None,
    on_invalid: OnInvalid = "reject",
    state: Mapping[str, Any] | None = None,
    progress: Callable[[ConvertSummary], None] | None = None,
    progress_every: int = 1000,
    profile: str | Path | None = None,
    on_checkpoint: Callable[[dict[str, Any]], None] | None = None,
) -> ConvertSummary:
    """Convert ``source`` (read by ``source_connector``) into ``target``.

    Records that cannot be translated or fail validation go to ``rejects`` (JSON Lines;
    default ``<target>.rejects.jsonl``). With ``on_invalid="keep"`` records that fail only
    rules are written anyway (structurally invalid ones can never be written); with
    ``"fail"`` the first invalid record aborts the run with :class:`ConversionAborted`.
    With ``profile``, the profile's per-record rules run on every structurally valid record
    (cross-record rules need the whole input: run ``vstd validate`` on the output for them).
    ``on_checkpoint`` is called with the state of each checkpoint once the records before
    it are durable, for writers that can ``flush`` (API targets; a file is only complete
    when closed). Raises :class:`ConnectorError` or :class:`ConversionAborted` when the run
    cannot happen.
    """
    reader = _connector(source_connector, source_config)
    writer_connector = _connector(target_connector, target_config)
    if target != "-":
        checked = writer_connector.check(target, for_writing=True)
        if not checked.ok:
            raise ConnectorError(checked.message)
    if rejects is None and target != "-":
        rejects = _default_rejects(target)
    summary = ConvertSummary()
    summary.rejects_path = str(rejects) if isinstance(rejects, (str, Path)) else None
    sink = RejectSink(rejects)
    checker = RecordChecker()
    current: list[Issue] = []
    rules = _rule_engine(profile, source, current.append) if profile is not None else None
    writer = writer_connector.open_writer(target)
    try:
        for record in reader.read(source, state):
            if isinstance(record, Checkpoint):
                summary.state = dict(record.state)
                flush = getattr(writer, "flush", None)
                if on_checkpoint is not None and callable(flush):
                    # A target that commits as it goes (an API) makes the records before
                    # the checkpoint durable; then the bookmark may be saved.
                    flush()
                    sink.flush()
                    on_checkpoint(summary.state)
                continue
            summary.read += 1
            issues: list[Issue] = []
            obj = None
            if not record.problems and record.data is not None:
                raw = RawRecord(record.data, record.location)
                kind, obj = checker.check(raw, issues.append)
                if rules is not None and obj is not None:
                    current.clear()
                    rules.record(raw, kind, obj)
                    issues.extend(current)
                if kind is not None and kind not in writer_connector.writes:
                    issues.append(
                        Issue(
                            "VS103",
                            record.location,
                            "/type",
                            kind,
                            None,
                            {
                                "value": repr(kind),
                                "expected": f"types the {writer_connector.name} connector writes",
                            },
                        )
                    )
                    obj = None
            errors = [i for i in issues if i.severity == "error"]
            if record.problems or record.data is None or errors or obj is None:
                if on_invalid == "fail":
                    reason = (
                        errors[0].message("en")
                        if errors
                        else record.problems[0].text()
                        if record.problems
                        else "invalid record"
                    )
                    raise ConversionAborted(f"{record.location}: {reason}")
                if on_invalid == "keep" and obj is not None:
                    summary.kept_invalid += 1
                else:
                    sink.write(record, errors)
                    summary.rejected += 1
                    summary.reject_codes.update(
                        {i.code for i in errors} or {p.code for p in record.problems}
                    )
                    _maybe_progress(summary, progress, progress_every)
                    continue
            assert obj is not None
            writer.write(obj)
            summary.written += 1
            summary.written_by_type[obj.type] += 1
            _maybe_progress(summary, progress, progress_every)
    except InputError as exc:
        raise ConnectorError(str(exc)) from None
    finally:
        writer.close()
        sink.close()
    if progress is not None:
        progress(summary)
    return summary


def _default_rejects(target: str) -> str:
    """``<target>.rejects.jsonl``; an API target (a URL) has no folder for it, so the
    caller must name the file."""
    if target.startswith(("http://", "https://")):
        raise ConnectorError(
            Text(
                "目标是网址：请用 --rejects FILE（或 rejects=）指定拒收文件",
                "the target is a URL: name a reject file (--rejects FILE / rejects=)",
            )
        )
    return f"{target}.rejects.jsonl"


def _rule_engine(profile: str | Path, source: str, emit: Callable[[Issue], None]) -> Any:
    """A rule engine for per-record checks, with the profile's severities applied."""
    import dataclasses

    from volunteer_standard.profiles import load_profile
    from volunteer_standard.validation.rules.engine import RuleEngine
    from volunteer_standard.validation.validate import clock

    prof = load_profile(profile)
    severities = prof.severities()
    enabled = prof.enabled_codes()
    today, now = clock()

    def apply(issue: Issue) -> None:
        if issue.code not in enabled:
            return
        override = severities.get(issue.code)
        if override is not None and override != issue.severity:
            issue = dataclasses.replace(issue, severity_override=override)
        emit(issue)

    return RuleEngine(prof, source=source, today=today, now=now, emit=apply)


def _maybe_progress(
    summary: ConvertSummary, progress: Callable[[ConvertSummary], None] | None, every: int
) -> None:
    if progress is not None and summary.read % every == 0:
        progress(summary)


def load_state(path: str | Path | None) -> dict[str, Any] | None:
    """Read a saved bookmark (``--state FILE``); a missing file means a first run."""
    if path is None or not Path(path).exists():
        return None
    loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else None


def save_state(path: str | Path, state: Mapping[str, Any]) -> None:
    """Write a bookmark atomically: a crash leaves the old file or the new one, never half."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write(json.dumps(dict(state), ensure_ascii=False, indent=1))
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(target)
