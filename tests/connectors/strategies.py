"""Hypothesis strategies producing valid standard objects (shared by round-trip tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from volunteer_standard import codelists
from volunteer_standard.connectors.tabular.encoding import _DAMAGE
from volunteer_standard.models import Certificate, Organization, ServiceRecord, Volunteer

ids = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True)
text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\u2028\u2029"
    ),
    min_size=1,
    max_size=30,
).filter(lambda t: not any(m in t for m in _DAMAGE))  # lost-data markers: TAB101
hours = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2, allow_nan=False)
dates = st.dates(min_value=date(1920, 1, 1), max_value=date(2030, 12, 31))
offsets = st.sampled_from([timezone(timedelta(hours=8)), UTC, timezone(timedelta(hours=-5))])
datetimes = st.builds(
    lambda d, tz: d.replace(microsecond=0, tzinfo=tz),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)),
    offsets,
)


def code(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(codelists.get(name).all_codes())


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


extensions = optional(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True),
        st.dictionaries(text, st.one_of(text, st.integers(-1000, 1000), st.booleans()), max_size=3),
        max_size=2,
    )
)

volunteers = st.builds(
    Volunteer,
    id=ids,
    volunteer_no=ids,
    name=text,
    gender=optional(code("gender")),
    birth_date=optional(dates),
    skills=optional(st.lists(code("skill"), max_size=3)),
    service_regions=optional(st.lists(st.sampled_from(["110105", "310115", "320102"]), max_size=2)),
    star_level=optional(code("star_level")),
    remarks=optional(text),
    extensions=extensions,
)

organizations = st.builds(
    Organization,
    id=ids,
    name=text,
    team_type=code("team_type"),
    member_count=optional(st.integers(0, 10_000)),
    emergency_team=optional(st.booleans()),
    extensions=extensions,
)

service_records = st.builds(
    ServiceRecord,
    id=ids,
    volunteer_id=ids,
    organization_id=ids,
    start=datetimes,
    end=datetimes,
    hours=hours,
    status=code("hours_record_status"),
    hours_type=optional(code("hours_type")),
    content=optional(text),
    extensions=extensions,
)

certificates = st.builds(
    Certificate,
    id=ids,
    certificate_no=ids,
    volunteer=st.fixed_dictionaries({"volunteer_no": ids, "name": text}),
    issuer=st.fixed_dictionaries({"organization_id": ids, "name": text}),
    lines=st.lists(
        st.fixed_dictionaries({"project_title": text, "hours": hours.map(str)}),
        min_size=1,
        max_size=3,
    ),
    total_hours=hours,
    issued_on=dates,
    status=code("certificate_status"),
)

entities = st.one_of(volunteers, organizations, service_records, certificates)
