"""API description files: what a vendor's API looks like, as data that is easy to correct.

A vendor connector on the HTTP base is a small class plus one of these files (TOML, YAML or
JSON). It names the endpoints, how they page, which field holds the modification time,
the error envelope, the authentication scheme, and how each item's fields map to the
standard (the tabular connector's mapping language, with an item's keys as the columns;
nested objects are addressed as ``a.b``)::

    title = "Acme volunteers API"
    timezone = "+08:00"
    extensions_namespace = "acme"

    [envelope]                      # {"code": "0", "msg": "...", "data": {...}}
    code = "code"
    ok = ["0"]
    message = "msg"

    [auth]
    kind = "bearer"                 # none | api_key | bearer | token

    [[endpoints]]
    name = "volunteers"
    type = "volunteer"
    path = "/v1/volunteers"
    items = "data.items"
    pagination = { kind = "page", param = "page", size_param = "size", size = 100 }
    incremental = { field = "updated_at", param = "updated_since", key = "id" }
    fields = { id = "id", volunteer_no = "number", name = "name", gender = "sex" }

Loading checks the whole file (field paths against the models, required fields mapped)
and reports every mistake with its place, as mapping files do.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.tabular.mapping import (
    EntityMapping,
    MappingError,
    mapping_from_dict,
)
from volunteer_standard.text import Text


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnvelopeSpec(_Spec):
    """The vendor's answer wrapper: a status code and message beside the data.

    Many Chinese platforms answer HTTP 200 with ``{"errCode": "0000", "msg": "成功", ...}``
    and put the real outcome in the code; any code not in ``ok`` is a remote error.
    """

    code: str = Field("code", description="Dotted path of the status code in the body.")
    ok: list[str] = Field(default_factory=lambda: ["0"], description="Codes meaning success.")
    message: str = Field("msg", description="Dotted path of the message in the body.")
    token_expired: list[str] = Field(
        default_factory=list, description="Codes meaning the access token expired (refresh)."
    )
    retry: list[str] = Field(
        default_factory=list, description="Codes meaning 'busy, try again' (retried)."
    )


class AuthSpec(_Spec):
    """How requests are authenticated; the secrets themselves are in the connector config."""

    kind: Literal["none", "api_key", "bearer", "token"] = "none"
    header: str | None = Field(
        None,
        description="Header carrying the key or token (default: X-API-Key for api_key, "
        "Authorization otherwise).",
    )
    param: str | None = Field(
        None, description="Send the API key as this query parameter instead of a header."
    )
    scheme: str = Field("Bearer", description="Prefix of a token in the Authorization header.")
    token_path: str | None = Field(
        None, description="Token endpoint (path under the base URL, or absolute URL)."
    )
    token_style: Literal["form", "json"] = Field(
        "form", description="How client credentials are posted to the token endpoint."
    )
    grant_type: str | None = Field(
        "client_credentials", description="grant_type sent to the token endpoint."
    )
    id_field: str = Field("client_id", description="Name of the client id in the token request.")
    secret_field: str = Field(
        "client_secret", description="Name of the client secret in the token request."
    )
    token_field: str = Field(
        "access_token", description="Dotted path of the token in the token endpoint's answer."
    )
    expires_field: str | None = Field(
        "expires_in", description="Dotted path of the token lifetime in seconds."
    )

    @model_validator(mode="after")
    def _token_needs_path(self) -> AuthSpec:
        if self.kind == "token" and not self.token_path:
            raise ValueError("auth.kind 'token' needs auth.token_path")
        return self


class PaginationSpec(_Spec):
    """How an endpoint pages: by page number, by offset, by cursor, or not at all."""

    kind: Literal["none", "page", "offset", "cursor"] = "none"
    param: str | None = Field(
        None, description="Parameter of the page number, offset or cursor (page/offset/cursor)."
    )
    size_param: str | None = Field(None, description="Parameter of the page size.")
    size: int = Field(100, ge=1, le=10_000, description="Page size asked for.")
    start: int = Field(1, ge=0, description="First page number (page) or offset (offset).")
    cursor_field: str = Field(
        "next_cursor", description="Dotted path of the next cursor in the body (cursor)."
    )
    total_field: str | None = Field(
        None, description="Dotted path of the total count, when the API sends one."
    )

    def parameter(self) -> str:
        return self.param or {"page": "page", "offset": "offset", "cursor": "cursor"}.get(
            self.kind, "page"
        )


class IncrementalSpec(_Spec):
    """Incremental reads by modification time: the API must return items oldest first."""

    field: str = Field(description="Item key (dotted) of the modification time.")
    param: str | None = Field(
        None, description="Query parameter asking for items modified at or after a time."
    )
    format: str = Field(
        "%Y-%m-%d %H:%M:%S", description="strftime format of the time sent in ``param``."
    )
    key: str = Field(description="Item key (dotted) of the item's id, to break ties.")


class EndpointSpec(_Spec):
    """One list endpoint: its items become records of one entity type."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    type: str
    path: str
    method: Literal["GET", "POST"] = "GET"
    params: dict[str, str] = Field(default_factory=dict, description="Fixed parameters.")
    body: Literal["query", "form", "json"] = Field(
        "query", description="Where a POST list endpoint takes its parameters."
    )
    items: str = Field("items", description="Dotted path of the item list ('' = the body).")
    pagination: PaginationSpec = Field(default_factory=PaginationSpec)
    incremental: IncrementalSpec | None = None
    ignore: list[str] = Field(
        default_factory=list, description="Item keys dropped on read (not kept in extensions)."
    )
    fields: dict[str, Any]


