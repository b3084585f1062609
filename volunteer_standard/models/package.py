"""The JSON package envelope: metadata, then one array per entity type."""

from __future__ import annotations

from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import IsoDateTime, Namespace, ShortText, Url, UsccValue
from volunteer_standard.models.common import SchemaVersion


class Publisher(StandardModel):
    """Who publishes the dataset."""

    name: ShortText = field("发布单位", "Name", "Name of the publishing organization or platform.")
    uscc: UsccValue | None = field("统一社会信用代码", "USCC", "Publisher's credit code.", None)
    system: ShortText | None = field(
        "系统名称", "System", "Information system that produced it.", None
    )
    url: Url | None = field("网址", "URL", "Publisher's web site.", None)


class ExtensionDeclaration(StandardModel):
    """An extension namespace used in the records' ``extensions``."""

    namespace: Namespace = field("命名空间", "Namespace", "Key used under 'extensions'.")
    title: ShortText | None = field("名称", "Title", "What the extension carries.", None)
    url: Url | None = field("文档", "Documentation", "Where the extension is documented.", None)
    version: ShortText | None = field("版本", "Version", "Version of the extension.", None)


class PackageMetadata(StandardModel):
    """数据包元数据 Metadata of a JSON package."""

    schema_version: SchemaVersion = field(
        "标准版本", "Schema version", "Version of the standard, e.g. '1.0'.", SCHEMA_VERSION
    )
    publisher: Publisher = field("发布者", "Publisher", "Who publishes the data.")
    generated_at: IsoDateTime = field("生成时间", "Generated at", "When the package was produced.")
    profile: ShortText | None = field(
        "规则配置", "Profile", "Validation rule profile the data is meant to meet.", None
    )
    extensions: list[ExtensionDeclaration] | None = field(
        "扩展声明", "Extensions", "Extension namespaces used in the records.", None
    )
    codelists_version: ShortText | None = field(
        "代码表版本", "Code lists version", "Version of the code lists used.", None
    )
    regions_vintage: ShortText | None = field(
        "区划代码版本", "Region codes vintage", "Year of the GB/T 2260 codes used.", None
    )
    license: ShortText | None = field("许可协议", "License", "Licence of the data.", None)
    title: ShortText | None = field("标题", "Title", "Title of the dataset.", None)
