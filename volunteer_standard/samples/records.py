"""What volunteers did and got: service records, training, awards, evaluations, certificates.

Service records come from the record plan; evaluations and certificates from what its first
pass learned (`Totals`), so that they only ever cite effective records of the right people.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from volunteer_standard.identifiers import mask_resident_id
from volunteer_standard.models import (
    Address,
    Award,
    Certificate,
    CertificateHolder,
    CertificateIssuer,
    CertificateLine,
    ContactPoint,
    Evaluation,
    Evidence,
    Period,
    Scores,
    ServiceRecord,
    TrainingRecord,
    Verification,
)
from volunteer_standard.samples.common import (
    extensions,
    hours_of,
    moment,
    national_ids,
    provenance,
    random_date,
    rng_for,
    window_moment,
)
from volunteer_standard.samples.plan import Plan, Totals
from volunteer_standard.samples.spec import (
    AS_OF,
    GENERATED_AT,
    PUBLISHER_NAME,
    WINDOW_DAYS,
    WINDOW_START,
)
from volunteer_standard.samples.vocabulary import CONTENT
from volunteer_standard.samples.world import World


def service_record_entity(world: World, plan: Plan) -> ServiceRecord:
    """A planned record, recorded some minutes after it ended (never after generation)."""
    proj = world.projects[plan.project]
    org = world.orgs[proj.org]
    start = window_moment(plan.day, plan.start)
    end = start + timedelta(minutes=plan.minutes)
    recorded_at = min(end + timedelta(minutes=plan.lag), GENERATED_AT)
    n = plan.seq
    return ServiceRecord(
        id=f"sr-{n + 1:07d}",
        volunteer_id=world.people[plan.volunteer].id,
        organization_id=org.id,
        project_id=proj.id,
        activity_id=plan.activity,
        start=start,
        end=end,
        hours=hours_of(plan.minutes),
        hours_type=plan.hours_type,
        entry_method=plan.entry_method,
        status=plan.status,
        service_category=proj.categories[0],
        content=CONTENT.get(proj.categories[0]) if plan.flags & 1 else None,
        recorded_by=org.handler if plan.entry_method == "1" else None,
        recorded_at=recorded_at,
        evidence=[Evidence(type="photo", title="现场照片")] if plan.flags & 6 == 6 else None,
        source_system=PUBLISHER_NAME if plan.flags & 8 else None,
        identifiers=national_ids("NVSI-H-", n),
        provenance=provenance("service_record", n),
        extensions=extensions("service_record", n) if n % 50 == 0 else None,
    )


def training_entities(world: World) -> Iterator[TrainingRecord]:
    """Training sessions in the second half of 2023, before the service window."""
    rng = rng_for(world.spec.seed, "training")
    topics = (
        ("志愿服务通用知识", "1"),
        ("应急救护基础", "3"),
        ("岗位服务规范", "2"),
        ("心理疏导入门", "3"),
    )
    for i in range(world.spec.training_records):
        person = world.people[rng.randrange(len(world.people))]
        org = world.orgs[rng.choice(person.orgs)]
        day = random_date(rng, date(2023, 7, 1), date(2023, 12, 28))
        start = moment(day, rng.choice((9, 14, 19)))
        minutes = rng.choice((60, 90, 120, 180))
        topic, kind = topics[i % len(topics)]
        mode = rng.choice("122")
        yield TrainingRecord(
            id=f"trn-{i + 1:04d}",
            volunteer_id=person.id,
            organization_id=org.id,
            topic=topic,
            training_type=kind,
            mode=mode,
            start=start,
            end=start + timedelta(minutes=minutes),
            hours=hours_of(minutes),
            location=Address(region_code=org.district.code) if mode == "2" else None,
            passed=rng.random() < 0.95,
            identifiers=national_ids("NVSI-T-", i),
            provenance=provenance("training_record", i),
        )


def award_entities(world: World, totals: Totals) -> Iterator[Award]:
    """Awards to the volunteers with most credit hours, to organisations and to projects."""
    rng = rng_for(world.spec.seed, "awards")
    ranked = sorted(range(len(world.people)), key=lambda v: (-totals.credit[v], v))
    for i in range(world.spec.awards):
        kind = "312"[i % 3]
        if kind == "3":
            subject = world.people[ranked[(i // 3) % len(ranked)]].id
            title = "优秀志愿者"
        elif kind == "1":
            subject = world.orgs[(i // 3) % len(world.orgs)].id
            title = "优秀志愿服务组织"
        else:
            subject = world.projects[(i // 3) % len(world.projects)].id
            title = "最佳志愿服务项目"
        on = random_date(rng, date(2025, 1, 10), date(2025, 12, 20))
        yield Award(
            id=f"awd-{i + 1:03d}",
            subject_type=kind,
            subject_id=subject,
            title=f"{on.year}年度{title}",
            awarded_on=on,
            granted_by="示例市志愿服务联合会（示例）",
            level=rng.choice(("区级", "市级")),
            document_no=f"示志联〔{on.year}〕{i + 1}号",
            identifiers=national_ids("NVSI-AW-", i),
            provenance=provenance("award", i),
        )


def evaluation_entities(world: World, totals: Totals) -> Iterator[Evaluation]:
    """Evaluations of the sampled effective records, alternately by and of the volunteer."""
    rng = rng_for(world.spec.seed, "evaluations")
    for i, plan in enumerate(totals.evaluated):
        proj = world.projects[plan.project]
        on = min(WINDOW_START + timedelta(days=plan.day + rng.randint(1, 10)), AS_OF)
        if i % 2 == 0:
            scores = Scores(
                punctuality=rng.randint(3, 5),
                attitude=rng.randint(3, 5),
                competence=rng.randint(3, 5),
                overall=rng.randint(3, 5),
            )
            direction, comment = "org_to_volunteer", "服务认真，按时到岗。"
        else:
            scores = Scores(
                training_quality=rng.randint(2, 5),
                teamwork=rng.randint(3, 5),
                execution=rng.randint(3, 5),
                overall=rng.randint(3, 5),
            )
            direction, comment = "volunteer_to_project", "组织有序，收获很大。"
        yield Evaluation(
            id=f"evl-{i + 1:04d}",
            direction=direction,
            volunteer_id=world.people[plan.volunteer].id,
            organization_id=world.orgs[proj.org].id,
            project_id=proj.id,
            service_record_id=f"sr-{plan.seq + 1:07d}",
            scores=scores,
            comment=comment if rng.random() < 0.6 else None,
            evaluated_on=on,
            identifiers=national_ids("NVSI-E-", i),
            provenance=provenance("evaluation", i),
        )


@dataclass(slots=True)
class Line:
    """One project line of a certificate being collected: its records, hours and days."""

    ids: list[str] = field(default_factory=list)
    hours: Decimal = Decimal(0)
    first: int = WINDOW_DAYS
    last: int = -1


def certificate_entity(
    world: World, index: int, pair: tuple[int, int], lines: dict[int, Line]
) -> Certificate:
    """Certificate ``index`` of a (volunteer, organisation) pair; the second one is revoked."""
    rng = rng_for(world.spec.seed, f"certificate-{index}")
    person = world.people[pair[0]]
    org = world.orgs[pair[1]]
    built: list[CertificateLine] = []
    for p in sorted(lines):
        line, proj = lines[p], world.projects[p]
        built.append(
            CertificateLine(
                project_id=proj.id,
                project_title=proj.title,
                organization_name=org.name,
                region_code=org.district.code,
                period=Period(
                    start=WINDOW_START + timedelta(days=line.first),
                    end=WINDOW_START + timedelta(days=line.last),
                ),
                hours=line.hours,
                service_record_ids=line.ids,
            )
        )
    first = min(line.first for line in lines.values())
    last = max(line.last for line in lines.values())
    issued = min(WINDOW_START + timedelta(days=last + rng.randint(1, 20)), AS_OF)
    revoked = index == 1
    return Certificate(
        id=f"cert-{index + 1:03d}",
        certificate_no=f"ZM{issued.year}{org.district.code}{index + 1:05d}",
        volunteer=CertificateHolder(
            volunteer_id=person.id,
            volunteer_no=person.volunteer_no,
            name=person.name,
            id_type="01",
            id_number_masked=mask_resident_id(person.id_number),
        ),
        issuer=CertificateIssuer(
            organization_id=org.id,
            name=org.name,
            uscc=org.uscc,
            responsible_person=org.leader,
            handler=org.handler,
            contact=ContactPoint(phone=org.phone, phone_visibility="public"),
        ),
        lines=built,
        total_hours=sum((line.hours for line in lines.values()), Decimal(0)),
        period=Period(
            start=WINDOW_START + timedelta(days=first), end=WINDOW_START + timedelta(days=last)
        ),
        issued_on=issued,
        purpose=rng.choice(("study", "employment", "credit", "award")),
        status="revoked" if revoked else "issued",
        revoked_at=moment(AS_OF, 9) if revoked else None,
        verification=Verification(
            url=f"https://verify.example.org/c/{index + 1:05d}",
            code=f"{rng.getrandbits(32):08X}",
        ),
        remarks="已撤销：信息有误，已重新出具（示例）" if revoked else None,
        identifiers=national_ids("NVSI-C-", index),
        provenance=provenance("certificate", index),
        extensions=extensions("certificate", index) if index == 0 else None,
    )
