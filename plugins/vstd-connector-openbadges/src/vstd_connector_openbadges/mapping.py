"""Certificates and service records ↔ Open Badges 3.0 ``OpenBadgeCredential``s.

A certificate (志愿服务证明) becomes a credential whose achievement is of type
``CommunityService``; the service period gives ``activityStartDate``/``activityEndDate``;
the total hours and each project line's hours are ``result``s described by
``ResultDescription``s of type ``ext:ServiceHours``; the issuing organization is the
issuer ``Profile`` (its USCC an ``IdentifierEntry``); the volunteer is known only by
``IdentityObject``s: the volunteer number and the name, salted and hashed (SHA-256) by
default. A certificate never holds the raw ID number, so no credential can.

A single service record maps the same way (achievement: the service done; result: its
hours; subject: the volunteer's id, hashed).

Both directions are plain and deterministic for a given salt; what either side has beyond
them is kept by the connector (``LosslessCodec``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, unquote

from volunteer_standard.models._types import ID_PATTERN
from vstd_connector_openbadges.schemas import OB_CONTEXT, VC_CONTEXT

CERTIFICATE_PREFIX = "urn:vstd:certificate:"
RECORD_PREFIX = "urn:vstd:service_record:"
ISSUER_PREFIX = "urn:vstd:organization:"
HOURS = "ext:ServiceHours"
TOTAL = "urn:vstd:result:total-hours"
#: Shown for a holder's name that the credential only has as a hash.
HIDDEN = "***"
#: Offset given to dates (certificates carry dates; credentials need date-times).
OFFSET = "+08:00"
#: JSON-LD term of the carry: standard fields OB has no place for, as a JSON literal.
CARRY = "vstd"
CARRY_CONTEXT = {CARRY: {"@id": "urn:volunteer-standard:carry", "@type": "@json"}}

Salt = Callable[[str], str]
_ID_RE = re.compile(ID_PATTERN)
_HOURS_RE = re.compile(r"^(?:0|[1-9][0-9]{0,4})(?:\.[0-9]{1,2})?$")


def identity(kind: str, value: str, salt: str | None) -> dict[str, Any]:
    """An OB ``IdentityObject``: salted SHA-256 when ``salt`` is given, else plain."""
    if salt is None:
        return {
            "type": "IdentityObject",
            "identityHash": value,
            "identityType": kind,
            "hashed": False,
        }
    digest = hashlib.sha256((value + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": kind,
        "hashed": True,
        "salt": salt,
    }


def matches(identity_object: dict[str, Any], value: str) -> bool:
    """Whether ``identity_object`` identifies ``value`` (for a verifier who knows it)."""
    hashed = identity_object.get("identityHash")
    if not identity_object.get("hashed"):
        return bool(hashed == value)
    salt = identity_object.get("salt") or ""
    if not isinstance(hashed, str) or "$" not in hashed:
        return False
    algorithm, digest = hashed.split("$", 1)
    if algorithm.lower() != "sha256":
        return False
    return hashlib.sha256((value + salt).encode()).hexdigest() == digest.lower()


def standard_id(value: Any) -> str | None:
    """A standard id made from a foreign identifier (unchanged when already one)."""
    if not isinstance(value, str):
        return None
    if _ID_RE.fullmatch(value):
        return value
    cleaned = re.sub(r"[^0-9A-Za-z._:-]", "-", value).strip("-._:")[:128]
    return cleaned or None


def _datetime(day: str | None, time: str = "00:00:00") -> str | None:
    return f"{day}T{time}{OFFSET}" if day else None


def _issuer(org_id: str, name: str | None, uscc: str | None, base: str) -> dict[str, Any]:
    issuer: dict[str, Any] = {"id": f"{base}{quote(org_id)}", "type": ["Profile"]}
    if name:
        issuer["name"] = name
    if uscc:
        issuer["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": uscc, "identifierType": "ext:USCC"}
        ]
    return issuer


def _hours_result(rid: str, name: str, hours: str) -> tuple[dict[str, Any], dict[str, Any]]:
    description = {"id": rid, "type": ["ResultDescription"], "name": name, "resultType": HOURS}
    return description, {"type": ["Result"], "resultDescription": rid, "value": hours}


def certificate_to_credential(d: dict[str, Any], salt: Salt | None, base: str) -> dict[str, Any]:
    """The OB 3.0 credential (unsigned) of a standard certificate."""
    number = d["certificate_no"]
    holder = d.get("volunteer") or {}
    cert_salt = salt(number) if salt else None
    identifiers = [identity("ext:VolunteerNumber", holder.get("volunteer_no", ""), cert_salt)]
    if holder.get("name"):
        identifiers.append(identity("name", holder["name"], cert_salt))
    issuer = d.get("issuer") or {}
    descriptions, results = [], []
    total_description, total = _hours_result(
        TOTAL, "累计服务时长（小时）Total service hours", d.get("total_hours", "0")
    )
    descriptions.append(total_description)
    results.append(total)
    for i, line in enumerate(d.get("lines") or [], start=1):
        description, result = _hours_result(
            f"urn:vstd:result:line:{i}", line.get("project_title", ""), line.get("hours", "0")
        )
        descriptions.append(description)
        results.append(result)
    period = d.get("period") or {}
    subject: dict[str, Any] = {"type": ["AchievementSubject"], "identifier": identifiers}
    if period.get("start"):
        subject["activityStartDate"] = _datetime(period["start"])
    if period.get("end"):
        subject["activityEndDate"] = _datetime(period["end"])
    org_id = issuer.get("organization_id", "")
    subject["achievement"] = {
        "id": f"{base}{quote(org_id)}#community-service",
        "type": ["Achievement"],
        "achievementType": "CommunityService",
        "name": "志愿服务 Community service",
        "description": "志愿服务证明：志愿服务项目与时长 / Certificate of volunteer service: "
        "projects and hours",
        "criteria": {
            "narrative": "由记录服务时长的组织出具（谁记录谁证明），只计已生效的记录。 "
            "Issued by the organization that recorded the hours; only effective records count."
        },
        "resultDescription": descriptions,
    }
    subject["result"] = results
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": CERTIFICATE_PREFIX + quote(number, safe=""),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"志愿服务证明 Certificate of volunteer service {number}",
        "issuer": _issuer(org_id, issuer.get("name"), issuer.get("uscc"), base),
        "validFrom": _datetime(d.get("issued_on")),
        "credentialSubject": subject,
    }
    if d.get("status") == "revoked" and d.get("revoked_at"):
        credential["validUntil"] = d["revoked_at"]  # a revoked certificate is not valid after
    return credential


def _hours(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _HOURS_RE.fullmatch(text):
        return str(Decimal(text).quantize(Decimal("0.01")))  # as the model writes it
    try:
        exact = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return str(exact) if Decimal(text) == exact and 0 <= exact <= Decimal("99999.99") else None


def hours_results(subject: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(result description id, its name, hours) of the subject's hour results."""
    found = subject.get("achievement")
    achievement: dict[str, Any] = found if isinstance(found, dict) else {}
    names = {}
    for item in achievement.get("resultDescription") or []:
        if isinstance(item, dict) and item.get("resultType") == HOURS:
            names[item.get("id")] = str(item.get("name") or "")
    out = []
    for result in subject.get("result") or []:
        if not isinstance(result, dict) or result.get("resultDescription") not in names:
            continue
        hours = _hours(result.get("value"))
        if hours is not None:
            rid = result["resultDescription"]
            out.append((rid, names[rid], hours))
    return out


