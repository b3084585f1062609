"""Building blocks shared by the entities: identifiers, provenance, places, contacts."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import (
    AreaId,
    ContactVisibilityCode,
    Email,
    EntityId,
    EvidenceTypeCode,
    IsoDate,
    IsoDateTime,
    LongText,
    Name,
    Namespace,
    Phone,
    RegionCode,
    ShortText,
    Url,
)

SchemaVersion = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}\.[0-9]{1,3}$", max_length=7)]
Extensions = dict[Namespace, dict[str, Any]]


class Identifier(StandardModel):
    """An identifier of the same thing in another system (cross-system matching)."""

    scheme: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$", max_length=64)
    ] = field(
        "标识体系",
        "Scheme",
        "Who issued the value, e.g. 'nvsi' (national system), 'zyh365', 'uscc', 'bv2008'.",
    )
    value: ShortText = field("标识值", "Value", "The identifier within that scheme.")


class Provenance(StandardModel):
    """Where a record came from, so that every object can be traced back to its source."""

    source_system: ShortText = field(
        "来源系统", "Source system", "The system the record was read from (connector or platform)."
    )
    source_id: ShortText | None = field(
        "来源编号", "Source id", "The record's key in the source system.", None
    )
    retrieved_at: IsoDateTime | None = field(
        "获取时间", "Retrieved at", "When the record was read from the source.", None
    )
    source_location: ShortText | None = field(
        "来源位置",
        "Source location",
        "File, sheet, row or page of the source record, for tracing problems back.",
        None,
    )


class GeoPoint(StandardModel):
    """A WGS-84 point (GCJ-02 coordinates must be converted before publishing)."""

    lat: float = field("纬度", "Latitude", "Latitude in degrees, WGS-84.", ge=-90, le=90)
    lng: float = field("经度", "Longitude", "Longitude in degrees, WGS-84.", ge=-180, le=180)


class Address(StandardModel):
    """A place in China: the GB/T 2260 region, an optional finer area id and free text."""

    region_code: RegionCode | None = field(
        "行政区划代码",
        "Region code",
        "Six-digit GB/T 2260 county-level (or higher) division code.",
        None,
    )
    area_id: AreaId | None = field(
        "区域编号",
        "Area id",
        "Finer area id (9, 12 or 18 digits; street and community levels); its first six "
        "digits are the region code.",
        None,
    )
    address: ShortText | None = field(
        "详细地址", "Address", "Street address as written.", None, sensitive="personal"
    )
    postcode: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$", max_length=6)] | None = field(
        "邮政编码", "Postcode", "Six-digit postal code.", None
    )
    geo: GeoPoint | None = field("坐标", "Coordinates", "WGS-84 point of the address.", None)


class ContactPoint(StandardModel):
    """A contact; each channel says whether it may be published (条例 art. 20)."""

    name: Name | None = field("联系人", "Name", "Contact person.", None, sensitive="personal")
    phone: Phone | None = field(
        "联系电话", "Phone", "Mobile or landline number.", None, sensitive="personal"
    )
    phone_visibility: ContactVisibilityCode | None = field(
        "电话是否公开", "Phone visibility", "Whether the phone number may be published.", None
    )
    email: Email | None = field("电子邮箱", "Email", "Email address.", None, sensitive="personal")
    email_visibility: ContactVisibilityCode | None = field(
        "邮箱是否公开", "Email visibility", "Whether the email address may be published.", None
    )


class Evidence(StandardModel):
    """A supporting file for a record, a backfilled project or a certificate."""

    type: EvidenceTypeCode = field(
        "证明材料类型", "Evidence type", "Kind of evidence (code list evidence_type)."
    )
    title: ShortText | None = field("名称", "Title", "Short description of the file.", None)
    url: Url | None = field("链接", "URL", "Where the file can be fetched.", None)
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$", max_length=64)] | None = (
        field("SHA-256", "SHA-256", "Hash of the file, to prove it did not change.", None)
    )


class Consent(StandardModel):
    """A consent given by the volunteer or a guardian (PIPL arts. 13, 29, 31)."""

    purpose: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]{1,40}$")] = field(
        "同意事项", "Purpose", "What was consented to (code list consent_purpose)."
    )
    given_at: IsoDateTime = field("同意时间", "Given at", "When consent was given.")
    withdrawn_at: IsoDateTime | None = field(
        "撤回时间", "Withdrawn at", "When consent was withdrawn, if it was.", None
    )
    by_guardian: bool | None = field(
        "监护人同意", "By guardian", "True when a guardian consented for a minor.", None
    )


class Period(StandardModel):
    """A date range; either end may be open."""

    start: IsoDate | None = field("开始日期", "Start", "First day (inclusive).", None)
    end: IsoDate | None = field("结束日期", "End", "Last day (inclusive).", None)


class Entity(StandardModel):
    """Fields that every entity of the standard has."""

    type: str = field("对象类型", "Type", "The entity type (discriminator).")
    id: EntityId = field(
        "编号",
        "Id",
        "Identifier of the object, unique per type in a dataset; never an ID-card number.",
    )
    identifiers: list[Identifier] | None = field(
        "其他标识", "Identifiers", "The same object's identifiers in other systems.", None
    )
    provenance: Provenance | None = field(
        "数据来源", "Provenance", "Where this record was read from.", None
    )
    extensions: Extensions | None = field(
        "扩展数据",
        "Extensions",
        "Namespaced data with no place in the standard (namespace → object); kept, never dropped.",
        None,
    )
    schema_version: SchemaVersion | None = field(
        "标准版本",
        "Schema version",
        "Version of the standard the record follows, e.g. '1.1'.",
        None,
    )
    modified: IsoDateTime | None = field(
        "最后修改时间",
        "Modified",
        "When the record last changed in its source system (since 1.1); incremental "
        "exchange and sync order records by (modified, id).",
        None,
    )
    remarks: LongText | None = field("备注", "Remarks", "Free-text remarks.", None)


__all__ = [
    "Address",
    "Consent",
    "ContactPoint",
    "Entity",
    "Evidence",
    "Extensions",
    "GeoPoint",
    "Identifier",
    "Period",
    "Provenance",
    "SchemaVersion",
]
