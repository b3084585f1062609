"""Value types of the standard: dates, hours, codes, identifiers.

Each type validates in pydantic exactly as its published JSON Schema does in any other
validator: ASCII-only character classes, no float hours, no implicit coercion.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from volunteer_standard import codelists

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})$"
)
HOURS_PATTERN = r"^(?:0|[1-9][0-9]{0,4})(?:\.[0-9]{1,2})?$"
CODE_PATTERN = r"^[0-9A-Za-z_.-]{1,40}$"
ID_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._:-]{0,127}$"
REGION_CODE_PATTERN = r"^[0-9]{6}$"
AREA_ID_PATTERN = r"^(?:[0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{18})$"
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
NAMESPACE_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"

_DATE_RE = re.compile(DATE_PATTERN.strip("^$"))
_DATETIME_RE = re.compile(DATETIME_PATTERN.strip("^$"))
_HOURS_RE = re.compile(HOURS_PATTERN.strip("^$"))
_MAX_HOURS = Decimal("99999.99")
_CENT = Decimal("0.01")


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        if not _DATE_RE.fullmatch(value):
            raise PydanticCustomError(
                "date_format", "expected a date as YYYY-MM-DD, got {value}", {"value": repr(value)}
            )
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_value", "{value} is not a calendar date", {"value": repr(value)}
            ) from None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise PydanticCustomError("date_type", "expected a date string YYYY-MM-DD", {})


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, str):
        if not _DATETIME_RE.fullmatch(value):
            raise PydanticCustomError(
                "datetime_format",
                "expected a date-time with offset such as 2024-03-05T09:00:00+08:00, got {value}",
                {"value": repr(value)},
            )
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "datetime_value", "{value} is not a valid date-time", {"value": repr(value)}
            ) from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise PydanticCustomError("datetime_naive", "the date-time needs a UTC offset", {})
        return value
    raise PydanticCustomError("datetime_type", "expected a date-time string", {})


def _parse_hours(value: Any) -> Decimal:
    if isinstance(value, str):
        if not _HOURS_RE.fullmatch(value):
            raise PydanticCustomError(
                "hours_format",
                'expected hours as a decimal string with at most 2 decimals (e.g. "1.50"), '
                "got {value}",
                {"value": repr(value)},
            )
        return Decimal(value)
    if isinstance(value, Decimal) and not isinstance(value, bool):
        try:
            exact = value.quantize(_CENT)
        except InvalidOperation:
            exact = None
        if exact is None or exact != value or not (0 <= value <= _MAX_HOURS):
            raise PydanticCustomError(
                "hours_format", "hours must be 0–99999.99 with at most 2 decimals", {}
            )
        return value
    raise PydanticCustomError(
        "hours_type",
        'hours must be a decimal string such as "1.50", never a JSON number (floats are inexact)',
        {},
    )


def _hours_to_json(value: Decimal) -> str:
    return f"{value.quantize(_CENT)}"


class _TextFirst:
    """A value type validated natively by pydantic-core, with Python only as the fallback.

    The JSON form (a string matching ``pattern``) is checked and parsed in Rust, which is
    what almost every value is; anything else (a Python ``date``/``datetime``/``Decimal``
    given through the API) goes to ``fallback``, the reference implementation of the
    type. When both refuse a value, pydantic reports one error of type ``error_type``, and
    :func:`precise_error` asks the reference implementation what exactly is wrong with it,
    so that messages stay those of the reference.
    """

    __slots__ = ("error_message", "error_type", "fallback", "parsed", "pattern")

    def __init__(
        self,
        pattern: str,
        parsed: core_schema.CoreSchema,
        fallback: Any,
        error: tuple[str, str],
    ) -> None:
        self.pattern = pattern
        self.parsed = parsed
        self.fallback = fallback
        self.error_type, self.error_message = error

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        text = core_schema.chain_schema(
            [core_schema.str_schema(pattern=self.pattern, strict=True), self.parsed]
        )
        return core_schema.union_schema(
            [text, core_schema.no_info_plain_validator_function(self.fallback)],
            mode="left_to_right",
            custom_error_type=self.error_type,
            custom_error_message=self.error_message,
        )


#: The reference parser of each natively validated type, by the error type it reports.
_REFERENCE: dict[str, Any] = {
    "date_format": _parse_date,
    "datetime_format": _parse_datetime,
    "hours_format": _parse_hours,
}
_DATE_ERROR = ("date_format", "expected a calendar date as YYYY-MM-DD")
_DATETIME_ERROR = (
    "datetime_format",
    "expected a date-time with offset such as 2024-03-05T09:00:00+08:00",
)
_HOURS_ERROR = (
    "hours_format",
    'expected hours as a decimal string 0-99999.99 with at most 2 decimals (e.g. "1.50")',
)


def precise_error(error_type: str, value: Any) -> tuple[str, str, dict[str, Any]] | None:
    """``(type, message, context)`` of the reference parser's error for ``value``, for an
    error that a natively validated type reported as ``error_type`` (else ``None``)."""
    parse = _REFERENCE.get(error_type)
    if parse is None:
        return None
    try:
        parse(value)
    except PydanticCustomError as exc:
        return exc.type, exc.message(), dict(exc.context or {})
    return None  # cannot happen: the reference is the union's last branch


IsoDate = Annotated[
    date,
    _TextFirst(DATE_PATTERN, core_schema.date_schema(strict=False), _parse_date, _DATE_ERROR),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
IsoDateTime = Annotated[
    datetime,
    _TextFirst(
        DATETIME_PATTERN,
        core_schema.datetime_schema(strict=False, tz_constraint="aware"),
        _parse_datetime,
        _DATETIME_ERROR,
    ),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
Hours = Annotated[
    Decimal,
    _TextFirst(HOURS_PATTERN, core_schema.decimal_schema(strict=False), _parse_hours, _HOURS_ERROR),
    PlainSerializer(_hours_to_json, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": HOURS_PATTERN, "maxLength": 8, "examples": ["1.50"]}
    ),
]
EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=128)]
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN, max_length=6)]
AreaId = Annotated[str, StringConstraints(pattern=AREA_ID_PATTERN, max_length=18)]
UsccValue = Annotated[str, StringConstraints(pattern=USCC_PATTERN, max_length=18)]
Namespace = Annotated[str, StringConstraints(pattern=NAMESPACE_PATTERN, max_length=40)]


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Phone = Annotated[str, StringConstraints(min_length=3, max_length=32)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]{1,64}@[^@\s]{1,255}$", max_length=320)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]{1,2000}$", max_length=2048)]


class CodeListRef:
    """Annotation marking a string as a code of a named code list.

    Closed lists are enforced here and published as ``enum``; open lists accept any
    well-formed code and the validator warns about unknown ones. The list is read lazily,
    so importing the models never parses CSV files.
    """

    __slots__ = ("_codes", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._codes: frozenset[str] | None = None

    def __repr__(self) -> str:
        return f"CodeListRef({self.name!r})"

    def _allowed(self) -> frozenset[str]:
        """Codes a value may take (empty for open lists); looked up once per reference."""
        if self._codes is None:
            codes = codelists.get(self.name)
            self._codes = frozenset(codes.all_codes()) if codes.closed else frozenset()
        return self._codes

    def label_of(self, value: Any) -> str | None:
        """The code whose zh or en label ``value`` is (``"男"`` → ``"1"``), if any."""
        codes = codelists.get(self.name)
        return next((c.code for c in codes.codes if value in (c.label_zh, c.label_en)), None)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """A closed list is checked natively, as a string among its codes (before the code
        pattern: a label written instead of a code is named as such, see
        ``validation/structure.py``); an open list needs nothing beyond the pattern."""
        allowed = self._allowed()
        if not allowed:
            return handler(source)
        among = core_schema.custom_error_schema(
            core_schema.literal_schema(sorted(allowed)),
            custom_error_type="code_closed",
            custom_error_message=f"not a code of the closed code list '{self.name}'",
            custom_error_context={"codelist": self.name},
        )
        return core_schema.chain_schema(
            [core_schema.str_schema(strict=True), among, handler(source)]
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        if schema["type"] == "chain":  # a closed list: the string's own constraints
            schema = schema["steps"][-1]
        result = handler(schema)
        codes = codelists.get(self.name)
        if codes.closed:
            result["enum"] = list(codes.all_codes())
        result["x-codelist"] = self.name
        result["x-codelist-closed"] = codes.closed
        return result


def _some(codes: frozenset[str], limit: int = 8) -> str:
    shown = sorted(codes)[:limit]
    return ", ".join(shown) + (", …" if len(codes) > limit else "")


_CODE = StringConstraints(pattern=CODE_PATTERN, max_length=40)

ServiceCategoryCode = Annotated[str, _CODE, CodeListRef("service_category")]
ServiceTargetCode = Annotated[str, _CODE, CodeListRef("service_target")]
IdDocumentTypeCode = Annotated[str, _CODE, CodeListRef("id_document_type")]
GenderCode = Annotated[str, _CODE, CodeListRef("gender")]
PoliticalStatusCode = Annotated[str, _CODE, CodeListRef("political_status")]
EducationCode = Annotated[str, _CODE, CodeListRef("education")]
EmploymentStatusCode = Annotated[str, _CODE, CodeListRef("employment_status")]
EthnicityCode = Annotated[str, _CODE, CodeListRef("ethnicity")]
SkillCode = Annotated[str, _CODE, CodeListRef("skill")]
AvailabilitySlotCode = Annotated[str, _CODE, CodeListRef("availability_slot")]
TeamTypeCode = Annotated[str, _CODE, CodeListRef("team_type")]
OrgTypeCode = Annotated[str, _CODE, CodeListRef("org_type")]
OrgStatusCode = Annotated[str, _CODE, CodeListRef("org_status")]
ProjectStatusCode = Annotated[str, _CODE, CodeListRef("project_status")]
RecruitmentScopeCode = Annotated[str, _CODE, CodeListRef("recruitment_scope")]
GuaranteeCode = Annotated[str, _CODE, CodeListRef("guarantee")]
HoursEntryMethodCode = Annotated[str, _CODE, CodeListRef("hours_entry_method")]
HoursRecordStatusCode = Annotated[str, _CODE, CodeListRef("hours_record_status")]
HoursTypeCode = Annotated[str, _CODE, CodeListRef("hours_type")]
TrainingTypeCode = Annotated[str, _CODE, CodeListRef("training_type")]
TrainingModeCode = Annotated[str, _CODE, CodeListRef("training_mode")]
FundingSourceCode = Annotated[str, _CODE, CodeListRef("funding_source")]
StarLevelCode = Annotated[str, _CODE, CodeListRef("star_level")]
VolunteerTypeCode = Annotated[str, _CODE, CodeListRef("volunteer_type")]
VolunteerStatusCode = Annotated[str, _CODE, CodeListRef("volunteer_status")]
RealNameStatusCode = Annotated[str, _CODE, CodeListRef("real_name_status")]
AwardSubjectTypeCode = Annotated[str, _CODE, CodeListRef("award_subject_type")]
EvaluationDirectionCode = Annotated[str, _CODE, CodeListRef("evaluation_direction")]
CertificateStatusCode = Annotated[str, _CODE, CodeListRef("certificate_status")]
CertificatePurposeCode = Annotated[str, _CODE, CodeListRef("certificate_purpose")]
StationTypeCode = Annotated[str, _CODE, CodeListRef("station_type")]
DemandStatusCode = Annotated[str, _CODE, CodeListRef("demand_status")]
ActivityStatusCode = Annotated[str, _CODE, CodeListRef("activity_status")]
GuardianRelationCode = Annotated[str, _CODE, CodeListRef("guardian_relation")]
ConsentPurposeCode = Annotated[str, _CODE, CodeListRef("consent_purpose")]
ContactVisibilityCode = Annotated[str, _CODE, CodeListRef("contact_visibility")]
LanguageCode = Annotated[str, _CODE, CodeListRef("language")]
NationalityCode = Annotated[str, _CODE, CodeListRef("nationality")]
EvidenceTypeCode = Annotated[str, _CODE, CodeListRef("evidence_type")]
