"""Export and import certificates as e-licence records (电子证照), one JSON object per line.

Each licence has the header fields of ``data/fields.csv`` (item code, licence number and
id, holder, identity type and number, division code, issuing organization and code,
dates, validity, status, signature fields) and the rest of the certificate under
``surface`` (照面信息) in the standard's field names, so export → import loses nothing.
Licences from other libraries import too: header fields fill the certificate, unknown
header fields are kept under ``extensions.elicence``.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import Field

from volunteer_standard.connectors.base import (
    Connector,
    ConnectorConfig,
    ConnectorError,
    Problem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.connectors.elicence.fields import (
    LICENCE_NAME,
    OTHER_ID_TYPE,
    id_type_codes,
    licence_fields,
    status_codes,
)
from volunteer_standard.io.reader import iter_raw
from volunteer_standard.models import Certificate, Entity
from volunteer_standard.text import Text

#: Extension namespace for header fields this connector does not know.
NAMESPACE = "elicence"


class ElicenceConfig(ConnectorConfig):
    """The codes a licence library assigns; the defaults suit a library without its own."""

    #: 证照类型代码 of 志愿服务记录证明 in the target library.
    item_code: str = "ZYFWJLZM"
    #: GB/T 2260 code of the issuer's division (default: the first line's region).
    division_code: str | None = None
    #: Overrides of data/holder_id_types.csv (standard code → licence code).
    id_type_codes: dict[str, str] = Field(default_factory=dict)
    #: Overrides of data/licence_status.csv (standard status → licence code).
    status_codes: dict[str, str] = Field(default_factory=dict)


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _pop(data: dict[str, Any], path: str) -> Any:
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if not isinstance(node, dict):
        return None
    value = node.pop(parts[-1], None)
    if not node and len(parts) > 1:
        _pop(data, ".".join(parts[:-1]))
    return value


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


class ElicenceConnector(Connector):
    """Certificates (志愿服务证明) as e-licence library records (电子证照), JSON Lines."""

    name = "elicence"
    title = "Government e-licence library records (电子证照) for certificates"
    version = "1.0"
    reads = ("certificate",)
    writes = ("certificate",)
    config_model = ElicenceConfig

    @property
    def _config(self) -> ElicenceConfig:
        assert isinstance(self.config, ElicenceConfig)
        return self.config

    def _id_types(self) -> dict[str, str]:
        return {**id_type_codes(), **self._config.id_type_codes}

    def _statuses(self) -> dict[str, str]:
        return {**status_codes(), **self._config.status_codes}

    # -- export ----------------------------------------------------------------------
    def to_licence(self, certificate: Certificate) -> dict[str, Any]:
        """The licence record of ``certificate``."""
        rest = certificate.model_dump(mode="json", exclude_none=True)
        licence: dict[str, Any] = {}
        for spec in licence_fields():
            if spec.path and spec.path != "*":
                value = _pop(rest, spec.path)
                if spec.key == "status" and value is not None:
                    value = self._statuses().get(value, value)
                if value is not None:
                    licence[spec.key] = value
        issuer_code = certificate.issuer.uscc or certificate.issuer.organization_id
        division = self._config.division_code or next(
            (line.region_code for line in certificate.lines if line.region_code), None
        )
        id_type = certificate.volunteer.id_type
        derived: dict[str, Any] = {
            "licence_type_code": self._config.item_code,
            "licence_name": LICENCE_NAME,
            "licence_id": f"{self._config.item_code}.{issuer_code}.{certificate.certificate_no}",
            "holder_id_type": self._id_types().get(id_type, OTHER_ID_TYPE) if id_type else None,
            "division_code": division,
            "valid_from": certificate.issued_on.isoformat(),
            "valid_to": "长期",
            "signature_algorithm": "Ed25519" if certificate.proof else None,
        }
        licence.update({k: v for k, v in derived.items() if v is not None})
        licence["surface"] = rest
        order = {spec.key: i for i, spec in enumerate(licence_fields())}
        return dict(sorted(licence.items(), key=lambda item: order.get(item[0], len(order))))

    def open_writer(self, target: str) -> RecordWriter:
        return _LicenceWriter(self, target)

    # -- import ----------------------------------------------------------------------
    def from_licence(self, licence: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        """The certificate (standard-shaped dict, not yet validated) of a licence record."""
        problems: list[Problem] = []
        surface = licence.get("surface")
        data: dict[str, Any] = copy.deepcopy(surface) if isinstance(surface, dict) else {}
        known = {spec.key for spec in licence_fields()}
        for spec in licence_fields():
            value = licence.get(spec.key)
            if value is None:
                if spec.required:
                    problems.append(
                        Problem(
                            "EL101",
                            Text(
                                "电子证照缺少必填字段 {key}（{label}）",
                                "the licence lacks the required field {key} ({label_en})",
                            ).format(key=spec.key, label=spec.label_zh, label_en=spec.label_en),
                            field=spec.key,
                            params={"key": spec.key},
                        )
                    )
                continue
            if spec.key == "licence_type_code" and value != self._config.item_code:
                problems.append(
                    Problem(
                        "EL102",
                        Text(
                            "证照类型代码不是志愿服务记录证明（{expected}）",
                            "the licence item code is not that of a volunteer service "
                            "certificate ({expected})",
                        ).format(expected=self._config.item_code),
                        field=spec.key,
                        params={"expected": self._config.item_code},
                    )
                )
            if spec.direction != "both" or spec.path == "*":
                continue
            if spec.key == "status":
                back = {v: k for k, v in self._statuses().items()}
                value = back.get(value, value)
            _put(data, spec.path, value)
        if "id_type" not in data.get("volunteer", {}) and licence.get("holder_id_type"):
            back = {v: k for k, v in self._id_types().items()}
            standard = back.get(str(licence["holder_id_type"]))
            if standard is not None:
                _put(data, "volunteer.id_type", standard)
        unknown = {k: v for k, v in licence.items() if k not in known}
        if unknown:
            _put(
                data,
                f"extensions.{NAMESPACE}",
                {**data.get("extensions", {}).get(NAMESPACE, {}), **unknown},
            )
        data.setdefault("type", "certificate")
        if "id" not in data and isinstance(licence.get("licence_number"), str):
            data["id"] = "cert-" + "".join(
                c if c.isalnum() or c in "._:-" else "-" for c in licence["licence_number"]
            )
        return data, problems

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        for raw in iter_raw(source, fmt="jsonl"):
            if raw.error is not None:
                problem = Problem(
                    "VC102",
                    Text("不是有效的 JSON：{e}", "not valid JSON: {e}").format(e=raw.error),
                )
                yield SourceRecord(None, raw.location, {"text": raw.data}, [problem])
                continue
            if not isinstance(raw.data, dict):
                problem = Problem(
                    "VC103", Text("证照不是 JSON 对象", "the licence is not a JSON object")
                )
                yield SourceRecord(None, raw.location, None, [problem])
                continue
            data, problems = self.from_licence(raw.data)
            yield SourceRecord(data, raw.location, raw.data, problems)


class _LicenceWriter:
    """JSON Lines of licences, written to a temporary name and renamed on close."""

    def __init__(self, connector: ElicenceConnector, target: str) -> None:
        self._connector = connector
        self._target = Path(target)
        folder = self._target.parent if str(self._target.parent) else Path(".")
        try:
            fd, temp = tempfile.mkstemp(prefix=f".{self._target.name}.", dir=folder)
        except OSError as exc:
            raise ConnectorError(f"{target}: cannot write: {exc.strerror or exc}") from None
        self._temp = Path(temp)
        self._out: IO[bytes] = os.fdopen(fd, "wb")

    def write(self, obj: Entity) -> None:
        if not isinstance(obj, Certificate):
            raise ConnectorError(f"elicence writes certificates only, not {obj.type!r}")
        self._out.write(orjson.dumps(self._connector.to_licence(obj)) + b"\n")

    def close(self) -> None:
        if self._out.closed:
            return
        self._out.close()
        os.chmod(self._temp, 0o644)
        os.replace(self._temp, self._target)


__all__ = ["NAMESPACE", "ElicenceConfig", "ElicenceConnector"]
