"""志愿服务记录 Service record: who served, where, when, and for how many hours (办法 art. 4)."""

from __future__ import annotations

from typing import Literal

from volunteer_standard.models._base import field
from volunteer_standard.models._types import (
    EntityId,
    Hours,
    HoursEntryMethodCode,
    HoursRecordStatusCode,
    HoursTypeCode,
    IsoDateTime,
    LongText,
    Name,
    ServiceCategoryCode,
    ShortText,
)
from volunteer_standard.models.common import Entity, Evidence


class ServiceRecord(Entity):
    """志愿服务记录 One entry of service time; hours are actual service time, without travel."""

    type: Literal["service_record"] = field(
        "对象类型", "Type", "Always 'service_record'.", "service_record"
    )
    volunteer_id: EntityId = field("志愿者", "Volunteer", "Id of the volunteer.")
    organization_id: EntityId = field(
        "记录组织", "Organization", "Id of the organization that recorded the service."
    )
    project_id: EntityId | None = field("项目", "Project", "Id of the project.", None)
    activity_id: EntityId | None = field("活动", "Activity", "Id of the session.", None)
    start: IsoDateTime = field("开始时间", "Start", "When the service started.")
    end: IsoDateTime = field("结束时间", "End", "When the service ended.")
    hours: Hours = field(
        "服务时长",
        "Hours",
        'Service hours as a decimal string with at most 2 decimals, e.g. "2.50".',
    )
    hours_type: HoursTypeCode | None = field(
        "时长类型", "Hours type", "1 credit hours (信用时长), 2 honour hours (荣誉时长).", None
    )
    entry_method: HoursEntryMethodCode | None = field(
        "录入方式",
        "Entry method",
        "How the hours were entered (code list hours_entry_method).",
        None,
    )
    status: HoursRecordStatusCode = field(
        "录入状态", "Status", "pending, open, effective, rejected, deleted or failed."
    )
    service_category: ServiceCategoryCode | None = field(
        "服务类别", "Service category", "Category of the service performed.", None
    )
    content: LongText | None = field("服务内容", "Content", "What was done.", None)
    recorded_by: Name | None = field(
        "录入人", "Recorded by", "Who entered the record.", None, sensitive="personal"
    )
    recorded_at: IsoDateTime | None = field("录入时间", "Recorded at", "When it was entered.", None)
    evidence: list[Evidence] | None = field(
        "证明材料",
        "Evidence",
        "Photos, sign-in sheets or logs (may show faces and check-in places: PIPL art. 28).",
        None,
        sensitive="sensitive",
    )
    source_system: ShortText | None = field(
        "来源系统", "Source system", "The platform the record was first entered in.", None
    )