def _identity(subject: dict[str, Any], kinds: tuple[str, ...]) -> str | None:
    for item in subject.get("identifier") or []:
        if isinstance(item, dict) and item.get("identityType") in kinds:
            value = item.get("identityHash")
            if isinstance(value, str) and value:
                return value if not item.get("hashed") else HIDDEN + value
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, str) and re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value[:10]
    return None


def _subject(credential: dict[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    return subject if isinstance(subject, dict) else {}


def _issuer_of(credential: dict[str, Any], base: str) -> dict[str, Any]:
    issuer = credential.get("issuer")
    profile = issuer if isinstance(issuer, dict) else {"id": issuer}
    found = profile.get("id")
    iid: str = found if isinstance(found, str) else ""
    org = unquote(iid[len(base) :]) if iid.startswith(base) else iid
    out: dict[str, Any] = {"organization_id": standard_id(org) or "unknown"}
    name = profile.get("name")
    out["name"] = name if isinstance(name, str) and name else iid or "unknown"
    for entry in profile.get("otherIdentifier") or []:
        if isinstance(entry, dict) and entry.get("identifierType") == "ext:USCC":
            value = entry.get("identifier")
            if isinstance(value, str) and re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", value):
                out["uscc"] = value
    return out


def credential_to_certificate(credential: dict[str, Any], base: str) -> dict[str, Any]:
    """The standard certificate (as a dict) of an OB 3.0 credential.

    A holder known only by hash keeps the hash as volunteer number (prefixed ``***``)
    and ``***`` as name; lines and total come from the ``ext:ServiceHours`` results.
    """
    found = credential.get("id")
    cid: str = found if isinstance(found, str) else ""
    number = unquote(cid[len(CERTIFICATE_PREFIX) :]) if cid.startswith(CERTIFICATE_PREFIX) else cid
    subject = _subject(credential)
    d: dict[str, Any] = {
        "type": "certificate",
        "id": standard_id(number),
        "certificate_no": number[:200],
        "status": "issued",
    }
    name = _identity(subject, ("name",))
    d["volunteer"] = {
        "volunteer_no": (_identity(subject, ("ext:VolunteerNumber", "identifier")) or HIDDEN)[:200],
        "name": name if name and not name.startswith(HIDDEN) else HIDDEN,
    }
    d["issuer"] = _issuer_of(credential, base)
    issued = _date(credential.get("validFrom")) or _date(credential.get("awardedDate"))
    if issued:
        d["issued_on"] = issued
    period = {
        k: v
        for k, v in (
            ("start", _date(subject.get("activityStartDate"))),
            ("end", _date(subject.get("activityEndDate"))),
        )
        if v
    }
    if period:
        d["period"] = period
    results = hours_results(subject)
    totals = [h for rid, _n, h in results if rid == TOTAL]
    lines = [
        {"project_title": n or "志愿服务", "hours": h} for rid, n, h in results if rid != TOTAL
    ]
    if not lines and totals:
        found = subject.get("achievement")
        achievement: dict[str, Any] = found if isinstance(found, dict) else {}
        lines = [
            {"project_title": str(achievement.get("name") or "志愿服务")[:200], "hours": totals[0]}
        ]
    if lines:
        d["lines"] = lines
        d["total_hours"] = (
            totals[0] if totals else str(sum(Decimal(line["hours"]) for line in lines))
        )
    return d


def record_to_credential(d: dict[str, Any], salt: Salt | None, base: str) -> dict[str, Any]:
    """The OB 3.0 credential (unsigned) of one standard service record."""
    rid = d["id"]
    org_id = d.get("organization_id", "")
    description, result = _hours_result(
        "urn:vstd:result:hours", "服务时长（小时）Service hours", d.get("hours", "0")
    )
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            identity("systemId", d.get("volunteer_id", ""), salt(rid) if salt else None)
        ],
        "activityStartDate": d.get("start"),
        "activityEndDate": d.get("end"),
        "achievement": {
            "id": f"{base}{quote(org_id)}#community-service",
            "type": ["Achievement"],
            "achievementType": "CommunityService",
            "name": "志愿服务 Community service",
            "description": d.get("content") or "志愿服务记录 / Record of volunteer service",
            "criteria": {
                "narrative": "已生效的志愿服务记录 / An effective record of volunteer service."
            },
            "resultDescription": [description],
        },
        "result": [result],
    }
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": RECORD_PREFIX + quote(rid, safe=""),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "志愿服务记录 Record of volunteer service",
        "issuer": _issuer(org_id, None, None, base),
        "validFrom": d.get("recorded_at") or d.get("end"),
        "credentialSubject": subject,
    }


def credential_to_record(credential: dict[str, Any], base: str) -> dict[str, Any]:
    """The standard service record (as a dict) of a credential made from one."""
    found = credential.get("id")
    cid: str = found if isinstance(found, str) else ""
    subject = _subject(credential)
    d: dict[str, Any] = {
        "type": "service_record",
        "id": standard_id(unquote(cid[len(RECORD_PREFIX) :])),
    }
    d["volunteer_id"] = standard_id(_identity(subject, ("systemId",)) or "")
    d["organization_id"] = _issuer_of(credential, base)["organization_id"]
    d["start"] = subject.get("activityStartDate")
    d["end"] = subject.get("activityEndDate")
    results = hours_results(subject)
    if results:
        d["hours"] = results[0][2]
    d["status"] = "effective"
    if isinstance(credential.get("validFrom"), str):
        d["recorded_at"] = credential["validFrom"]
    return {k: v for k, v in d.items() if v is not None}
