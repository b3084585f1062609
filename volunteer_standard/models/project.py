"""志愿服务项目 Project and 活动/场次 Activity (GB/T 40143-2021 definitions; NVSI LBX01)."""

from __future__ import annotations

from typing import Literal

from pydantic import NonNegativeInt, PositiveInt

from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import (
    ActivityStatusCode,
    EntityId,
    FundingSourceCode,
    GuaranteeCode,
    Hours,
    IsoDateTime,
    LongText,
    ProjectStatusCode,
    RecruitmentScopeCode,
    RegionCode,
    ServiceCategoryCode,
    ServiceTargetCode,
    ShortText,
    SkillCode,
)
from volunteer_standard.models.common import Address, ContactPoint, Entity, Evidence


class Recruitment(StandardModel):
    """How volunteers are recruited (GB/T 40143 §6.1)."""

    start: IsoDateTime | None = field("招募开始", "Start", "Recruitment opens.", None)
    end: IsoDateTime | None = field("招募结束", "End", "Recruitment closes.", None)
    scope: RecruitmentScopeCode | None = field(
        "招募范围", "Scope", "Code list recruitment_scope (5 = backfilled project).", None
    )
    quota: PositiveInt | None = field(
        "计划招募人数", "Quota", "Planned number of volunteers.", None
    )
    required_prior_hours: Hours | None = field(
        "报名前服务时长要求",
        "Required prior hours",
        "Hours a volunteer must already have served to apply.",
        None,
    )
    requirements: LongText | None = field(
        "招募条件", "Requirements", "Conditions volunteers must meet.", None
    )
    skills: list[SkillCode] | None = field("所需技能", "Skills", "Skills required.", None)
    training_required: bool | None = field(
        "需岗前培训", "Training required", "True when training is required (条例 art. 16).", None
    )
    min_age: NonNegativeInt | None = field(
        "最低年龄", "Minimum age", "Youngest age accepted.", None
    )


class Backfill(StandardModel):
    """A project recorded after the fact (补录), with the evidence that it took place."""

    reason: ShortText | None = field("补录原因", "Reason", "Why the project is backfilled.", None)
    evidence: list[Evidence] = field(
        "补录材料", "Evidence", "Scans or files proving the project took place (albx0047)."
    )


class Project(Entity):
    """志愿服务项目 A project: service goal, time, content and guarantees over a period."""

    type: Literal["project"] = field("对象类型", "Type", "Always 'project'.", "project")
    project_no: ShortText | None = field(
        "项目编号", "Project number", "Number of the project on its platform.", None
    )
    title: ShortText = field("项目名称", "Title", "Name of the project.")
    organization_id: EntityId = field(
        "发布组织", "Organization", "Id of the organization that runs the project."
    )
    service_categories: list[ServiceCategoryCode] = field(
        "服务类别", "Service categories", "Code list service_category.", min_length=1
    )
    service_targets: list[ServiceTargetCode] | None = field(
        "服务对象", "Service targets", "Who is served (code list service_target).", None
    )
    region_code: RegionCode | None = field(
        "服务区域", "Region", "Region where it takes place.", None
    )
    location: Address | None = field("服务地点", "Location", "Address and coordinates.", None)
    start: IsoDateTime = field("项目开始时间", "Start", "When the project starts.")
    end: IsoDateTime | None = field("项目结束时间", "End", "When the project ends.", None)
    recruitment: Recruitment | None = field(
        "招募信息", "Recruitment", "Recruitment period, scope, quota and requirements.", None
    )
    guarantees: list[GuaranteeCode] | None = field(
        "志愿者保障", "Guarantees", "What volunteers are given (01 = insurance).", None
    )
    status: ProjectStatusCode | None = field(
        "项目状态", "Status", "Code list project_status.", None
    )
    description: LongText | None = field("项目描述", "Description", "What the project does.", None)
    funding_sources: list[FundingSourceCode] | None = field(
        "资金来源", "Funding sources", "Code list funding_source.", None
    )
    brand_programme: ShortText | None = field(
        "品牌项目", "Brand programme", "Named brand programme the project belongs to.", None
    )
    contact: ContactPoint | None = field("联系人", "Contact", "Project contact.", None)
    backfill: Backfill | None = field(
        "补录", "Backfill", "Present when the project was recorded after the fact.", None
    )


class CheckinPoint(StandardModel):
    """A place where volunteers check in or out (NVSI albx5604–5606)."""

    kind: Literal["in", "out", "both"] = field("类型", "Kind", "Check-in, check-out or both.")
    address: ShortText | None = field("地址", "Address", "Where the point is.", None)
    lat: float | None = field("纬度", "Latitude", "WGS-84 latitude.", None, ge=-90, le=90)
    lng: float | None = field("经度", "Longitude", "WGS-84 longitude.", None, ge=-180, le=180)
    radius_m: NonNegativeInt | None = field(
        "半径（米）", "Radius (m)", "Accepted distance in metres; 0 = unlimited.", None
    )


class Activity(Entity):
    """活动/场次 One session of a project, with its own time, place and quota."""

    type: Literal["activity"] = field("对象类型", "Type", "Always 'activity'.", "activity")
    project_id: EntityId = field("所属项目", "Project", "Id of the project.")
    title: ShortText = field("活动名称", "Title", "Name of the session.")
    start: IsoDateTime = field("开始时间", "Start", "When the session starts.")
    end: IsoDateTime = field("结束时间", "End", "When the session ends.")
    location: Address | None = field("活动地点", "Location", "Where the session takes place.", None)
    quota: PositiveInt | None = field("名额", "Quota", "Number of volunteers wanted.", None)
    checkin_points: list[CheckinPoint] | None = field(
        "签到点", "Check-in points", "Where volunteers check in and out.", None
    )
    status: ActivityStatusCode | None = field("状态", "Status", "Code list activity_status.", None)
