"""What the printed certificate says, as plain strings: shared by the HTML and PDF layouts.

The face is Chinese (the certificate is a Chinese document) with short English
subtitles, as bilingual certificates commonly carry for schools and employers abroad.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import segno

from volunteer_standard import codelists
from volunteer_standard.models import Certificate

LEGAL_BASIS = (
    "本证明依据《志愿服务条例》和《志愿服务记录与证明出具办法（试行）》出具，"
    "仅统计本组织记录的、已生效的实际服务时长（不含往返途中时间）。"
)
LEGAL_BASIS_EN = (
    "Issued under the Regulations on Volunteer Service; counts only effective hours of "
    "actual service recorded by this organization, excluding travel."
)


def chinese_date(day: date) -> str:
    """``2025年3月5日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def hours_text(hours: Decimal) -> str:
    """Hours with two decimals, as recorded: ``12.50``."""
    return f"{hours:.2f}"


@dataclass(frozen=True)
class FaceLine:
    number: int
    title: str
    period: str
    hours: str


@dataclass(frozen=True)
class Face:
    """Every string printed on a certificate, and its QR payload."""

    certificate_no: str
    name: str
    volunteer_no: str
    id_line: str
    period: str
    statement: str
    lines: list[FaceLine]
    total_hours: str
    issuer: str
    issuer_uscc: str
    responsible_person: str
    handler: str
    contact: str
    issued_on: str
    verification_code: str
    qr_payload: str
    key_id: str
    revoked: bool

    def qr_matrix(self) -> list[list[bool]]:
        """The QR code's modules (True is dark), without the quiet zone."""
        qr = segno.make(self.qr_payload, error="m", micro=False)
        return [[bool(cell) for cell in row] for row in qr.matrix]


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{chinese_date(start)} 至 {chinese_date(end)}"
    if start:
        return f"{chinese_date(start)} 起"
    if end:
        return f"截至 {chinese_date(end)}"
    return ""


def _short_period(start: date | None, end: date | None) -> str:
    def dotted(day: date | None) -> str:
        return day.strftime("%Y.%m.%d") if day else "…"

    if start == end:
        return dotted(start)
    return f"{dotted(start)}–{dotted(end)}"


def qr_payload(certificate: Certificate) -> str:
    """What the QR code holds: the verification URL, else number and code as text."""
    verification = certificate.verification
    if verification and verification.url:
        return verification.url
    code = verification.code if verification and verification.code else ""
    return f"VSTD-CERT:{certificate.certificate_no}:{code}"


def face_of(certificate: Certificate) -> Face:
    """The printable strings of ``certificate``."""
    holder = certificate.volunteer
    id_line = ""
    if holder.id_number_masked:
        kind = codelists.get("id_document_type").label(holder.id_type or "01", "zh")
        id_line = f"{kind} {holder.id_number_masked}"
    period = certificate.period
    span = _period(period.start if period else None, period.end if period else None)
    total = hours_text(certificate.total_hours)
    issuer = certificate.issuer
    during = f"于{span.replace(' ', '')}期间" if span else ""
    statement = (
        f"兹证明{holder.name}同志{during}参加{issuer.name}组织的志愿服务活动，"
        f"经本组织记录并核实，累计志愿服务时长{total}小时。具体如下："
    )
    lines = [
        FaceLine(
            number=i,
            title=line.project_title,
            period=_short_period(line.period.start, line.period.end) if line.period else "",
            hours=hours_text(line.hours),
        )
        for i, line in enumerate(certificate.lines, start=1)
    ]
    contact_bits = []
    if issuer.contact and issuer.contact.phone:
        contact_bits.append(f"电话 {issuer.contact.phone}")
    if issuer.contact and issuer.contact.email:
        contact_bits.append(f"邮箱 {issuer.contact.email}")
    verification = certificate.verification
    return Face(
        certificate_no=certificate.certificate_no,
        name=holder.name,
        volunteer_no=holder.volunteer_no,
        id_line=id_line,
        period=span,
        statement=statement,
        lines=lines,
        total_hours=total,
        issuer=issuer.name,
        issuer_uscc=issuer.uscc or "",
        responsible_person=issuer.responsible_person or "",
        handler=issuer.handler or "",
        contact="，".join(contact_bits),
        issued_on=chinese_date(certificate.issued_on),
        verification_code=verification.code if verification and verification.code else "",
        qr_payload=qr_payload(certificate),
        key_id=certificate.proof.key_id if certificate.proof else "",
        revoked=certificate.status == "revoked",
    )


__all__ = ["LEGAL_BASIS", "LEGAL_BASIS_EN", "Face", "FaceLine", "chinese_date", "face_of"]
