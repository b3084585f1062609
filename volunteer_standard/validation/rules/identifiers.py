"""VR2xx: identity numbers, credit codes, phones, e-mail, volunteer numbers, region codes.

Checks come from :mod:`volunteer_standard.identifiers`; this module only decides which
fields to check and turns findings into issues. Messages say *which* check failed and never
quote an identity or phone number (PIPL art. 28; domain.md §6): the pointer locates it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from volunteer_standard.codelists import regions
from volunteer_standard.identifiers import check_email, check_mobile, check_resident_id, check_uscc
from volunteer_standard.identifiers.resident_id import IdCheck
from volunteer_standard.models import ENTITY_MODELS, Certificate, Organization, Volunteer
from volunteer_standard.models._types import AreaId, RegionCode
from volunteer_standard.models.introspect import sensitive_fields, values_at
from volunteer_standard.validation.rules.base import RecordRef, Rule, bi, issue_type

_GB11643 = "GB 11643-1999 公民身份号码"
_GB32100 = "GB 32100-2015 统一社会信用代码 (XG1-2016)"

RESIDENT_ID_TYPES = (
    issue_type(
        "VR201",
        "id-number-format",
        "error",
        "identifiers",
        ("身份证件号码格式不对：{detail}", "identity number is malformed: {detail}"),
        (
            "居民身份证号码为 17 位数字加 1 位校验码（0-9 或 X），去掉空格并使用半角字符。",
            "a resident ID number is 17 digits and a check character (0-9 or X); remove "
            "spaces and full-width characters.",
        ),
        _GB11643,
    ),
    issue_type(
        "VR202",
        "id-number-birth-date",
        "error",
        "identifiers",
        (
            "身份证件号码中的出生日期（第 7–14 位）无效：{detail}",
            "the birth date in the identity number (positions 7-14) is invalid: {detail}",
        ),
        (
            "核对证件原件；出生日期必须是 1900 年以后、今天以前的真实日期。",
            "check the document; the birth date must be a real date after 1900 and not in "
            "the future.",
        ),
        _GB11643,
    ),
    issue_type(
        "VR203",
        "id-number-checksum",
        "error",
        "identifiers",
        (
            "身份证件号码校验码不符（ISO 7064 MOD 11-2）",
            "the identity number's check character does not match (ISO 7064 MOD 11-2)",
        ),
        (
            "通常是录入错误：逐位核对证件号码。",
            "usually a typing error: compare the number with the document digit by digit.",
        ),
        _GB11643,
    ),
    issue_type(
        "VR204",
        "id-number-place",
        "warning",
        "identifiers",
        (
            "身份证件号码的地址码{detail}",
            "the identity number's address code {detail}",
        ),
        (
            "地址码按首次登记时的行政区划编制，可能已撤销；确认号码无误后可忽略。",
            "the address code is that of the first registration and may have been retired; "
            "ignore this once the number is confirmed.",
        ),
        _GB11643 + "; GB/T 2260 history (MCA year-end tables)",
    ),
    issue_type(
        "VR205",
        "id-number-birth-mismatch",
        "error",
        "identifiers",
        (
            "身份证件号码中的出生日期与 birth_date 不一致",
            "the birth date in the identity number differs from birth_date",
        ),
        (
            "以证件为准改正 birth_date 或证件号码。",
            "correct birth_date or the number, whichever disagrees with the document.",
        ),
        _GB11643,
    ),
    issue_type(
        "VR206",
        "id-number-gender-mismatch",
        "error",
        "identifiers",
        (
            "身份证件号码中的性别（第 17 位奇男偶女）与 gender 不一致",
            "the sex encoded in the identity number (17th digit: odd male, even female) "
            "differs from gender",
        ),
        (
            "以证件为准改正 gender 或证件号码。",
            "correct gender or the number, whichever disagrees with the document.",
        ),
        _GB11643,
    ),
    issue_type(
        "VR207",
        "id-document-type-mismatch",
        "warning",
        "identifiers",
        (
            "证件号码看起来是{detail}，但证件类型为 {expected}",
            "the number looks like {detail}, but the document type is {expected}",
        ),
        (
            "港澳居民居住证（810000/820000 开头）用类型 10，台湾居民居住证（830000）用 11，"
            "外国人永久居留身份证（9 开头）用 12。",
            "use type 10 for Hong Kong/Macao residence permits (810000/820000), 11 for "
            "Taiwan (830000) and 12 for the foreign permanent resident ID (leading 9).",
        ),
        _GB11643 + "; 港澳台居民居住证 (2018); 外国人永久居留身份证 (2023)",
    ),
    issue_type(
        "VR208",
        "id-number-lowercase-x",
        "warning",
        "identifiers",
        (
            "身份证件号码的校验码写成了小写 x",
            "the identity number's check character is a lowercase x",
        ),
        (
            "统一写成大写 X，便于去重和比对。",
            "store it as an upper-case X so numbers compare equal.",
        ),
        _GB11643,
    ),
)

USCC_TYPES = (
    issue_type(
        "VR210",
        "uscc-format",
        "error",
        "identifiers",
        ("统一社会信用代码格式不对：{detail}", "unified social credit code is malformed: {detail}"),
        (
            "代码为 18 位：登记管理部门、机构类别、6 位行政区划码、9 位组织机构代码、校验码。",
            "the code is 18 characters: authority, category, 6-digit division code, 9-character "
            "organisation code and a check character.",
        ),
        _GB32100,
    ),
    issue_type(
        "VR211",
        "uscc-checksum",
        "error",
        "identifiers",
        (
            "统一社会信用代码校验码不符（GB 32100）",
            "the unified social credit code's check character does not match (GB 32100)",
        ),
        (
            "对照营业执照或登记证书逐位核对。",
            "compare the code with the registration certificate character by character.",
        ),
        _GB32100,
    ),
    issue_type(
        "VR212",
        "uscc-authority",
        "warning",
        "identifiers",
        (
            "统一社会信用代码的登记管理部门与机构类别组合未知（第 1–2 位）",
            "unknown registration authority and category combination (positions 1-2)",
        ),
        (
            "核对代码前两位，如 51 社会团体、52 社会服务机构、53 基金会。",
            "check the first two characters, e.g. 51 social group, 52 social service "
            "organisation, 53 foundation.",
        ),
        _GB32100,
    ),
    issue_type(
        "VR213",
        "uscc-org-code",
        "warning",
        "identifiers",
        (
            "统一社会信用代码中的组织机构代码（第 9–17 位）校验不符（GB 11714）",
            "the organisation code inside the credit code (positions 9-17) fails its "
            "GB 11714 check",
        ),
        (
            "部分登记机关的主体标识码不遵循 GB 11714；核对无误后可忽略。",
            "some authorities assign body codes outside GB 11714; ignore once confirmed.",
        ),
        _GB32100 + "; GB 11714",
    ),
    issue_type(
        "VR214",
        "uscc-team-type",
        "warning",
        "identifiers",
        (
            "队伍类型 {value} 与统一社会信用代码不符：{detail}",
            "team_type {value} does not match the credit code: {detail}",
        ),
        (
            "在民政部门登记的志愿服务组织（team_type 2）代码通常以 51、52 或 53 开头；"
            "核对队伍类型或代码。",
            "registered volunteer organisations (team_type 2) normally have codes starting "
            "51, 52 or 53; check team_type or the code.",
        ),
        _GB32100 + "; NVSI albe0003 队伍类型; 条例 art. 6, 8",
    ),
    issue_type(
        "VR215",
        "uscc-missing-registered",
        "warning",
        "identifiers",
        (
            "已登记的志愿服务组织（team_type 2）没有统一社会信用代码",
            "a registered volunteer organisation (team_type 2) has no unified social credit code",
        ),
        ("补充登记证书上的统一社会信用代码。", "add the code from the registration certificate."),
        _GB32100 + "; NVSI albe0008",
    ),
)

CONTACT_TYPES = (
    issue_type(
        "VR220",
        "mobile-format",
        "warning",
        "identifiers",
        (
            "{field} 不是有效的内地手机号码（11 位，1[3-9] 开头）",
            "{field} is not a valid mainland mobile number (11 digits starting 1[3-9])",
        ),
        (
            "只写 11 位手机号，可带 +86 前缀；座机或境外号码请放在其他联系方式中。",
            "write the 11-digit mobile number (a +86 prefix is fine); landlines and foreign "
            "numbers belong elsewhere.",
        ),
        "NVSI albp0010 手机号码",
    ),
    issue_type(
        "VR221",
        "email-format",
        "error",
        "identifiers",
        ("{field} 不是有效的电子邮箱：{detail}", "{field} is not a valid e-mail address: {detail}"),
        ("检查 @ 前后和域名的拼写。", "check the parts before and after '@' and the domain."),
        "RFC 5322 / RFC 5321 (pragmatic subset)",
    ),
    issue_type(
        "VR222",
        "volunteer-no-format",
        "error",
        "identifiers",
        (
            "{field} 不符合规则配置要求的志愿者编号格式",
            "{field} does not match the volunteer number format the profile requires",
        ),
        (
            "志愿者编号由平台统一分配（MZ/T 061 统一编号），不要用身份证号代替。",
            "volunteer numbers are assigned by the platform (MZ/T 061); never use the ID "
            "number instead.",
        ),
        "MZ/T 061-2015 志愿者统一编号; NVSI albp0029",
    ),
)

REGION_TYPES = (
    issue_type(
        "VR230",
        "region-retired",
        "warning",
        "identifiers",
        (
            "{field} 的区划代码{value}已于 {year} 年撤销，现属 {successors}",
            "{field}: region code{value} was retired in {year}; now part of {successors}",
        ),
        (
            "历史数据可保留原代码；新数据请改用现行代码。",
            "historic records may keep the old code; new records should use the current one.",
        ),
        "GB/T 2260 history (MCA year-end tables)",
    ),
    issue_type(
        "VR231",
        "region-unknown",
        "error",
        "identifiers",
        (
            "{field} 的区划代码{value}不在 GB/T 2260 区划代码（含历史）中",
            "{field}: region code{value} is not a GB/T 2260 division code (current or historic)",
        ),
        (
            "填写县级及以上 6 位区划代码；12/18 位区域编号的前 6 位必须是区划代码。",
            "use a 6-digit county-level (or higher) code; the first 6 digits of a 12- or "
            "18-digit area id must be one.",
        ),
        "GB/T 2260; NBS 统计用区划代码; NVSI areaid",
    ),
    issue_type(
        "VR232",
        "area-id-region-mismatch",
        "warning",
        "identifiers",
        (
            "{field} 的前 6 位与同一地址的 region_code 不一致",
            "{field}: its first 6 digits differ from region_code of the same address",
        ),
        ("区域编号的前 6 位就是区划代码，两者应一致。", "an area id starts with its region code."),
        "NVSI areaid",
    ),
)

# -- resident identity numbers ---------------------------------------------------------------

#: id_document.type → what kind of 18-character number it must be (others are not checked).
ID_KIND_BY_TYPE = {
    "01": "resident",
    "10": "hk_macao_permit",
    "11": "taiwan_permit",
    "12": "foreign_permanent",
}
_KIND_LABELS = {
    "resident": ("a resident ID number", "居民身份证号码"),
    "hk_macao_permit": (
        "a Hong Kong/Macao residence permit number (810000/820000)",
        "港澳居民居住证号码（810000/820000 开头）",
    ),
    "taiwan_permit": (
        "a Taiwan residence permit number (830000)",
        "台湾居民居住证号码（830000 开头）",
    ),
    "foreign_permanent": (
        "a foreign permanent resident ID (leading 9)",
        "外国人永久居留身份证号码（9 开头）",
    ),
}
_ASCII_NUMBER = re.compile("[0-9]{17}[0-9Xx]")


def _format_detail(number: str) -> tuple[str, str]:
    """Why a number is not 17 digits and a check character, without quoting it."""
    if re.fullmatch(r"[0-9]{15}", number):
        return (
            "15-digit first-generation number; only 18-character numbers are accepted",
            "15 位一代证号码，只接受 18 位号码",
        )
    if number != number.strip() or " " in number or "\u3000" in number:
        return ("contains spaces", "含有空格")
    if any("\uff10" <= c <= "\uff5a" for c in number):
        return ("contains full-width characters", "含有全角字符")
    if len(number) != 18:
        return (f"expected 18 characters, got {len(number)}", f"应为 18 位，实际 {len(number)} 位")
    return (
        "expected 17 digits 0-9 followed by 0-9 or X",
        "应为 17 位数字加 1 位 0-9 或 X",
    )


def _birth_detail(number: str, today: date) -> tuple[str, str]:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return ("not a calendar date", "不是真实存在的日期")
    if born > today:
        return ("in the future", "晚于今天")
    return ("before 1900", "早于 1900 年")


class ResidentIdRule(Rule):
    """GB 11643 numbers on volunteers: resident IDs, residence permits, foreigner IDs."""

    issue_types = RESIDENT_ID_TYPES
    entity_types = frozenset({"volunteer"})

    def check(self, obj: Volunteer, rec: RecordRef) -> None:
        doc = obj.id_document
        if doc is None:
            return
        expected = ID_KIND_BY_TYPE.get(doc.type)
        if expected is None:
            return  # passports, HK/Macao/Taiwan ID cards, military cards: no national format
        number = doc.number
        if expected == "foreign_permanent" and not (len(number) == 18 and number[:1] == "9"):
            return  # the pre-2023 15-character cards have no published check
        gender = obj.gender if obj.gender in ("0", "1", "2", "9") else None
        result: IdCheck = check_resident_id(
            number, birth_date=obj.birth_date, gender=gender, today=self.ctx.today
        )
        path = "/id_document/number"
        for problem in result.problems:
            code = problem.code
            if code == "id.format":
                if problem.severity == "warning":
                    rec.issue("VR208", path)
                else:
                    en, zh = _format_detail(number)
                    rec.issue("VR201", path, bi({}, "detail", en, zh))
            elif code == "id.birth_date":
                en, zh = _birth_detail(number.upper(), self.ctx.today)
                rec.issue("VR202", path, bi({}, "detail", en, zh))
            elif code == "id.checksum":
                rec.issue("VR203", path)
            elif code == "id.place":
                if "retired" in problem.detail:
                    detail = ("was retired before the birth year", "在出生年份之前已撤销")
                else:
                    detail = ("is not in the bundled division history", "不在区划代码历史中")
                rec.issue("VR204", path, bi({}, "detail", *detail))
            elif code == "id.birth_mismatch":
                rec.issue("VR205", path)
            elif code == "id.gender_mismatch":
                rec.issue("VR206", path)
        kind = result.kind
        if kind is not None and kind != expected:
            en, zh = _KIND_LABELS[kind]
            params = bi({"expected": repr(doc.type)}, "detail", en, zh)
            rec.issue("VR207", "/id_document/type", params)


# -- unified social credit codes ---------------------------------------------------------------

_USCC_FORMAT_ZH = {
    "expected 18": "应为 18 位",
    "the letters": "不使用字母 I、O、S、V、Z",
    "only digits": "只能使用数字和 GB 32100 规定的大写字母",
    "positions 3-8": "第 3–8 位必须是 6 位行政区划码",
    "lowercase": "含小写字母",
}


def _uscc_issues(code: str, path: str, rec: RecordRef) -> None:
    result = check_uscc(code)
    for problem in result.problems:
        if problem.code == "uscc.format":
            zh = next((v for k, v in _USCC_FORMAT_ZH.items() if k in problem.detail), "格式不对")
            rec.issue("VR210", path, bi({}, "detail", problem.detail, zh))
        elif problem.code == "uscc.checksum":
            rec.issue("VR211", path)
        elif problem.code == "uscc.authority":
            rec.issue("VR212", path)
        elif problem.code == "uscc.org_code_checksum":
            rec.issue("VR213", path)


class UsccRule(Rule):
    """Credit codes of organisations, approving units and certificate issuers."""

    issue_types = USCC_TYPES
    entity_types = frozenset({"organization", "certificate"})

    def check(self, obj: Organization | Certificate, rec: RecordRef) -> None:
        if isinstance(obj, Certificate):
            if obj.issuer.uscc is not None:
                _uscc_issues(obj.issuer.uscc, "/issuer/uscc", rec)
            return
        if obj.uscc is not None:
            _uscc_issues(obj.uscc, "/uscc", rec)
            civil = obj.uscc.startswith(("51", "52", "53"))
            if obj.team_type == "2" and not civil:
                rec.issue(
                    "VR214",
                    "/team_type",
                    bi(
                        {"value": "2"},
                        "detail",
                        "a registered organisation's code normally starts 51, 52 or 53",
                        "已登记组织的代码通常以 51、52 或 53 开头",
                    ),
                )
            elif obj.team_type == "1" and civil:
                rec.issue(
                    "VR214",
                    "/team_type",
                    bi(
                        {"value": "1"},
                        "detail",
                        "the code is that of an organisation registered with civil affairs "
                        "(51/52/53); use team_type 2",
                        "代码属于在民政部门登记的组织（51/52/53），应为 team_type 2",
                    ),
                )
        elif obj.team_type == "2":
            rec.issue("VR215", "/uscc")
        unit = obj.approving_unit
        if unit is not None and unit.uscc is not None:
            _uscc_issues(unit.uscc, "/approving_unit/uscc", rec)


# -- phones, e-mail, volunteer numbers -----------------------------------------------------------

_EMAIL_ZH = {
    "expected local-part": "应为 名称@域名",
    "too long": "地址过长",
    "local part": "@ 前含不允许的字符或点",
    "domain": "域名无效",
}


def _paths_named(model: type[BaseModel], leaf: str) -> tuple[tuple[str, ...], ...]:
    """Paths (with ``*`` for list items) of every field called ``leaf``, nested too."""
    out: list[tuple[str, ...]] = []

    def walk(m: type[BaseModel], path: tuple[str, ...], depth: int) -> None:
        for name, info in m.model_fields.items():
            here = (*path, name)
            if name == leaf:
                out.append(here)
            stack: list[tuple[Any, tuple[str, ...]]] = [(info.annotation, here)]
            while stack and depth < 6:
                ann, p = stack.pop()
                origin = get_origin(ann)
                if origin is list:
                    stack.append((get_args(ann)[0], (*p, "*")))
                elif origin is not None:
                    stack.extend((a, p) for a in get_args(ann))
                elif isinstance(ann, type) and issubclass(ann, BaseModel):
                    walk(ann, p, depth + 1)

    walk(model, (), 0)
    return tuple(out)


@functools.cache
def _email_paths(kind: str) -> tuple[tuple[str, ...], ...]:
    return _paths_named(ENTITY_MODELS[kind], "email")


def _pointer(path: tuple[str, ...]) -> str:
    return "".join("/" + p for p in path)


class ContactRule(Rule):
    """Mobile numbers of volunteers and guardians; e-mail everywhere; volunteer numbers."""

    issue_types = CONTACT_TYPES
    entity_types = frozenset(
        {"volunteer", "certificate"}
        | {k for k in ENTITY_MODELS if _paths_named(ENTITY_MODELS[k], "email")}
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        pattern = ctx.profile.identifiers.volunteer_no_pattern
        self._vno = re.compile(pattern) if pattern else None

    def check(self, obj: Any, rec: RecordRef) -> None:
        kind = rec.kind
        if kind == "volunteer":
            if (
                obj.phone is not None
                and obj.nationality in (None, "156")
                and check_mobile(obj.phone)
            ):
                rec.issue("VR220", "/phone", {"field": "/phone"})
            guardian = obj.guardian
            if guardian is not None and guardian.phone is not None and check_mobile(guardian.phone):
                rec.issue("VR220", "/guardian/phone", {"field": "/guardian/phone"})
            if self._vno is not None and not self._vno.fullmatch(obj.volunteer_no):
                rec.issue("VR222", "/volunteer_no", {"field": "/volunteer_no"})
        elif (
            kind == "certificate"
            and self._vno is not None
            and not self._vno.fullmatch(obj.volunteer.volunteer_no)
        ):
            field = "/volunteer/volunteer_no"
            rec.issue("VR222", field, {"field": field})
        data = rec.raw
        for path in _email_paths(kind):
            if path[0] not in data:
                continue
            for pointer, value in values_at(data, path):
                if isinstance(value, str):
                    problems = check_email(value)
                    if problems:
                        detail = problems[0].detail
                        zh = next((v for k, v in _EMAIL_ZH.items() if k in detail), "格式不对")
                        params = bi({"field": pointer}, "detail", detail, zh)
                        rec.issue("VR221", pointer, params)


# -- region codes ------------------------------------------------------------------------------

#: The constraints of the RegionCode and AreaId types. A postcode has an equal six-digit
#: constraint (and typing caches equal Annotated types), so postcodes are excluded by name.
_REGION_MARKERS = tuple(m for t in (RegionCode, AreaId) for m in get_args(t)[1:])
_NOT_REGIONS = frozenset({"postcode"})


def _is_region(metadata: Any) -> bool:
    return any(metadata == m for m in _REGION_MARKERS)


def _region_paths(model: type[BaseModel]) -> tuple[tuple[str, ...], ...]:
    """Paths of every region code or area id field in ``model`` (nested, list items too)."""
    out: list[tuple[str, ...]] = []

    def annotation(ann: Any, path: tuple[str, ...], depth: int) -> None:
        origin = get_origin(ann)
        if origin is Annotated:
            base, *meta = get_args(ann)
            if any(_is_region(m) for m in meta):
                out.append(path)
                return
            annotation(base, path, depth)
        elif origin is list:
            annotation(get_args(ann)[0], (*path, "*"), depth)
        elif origin is not None:
            for arg in get_args(ann):
                annotation(arg, path, depth)
        elif isinstance(ann, type) and issubclass(ann, BaseModel) and depth < 6:
            walk(ann, path, depth + 1)

    def walk(m: type[BaseModel], path: tuple[str, ...], depth: int) -> None:
        for name, info in m.model_fields.items():
            if name in _NOT_REGIONS:
                continue
            here = (*path, name)
            if any(_is_region(x) for x in info.metadata):
                out.append(here)
            else:
                annotation(info.annotation, here, depth)

    walk(model, (), 0)
    return tuple(dict.fromkeys(out))


@functools.cache
def _region_fields(kind: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Region paths of an entity type, each with whether its value may be shown."""
    model = ENTITY_MODELS[kind]
    sensitive = sensitive_fields(model)
    out = []
    for path in _region_paths(model):
        plain = tuple(p for p in path if p != "*")
        hidden = any(plain[: len(s)] == s for s in sensitive)
        out.append((path, not hidden))
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def _region_verdict(code: str) -> tuple[str, int | None, str, str]:
    """(status, year retired, successors en, successors zh) of a 6/9/12/18-digit code."""
    region = regions.lookup(code)
    if region is None:
        return "unknown", None, "", ""
    if region.in_use:
        return "in_use", None, "", ""
    names = []
    for succ in regions.successor_chain(code):
        names.append(f"{succ} {regions.name(succ) or ''}".strip())
    en = ", ".join(names) or "no recorded successor"
    zh = "、".join(names) or "（无记录的继承代码）"
    return "retired", region.valid_to, en, zh


