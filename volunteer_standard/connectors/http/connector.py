"""``HttpConnector``: the base of vendor API connectors (a small class plus a data file).

A subclass names its API description file (see :mod:`.spec`) and, when the API needs it,
request and response hooks (signing, encryption)::

    class AcmeConnector(HttpConnector):
        name = "acme"
        title = "Acme volunteers API"
        api_file = Path(__file__).with_name("acme.toml")

Reading pages through every endpoint, one record per item, each with its location (the URL
without its query string, the page number as the line, the item's JSON pointer). For an
incremental endpoint it yields a :class:`Checkpoint` after each page whose records were
all handed on, holding the newest modification time and the ids seen at that time (so
ties on one timestamp are neither lost nor read twice). After a page that had to be
rejected, the endpoint's bookmark stays before it, so the next run fetches it again.
Writing posts batches and checks the per-item results the server sends back.

The source (or target) is an absolute URL, or a path under the configured ``base_url``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, ClassVar, Literal

import httpx
import orjson
from pydantic import Field, SecretStr

from volunteer_standard.connectors.base import (
    Checkpoint,
    CheckResult,
    Connector,
    ConnectorConfig,
    ConnectorError,
    Problem,
    ReadItem,
    SourceRecord,
)
from volunteer_standard.connectors.helpers.http import (
    NextPage,
    Page,
    RetryPolicy,
    cursor_pages,
    number_pages,
    offset_pages,
    safe_url,
)
from volunteer_standard.connectors.helpers.problems import BAD_PAGE, BAD_SHAPE, REMOTE_ERROR
from volunteer_standard.connectors.http.hooks import RequestHook, ResponseHook
from volunteer_standard.connectors.http.items import ItemMapper, dig, flatten_item
from volunteer_standard.connectors.http.spec import (
    CompiledApi,
    EndpointSpec,
    WriteSpec,
    api_from_dict,
    load_api,
)
from volunteer_standard.connectors.http.transport import (
    Answer,
    Credentials,
    PageError,
    RemoteError,
    Transport,
    join_url,
)
from volunteer_standard.connectors.tabular.transforms import (
    TransformError,
    parse_datetime,
    parse_timezone,
)
from volunteer_standard.io.reader import Location
from volunteer_standard.models import Entity
from volunteer_standard.text import Text

#: Pages in a row that may be rejected before the run stops (the API is clearly broken).
MAX_BAD_PAGES = 3


class HttpConfig(ConnectorConfig):
    """Options of an HTTP API connector. Secrets come from the config file or from
    ``VSTD_<CONNECTOR>_<FIELD>`` environment variables, never from the command line."""

    base_url: str | None = Field(
        None, description="Base URL of the API when the source/target is given as a path."
    )
    api: Path | None = Field(
        None, description="Another API description file (to correct endpoints or field maps)."
    )
    api_key: SecretStr | None = Field(None, description="API key (auth kind api_key).")
    token: SecretStr | None = Field(None, description="Bearer token (auth kind bearer).")
    client_id: str | None = Field(None, description="Client id for the token endpoint.")
    client_secret: SecretStr | None = Field(
        None, description="Client secret for the token endpoint."
    )
    endpoints: list[str] | None = Field(
        None, description="Names of the endpoints to read (default: all)."
    )
    page_size: int | None = Field(None, ge=1, le=10_000, description="Override the page size.")
    timeout: float = Field(30.0, gt=0, description="Seconds to wait for an answer.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection.")
    attempts: int = Field(5, ge=1, le=20, description="Tries per request before giving up.")
    backoff: float = Field(0.5, ge=0, description="First retry delay in seconds (doubles).")
    max_backoff: float = Field(30.0, ge=0, description="Longest delay between retries.")
    max_retry_after: float = Field(120.0, ge=0, description="Longest Retry-After honoured.")
    rate_limit: float | None = Field(
        None, gt=0, description="At most this many requests per second."
    )
    max_response_bytes: int = Field(
        20_000_000, ge=1024, description="Largest answer accepted (checked while streaming)."
    )
    verify_tls: bool = Field(True, description="Check the server's TLS certificate.")
    allow_plain_http: bool = Field(
        False,
        description="Send keys and tokens over plain http to other hosts than this machine.",
    )
    ca_bundle: Path | None = Field(None, description="CA certificates to trust (PEM file).")
    on_bad_page: Literal["reject", "fail"] = Field(
        "reject",
        description="A page that stays unusable after retries: reject it and go on "
        "(page/offset pagination) or stop the run.",
    )
    refused_items: Path | None = Field(
        None, description="JSON Lines file for records the server refused when writing."
    )


class HttpConnector(Connector):
    """Base class: set ``name``, ``title`` and ``api_file`` (or override :meth:`api`)."""

    name: ClassVar[str] = "http"
    title: ClassVar[str] = "HTTP API"
    config_model: ClassVar[type[ConnectorConfig]] = HttpConfig
    #: The API description shipped with the connector (TOML, YAML or JSON).
    api_file: ClassVar[str | Path | Traversable | None] = None
    #: Applied in order to every request just before it is sent (and again on retries).
    request_hooks: ClassVar[tuple[RequestHook, ...]] = ()
    #: Applied in order to every parsed answer (after the envelope check).
    response_hooks: ClassVar[tuple[ResponseHook, ...]] = ()
    #: Injectable for tests: how the transport waits.
    retry_sleep: ClassVar[Any] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.api_file is not None and ("reads" not in vars(cls) or "writes" not in vars(cls)):
            api = _load(cls.api_file)
            if "reads" not in vars(cls):
                cls.reads = api.reads
            if "writes" not in vars(cls):
                cls.writes = api.writes

    # -- configuration -----------------------------------------------------------------
    @property
    def options(self) -> HttpConfig:
        assert isinstance(self.config, HttpConfig)
        return self.config

    def api(self) -> CompiledApi:
        """The API description in force (the config's ``api`` file wins)."""
        cached: CompiledApi | None = getattr(self, "_api", None)
        if cached is None:
            source = self.options.api or self.api_file
            if source is None:
                raise ConnectorError(
                    Text(
                        f"连接器 {self.name!r} 没有 API 描述文件（配置项 api）",
                        f"connector {self.name!r} has no API description (config key 'api')",
                    )
                )
            cached = _load(source)
            self._api = cached
        return cached

    def make_request_hooks(self) -> list[RequestHook]:
        """The request hooks of this run: ``request_hooks`` by default. Override to build
        hooks from the configuration (signing keys, app ids)."""
        return list(self.request_hooks)

    def make_response_hooks(self) -> list[ResponseHook]:
        """The response hooks of this run: ``response_hooks`` by default."""
        return list(self.response_hooks)

    def transport(self) -> Transport:
        """A new HTTP client configured from the options and the API description."""
        o = self.options
        api = self.api()
        policy = RetryPolicy(
            attempts=o.attempts,
            backoff=o.backoff,
            max_backoff=o.max_backoff,
            max_retry_after=o.max_retry_after,
            **({"sleep": type(self).retry_sleep} if type(self).retry_sleep else {}),
        )
        verify: bool | str = str(o.ca_bundle) if o.ca_bundle and o.verify_tls else o.verify_tls
        return Transport(
            auth=api.spec.auth,
            credentials=Credentials(o.api_key, o.token, o.client_id, o.client_secret),
            envelope=api.spec.envelope,
            retry=policy,
            timeout=httpx.Timeout(o.timeout, connect=o.connect_timeout),
            verify=verify,
            max_response_bytes=o.max_response_bytes,
            rate_limit=o.rate_limit,
            request_hooks=self.make_request_hooks(),
            response_hooks=self.make_response_hooks(),
            user_agent=f"volunteer-standard {self.name}/{self.version}",
            allow_plain_http=o.allow_plain_http,
        )

    def base_url(self, location: str) -> str:
        """The API's base URL for a source or target: a URL, or a path under base_url."""
        if location.startswith(("http://", "https://")):
            return location.rstrip("/")
        if "://" in location:
            raise ConnectorError(
                Text(
                    f"{location.split('://')[0]}：只支持 http 和 https 地址",
                    f"{location.split('://')[0]}: only http and https URLs are supported",
                )
            )
        if not self.options.base_url:
            raise ConnectorError(
                Text(
                    f"{location!r} 不是 http(s) 地址，配置里也没有 base_url",
                    f"{location!r} is not an http(s) URL and the config has no base_url",
                )
            )
        base = self.options.base_url.rstrip("/")
        path = location.strip()
        return base if path in ("", ".", "/") else base + "/" + path.strip("/")

    # -- check ---------------------------------------------------------------------------
    def check(self, location: str, *, for_writing: bool = False) -> CheckResult:
        try:
            base = self.base_url(location)
            api = self.api()
        except ConnectorError as exc:
            return CheckResult(False, exc.message())
        if for_writing:
            if not api.spec.writes:
                return CheckResult(False, f"{self.name} cannot write")
            return CheckResult(True, f"{safe_url(base)}: records are posted in batches")
        endpoints = self._endpoints()
        if not endpoints:
            return CheckResult(False, f"{self.name}: no endpoint to read")
        wanted = api.spec.check_endpoint
        endpoint = next((e for e in endpoints if e.name == wanted), endpoints[0])
        transport = self.transport()
        try:
            method, url, kwargs = self._request(base, endpoint, self._first_params(endpoint))
            transport.call(method, url, base=base, what=Text("检查", "check"), **kwargs)
        except ConnectorError as exc:
            return CheckResult(False, exc.message())
        finally:
            transport.close()
        return CheckResult(True, f"{safe_url(join_url(base, endpoint.path))} answers")

    # -- reading -------------------------------------------------------------------------
    def _endpoints(self) -> list[EndpointSpec]:
        endpoints = self.api().spec.endpoints
        wanted = self.options.endpoints
        if wanted is None:
            return list(endpoints)
        unknown = sorted(set(wanted) - {e.name for e in endpoints})
        if unknown:
            raise ConnectorError(
                Text(
                    f"未知端点：{', '.join(unknown)}"
                    f"（可用：{', '.join(e.name for e in endpoints)}）",
                    f"unknown endpoints: {', '.join(unknown)} "
                    f"(available: {', '.join(e.name for e in endpoints)})",
                )
            )
        return [e for e in endpoints if e.name in wanted]

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        base = self.base_url(source)
        endpoints = self._endpoints()
        current: dict[str, Any] = dict(state or {})
        transport = self.transport()
        try:
            for endpoint in endpoints:
                yield from self._read_endpoint(transport, base, endpoint, current)
        finally:
            transport.close()
        yield Checkpoint(dict(current))

    def _page_size(self, endpoint: EndpointSpec) -> int:
        return self.options.page_size or endpoint.pagination.size

    def _first_params(self, endpoint: EndpointSpec) -> dict[str, Any]:
        params: dict[str, Any] = dict(endpoint.params)
        pag = endpoint.pagination
        if pag.kind in ("page", "offset"):
            params[pag.parameter()] = pag.start
        if pag.kind != "none" and pag.size_param:
            params[pag.size_param] = self._page_size(endpoint)
        return params

    def _request(
        self, base: str, endpoint: EndpointSpec, params: dict[str, Any]
    ) -> tuple[str, str, dict[str, Any]]:
        url = join_url(base, endpoint.path)
        if endpoint.method == "GET" or endpoint.body == "query":
            return endpoint.method, url, {"params": params}
        if endpoint.body == "form":
            return endpoint.method, url, {"form": params}
        return endpoint.method, url, {"json": params}

    def _tz(self) -> tzinfo:
        return parse_timezone(self.api().spec.timezone)

    def _read_endpoint(
        self,
        transport: Transport,
        base: str,
        endpoint: EndpointSpec,
        state: dict[str, Any],
    ) -> Iterator[ReadItem]:
        mapper = ItemMapper(self.api().endpoint_map(endpoint.name))
        inc = endpoint.incremental
        tz = self._tz()
        mark = _TimeMark.load(state.get(endpoint.name), tz)
        params = self._first_params(endpoint)
        if inc is not None and inc.param and mark.since is not None:
            params[inc.param] = mark.since.astimezone(tz).strftime(inc.format)
        pag = endpoint.pagination
        size = self._page_size(endpoint)
        pointer = "/" + "/".join(endpoint.items.split(".")) if endpoint.items else ""
        frozen = False  # after a rejected page the bookmark must not move past it
        bad_in_row = 0
        seen: set[bytes] = set()
        number = 0
        where = safe_url(join_url(base, endpoint.path))
        while True:
            number += 1
            method, url, kwargs = self._request(base, endpoint, params)
            label = Text(f"{endpoint.name} 第 {number} 页", f"{endpoint.name} page {number}")
            try:
                answer = transport.call(method, url, base=base, what=label, **kwargs)
                items = dig(answer.payload, endpoint.items)
                if items is None:
                    items = []
                if not isinstance(items, list):
                    raise PageError(
                        Text(
                            f"{where}（{label.zh}）：{endpoint.items or '应答'} 不是列表",
                            f"{where} ({label.en}): {endpoint.items or 'the body'} is not a list",
                        )
                    )
            except (PageError, RemoteError) as exc:
                if isinstance(exc, RemoteError) and exc.code is None:
                    raise  # HTTP status after retries: the run stops, the bookmark stays
                if self.options.on_bad_page == "fail" or pag.kind == "cursor":
                    raise
                frozen = True
                bad_in_row += 1
                code = REMOTE_ERROR if isinstance(exc, RemoteError) else BAD_PAGE
                raw = {"page": number, "params": _public(params, transport)}
                yield SourceRecord(
                    None, Location(where, number, ""), raw, [Problem(code, exc.text)]
                )
                if bad_in_row >= MAX_BAD_PAGES or pag.kind == "none":
                    if pag.kind == "none":
                        return
                    raise ConnectorError(
                        Text(
                            f"{where}：连续 {bad_in_row} 页无法使用，停止读取",
                            f"{where}: {bad_in_row} pages in a row were unusable; stopping",
                        )
                    ) from None
                params = _advance(params, pag.kind, pag.parameter(), size)
                continue
            bad_in_row = 0
            for index, item in enumerate(items):
                location = Location(where, number, f"{pointer}/{index}")
                if not isinstance(item, dict):
                    shown = item if isinstance(item, str | int | float | bool) else None
                    yield SourceRecord(
                        None,
                        location,
                        {"item": shown},
                        [
                            Problem(
                                BAD_SHAPE,
                                Text(
                                    f"{location}：条目不是 JSON 对象",
                                    f"{location}: the item is not a JSON object",
                                ),
                            )
                        ],
                    )
                    continue
                if inc is not None:
                    moment, key = _stamp(item, inc.field, inc.key, tz)
                    if moment is not None and mark.skip(moment, key):
                        continue
                    if moment is not None and not frozen:
                        mark.observe(moment, key)
                yield mapper.record(item, location)
            if inc is not None and not frozen:
                state[endpoint.name] = mark.dump()
                yield Checkpoint(dict(state))
            following = self._next(pag.kind, params, answer, items, size, endpoint)
            if following is None:
                return
            key_bytes = orjson.dumps(following, option=orjson.OPT_SORT_KEYS, default=str)
            if key_bytes in seen:
                raise ConnectorError(
                    Text(
                        f"{where}：分页出现循环（第 {number} 页之后重复）",
                        f"{where}: pagination loops (repeats after page {number})",
                    )
                )
            seen.add(key_bytes)
            params = following

    def _next(
        self,
        kind: str,
        params: dict[str, Any],
        answer: Answer,
        items: list[Any],
        size: int,
        endpoint: EndpointSpec,
    ) -> dict[str, Any] | None:
        """The parameters of the next page, or ``None`` after the last one (the helpers'
        pagers, plus the total count when the API sends one)."""
        pag = endpoint.pagination
        if kind == "none" or not items:
            return None
        param = pag.parameter()
        pager: NextPage
        if kind == "cursor":
            pager = cursor_pages(pag.cursor_field, param)
        elif kind == "offset":
            pager = offset_pages(param, size=size, start=pag.start)
        else:
            pager = number_pages(param, start=pag.start, size=size)
        following = pager(Page(0, params, answer.payload, items, answer.response))
        if following is None:
            return None
        if pag.total_field and kind != "cursor":
            total = dig(answer.payload, pag.total_field)
            current = int(params[param]) - pag.start
            done = current + len(items) if kind == "offset" else (current + 1) * size
            if isinstance(total, int) and done >= total:
                return None
        return {**params, **following}

    # -- writing -------------------------------------------------------------------------
    def open_writer(self, target: str) -> HttpWriter:
        base = self.base_url(target)
        if not self.api().spec.writes:
            raise ConnectorError(
                Text(f"连接器 {self.name!r} 不能写入", f"connector {self.name!r} cannot write")
            )
        return HttpWriter(self, base)


class HttpWriter:
    """Posts records in batches; the server's per-item results decide what was accepted.

    Refused records are listed in ``refused`` (id, code, message: never personal data),
    written to the ``refused_items`` file when configured, and make :meth:`close` raise,
    so a run never reports success for records the remote system did not take.
    """

    def __init__(self, connector: HttpConnector, base: str) -> None:
        self.connector = connector
        self.base = base
        api = connector.api()
        self.transport = connector.transport()
        self._specs: dict[str, WriteSpec] = {}
        self._mappers: dict[str, ItemMapper] = {}
        for spec in api.spec.writes:
            self._specs.setdefault(spec.type, spec)
            self._mappers.setdefault(spec.type, ItemMapper(api.write_map(spec.name)))
        self._batches: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.accepted = 0
        self.refused: list[dict[str, Any]] = []

    def write(self, obj: Entity) -> None:
        spec = self._specs.get(obj.type)
        if spec is None:
            raise ConnectorError(
                Text(
                    f"{self.connector.name} 不能写入 {obj.type}",
                    f"{self.connector.name} cannot write {obj.type}",
                )
            )
        batch = self._batches.setdefault(obj.type, [])
        batch.append((obj.id, self._mappers[obj.type].item(obj)))
        if len(batch) >= spec.batch_size:
            self._flush(spec, batch)
            batch.clear()

    def _flush(self, spec: WriteSpec, batch: list[tuple[str, dict[str, Any]]]) -> None:
        if not batch:
            return
        items = [item for _, item in batch]
        url = join_url(self.base, spec.path)
        where = safe_url(url)
        if spec.body == "json":
            kwargs: dict[str, Any] = {"json": {spec.items_key: items}, "params": spec.params}
        else:
            text = orjson.dumps(items).decode()
            kwargs = {"form": {**spec.params, spec.items_key: text}}
        label = Text(f"批量写入 {len(items)} 条", f"batch of {len(items)}")
        answer = self.transport.call(spec.method, url, base=self.base, what=label, **kwargs)
        results = dig(answer.payload, spec.results)
        if not isinstance(results, list) or len(results) != len(items):
            got = len(results) if isinstance(results, list) else "no"
            raise ConnectorError(
                Text(
                    f"{where}：写入 {len(items)} 条，服务器返回了 {got} 条结果，无法确认哪些被接收",
                    f"{where}: {len(items)} records posted but {got} results came back; "
                    "cannot tell which were accepted",
                )
            )
        for (record_id, _), result in zip(batch, results, strict=True):
            ok = dig(result, spec.result_ok) if isinstance(result, dict) else result
            if str(ok).lower() in spec.ok_values:
                self.accepted += 1
                continue
            self.refused.append(
                {
                    "id": record_id,
                    "type": spec.type,
                    "code": _field(result, spec.result_code),
                    "message": _field(result, spec.result_message),
                }
            )

    def close(self) -> None:
        try:
            for kind, batch in self._batches.items():
                self._flush(self._specs[kind], batch)
                batch.clear()
        finally:
            self.transport.close()
        if not self.refused:
            return
        target = self.connector.options.refused_items
        if target is not None:
            _write_jsonl_atomically(target, self.refused)
        first = self.refused[0]
        saved_zh = f"，详见 {target}" if target else ""
        saved_en = f"; listed in {target}" if target else ""
        raise ConnectorError(
            Text(
                f"{safe_url(self.base)}：服务器拒收了 {len(self.refused)} 条记录"
                f"（接收 {self.accepted} 条）；第一条：{first['id']} "
                f"{first['code'] or ''} {first['message'] or ''}".rstrip()
                + saved_zh,
                f"{safe_url(self.base)}: the server refused {len(self.refused)} records "
                f"({self.accepted} accepted); first: {first['id']} "
                f"{first['code'] or ''} {first['message'] or ''}".rstrip()
                + saved_en,
            )
        )


# -- helpers --------------------------------------------------------------------------------


def _load(source: str | Path | Traversable) -> CompiledApi:
    if isinstance(source, str | Path):
        return load_api(source)
    import tomllib

    name = source.name
    text = source.read_text(encoding="utf-8")
    if name.endswith(".toml"):
        return api_from_dict(tomllib.loads(text), name)
    if name.endswith(".json"):
        return api_from_dict(orjson.loads(text), name)
    import yaml

    return api_from_dict(yaml.safe_load(text), name)


def _advance(params: dict[str, Any], kind: str, param: str, size: int) -> dict[str, Any]:
    if kind == "page":
        return {**params, param: int(params[param]) + 1}
    if kind == "offset":
        return {**params, param: int(params[param]) + size}
    return params


def _public(params: Mapping[str, Any], transport: Transport) -> dict[str, str]:
    """Request parameters safe to show: an API key sent as a parameter is left out."""
    hidden = {transport.auth.param} if transport.auth.param else set()
    return {k: str(v) for k, v in params.items() if k not in hidden}


def _field(result: Any, key: str | None) -> str | None:
    if key is None or not isinstance(result, dict):
        return None
    value = dig(result, key)
    return None if value is None else str(value)[:200]


def _stamp(
    item: Mapping[str, Any], field: str, key: str, tz: tzinfo
) -> tuple[datetime | None, str]:
    cells = flatten_item(item)
    value = cells.get(field)
    ident = str(cells.get(key, ""))
    if value is None or value == "":
        return None, ident
    try:
        return parse_datetime(value, tz), ident
    except (TransformError, ValueError):
        return None, ident


class _TimeMark:
    """The bookmark of one endpoint: the newest modification time handed on, and the ids
    seen at exactly that time (the API is asked for items at or after it)."""

    def __init__(self, since: datetime | None, ids: set[str]) -> None:
        self.since = since
        self.ids = ids

    @classmethod
    def load(cls, saved: Any, tz: tzinfo) -> _TimeMark:
        if not isinstance(saved, Mapping) or not saved.get("since"):
            return cls(None, set())
        try:
            since = parse_datetime(str(saved["since"]), tz)
        except (TransformError, ValueError):
            raise ConnectorError(
                Text(
                    f"书签时间无法识别：{saved['since']!r}",
                    f"the bookmark's time is not understood: {saved['since']!r}",
                )
            ) from None
        return cls(since, {str(i) for i in saved.get("ids", [])})

    def skip(self, moment: datetime, key: str) -> bool:
        if self.since is None:
            return False
        return moment < self.since or (moment == self.since and key in self.ids)

    def observe(self, moment: datetime, key: str) -> None:
        if self.since is None or moment > self.since:
            self.since = moment
            self.ids = {key}
        elif moment == self.since:
            self.ids.add(key)

    def dump(self) -> dict[str, Any]:
        if self.since is None:
            return {}
        return {"since": self.since.isoformat(), "ids": sorted(self.ids)}


def _write_jsonl_atomically(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for row in rows:
                out.write(orjson.dumps(row) + b"\n")
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


__all__ = ["MAX_BAD_PAGES", "HttpConfig", "HttpConnector", "HttpWriter"]
