"""志愿者 Volunteer: a registered natural person (条例 arts. 6–7)."""

from __future__ import annotations

from typing import Literal

from volunteer_standard.models._base import StandardModel, field
from volunteer_standard.models._types import (
    AvailabilitySlotCode,
    EducationCode,
    Email,
    EmploymentStatusCode,
    EntityId,
    EthnicityCode,
    GenderCode,
    GuardianRelationCode,
    IdDocumentTypeCode,
    IsoDate,
    LanguageCode,
    Name,
    NationalityCode,
    Phone,
    PoliticalStatusCode,
    RealNameStatusCode,
    RegionCode,
    ServiceCategoryCode,
    ShortText,
    SkillCode,
    StarLevelCode,
    VolunteerStatusCode,
    VolunteerTypeCode,
)
from volunteer_standard.models.common import Address, Consent, ContactPoint, Entity


class IdDocument(StandardModel):
    """An identity document. Sensitive: never a public key, masked on output by default."""

    type: IdDocumentTypeCode = field(
        "证件类型", "Document type", "Code list id_document_type (01 = resident ID card)."
    )
    number: ShortText = field(
        "证件号码", "Document number", "The document number.", sensitive="sensitive"
    )


class Guardian(StandardModel):
    """The legal guardian of a minor volunteer (PIPL art. 31; required under 14)."""

    name: Name = field("监护人姓名", "Name", "Guardian's name.", sensitive="personal")
    relation: GuardianRelationCode = field(
        "与志愿者关系", "Relation", "Relation to the volunteer (code list guardian_relation)."
    )
    phone: Phone | None = field(
        "监护人电话", "Phone", "Guardian's phone number.", None, sensitive="personal"
    )
    consent_on: IsoDate | None = field(
        "同意日期", "Consent date", "When the guardian consented to the registration.", None
    )


class Volunteer(Entity):
    """志愿者 A registered volunteer."""

    type: Literal["volunteer"] = field("对象类型", "Type", "Always 'volunteer'.", "volunteer")
    volunteer_no: ShortText = field(
        "志愿者编号",
        "Volunteer number",
        "Public key of the volunteer across systems (MZ/T 061 统一编号); never the ID number.",
    )
    name: Name = field(
        "姓名", "Name", "Full name as on the identity document.", sensitive="personal"
    )
    id_document: IdDocument | None = field(
        "身份证件", "Identity document", "Identity document type and number.", None
    )
    gender: GenderCode | None = field("性别", "Gender", "Code list gender (GB/T 2261.1).", None)
    birth_date: IsoDate | None = field(
        "出生日期", "Birth date", "Date of birth.", None, sensitive="personal"
    )
    nationality: NationalityCode | None = field(
        "国籍", "Nationality", "ISO 3166-1 numeric country code (156 = China).", None
    )
    ethnicity: EthnicityCode | None = field("民族", "Ethnicity", "GB/T 3304 code.", None)
    political_status: PoliticalStatusCode | None = field(
        "政治面貌", "Political status", "Code list political_status (GB/T 4762).", None
    )
    education: EducationCode | None = field(
        "学历", "Education", "Highest education (code list education).", None
    )
    employment_status: EmploymentStatusCode | None = field(
        "从业状况", "Employment status", "Code list employment_status.", None
    )
    phone: Phone | None = field(
        "手机号码", "Mobile phone", "Mobile number.", None, sensitive="personal"
    )
    email: Email | None = field("电子邮箱", "Email", "Email address.", None, sensitive="personal")
    residence: Address | None = field(
        "现居住地", "Residence", "Where the volunteer lives.", None, sensitive="personal"
    )
    service_regions: list[RegionCode] | None = field(
        "服务区域", "Service regions", "GB/T 2260 regions where the volunteer serves.", None
    )
    service_categories: list[ServiceCategoryCode] | None = field(
        "服务类别", "Service categories", "Preferred service categories.", None
    )
    skills: list[SkillCode] | None = field("个人特长", "Skills", "Code list skill.", None)
    languages: list[LanguageCode] | None = field(
        "语言能力", "Languages", "Languages the volunteer can serve in.", None
    )
    availability: list[AvailabilitySlotCode] | None = field(
        "可服务时间", "Availability", "Weekly slots when the volunteer can serve.", None
    )
    volunteer_types: list[VolunteerTypeCode] | None = field(
        "志愿者类型",
        "Volunteer types",
        "Groups the volunteer belongs to (党员, 青年, 巾帼, 社区 …), code list volunteer_type.",
        None,
    )
    registered_on: IsoDate | None = field("注册日期", "Registered on", "Registration date.", None)
    registration_region: RegionCode | None = field(
        "注册区域", "Registration region", "Region of the platform where they registered.", None
    )
    real_name_verified: RealNameStatusCode | None = field(
        "实名认证", "Real-name verification", "0 failed, 1 verified, 2 under review.", None
    )
    status: VolunteerStatusCode | None = field(
        "状态", "Status", "Code list volunteer_status.", None
    )
    star_level: StarLevelCode | None = field(
        "星级", "Star level", "Current star rating 1–5 (星级认定).", None
    )
    guardian: Guardian | None = field(
        "监护人", "Guardian", "Legal guardian; required for volunteers under 14.", None
    )
    emergency_contact: ContactPoint | None = field(
        "紧急联系人", "Emergency contact", "Who to call in an emergency.", None
    )
    consents: list[Consent] | None = field(
        "授权同意", "Consents", "Consents given for processing personal information.", None
    )
    organization_ids: list[EntityId] | None = field(
        "所属组织", "Organizations", "Organizations (teams) the volunteer is a member of.", None
    )
