"""服务需求 Demand: a need for volunteers, to be matched with supply (供需对接)."""

from __future__ import annotations

from typing import Literal

from pydantic import PositiveInt

from volunteer_standard.models._base import field
from volunteer_standard.models._types import (
    DemandStatusCode,
    EntityId,
    IsoDate,
    IsoDateTime,
    LongText,
    ServiceCategoryCode,
    ServiceTargetCode,
    ShortText,
    SkillCode,
)
from volunteer_standard.models.common import Address, ContactPoint, Entity


class Demand(Entity):
    """服务需求 A request for volunteer service from a community, unit or person."""

    type: Literal["demand"] = field("对象类型", "Type", "Always 'demand'.", "demand")
    title: ShortText = field("需求名称", "Title", "Short name of the need.")
    description: LongText | None = field("需求描述", "Description", "What is needed.", None)
    requester: ShortText | None = field(
        "需求方", "Requester", "Who asks (community, unit); not a private person's name.", None
    )
    service_categories: list[ServiceCategoryCode] = field(
        "服务类别", "Service categories", "Code list service_category.", min_length=1
    )
    service_targets: list[ServiceTargetCode] | None = field(
        "服务对象", "Service targets", "Who is to be served.", None
    )
    skills: list[SkillCode] | None = field("所需技能", "Skills", "Skills needed.", None)
    location: Address | None = field("地点", "Location", "Where the service is needed.", None)
    needed_from: IsoDate | None = field("需求开始", "Needed from", "First day it is needed.", None)
    needed_until: IsoDate | None = field("需求截止", "Needed until", "Last day it is needed.", None)
    volunteers_needed: PositiveInt | None = field(
        "需要人数", "Volunteers needed", "Number of volunteers needed.", None
    )
    status: DemandStatusCode = field("状态", "Status", "Code list demand_status.")
    published_at: IsoDateTime | None = field(
        "发布时间", "Published at", "When it was posted.", None
    )
    matched_project_ids: list[EntityId] | None = field(
        "对接项目", "Matched projects", "Projects that answer the need.", None
    )
    station_id: EntityId | None = field("站点", "Station", "Station that collected the need.", None)
    contact: ContactPoint | None = field("联系人", "Contact", "Who to contact.", None)