class WriteSpec(_Spec):
    """A batch endpoint that accepts records and answers with one result per item."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    type: str
    path: str
    method: Literal["POST", "PUT"] = "POST"
    params: dict[str, str] = Field(
        default_factory=dict,
        description="Fixed parameters (form fields for a form body, else query parameters), "
        "e.g. a gateway's interface_id.",
    )
    batch_size: int = Field(50, ge=1, le=10_000)
    body: Literal["json", "form"] = "json"
    items_key: str = Field(
        "items", description="Body key of the item list (a form field holds it as JSON text)."
    )
    results: str = Field("results", description="Dotted path of the per-item results list.")
    result_ok: str = Field("ok", description="Key in a result: true/1/'0000' when accepted.")
    ok_values: list[str] = Field(
        default_factory=lambda: ["true", "1"], description="Values of result_ok meaning accepted."
    )
    result_code: str | None = Field("code", description="Key in a result: why refused.")
    result_message: str | None = Field("msg", description="Key in a result: message.")
    fields_from: str | None = Field(
        None, description="Endpoint whose field map is used (default: the first of this type)."
    )
    fields: dict[str, Any] | None = None


class ApiSpec(_Spec):
    """A whole API description file."""

    version: Literal[1] = 1
    title: str | None = None
    timezone: str = "+08:00"
    extensions_namespace: str = Field("http", pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    keep_unmapped: bool = True
    envelope: EnvelopeSpec | None = None
    auth: AuthSpec = Field(default_factory=AuthSpec)
    check_endpoint: str | None = Field(
        None, description="Endpoint fetched (one page) by check(); default: the first."
    )
    endpoints: list[EndpointSpec] = Field(default_factory=list)
    writes: list[WriteSpec] = Field(default_factory=list)


class CompiledApi:
    """An :class:`ApiSpec` with its field maps checked and compiled."""

    def __init__(self, spec: ApiSpec, source: str = "<api>") -> None:
        self.spec = spec
        self.source = source
        entities: list[dict[str, Any]] = [
            {"type": e.type, "file": e.name, "fields": e.fields, "ignore": e.ignore}
            for e in spec.endpoints
        ]
        entities += [
            {"type": w.type, "file": f"write:{w.name}", "fields": w.fields}
            for w in spec.writes
            if w.fields is not None
        ]
        self.maps: dict[str, EntityMapping] = {}
        if entities:
            try:
                compiled = mapping_from_dict(
                    {
                        "timezone": spec.timezone,
                        "extensions_namespace": spec.extensions_namespace,
                        "keep_unmapped": spec.keep_unmapped,
                        "entities": entities,
                    },
                    source,
                )
            except MappingError as exc:
                raise ConnectorError(exc.text) from None
            self.maps = {str(e.file): e for e in compiled.entities}
        for write in spec.writes:
            if write.fields is None:
                self.maps[f"write:{write.name}"] = self._read_map_for(write)

    def _read_map_for(self, write: WriteSpec) -> EntityMapping:
        if write.fields_from is not None:
            found = self.maps.get(write.fields_from)
            if found is None:
                raise ConnectorError(
                    Text(
                        f"{self.source}: writes.{write.name}.fields_from 指向不存在的端点 "
                        f"{write.fields_from!r}",
                        f"{self.source}: writes.{write.name}.fields_from names no endpoint "
                        f"{write.fields_from!r}",
                    )
                )
            return found
        for endpoint in self.spec.endpoints:
            if endpoint.type == write.type:
                return self.maps[endpoint.name]
        raise ConnectorError(
            Text(
                f"{self.source}: writes.{write.name} 没有字段映射（fields 或同类型的端点）",
                f"{self.source}: writes.{write.name} has no field map (fields, or an endpoint "
                "of the same type)",
            )
        )

    def endpoint_map(self, name: str) -> EntityMapping:
        return self.maps[name]

    def write_map(self, name: str) -> EntityMapping:
        return self.maps[f"write:{name}"]

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.type for e in self.spec.endpoints))

    @property
    def writes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w.type for w in self.spec.writes))


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def api_from_dict(data: Any, source: str = "<api>") -> CompiledApi:
    """Check and compile an API description given as a dict."""
    if not isinstance(data, dict):
        raise ConnectorError(
            Text(f"{source}: API 描述必须是一个对象", f"{source}: an API description is an object")
        )
    try:
        spec = ApiSpec.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(f"{_where(tuple(e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConnectorError(
            Text(
                f"{source}: API 描述有误：{details}",
                f"{source}: invalid API description: {details}",
            )
        ) from None
    return CompiledApi(spec, source)


def load_api(path: str | Path) -> CompiledApi:
    """Read, check and compile an API description file (``.toml``, ``.yaml``/``.yml``,
    ``.json``)."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConnectorError(
            Text(
                f"{path}: 无法读取 API 描述：{exc.strerror or exc}",
                f"{path}: cannot read the API description: {exc.strerror or exc}",
            )
        ) from None
    suffix = location.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # syntax errors of the three formats carry their line
        detail = " ".join(str(exc).split())
        raise ConnectorError(
            Text(f"{path}: 文件格式错误：{detail}", f"{path}: not valid {suffix[1:]}: {detail}")
        ) from None
    return api_from_dict(data, str(path))


__all__ = [
    "ApiSpec",
    "AuthSpec",
    "CompiledApi",
    "EndpointSpec",
    "EnvelopeSpec",
    "IncrementalSpec",
    "PaginationSpec",
    "WriteSpec",
    "api_from_dict",
    "load_api",
]
