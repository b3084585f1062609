"""Upgrade data from an older version of the standard to the current one, losslessly.

Records are upgraded as they were written, as JSON, never through the models (a model
would normalise what it does not need to touch): every key and value of the input reaches
the output, and only the steps of the version history change anything. The report says
what changed and how often. The form is kept: a package stays a package, JSON Lines stay
JSON Lines. The output is written to a temporary file next to it and renamed at the end.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from volunteer_standard import versions
from volunteer_standard.errors import VstdError
from volunteer_standard.io.reader import InputError, iter_raw
from volunteer_standard.io.writer import JsonlWriter, PackageWriter
from volunteer_standard.models import PackageMetadata
from volunteer_standard.text import Text

#: A step rewrites one record (a dict, changed in place) and returns what it changed.
Step = Callable[[dict[str, Any]], list[str]]


class UpgradeError(VstdError):
    """The data cannot be upgraded (unknown version, unreadable input, same file)."""


@dataclass
class UpgradeReport:
    """What an upgrade did: records seen, declared versions, and every change counted."""

    source: str
    target: str
    to_version: str
    records: int = 0
    declared: Counter[str] = field(default_factory=Counter)
    changes: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "to_version": self.to_version,
            "records": self.records,
            "declared_versions": dict(sorted(self.declared.items())),
            "changes": dict(sorted(self.changes.items())),
        }


def _set_version(to: str) -> Step:
    def step(record: dict[str, Any]) -> list[str]:
        if "schema_version" in record and record["schema_version"] != to:
            record["schema_version"] = to
            return [f"schema_version → {to}"]
        return []

    return step


def steps(from_version: str, to_version: str) -> list[Step]:
    """The steps from one version to another (minor versions only add: nothing to rewrite
    but the declared version)."""
    for v in (from_version, to_version):
        if not versions.known(v):
            raise UpgradeError(
                Text(f"未知的标准版本 {v!r}", f"unknown version of the standard {v!r}")
            )
    if versions.parse(from_version) > versions.parse(to_version):
        raise UpgradeError(
            Text(
                f"不能从 {from_version} 降级到 {to_version}",
                f"cannot downgrade from {from_version} to {to_version}",
            )
        )
    return [_set_version(to_version)]


def upgrade(source: str | Path, target: str | Path, *, to: str | None = None) -> UpgradeReport:
    """Upgrade ``source`` (a package or JSON Lines file) into ``target``."""
    to_version = to or versions.current()
    src, dst = Path(source), Path(target)
    if dst.exists() and src.exists() and os.path.samefile(src, dst):
        raise UpgradeError(
            Text(
                f"输出文件 {dst} 就是输入文件；请写到另一个文件",
                f"the output {dst} is the input file; write to another file",
            )
        )
    report = UpgradeReport(str(source), str(target), to_version)
    tmp = dst.with_name(f".{dst.name}.vstd-tmp-{os.getpid()}")
    try:
        _run(src, tmp, to_version, report)
        os.replace(tmp, dst)
    except InputError as exc:
        raise UpgradeError(exc.text) from None
    finally:
        tmp.unlink(missing_ok=True)
    return report


def _run(src: Path, tmp: Path, to_version: str, report: UpgradeReport) -> None:
    records = iter_raw(src)
    first = next(records, None)
    rewrite = steps(versions.versions()[0].version, to_version)
    if first is not None and first.collection is not None:  # a package
        metadata: dict[str, Any] = {}
        pending = [first]
        if first.collection == "metadata":
            metadata, pending = dict(first.data), []
        if isinstance(metadata.get("schema_version"), str):
            report.declared[metadata["schema_version"]] += 1
            _no_downgrade(metadata["schema_version"], to_version)
            for step in rewrite:
                report.changes.update(f"metadata: {c}" for c in step(metadata))
        try:
            meta = PackageMetadata.model_validate(metadata) if metadata else None
        except ValueError as exc:
            raise UpgradeError(
                Text(f"数据包元数据无效：{exc}", f"invalid package metadata: {exc}")
            ) from None
        with PackageWriter(tmp, meta) as writer:
            for raw in [*pending, *records]:
                writer.write(_upgraded(raw.data, rewrite, report))
        return
    with JsonlWriter(tmp) as lines:
        for raw in [first] if first is not None else []:
            lines.write(_upgraded(raw.data, rewrite, report))
        for raw in records:
            if raw.error is not None:
                raise UpgradeError(
                    Text(
                        f"{raw.location}：不是合法的 JSON，无法升级",
                        f"{raw.location}: not valid JSON, cannot be upgraded",
                    )
                )
            lines.write(_upgraded(raw.data, rewrite, report))


def _no_downgrade(declared: str, to_version: str) -> None:
    try:
        newer = versions.parse(declared) > versions.parse(to_version)
    except ValueError:
        return  # validation reports a malformed version; upgrading leaves it as it is
    if newer:
        raise UpgradeError(
            Text(
                f"数据声明的版本 {declared} 比目标版本 {to_version} 新，不能降级",
                f"the data declares version {declared}: cannot downgrade to {to_version}",
            )
        )


def _upgraded(data: Any, rewrite: list[Step], report: UpgradeReport) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UpgradeError(Text("记录必须是 JSON 对象", "every record must be a JSON object"))
    record = dict(data)
    report.records += 1
    declared = record.get("schema_version")
    if isinstance(declared, str):
        report.declared[declared] += 1
        _no_downgrade(declared, report.to_version)
    for step in rewrite:
        report.changes.update(step(record))
    return record


__all__ = ["UpgradeError", "UpgradeReport", "steps", "upgrade"]
