"""表彰奖励 Award to a volunteer, a team or a project (条例 art. 19; NVSI albx0352–0363)."""

from __future__ import annotations

from typing import Literal

from volunteer_standard.models._base import field
from volunteer_standard.models._types import (
    AwardSubjectTypeCode,
    EntityId,
    IsoDate,
    LongText,
    ShortText,
)
from volunteer_standard.models.common import Entity


class Award(Entity):
    """表彰奖励 A commendation or award."""

    type: Literal["award"] = field("对象类型", "Type", "Always 'award'.", "award")
    subject_type: AwardSubjectTypeCode = field(
        "表彰对象类型", "Subject type", "1 team, 2 project, 3 volunteer."
    )
    subject_id: EntityId = field(
        "表彰对象", "Subject", "Id of the awarded team, project or volunteer."
    )
    title: ShortText = field("表彰名称", "Title", "Name of the award.")
    awarded_on: IsoDate = field("获奖日期", "Awarded on", "Date of the award.")
    granted_by: ShortText = field("颁发单位", "Granted by", "Body that granted the award.")
    level: ShortText | None = field(
        "级别", "Level", "Level of the award (national, provincial, city …).", None
    )
    document_title: ShortText | None = field(
        "奖励文书名称", "Document title", "Title of the award document.", None
    )
    document_no: ShortText | None = field(
        "文号", "Document number", "Number of the document.", None
    )
    description: LongText | None = field("表彰内容", "Description", "What was recognised.", None)
