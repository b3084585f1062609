"""评价 Evaluation in both directions: organization → volunteer and volunteer → project."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import (
    EntityId,
    EvaluationDirectionCode,
    IsoDate,
    LongText,
)
from volunteer_standard.models.common import Entity

Score = Annotated[int, Field(ge=1, le=5)]


class Scores(StandardModel):
    """Scores 1–5 on the dimensions the national system uses for each direction."""

    punctuality: Score | None = field("守时程度", "Punctuality", "Org → volunteer.", None)
    attitude: Score | None = field("服务态度", "Attitude", "Org → volunteer.", None)
    competence: Score | None = field("专业水平", "Competence", "Org → volunteer.", None)
    training_quality: Score | None = field(
        "培训质量", "Training quality", "Volunteer → project.", None
    )
    teamwork: Score | None = field("团队合作", "Teamwork", "Volunteer → project.", None)
    execution: Score | None = field("执行能力", "Execution", "Volunteer → project.", None)
    overall: Score | None = field("总体评价", "Overall", "Overall score, either direction.", None)


class Evaluation(Entity):
    """评价 An evaluation of a volunteer by an organization, or of a project by a volunteer."""

    type: Literal["evaluation"] = field("对象类型", "Type", "Always 'evaluation'.", "evaluation")
    direction: EvaluationDirectionCode = field(
        "评价方向", "Direction", "org_to_volunteer or volunteer_to_project."
    )
    volunteer_id: EntityId = field("志愿者", "Volunteer", "The volunteer evaluated or evaluating.")
    organization_id: EntityId | None = field(
        "组织", "Organization", "The organization evaluating or evaluated.", None
    )
    project_id: EntityId | None = field("项目", "Project", "The project concerned.", None)
    service_record_id: EntityId | None = field(
        "服务记录", "Service record", "The service record evaluated, where there is one.", None
    )
    scores: Scores = field("评分", "Scores", "Scores per dimension.")
    comment: LongText | None = field("评价内容", "Comment", "Free-text evaluation.", None)
    evaluated_on: IsoDate = field("评价日期", "Evaluated on", "Date of the evaluation.")
