"""志愿服务证明 Certificate of volunteer service (民发〔2015〕149号; 民政部令第67号).

Four blocks: the volunteer's identity, the service lines with hours, the issuer, and the
number, date and remarks. Issued free of charge, only by the organization that recorded the
service (谁记录谁证明).
"""

from __future__ import annotations

from typing import Literal

from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import (
    CertificatePurposeCode,
    CertificateStatusCode,
    EntityId,
    Hours,
    IdDocumentTypeCode,
    IsoDate,
    IsoDateTime,
    Name,
    RegionCode,
    ShortText,
    Url,
    UsccValue,
)
from volunteer_standard.models.common import ContactPoint, Entity, Period


class CertificateHolder(StandardModel):
    """志愿者身份信息 The volunteer as printed on the certificate (ID number masked)."""

    volunteer_id: EntityId | None = field("志愿者", "Volunteer", "Id of the volunteer.", None)
    volunteer_no: ShortText = field("志愿者编号", "Volunteer number", "Public volunteer number.")
    name: Name = field("姓名", "Name", "Volunteer's name.", sensitive="personal")
    id_type: IdDocumentTypeCode | None = field(
        "证件类型", "ID type", "Code list id_document_type.", None
    )
    id_number_masked: ShortText | None = field(
        "证件号码（脱敏）",
        "Masked ID number",
        "The ID number with all but a few characters masked, e.g. 110105********123X.",
        None,
    )


class CertificateIssuer(StandardModel):
    """出具主体信息 The issuing organization, its 负责人 and 经办人."""

    organization_id: EntityId = field("出具组织", "Organization", "Id of the issuing organization.")
    name: ShortText = field("名称", "Name", "Name of the issuing organization.")
    uscc: UsccValue | None = field("统一社会信用代码", "USCC", "Issuer's credit code.", None)
    responsible_person: Name | None = field(
        "负责人", "Responsible person", "Person in charge who signs.", None, sensitive="personal"
    )
    handler: Name | None = field(
        "经办人",
        "Handler",
        "Staff member who prepared the certificate.",
        None,
        sensitive="personal",
    )
    contact: ContactPoint | None = field(
        "联系方式", "Contact", "How to verify with the issuer.", None
    )


class CertificateLine(StandardModel):
    """志愿服务信息 One project line: what, where, when and how many hours."""

    project_id: EntityId | None = field("项目", "Project", "Id of the project.", None)
    project_title: ShortText = field("项目名称", "Project title", "Name of the project.")
    organization_name: ShortText | None = field(
        "队伍名称", "Team", "Team or organization the service was done with.", None
    )
    region_code: RegionCode | None = field("区域", "Region", "Region of the service.", None)
    period: Period | None = field("服务期间", "Period", "First and last day of service.", None)
    hours: Hours = field("服务时长", "Hours", "Hours of service on this line.")
    service_record_ids: list[EntityId] | None = field(
        "服务记录", "Service records", "The records this line sums up.", None
    )


class Verification(StandardModel):
    """How a reader can check that the certificate is genuine and not revoked."""

    url: Url | None = field("核验地址", "URL", "Where the certificate can be verified.", None)
    code: ShortText | None = field("核验码", "Code", "Verification code printed on it.", None)
    signature: ShortText | None = field(
        "电子签名", "Signature", "Detached signature or credential proof reference.", None
    )


class CertificateProof(StandardModel):
    """The issuer's Ed25519 signature over the certificate (docs/certificates.md).

    The signed bytes are the RFC 8785 (JCS) canonical form of the certificate without its
    ``proof``; ``key_id`` names the issuer's public key (its JWK thumbprint).
    """

    type: Literal["Ed25519-JCS-2026"] = field(
        "签名方式", "Type", "Signature suite: Ed25519 over the JCS form of the certificate."
    )
    key_id: ShortText = field("密钥标识", "Key id", "Id of the issuer's public key (kid).")
    created: IsoDateTime = field("签名时间", "Created", "When the certificate was signed.")
    signature: ShortText = field(
        "签名值", "Signature", "The 64-byte Ed25519 signature, base64url without padding."
    )


class Certificate(Entity):
    """志愿服务证明 A certificate of volunteer service."""

    type: Literal["certificate"] = field("对象类型", "Type", "Always 'certificate'.", "certificate")
    certificate_no: ShortText = field(
        "证明编号", "Certificate number", "Number of the certificate."
    )
    volunteer: CertificateHolder = field(
        "志愿者身份信息", "Volunteer", "Who the certificate is for."
    )
    issuer: CertificateIssuer = field("出具主体信息", "Issuer", "Who issues it.")
    lines: list[CertificateLine] = field(
        "志愿服务信息", "Lines", "Service lines with hours.", min_length=1
    )
    total_hours: Hours = field("累计服务时长", "Total hours", "Sum of the lines' hours.")
    period: Period | None = field("证明期间", "Period", "Period the certificate covers.", None)
    issued_on: IsoDate = field("出具日期", "Issued on", "Date of issue.")
    purpose: CertificatePurposeCode | None = field(
        "用途", "Purpose", "What the certificate is for (code list certificate_purpose).", None
    )
    status: CertificateStatusCode = field("状态", "Status", "issued or revoked.")
    revoked_at: IsoDateTime | None = field("撤销时间", "Revoked at", "When it was revoked.", None)
    verification: Verification | None = field(
        "核验信息", "Verification", "How to verify the certificate.", None
    )
    proof: CertificateProof | None = field(
        "电子签名", "Proof", "The issuer's signature; absent on an unsigned certificate.", None
    )
