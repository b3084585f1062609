"""Organisations, projects, activities, stations and demands of the sample.

Each builder reads the world and draws from its own random stream, so that adding one kind
of data never shifts another.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.identifiers.generate import make_uscc
from volunteer_standard.models import (
    Activity,
    Address,
    ApprovingUnit,
    CheckinPoint,
    ContactPoint,
    Demand,
    GeoPoint,
    OpeningHours,
    Organization,
    Project,
    Recruitment,
    Registration,
    Station,
)
from volunteer_standard.samples.common import (
    extensions,
    moment,
    national_ids,
    provenance,
    random_date,
    rng_for,
    window_moment,
)
from volunteer_standard.samples.people import person_name
from volunteer_standard.samples.spec import AS_OF, DAY_CLOSE, DAY_OPEN, RISKY_CATEGORIES, TZ
from volunteer_standard.samples.vocabulary import DISTRICTS, ORG_THEMES
from volunteer_standard.samples.world import Org, Proj, World


def organization_entity(world: World, org: Org) -> Organization:
    """A registered organisation (credit code, registration) or a team under an approving unit."""
    theme = ORG_THEMES[org.theme]
    d = org.district
    i = org.index
    founded = date(2012 + i % 8, 1 + i % 12, 1 + (i * 7) % 28)
    common: dict[str, Any] = {
        "id": org.id,
        "name": org.name,
        "service_regions": [d.code],
        "service_categories": list(theme.categories),
        "address": Address(
            region_code=d.code,
            address=f"{d.city}{d.name}示例路{10 + i}号",
            postcode=d.postcode,
            geo=GeoPoint(lat=d.lat, lng=d.lng),
        ),
        "contact": ContactPoint(name=org.handler, phone=org.phone, phone_visibility="public"),
        "leader_name": org.leader,
        "founded_on": founded,
        "member_count": org.members,
        "status": "active",
        "emergency_team": bool(RISKY_CATEGORIES.intersection(theme.categories)) or None,
        "description": f"{theme.name}主题的志愿服务（虚构的示例组织）。",
        "identifiers": national_ids("NVSI-ORG-", i),
        "provenance": provenance("organization", i),
        "extensions": extensions("organization", i) if i == 0 else None,
        "schema_version": SCHEMA_VERSION if i % 2 == 0 else None,
    }
    if org.registered:
        assert org.uscc is not None
        return Organization(
            **common,
            uscc=org.uscc,
            team_type="2",
            org_type={"1": "13", "2": "14", "3": "15"}[org.uscc[1]],
            registration=Registration(
                authority=f"{d.city}{d.name}民政局",
                authority_region=d.code,
                registered_on=founded,
            ),
            website=f"https://org{i + 1}.example.org/",
        )
    rng = rng_for(world.spec.seed, f"approving-unit-{i}")
    return Organization(
        **common,
        team_type="1",
        approving_unit=ApprovingUnit(
            name=f"{d.name}示例第一中学（示例）",
            uscc=make_uscc(rng, authority="1", category="2", region_code=d.code),
            contact=ContactPoint(name=person_name(rng, "2"), phone_visibility="private"),
        ),
    )


def project_entity(world: World, proj: Proj) -> Project:
    """A project; risky ones recruit adults only and insure them."""
    rng = rng_for(world.spec.seed, f"project-{proj.index}")
    org = world.orgs[proj.org]
    d = org.district
    start = window_moment(proj.first_day, DAY_OPEN)
    if proj.anchor:
        end = datetime(2026, 6, 30, 22, 0, tzinfo=TZ)
        status = "in_progress"
    else:
        end = window_moment(proj.last_day, DAY_CLOSE)
        status = "completed"
    if proj.risky:
        guarantees = ["01", "07", "08", "10"]
        recruitment = Recruitment(
            start=start - timedelta(days=30),
            end=start - timedelta(days=1),
            scope="2",
            quota=rng.randint(10, 40),
            requirements="年满18周岁，身体健康，参加岗前培训。",
            skills=["01"],
            min_age=18,
        )
    else:
        guarantees = sorted({"01", *rng.sample(("04", "05", "07", "11"), 2)})
        recruitment = Recruitment(
            start=start - timedelta(days=20),
            end=start - timedelta(days=1),
            scope="1",
            quota=rng.randint(10, 80),
        )
    i = proj.index
    return Project(
        id=proj.id,
        project_no=f"P{start.year}{d.code}{i + 1:04d}",
        title=proj.title,
        organization_id=org.id,
        service_categories=list(proj.categories),
        service_targets=list(proj.targets),
        region_code=d.code,
        location=Address(region_code=d.code, address=f"{d.city}{d.name}示例广场"),
        start=start,
        end=end,
        recruitment=recruitment,
        guarantees=guarantees,
        status=status,
        description=f"{proj.title}（虚构的示例项目）。",
        funding_sources=[rng.choice("1235")],
        contact=ContactPoint(name=org.handler, phone=org.phone, phone_visibility="public"),
        identifiers=national_ids("NVSI-P-", i),
        provenance=provenance("project", i),
        extensions=extensions("project", i) if i == 0 else None,
    )


def activity_entities(world: World, proj: Proj) -> Iterator[Activity]:
    """The activities of a project, within its days."""
    d = world.orgs[proj.org].district
    for j, (aid, first, last) in enumerate(proj.activities):
        k = proj.index * world.spec.activities_per_project + j
        yield Activity(
            id=aid,
            project_id=proj.id,
            title=f"{proj.title}第{j + 1}期",
            start=window_moment(first, DAY_OPEN),
            end=window_moment(last, DAY_CLOSE),
            location=Address(region_code=d.code, geo=GeoPoint(lat=d.lat, lng=d.lng)),
            quota=10 + 5 * j,
            checkin_points=[
                CheckinPoint(
                    kind="both", address=f"{d.name}示例广场东门", lat=d.lat, lng=d.lng, radius_m=300
                )
            ],
            status="finished",
            identifiers=national_ids("NVSI-A-", k),
            provenance=provenance("activity", k),
        )


def demand_entities(world: World) -> Iterator[Demand]:
    """Community demands: open ones in the future, the others matched to projects or closed."""
    rng = rng_for(world.spec.seed, "demands")
    needs = (
        ("独居老人助餐配送", ("0017", "0001"), ("03",)),
        ("社区儿童暑期托管", ("0003",), ("01",)),
        ("小区垃圾分类督导", ("0006", "0010"), ("10",)),
        ("残障人士出行陪护", ("0017",), ("04",)),
    )
    for i in range(world.spec.demands):
        title, categories, targets = needs[i % len(needs)]
        d = DISTRICTS[rng.randrange(len(DISTRICTS))]
        status = ("open", "matched", "fulfilled", "closed")[i % 4]
        if status == "open":
            start = random_date(rng, date(2026, 1, 5), date(2026, 3, 31))
        else:
            start = random_date(rng, date(2024, 3, 1), date(2025, 9, 30))
        until = start + timedelta(days=rng.randint(14, 90))
        matched = [p.id for p in world.projects if set(p.categories) & set(categories)][:2]
        yield Demand(
            id=f"dmd-{i + 1:03d}",
            title=title,
            description=f"{d.name}示例社区提出的需求：{title}（示例）。",
            requester=f"{d.name}示例社区居民委员会（示例）",
            service_categories=list(categories),
            service_targets=list(targets),
            location=Address(region_code=d.code),
            needed_from=start,
            needed_until=until,
            volunteers_needed=rng.randint(2, 20),
            status=status,
            published_at=moment(min(start - timedelta(days=10), AS_OF), 9, 30),
            matched_project_ids=(matched or None) if status in ("matched", "fulfilled") else None,
            identifiers=national_ids("NVSI-D-", i),
            provenance=provenance("demand", i),
        )


def station_entities(world: World) -> Iterator[Station]:
    """Service stations hosted around the organisations' districts."""
    rng = rng_for(world.spec.seed, "stations")
    kinds = (
        ("community", "示例社区居民委员会"),
        ("civilization_practice_center", "示例街道办事处"),
        ("smile_booth", "示例地铁站"),
        ("hospital", "示例人民医院"),
        ("transport_hub", "示例火车站"),
        ("school", "示例中学"),
    )
    for i in range(world.spec.stations):
        org = world.orgs[i % len(world.orgs)]
        d = org.district
        kind, host = kinds[i % len(kinds)]
        yield Station(
            id=f"stn-{i + 1:03d}",
            name=f"{d.name}{host}志愿服务站（示例）",
            station_type=kind,
            host_unit=f"{d.name}{host}（示例）",
            organization_id=org.id,
            address=Address(
                region_code=d.code,
                address=f"{d.city}{d.name}示例路{100 + i}号",
                geo=GeoPoint(
                    lat=round(d.lat + rng.uniform(-0.02, 0.02), 5),
                    lng=round(d.lng + rng.uniform(-0.02, 0.02), 5),
                ),
            ),
            opening_hours=[
                OpeningHours(
                    days=["mon", "tue", "wed", "thu", "fri"], opens="09:00", closes="17:00"
                ),
                OpeningHours(days=["sat", "sun"], opens="10:00", closes="16:00"),
            ],
            facilities=["饮用水", "急救箱", "雨具"],
            service_categories=list(ORG_THEMES[org.theme].categories[:2]),
            contact=ContactPoint(phone=org.phone, phone_visibility="public"),
            opened_on=date(2020 + i % 4, 3, 1),
            identifiers=national_ids("NVSI-S-", i),
            provenance=provenance("station", i),
        )
