"""Issue certificates (志愿服务证明) from a standard dataset (domain §1c–1d).

The rules, as the 2021 measures (民政部令第67号) and 民发〔2015〕149号 set them:

* 谁记录谁证明: a certificate only counts service records that the issuing organization
  itself recorded (``organization_id``);
* only **effective** records (``status == "effective"``) count; pending, open, rejected,
  deleted and failed entries never appear;
* one line per project, with the first and last day of service and the hours; the total
  is the exact decimal sum of the lines (no floats anywhere);
* a unique certificate number and a verification code (:mod:`.numbering`);
* the ID number is masked on the certificate's face (first 6 and last 4 kept for the
  resident ID card, last 4 for other documents).

The input is read twice from the file, record by record. The first pass finds the issuer,
the requested volunteers, the project titles and which volunteers have countable hours;
the second sums the hours, with the ids of the records, of the volunteers being certified
only. Memory holds the certificates being made, the project titles and one id per
volunteer with hours; records of other volunteers and organizations are never kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from volunteer_standard.certificates.errors import CertificateError
from volunteer_standard.certificates.numbering import certificate_number, verification_code
from volunteer_standard.identifiers.resident_id import mask_resident_id
from volunteer_standard.io.reader import iter_raw
from volunteer_standard.models import (
    Certificate,
    CertificateHolder,
    CertificateIssuer,
    CertificateLine,
    ContactPoint,
    Organization,
    Period,
    ServiceRecord,
    Verification,
    Volunteer,
)
from volunteer_standard.text import Text

#: The record status that counts (code list hours_record_status).
EFFECTIVE = "effective"
#: Title of the line that gathers records without a project.
NO_PROJECT_TITLE = "其他志愿服务"


def mask_id_number(id_type: str | None, number: str) -> str:
    """The ID number as printed on a certificate (domain §6b)."""
    if id_type in (None, "01"):
        return mask_resident_id(number, "6+4")
    if len(number) < 8:
        return "*" * len(number)
    return "*" * (len(number) - 4) + number[-4:]


@dataclass(frozen=True)
class IssueOptions:
    """What to certify: whose hours, which organization, which days."""

    organization_id: str
    #: Volunteer ids or volunteer numbers; ``None`` issues one certificate per volunteer
    #: with effective hours at the organization (batch mode).
    volunteers: frozenset[str] | None = None
    start: date | None = None
    end: date | None = None
    issued_on: date = field(default_factory=date.today)
    purpose: str | None = None
    handler: str | None = None
    responsible_person: str | None = None
    #: Base of the verification URL; the QR code then opens ``{base}?no=…&code=…``.
    verify_url: str | None = None
    serial: int = 1


@dataclass
class _Line:
    hours: Decimal = Decimal("0")
    first: date | None = None
    last: date | None = None
    record_ids: list[str] = field(default_factory=list)

    def add(self, record: ServiceRecord) -> None:
        self.hours += record.hours
        day = record.start.date()
        self.first = day if self.first is None or day < self.first else self.first
        self.last = day if self.last is None or day > self.last else self.last
        self.record_ids.append(record.id)


@dataclass
class IssueStats:
    """What the issue run saw: the records the certificates cover, and, over the whole
    input, how many records were left out and why."""

    records_counted: int = 0
    other_organization: int = 0
    not_effective: int = 0
    outside_period: int = 0
    invalid: int = 0


@dataclass(frozen=True)
class _ProjectInfo:
    title: str
    region_code: str | None


@dataclass
class _Survey:
    """Pass 1: everything small enough to hold, whatever the input's size."""

    organization: Organization | None = None
    #: Requested volunteer id or number → volunteer id.
    resolved: dict[str, str] = field(default_factory=dict)
    #: Volunteers with at least one countable record.
    with_hours: set[str] = field(default_factory=set)
    projects: dict[str, _ProjectInfo] = field(default_factory=dict)
    stats: IssueStats = field(default_factory=IssueStats)


def _in_period(day: date, options: IssueOptions) -> bool:
    return (options.start is None or day >= options.start) and (
        options.end is None or day <= options.end
    )