class RegionRule(Rule):
    """Region codes and area ids: in use, retired (with successors) or unknown."""

    issue_types = REGION_TYPES
    entity_types = frozenset(k for k in ENTITY_MODELS if _region_paths(ENTITY_MODELS[k]))

    def check(self, obj: Any, rec: RecordRef) -> None:
        data = rec.raw
        for path, showable in _region_fields(rec.kind):
            if path[0] not in data:
                continue
            for pointer, value in values_at(data, path):
                if not isinstance(value, str):
                    continue
                status, year, succ_en, succ_zh = _region_verdict(value)
                if status == "in_use":
                    if path[-1] == "area_id":
                        self._area_matches(data, path, pointer, value, rec)
                    continue
                params = {"field": pointer}
                if showable:
                    bi(params, "value", f" {value}", f" {value} ")
                if status == "unknown":
                    rec.issue("VR231", pointer, params)
                else:
                    params.update(year=str(year), successors=succ_en, successors_zh=succ_zh)
                    rec.issue("VR230", pointer, params)

    @staticmethod
    def _area_matches(
        data: dict[str, Any], path: tuple[str, ...], pointer: str, value: str, rec: RecordRef
    ) -> None:
        parent_pointer = pointer.rsplit("/", 1)[0]
        for ptr, address in values_at(data, path[:-1]):
            if ptr == parent_pointer and isinstance(address, dict):
                code = address.get("region_code")
                if isinstance(code, str) and value[:6] != code:
                    rec.issue("VR232", pointer, {"field": pointer})


def region_paths(kind: str) -> Iterator[tuple[str, ...]]:
    """Region code paths of an entity type (exposed for tests and tools)."""
    for path, _ in _region_fields(kind):
        yield path
