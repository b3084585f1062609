"""The ``exchange`` connector: a hub (or any server of the exchange API) as source or target.

Reading follows the RPDE feeds (``GET /v1/feeds/{type}``) type by type, in dependency order,
and yields a :class:`Checkpoint` after every page, so a sync resumes from the last page it
wrote. Tombstones advance the bookmark but yield nothing: the connector contract carries
records, not deletions. Writing posts batches to ``POST /v1/batches`` with an idempotency
key per record (its type, id and content hash): a batch retried after a timeout, or sent
again after a crash, is replayed by the hub instead of stored twice. 429 and 5xx answers
are retried with backoff, honouring ``Retry-After``.

The token comes from the configuration file or ``$VSTD_EXCHANGE_TOKEN``, never the command
line. Read with a token that has the ``sensitive`` scope: masked personal fields do not pass
validation and would be rejected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
from pydantic import Field, SecretStr

from volunteer_standard.connectors.base import (
    Checkpoint,
    CheckResult,
    Connector,
    ConnectorConfig,
    ConnectorError,
    ReadItem,
    SourceRecord,
)
from volunteer_standard.connectors.helpers.http import RetryPolicy, request, safe_url
from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS, Entity


class ExchangeConfig(ConnectorConfig):
    """Where and how to talk to the exchange API."""

    token: SecretStr | None = Field(None, description="API token ($VSTD_EXCHANGE_TOKEN).")
    types: list[str] = Field(
        default_factory=lambda: list(ENTITY_MODELS),
        description="Entity types to read, in this order.",
    )
    page_size: int = Field(500, ge=1, le=500, description="Feed page size.")
    batch_size: int = Field(200, ge=1, le=1000, description="Records per submitted batch.")
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for one response.")
    attempts: int = Field(6, ge=1, le=20, description="Tries per request (429, 5xx, timeouts).")


def _base(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConnectorError(f"not an http(s) URL of an exchange API: {safe_url(url)}")
    return url.rstrip("/")


def _page_items(response: httpx.Response) -> list[dict[str, Any]]:
    """The items of a feed page; a page that is not one is a clean error, not a crash."""
    try:
        body = response.json()
    except ValueError:
        body = None
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and "id" in i and "modified" in i for i in items
    ):
        raise ConnectorError(f"{safe_url(response.url)}: the answer is not a feed page")
    return items


class ExchangeConnector(Connector):
    """Reads feeds from and submits batches to an exchange API (``vstd serve``)."""

    name = "exchange"
    title = "Exchange API (volunteer-standard hub)"
    reads = tuple(ENTITY_MODELS)
    writes = tuple(ENTITY_MODELS)
    config_model = ExchangeConfig

    @property
    def settings(self) -> ExchangeConfig:
        assert isinstance(self.config, ExchangeConfig)
        return self.config

    def _client(self, base: str) -> httpx.Client:
        headers = {"Accept": "application/json"}
        token = self.settings.token
        if token is not None:
            headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        return httpx.Client(base_url=base, headers=headers, timeout=self.settings.timeout)

    def _retry(self) -> RetryPolicy:
        return RetryPolicy(attempts=self.settings.attempts)

    def check(self, location: str, *, for_writing: bool = False) -> CheckResult:
        try:
            base = _base(location)
            with self._client(base) as client:
                request(client, "GET", "/healthz", retry=RetryPolicy(attempts=2))
        except ConnectorError as exc:
            return CheckResult(False, str(exc))
        return CheckResult(True, f"{safe_url(base)} answers")

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        base = _base(source)
        bookmarks: dict[str, dict[str, Any]] = {
            k: dict(v) for k, v in dict((state or {}).get("feeds", {})).items()
        }
        with self._client(base) as client:
            for kind in self.settings.types:
                if kind not in ENTITY_MODELS:
                    raise ConnectorError(f"unknown entity type in 'types': {kind}")
                params: dict[str, Any] = {"limit": self.settings.page_size}
                params.update(bookmarks.get(kind, {}))
                page_no = 0
                while True:
                    page_no += 1
                    response = request(
                        client, "GET", f"/v1/feeds/{kind}", params=params, retry=self._retry()
                    )
                    items = _page_items(response)
                    if not items:
                        break
                    for index, item in enumerate(items):
                        if item.get("state") == "deleted" or item.get("data") is None:
                            continue
                        yield SourceRecord(
                            item["data"],
                            Location(
                                f"{safe_url(base)}/v1/feeds/{kind}", page_no, f"/items/{index}"
                            ),
                        )
                    last = items[-1]
                    bookmark = {"afterTimestamp": last["modified"], "afterId": last["id"]}
                    bookmarks[kind] = bookmark
                    params.update(bookmark)
                    yield Checkpoint({"feeds": {k: dict(v) for k, v in bookmarks.items()}})
        yield Checkpoint({"feeds": {k: dict(v) for k, v in bookmarks.items()}})

    def open_writer(self, target: str) -> ExchangeWriter:
        return ExchangeWriter(self, _base(target))


class ExchangeWriter:
    """Buffers records and submits them in batches; ``flush`` makes them durable at the hub."""

    def __init__(self, connector: ExchangeConnector, base: str) -> None:
        self._connector = connector
        self._client = connector._client(base)
        self._buffer: list[dict[str, Any]] = []
        self.submitted = 0
        self.rejected: list[dict[str, Any]] = []

    def write(self, obj: Entity) -> None:
        data = obj.model_dump(mode="json", exclude_none=True)
        digest = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
        self._buffer.append({"key": f"{obj.type}:{obj.id}:{digest[:32]}", "record": data})
        if len(self._buffer) >= self._connector.settings.batch_size:
            self.flush()

    def flush(self) -> None:
        """Submit what is buffered; raises when the hub rejects a record (nothing is lost
        silently: the message names the records and rule codes)."""
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        response = request(
            self._client,
            "POST",
            "/v1/batches",
            json={"items": batch},
            retry=self._connector._retry(),
        )
        try:
            results = response.json()["results"]
        except (ValueError, KeyError, TypeError):
            raise ConnectorError(
                f"{safe_url(response.url)}: the answer is not a batch result"
            ) from None
        self.submitted += len(results)
        rejected = [r for r in results if r.get("status") != "accepted"]
        if rejected:
            self.rejected.extend(rejected)
            first = rejected[0]
            codes = sorted({i.get("code", "?") for r in rejected for i in r.get("issues", [])})
            raise ConnectorError(
                f"the hub rejected {len(rejected)} record(s) (first: {first.get('type')} "
                f"{first.get('id')}; codes {', '.join(codes)})"
            )

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._client.close()


__all__ = ["ExchangeConfig", "ExchangeConnector", "ExchangeWriter"]
