"""The ``gateway`` connector: a provincial government gateway as source and target.

Reading calls the profile's lookup interfaces (member lookup, hours lookup) page by page;
writing sends batches to the upload interfaces (``addMember``, the batch hours upload
``activityTiming-batchAdd``). The source and the target are the gateway's URL, e.g.
``https://gateway.example.gov.cn/api-gateway/jpaas-jags-server/interface/gateway``.

Incremental: each lookup is bookmarked on the profile's change-time field (``update_time``);
a checkpoint follows every page, and a re-run asks only for items changed at or after the
bookmark (inclusive, because several items can share a second: the target keys by id).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from volunteer_standard.connectors import (
    Checkpoint,
    CheckResult,
    Connector,
    ConnectorError,
    Problem,
    ReadItem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.connectors.helpers import BAD_SHAPE, RetryPolicy, safe_url
from volunteer_standard.io.reader import Location
from volunteer_standard.models import Entity
from volunteer_standard.text import Text
from vstd_connector_gateway.client import GatewayClient
from vstd_connector_gateway.config import GatewayConfig
from vstd_connector_gateway.fields import data_of, item_of
from vstd_connector_gateway.profile import EntityProfile, Profile, load_profile

EntityType = Literal["volunteer", "service_record"]


class GatewayConnectorConfig(GatewayConfig):
    """Options of the ``gateway`` connector (see :class:`GatewayConfig` for the keys)."""

    read_types: list[EntityType] = Field(
        ["volunteer", "service_record"], description="Which lookups to read, in order."
    )


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


class GatewayConnector(Connector):
    """A provincial government gateway (SM2/SM3/SM4-signed form API)."""

    name: ClassVar[str] = "gateway"
    title: ClassVar[str] = "Provincial government gateway (政务网关, SM2/SM3/SM4)"
    version: ClassVar[str] = "0.1.0"
    reads: ClassVar[tuple[str, ...]] = ("volunteer", "service_record")
    writes: ClassVar[tuple[str, ...]] = ("volunteer", "service_record")
    config_model: ClassVar[type[GatewayConnectorConfig]] = GatewayConnectorConfig

    @property
    def options(self) -> GatewayConnectorConfig:
        assert isinstance(self.config, GatewayConnectorConfig)
        return self.config

    @property
    def profile(self) -> Profile:
        return load_profile(self.options.profile)

    def client(self, url: str) -> GatewayClient:
        """A client for the gateway at ``url`` (tests add hooks through a subclass)."""
        return GatewayClient(url, self.options, self.profile)

    # -- check ---------------------------------------------------------------------------
    def check(self, location: str, *, for_writing: bool = False) -> CheckResult:
        """Call the first lookup for one item: proves the URL, the keys and the clock."""
        if not _is_url(location):
            return CheckResult(False, f"{location}: the gateway connector needs an http(s) URL")
        lookups = [e for e in self.profile.entities.values() if e.lookup]
        if not lookups:
            return CheckResult(True, f"{safe_url(location)}: no lookup to try")
        client = self.client(location)
        try:
            client.retry = RetryPolicy(attempts=1)
            client.call(str(lookups[0].lookup), {"page_no": 1, "page_size": 1})
        except ConnectorError as exc:
            return CheckResult(False, exc.message("en"))
        finally:
            client.close()
        return CheckResult(True, f"{safe_url(location)}: the gateway accepted a signed call")

    # -- reading -------------------------------------------------------------------------
    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        if not _is_url(source):
            raise ConnectorError(
                Text(
                    f"{source}：网关连接器的来源应为 http(s) 地址",
                    f"{source}: the gateway connector reads from an http(s) URL",
                )
            )
        saved = dict(state or {})
        client = self.client(source)
        try:
            for type_ in self.options.read_types:
                entity = self.profile.entity(type_)
                if entity.lookup:
                    yield from self._read_entity(client, entity, saved)
        finally:
            client.close()

    def _read_entity(
        self, client: GatewayClient, entity: EntityProfile, saved: dict[str, Any]
    ) -> Iterator[ReadItem]:
        size = self.options.page_size
        since = saved.get(entity.type)
        page = 0
        while True:
            page += 1
            biz: dict[str, Any] = {"page_no": page, "page_size": size}
            if since is not None and entity.bookmark:
                biz[f"{entity.bookmark}_from"] = since
            data = client.call(str(entity.lookup), biz)
            items = data.get("list") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise ConnectorError(
                    Text(
                        f"{client.where} {entity.lookup} 第 {page} 页：data.list 不是列表",
                        f"{client.where} {entity.lookup} page {page}: data.list is not a list",
                    )
                )
            latest = saved.get(entity.type)
            for index, item in enumerate(items):
                where = Location(client.where, page, f"/{entity.type}/data/list/{index}")
                yield self._record(entity, item, where)
                if isinstance(item, dict) and entity.bookmark:
                    changed = item.get(entity.bookmark)
                    if isinstance(changed, str) and (latest is None or changed > latest):
                        latest = changed
            if latest is not None:
                saved[entity.type] = latest
                yield Checkpoint(dict(saved))  # the page is handed on: safe to resume after
            if len(items) < size:
                return

    def _record(self, entity: EntityProfile, item: Any, where: Location) -> SourceRecord:
        if not isinstance(item, dict):
            problem = Problem(
                BAD_SHAPE,
                Text(f"{where}：条目不是 JSON 对象", f"{where}: the item is not a JSON object"),
            )
            return SourceRecord(None, where, {"value": item}, [problem])
        return SourceRecord(data_of(entity, item), where, item)

    # -- writing -------------------------------------------------------------------------
    def open_writer(self, target: str) -> RecordWriter:
        if not _is_url(target):
            raise ConnectorError(
                Text(
                    f"{target}：网关连接器的目标应为 http(s) 地址",
                    f"{target}: the gateway connector writes to an http(s) URL",
                )
            )
        return GatewayWriter(self.client(target), self.profile, self.options.batch_size)


class GatewayWriter:
    """Sends standard objects to the upload interfaces in batches of ``batch_size``.

    A batch the gateway refuses as a whole raises :class:`ConnectorError` (the earlier
    batches stay uploaded; re-running is safe because items carry their ``out_id``). Items
    the gateway refuses one by one are listed by record id, never by personal data.
    """

    def __init__(self, client: GatewayClient, profile: Profile, batch_size: int) -> None:
        self.client = client
        self.profile = profile
        self.batch_size = batch_size
        self._batches: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.uploaded = 0

    def write(self, obj: Entity) -> None:
        entity = self.profile.entity(obj.type)
        if not entity.upload:
            raise ConnectorError(
                Text(
                    f"网关没有上传 {obj.type} 的接口", f"the gateway has no upload for {obj.type!r}"
                )
            )
        batch = self._batches.setdefault(obj.type, [])
        batch.append((obj.id, item_of(entity, obj.model_dump(mode="json", exclude_none=True))))
        if len(batch) >= self.batch_size:
            self._flush(obj.type)

    def _flush(self, type_: str) -> None:
        batch = self._batches.pop(type_, [])
        if not batch:
            return
        entity = self.profile.entity(type_)
        fields = [f"list[].{name}" for name in entity.sm2_fields]
        data = self.client.call(
            str(entity.upload), {"list": [item for _, item in batch]}, sm2_fields=fields
        )
        failed = data.get("failed") if isinstance(data, dict) else None
        if failed:
            shown = "; ".join(
                f"{batch[f['index']][0]} [{f.get('code')}]"
                for f in failed[:10]
                if isinstance(f, dict)
                and isinstance(f.get("index"), int)
                and f["index"] < len(batch)
            )
            raise ConnectorError(
                Text(
                    f"{self.client.where} {entity.upload}：网关拒收 {len(failed)} 条：{shown}",
                    f"{self.client.where} {entity.upload}: the gateway refused {len(failed)} "
                    f"item(s): {shown}",
                )
            )
        self.uploaded += len(batch)

    def close(self) -> None:
        try:
            for type_ in list(self._batches):
                self._flush(type_)
        finally:
            self.client.close()


__all__ = ["GatewayConnector", "GatewayConnectorConfig", "GatewayWriter"]
