"""Clean service records read from their JSON data, without building a model.

Why: building a pydantic model is most of the cost of checking a record, and the rules
that read service records (hours, privacy, the index row) need a dozen of its values.
A record that the structural check found *clean* (``validation.verdict``: valid, no
code-list warning) holds each of them in the one form its model would hold: ids and codes
as the same strings (the models are strict: nothing is converted), hours as a decimal
string of at most 2 decimals, start and end as ``YYYY-MM-DDTHH:MM:SS[.f]±HH:MM`` or ``Z``.
:class:`CleanServiceRecord` offers those values under the model's attribute names, and
the times as epoch seconds straight from the text (each distinct date, clock time and
offset converted once).

The engine takes one in place of a model (``RuleEngine.views``) when every rule that
checks service records is one of those known to read only these values.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
#: Distinct pieces kept at most per cache (then it starts again): memory stays flat.
_LIMIT = 1 << 16
_DAYS: dict[str, int] = {}
_CLOCKS: dict[str, int] = {}
_ZONES: dict[str, int] = {}
_CENTS: dict[str, int] = {}
_HUNDRED = Decimal(100)


def instant(text: str) -> int:
    """Epoch seconds of a clean date-time text (fractions of a second dropped, as
    ``rules.index.epoch`` drops them)."""
    day = _DAYS.get(text[:10])
    if day is None:
        day = _keep(
            _DAYS, text[:10], (date.fromisoformat(text[:10]).toordinal() - _EPOCH_ORDINAL) * 86400
        )
    clock = _CLOCKS.get(text[11:19])
    if clock is None:
        seconds = int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19])
        clock = _keep(_CLOCKS, text[11:19], seconds)
    zone_text = "Z" if text[-1] == "Z" else text[-6:]
    zone = _ZONES.get(zone_text)
    if zone is None:
        offset = 0 if zone_text == "Z" else int(zone_text[1:3]) * 3600 + int(zone_text[4:6]) * 60
        zone = _keep(_ZONES, zone_text, -offset if zone_text[0] == "-" else offset)
    return day + clock - zone


def cents(text: str) -> int:
    """Hundredths of an hour of a clean hours text."""
    found = _CENTS.get(text)
    if found is None:
        found = _keep(_CENTS, text, int(Decimal(text) * _HUNDRED))
    return found


def _keep(cache: dict[str, int], key: str, value: int) -> int:
    if len(cache) >= _LIMIT:
        cache.clear()
    cache[key] = value
    return value


class CleanServiceRecord:
    """A clean service record's data, with the values its model would hold."""

    __slots__ = (
        "activity_id",
        "data",
        "hours_type",
        "id",
        "organization_id",
        "project_id",
        "service_category",
        "status",
        "volunteer_id",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.id: str = data["id"]
        self.volunteer_id: str = data["volunteer_id"]
        self.organization_id: str = data["organization_id"]
        self.project_id: str | None = data.get("project_id")
        self.activity_id: str | None = data.get("activity_id")
        self.hours_type: str | None = data.get("hours_type")
        self.status: str = data["status"]
        self.service_category: str | None = data.get("service_category")

    @property
    def start(self) -> datetime:
        """As the model holds it (for the rare check that needs the datetime itself)."""
        return datetime.fromisoformat(self.data["start"])

    @property
    def end(self) -> datetime:
        return datetime.fromisoformat(self.data["end"])

    @property
    def hours(self) -> Decimal:
        return Decimal(self.data["hours"])

    def instants(self) -> tuple[int, int]:
        """Epoch seconds of start and end."""
        data = self.data
        return instant(data["start"]), instant(data["end"])

    def day(self) -> int:
        """The start's local date as YYYYMMDD."""
        text = self.data["start"]
        return int(text[0:4]) * 10000 + int(text[5:7]) * 100 + int(text[8:10])

    def cents(self) -> int:
        return cents(self.data["hours"])


#: The view of each entity type that has one: ``VIEWS[kind](data)`` stands in for the
#: model of a clean record of a type in ``RuleEngine.views``.
VIEWS: dict[str, type[CleanServiceRecord]] = {"service_record": CleanServiceRecord}
