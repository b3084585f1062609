"""志愿服务组织/团体 Organization: a registered organisation, an unregistered team, or another
legal person carrying out volunteer service (NVSI 队伍类型 albe0003)."""

from __future__ import annotations

from typing import Literal

from pydantic import NonNegativeInt

from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import (
    EntityId,
    IsoDate,
    LongText,
    Name,
    OrgStatusCode,
    OrgTypeCode,
    RegionCode,
    ServiceCategoryCode,
    ShortText,
    TeamTypeCode,
    Url,
    UsccValue,
)
from volunteer_standard.models.common import Address, ContactPoint, Entity


class Registration(StandardModel):
    """Registration with a registration authority (登记管理机关)."""

    authority: ShortText | None = field(
        "登记管理机关", "Authority", "Authority that registered the organization.", None
    )
    authority_region: RegionCode | None = field(
        "登记机关区域", "Authority region", "Region code of the registration authority.", None
    )
    registered_on: IsoDate | None = field("登记日期", "Registered on", "Registration date.", None)


class ApprovingUnit(StandardModel):
    """The unit (community, school, employer) that approved an unregistered team."""

    name: ShortText = field("同意成立单位", "Name", "Name of the approving unit.")
    uscc: UsccValue | None = field(
        "统一社会信用代码", "USCC", "Unified social credit code of the approving unit.", None
    )
    contact: ContactPoint | None = field("联系方式", "Contact", "Contact at that unit.", None)


class Organization(Entity):
    """志愿服务组织 A volunteer service organization or team."""

    type: Literal["organization"] = field(
        "对象类型", "Type", "Always 'organization'.", "organization"
    )
    name: ShortText = field("名称", "Name", "Registered or approved name.")
    uscc: UsccValue | None = field(
        "统一社会信用代码",
        "Unified social credit code",
        "GB 32100 code; registered volunteer organizations normally start with 51, 52 or 53.",
        None,
    )
    team_type: TeamTypeCode = field(
        "队伍类型",
        "Team type",
        "1 unregistered team (志愿服务团体), 2 registered organization, 3 other legal person.",
    )
    org_type: OrgTypeCode | None = field(
        "组织类型", "Organization type", "Code list org_type (党政机关, 社会团体 …).", None
    )
    registration: Registration | None = field(
        "登记信息", "Registration", "Registration with the authority (registered ones).", None
    )
    approving_unit: ApprovingUnit | None = field(
        "同意成立单位", "Approving unit", "For unregistered teams: who approved them.", None
    )
    supervisor: ShortText | None = field(
        "业务主管单位", "Supervising unit", "Supervising (业务主管) unit, where there is one.", None
    )
    parent_id: EntityId | None = field(
        "上级组织", "Parent", "Id of the parent organization (直属上级).", None
    )
    service_regions: list[RegionCode] | None = field(
        "服务区域", "Service regions", "Regions the organization serves.", None
    )
    service_categories: list[ServiceCategoryCode] | None = field(
        "服务类别", "Service categories", "Service categories the organization works in.", None
    )
    address: Address | None = field("地址", "Address", "Seat of the organization.", None)
    contact: ContactPoint | None = field(
        "联系方式", "Contact", "Contact, with per-channel publication flags.", None
    )
    leader_name: Name | None = field(
        "负责人", "Leader", "Person in charge (负责人).", None, sensitive="personal"
    )
    founded_on: IsoDate | None = field("成立日期", "Founded on", "Date of foundation.", None)
    member_count: NonNegativeInt | None = field(
        "成员人数", "Member count", "Number of member volunteers.", None
    )
    status: OrgStatusCode | None = field("状态", "Status", "Code list org_status.", None)
    emergency_team: bool | None = field(
        "应急志愿服务队伍", "Emergency team", "True for an emergency volunteer team.", None
    )
    description: LongText | None = field("简介", "Description", "What the organization does.", None)
    website: Url | None = field("网站", "Website", "Public web site.", None)