def _objects(source: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(entity type, object) for every object of a package or JSON Lines file."""
    for raw in iter_raw(source):
        data = raw.data
        if raw.error or not isinstance(data, dict):
            continue
        kind = data.get("type") or (raw.collection or "")[:-1]
        if isinstance(kind, str):
            yield kind, data


def _countable(
    data: dict[str, Any], options: IssueOptions, stats: IssueStats | None
) -> ServiceRecord | None:
    """The record if it counts towards a certificate of the issuer, else ``None``."""
    try:
        record = ServiceRecord.model_validate({"type": "service_record", **data})
    except ValidationError:
        if stats:
            stats.invalid += 1
        return None
    if record.organization_id != options.organization_id:
        if stats:
            stats.other_organization += 1
    elif record.status != EFFECTIVE:
        if stats:
            stats.not_effective += 1
    elif not _in_period(record.start.date(), options):
        if stats:
            stats.outside_period += 1
    else:
        return record
    return None


def _survey(source: Path, options: IssueOptions) -> _Survey:
    survey = _Survey()
    wanted = options.volunteers
    for kind, data in _objects(source):
        if kind == "service_record":
            record = _countable(data, options, survey.stats)
            if record is not None:
                survey.with_hours.add(record.volunteer_id)
        elif kind == "organization" and data.get("id") == options.organization_id:
            try:
                survey.organization = Organization.model_validate({**data, "type": kind})
            except ValidationError:
                continue
        elif kind == "volunteer" and wanted is not None:
            for key in ("id", "volunteer_no"):
                value = data.get(key)
                if isinstance(value, str) and value in wanted and isinstance(data.get("id"), str):
                    survey.resolved[value] = data["id"]
        elif kind == "project" and isinstance(data.get("title"), str):
            region = data.get("region_code")
            survey.projects[str(data.get("id"))] = _ProjectInfo(
                data["title"], region if isinstance(region, str) else None
            )
    return survey


def _collect(
    source: Path, options: IssueOptions, chosen: set[str]
) -> tuple[dict[str, dict[str | None, _Line]], dict[str, Volunteer]]:
    """Pass 2: the lines (with record ids) and the details of the chosen volunteers."""
    lines: dict[str, dict[str | None, _Line]] = {}
    volunteers: dict[str, Volunteer] = {}
    for kind, data in _objects(source):
        if kind == "service_record" and data.get("volunteer_id") in chosen:
            record = _countable(data, options, None)
            if record is not None:
                per_volunteer = lines.setdefault(record.volunteer_id, {})
                per_volunteer.setdefault(record.project_id, _Line()).add(record)
        elif kind == "volunteer" and data.get("id") in chosen:
            try:
                volunteer = Volunteer.model_validate({**data, "type": kind})
            except ValidationError:
                continue
            volunteers[volunteer.id] = volunteer
    return lines, volunteers


def _public_contact(contact: ContactPoint | None) -> ContactPoint | None:
    """The organization's contact details that it publishes (never a person's name)."""
    if contact is None:
        return None
    phone = contact.phone if contact.phone_visibility == "public" else None
    email = contact.email if contact.email_visibility == "public" else None
    if not (phone or email):
        return None
    return ContactPoint(
        phone=phone,
        phone_visibility="public" if phone else None,
        email=email,
        email_visibility="public" if email else None,
    )


def _build_certificate(
    volunteer: Volunteer,
    organization: Organization,
    lines: dict[str | None, _Line],
    projects: dict[str, _ProjectInfo],
    options: IssueOptions,
) -> Certificate:
    """One certificate from the summed lines of one volunteer."""
    cert_lines: list[CertificateLine] = []
    for project_id, line in sorted(lines.items(), key=lambda item: (item[1].first, item[0] or "")):
        project = projects.get(project_id) if project_id else None
        cert_lines.append(
            CertificateLine(
                project_id=project_id,
                project_title=project.title if project else (project_id or NO_PROJECT_TITLE),
                organization_name=organization.name,
                region_code=project.region_code if project else None,
                period=Period(start=line.first, end=line.last),
                hours=line.hours,
                service_record_ids=sorted(line.record_ids),
            )
        )
    total = sum((line.hours for line in cert_lines), Decimal("0"))
    first = min(line.period.start for line in cert_lines if line.period and line.period.start)
    last = max(line.period.end for line in cert_lines if line.period and line.period.end)
    document = volunteer.id_document
    holder = CertificateHolder(
        volunteer_id=volunteer.id,
        volunteer_no=volunteer.volunteer_no,
        name=volunteer.name,
        id_type=document.type if document else None,
        id_number_masked=mask_id_number(document.type, document.number) if document else None,
    )
    contact = organization.contact
    issuer = CertificateIssuer(
        organization_id=organization.id,
        name=organization.name,
        uscc=organization.uscc,
        responsible_person=options.responsible_person or organization.leader_name,
        handler=options.handler,
        contact=_public_contact(contact),
    )
    period = Period(start=options.start or first, end=options.end or last)
    attested = {
        "issuer": organization.id,
        "volunteer": volunteer.volunteer_no,
        "period": period.model_dump(mode="json", exclude_none=True),
        "lines": [[line.service_record_ids, str(line.hours)] for line in cert_lines],
        "issued_on": options.issued_on.isoformat(),
    }
    number = certificate_number(
        issued_on=options.issued_on,
        organization_id=organization.id,
        uscc=organization.uscc,
        content=attested,
        serial=options.serial,
    )
    certificate = Certificate(
        id=f"cert-{number.lower()}",
        certificate_no=number,
        volunteer=holder,
        issuer=issuer,
        lines=cert_lines,
        total_hours=total,
        period=period,
        issued_on=options.issued_on,
        purpose=options.purpose,
        status="issued",
    )
    code = verification_code(certificate.model_dump(mode="json", exclude_none=True))
    url = None
    if options.verify_url:
        glue = "&" if "?" in options.verify_url else "?"
        url = f"{options.verify_url}{glue}no={number}&code={code}"
    certificate.verification = Verification(url=url, code=code)
    return certificate


@dataclass
class IssueResult:
    """The certificates issued and the counts behind them."""

    certificates: list[Certificate]
    stats: IssueStats
    #: Requested volunteers that had no effective hours at the organization in the period.
    without_hours: list[str]


def issue(source: str | Path, options: IssueOptions) -> IssueResult:
    """Issue certificates from the dataset at ``source`` (a JSON package or JSON Lines file).

    Raises :class:`CertificateError` when the issuing organization is not in the dataset,
    or when no requested volunteer has effective hours recorded by it in the period.
    """
    path = Path(source)
    if str(source) == "-" or not path.is_file():
        raise CertificateError(
            Text(
                "{path} 不是可读的文件（出具证明需读取两遍，不能用标准输入）。",
                "{path} is not a readable file (issuing reads it twice; stdin cannot be used).",
            ).format(path=source)
        )
    survey = _survey(path, options)
    if survey.organization is None:
        raise CertificateError(
            Text(
                "数据中没有编号为 {org} 的组织：谁记录谁证明，出具组织必须在数据集中。",
                "no organization with id {org} in the data: the issuer must be in the dataset "
                "(only the organization that recorded the hours certifies them).",
            ).format(org=options.organization_id)
        )
    without: list[str] = []
    if options.volunteers is None:
        chosen = set(survey.with_hours)
    else:
        chosen = set()
        for wanted in sorted(options.volunteers):
            ident = survey.resolved.get(wanted)
            if ident is not None and ident in survey.with_hours:
                chosen.add(ident)
            else:
                without.append(wanted)
    lines, volunteers = _collect(path, options, chosen)
    certificates = [
        _build_certificate(volunteers[v], survey.organization, lines[v], survey.projects, options)
        for v in sorted(chosen)
        if v in volunteers and v in lines
    ]
    if options.volunteers is None:
        without = sorted(chosen - set(volunteers))
    if not certificates:
        raise CertificateError(
            Text(
                "组织 {org} 在所选期间没有为所选志愿者记录任何已生效的服务时长，无法出具证明。",
                "organization {org} recorded no effective service hours for the selected "
                "volunteers in the period; there is nothing to certify.",
            ).format(org=options.organization_id)
        )
    stats = survey.stats
    stats.records_counted = sum(
        len(line.service_record_ids or ()) for c in certificates for line in c.lines
    )
    return IssueResult(certificates, stats, without)


__all__ = [
    "EFFECTIVE",
    "IssueOptions",
    "IssueResult",
    "IssueStats",
    "issue",
    "mask_id_number",
]
