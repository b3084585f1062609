"""志愿服务站点 Station: a fixed place where volunteer service is offered (北京 art. 27)."""

from __future__ import annotations

from typing import Literal

from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import (
    EntityId,
    IsoDate,
    ServiceCategoryCode,
    ShortText,
    StationTypeCode,
)
from volunteer_standard.models.common import Address, ContactPoint, Entity


class OpeningHours(StandardModel):
    """A weekly opening slot, 'HH:MM' local time."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]] = field(
        "开放日", "Days", "Days the slot applies to.", min_length=1
    )
    opens: ShortText = field(
        "开始", "Opens", "Opening time HH:MM.", pattern=r"^[0-2][0-9]:[0-5][0-9]$", max_length=5
    )
    closes: ShortText = field(
        "结束", "Closes", "Closing time HH:MM.", pattern=r"^[0-2][0-9]:[0-5][0-9]$", max_length=5
    )


class Station(Entity):
    """志愿服务站点 A volunteer service station, post or booth."""

    type: Literal["station"] = field("对象类型", "Type", "Always 'station'.", "station")
    name: ShortText = field("站点名称", "Name", "Name of the station.")
    station_type: StationTypeCode = field("站点类型", "Station type", "Code list station_type.")
    host_unit: ShortText | None = field(
        "依托单位", "Host unit", "Unit hosting the station (居委会, station, hospital …).", None
    )
    organization_id: EntityId | None = field(
        "运营组织", "Organization", "Id of the organization that runs it.", None
    )
    address: Address = field("地址", "Address", "Where the station is, with coordinates.")
    opening_hours: list[OpeningHours] | None = field(
        "开放时间", "Opening hours", "Weekly opening slots.", None
    )
    facilities: list[ShortText] | None = field(
        "设施", "Facilities", "Facilities available (free text items).", None
    )
    service_categories: list[ServiceCategoryCode] | None = field(
        "服务类别", "Service categories", "Services offered.", None
    )
    contact: ContactPoint | None = field("联系方式", "Contact", "Station contact.", None)
    opened_on: IsoDate | None = field("启用日期", "Opened on", "When the station opened.", None)
