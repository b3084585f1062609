"""培训记录 Training record (条例 art. 16; NVSI albx0282–0297)."""

from __future__ import annotations

from typing import Literal

from volunteer_standard.models._base import field
from volunteer_standard.models._types import (
    EntityId,
    Hours,
    IsoDateTime,
    LongText,
    ShortText,
    TrainingModeCode,
    TrainingTypeCode,
)
from volunteer_standard.models.common import Address, Entity


class TrainingRecord(Entity):
    """培训记录 A volunteer's participation in a training."""

    type: Literal["training_record"] = field(
        "对象类型", "Type", "Always 'training_record'.", "training_record"
    )
    volunteer_id: EntityId = field("志愿者", "Volunteer", "Id of the trained volunteer.")
    organization_id: EntityId | None = field(
        "组织者", "Organizer", "Id of the organization that ran the training.", None
    )
    topic: ShortText = field("培训主题", "Topic", "Title of the training.")
    content: LongText | None = field("培训内容", "Content", "What was taught.", None)
    training_type: TrainingTypeCode | None = field(
        "培训类型", "Training type", "1 general, 2 post-specific, 3 professional.", None
    )
    mode: TrainingModeCode | None = field("培训方式", "Mode", "1 online, 2 in person.", None)
    start: IsoDateTime = field("开始时间", "Start", "When the training started.")
    end: IsoDateTime | None = field("结束时间", "End", "When the training ended.", None)
    hours: Hours | None = field("学时", "Hours", "Training hours (学时), at most 2 decimals.", None)
    location: Address | None = field("培训地点", "Location", "Where it took place.", None)
    passed: bool | None = field("是否合格", "Passed", "Whether the volunteer passed.", None)
