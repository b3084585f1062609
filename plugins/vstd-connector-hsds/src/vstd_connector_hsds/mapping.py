"""The natural mapping between the standard and HSDS 3.0 objects, both ways.

organization ↔ HSDS ``organization``; project ↔ ``service``; station and activity ↔
``location`` (an activity's location carries a ``volunteer-standard`` type attribute and a
schedule naming its project's service). Service categories, station types and the entity
marker are HSDS *attributes* linked to taxonomy terms of the ``volunteer-standard``
taxonomies, as HSDS intends for classifications.

Both directions are deterministic and plain; what one side has beyond them is kept by
:class:`volunteer_standard.connectors.helpers.patch.LosslessCodec` (see ``connector.py``).
Only contact channels marked public are published as HSDS phones and emails.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from volunteer_standard import codelists
from volunteer_standard.codelists import regions
from volunteer_standard.models._types import ID_PATTERN

#: Namespace of the UUIDs made from the standard's ids (HSDS ids are UUIDs).
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://volunteer-standard.org/hsds/3.0")
#: Prefix of this standard's taxonomies in HSDS taxonomy terms.
TAXONOMY = "volunteer-standard"
#: ``link_type`` of the attribute that tells an activity's location from a station.
KIND = "vstd-type"
#: ``link_type`` of the attribute carrying standard fields HSDS has no place for.
CARRY = "vstd-carry"
#: Offset assumed for HSDS dates, which have none (configurable in the connector).
DEFAULT_OFFSET = "+08:00"

_ID_RE = re.compile(ID_PATTERN)
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
_DAY_NAMES = {v: k for k, v in _DAYS.items()}
_STATUS_TO_HSDS = {
    "draft": "inactive",
    "pending_review": "inactive",
    "recruiting": "active",
    "recruitment_closed": "active",
    "in_progress": "active",
    "completed": "defunct",
    "suspended": "temporarily closed",
    "cancelled": "defunct",
    "backfill": "defunct",
}
_STATUS_FROM_HSDS = {
    "active": "in_progress",
    "inactive": "draft",
    "defunct": "completed",
    "temporarily closed": "suspended",
}


def is_uuid(value: object) -> bool:
    """Whether ``value`` is a UUID string in canonical form."""
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def hsds_id(kind: str, value: str) -> str:
    """The HSDS id of a standard id: itself when it is a UUID, else a name-based UUID."""
    return value if is_uuid(value) else str(uuid.uuid5(UUID_NAMESPACE, f"{kind}:{value}"))


def standard_id(value: Any) -> str | None:
    """The standard id of an HSDS id (unchanged when the standard allows it)."""
    if isinstance(value, str) and _ID_RE.fullmatch(value):
        return value
    if value is None:
        return None
    cleaned = re.sub(r"[^0-9A-Za-z._:-]", "-", str(value)).strip("-._:")[:128]
    return cleaned or None


def _term(list_name: str, code: str) -> dict[str, Any]:
    codes = codelists.get(list_name)
    entry = codes.get(code)
    return {
        "id": hsds_id("taxonomy_term", f"{list_name}:{code}"),
        "code": code,
        "name": entry.label_zh if entry else code,
        "description": entry.label_en if entry else code,
        "taxonomy": f"{TAXONOMY}:{list_name}",
    }


def attribute(
    link: str, entity: str, link_type: str, term: dict[str, Any], value: str | None = None
) -> dict[str, Any]:
    """An HSDS attribute linking ``term`` to the object ``link``."""
    out: dict[str, Any] = {
        "id": hsds_id("attribute", f"{link}:{link_type}:{term['id']}"),
        "link_id": link,
        "link_type": link_type,
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value is not None:
        out["value"] = value
    return out


def carry_term() -> dict[str, Any]:
    """The taxonomy term of the carry attribute."""
    return {
        "id": hsds_id("taxonomy_term", CARRY),
        "code": CARRY,
        "name": "volunteer-standard fields",
        "description": "Fields of the volunteer-standard record that HSDS has no place for "
        "(a JSON Patch, RFC 6902).",
        "taxonomy": TAXONOMY,
    }


def _code_attributes(
    link: str, entity: str, list_name: str, codes: list[str]
) -> list[dict[str, Any]]:
    return [attribute(link, entity, list_name, _term(list_name, c)) for c in codes]


def _codes_of(obj: dict[str, Any], list_name: str) -> list[str]:
    out = []
    for item in obj.get("attributes") or []:
        term = item.get("taxonomy_term") if isinstance(item, dict) else None
        if (
            isinstance(term, dict)
            and item.get("link_type") == list_name
            and term.get("taxonomy") == f"{TAXONOMY}:{list_name}"
            and isinstance(term.get("code"), str)
        ):
            out.append(term["code"])
    return out


def _public_contact(link_key: str, link: str, contact: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not contact:
        return out
    if contact.get("phone") and contact.get("phone_visibility") == "public":
        out["phones"] = [
            {"id": hsds_id("phone", f"{link}:1"), link_key: link, "number": contact["phone"]}
        ]
    if contact.get("email") and contact.get("email_visibility") == "public":
        out["email"] = contact["email"]
    return out


def _contact_of(obj: dict[str, Any]) -> dict[str, Any] | None:
    contact: dict[str, Any] = {}
    phones = obj.get("phones") or []
    if phones and isinstance(phones[0], dict) and isinstance(phones[0].get("number"), str):
        number = phones[0]["number"]
        if 3 <= len(number) <= 32:
            contact.update(phone=number, phone_visibility="public")
    email = obj.get("email")
    if isinstance(email, str) and _EMAIL_RE.fullmatch(email):
        contact.update(email=email, email_visibility="public")
    return contact or None


def _address(link: str, address: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not address or not (address.get("address") or address.get("region_code")):
        return []
    code = address.get("region_code") or (address.get("area_id") or "")[:6]
    province = regions.province_of(code) if code else None
    return [
        {
            "id": hsds_id("address", f"{link}:1"),
            "location_id": link,
            "address_1": address.get("address") or "",
            "city": (regions.name(code) if code else None) or "",
            "state_province": (regions.name(province) if province else None) or "",
            "postal_code": address.get("postcode") or "",
            "country": "CN",
            "address_type": "physical",
        }
    ]


def _address_of(obj: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    addresses = obj.get("addresses") or []
    first = addresses[0] if addresses and isinstance(addresses[0], dict) else {}
    if isinstance(first.get("address_1"), str) and 0 < len(first["address_1"]) <= 200:
        out["address"] = first["address_1"]
    postcode = first.get("postal_code")
    if isinstance(postcode, str) and re.fullmatch(r"[0-9]{6}", postcode):
        out["postcode"] = postcode
    lat, lng = obj.get("latitude"), obj.get("longitude")
    if (
        isinstance(lat, (int, float))
        and isinstance(lng, (int, float))
        and not isinstance(lat, bool)
        and -90 <= lat <= 90
        and -180 <= lng <= 180
    ):
        out["geo"] = {"lat": float(lat), "lng": float(lng)}
    return out


def _date(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and _DATE_RE.match(value) else None


# -- organization ------------------------------------------------------------------------


def organization_to_hsds(d: dict[str, Any]) -> dict[str, Any]:
    """HSDS organization of a standard organization."""
    oid = hsds_id("organization", d["id"])
    out: dict[str, Any] = {
        "id": oid,
        "name": d["name"],
        "description": d.get("description") or d["name"],
    }
    if d.get("website"):
        out["website"] = d["website"]
    if d.get("founded_on"):
        out["year_incorporated"] = int(d["founded_on"][:4])
    team = codelists.get("team_type").get(d.get("team_type") or "")
    if team:
        out["legal_status"] = team.label_en
    if d.get("parent_id"):
        out["parent_organization_id"] = hsds_id("organization", d["parent_id"])
    out.update(_public_contact("organization_id", oid, d.get("contact")))
    if d.get("uscc"):
        out["organization_identifiers"] = [
            {
                "id": hsds_id("organization_identifier", f"{oid}:uscc"),
                "organization_id": oid,
                "identifier_scheme": "CN-USCC",
                "identifier_type": "Unified social credit code (统一社会信用代码)",
                "identifier": d["uscc"],
            }
        ]
    attributes = _code_attributes(
        oid, "organization", "service_category", d.get("service_categories") or []
    )
    if attributes:
        out["attributes"] = attributes
    return out


def organization_from_hsds(o: dict[str, Any]) -> dict[str, Any]:
    """Standard organization (as a dict) of an HSDS organization."""
    d: dict[str, Any] = {"type": "organization", "id": standard_id(o.get("id"))}
    if isinstance(o.get("name"), str):
        d["name"] = o["name"]
    if isinstance(o.get("description"), str) and o["description"] != o.get("name"):
        d["description"] = o["description"]
    website = o.get("website")
    if isinstance(website, str) and re.fullmatch(r"https?://\S{1,2000}", website):
        d["website"] = website
    labels = {c.label_en: c.code for c in codelists.get("team_type").codes}
    d["team_type"] = labels.get(o.get("legal_status") or "", "3")
    if o.get("parent_organization_id"):
        d["parent_id"] = standard_id(o["parent_organization_id"])
    for ident in o.get("organization_identifiers") or []:
        if isinstance(ident, dict) and ident.get("identifier_scheme") == "CN-USCC":
            value = ident.get("identifier")
            if isinstance(value, str) and re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", value):
                d["uscc"] = value
    contact = _contact_of(o)
    if contact:
        d["contact"] = contact
    categories = _codes_of(o, "service_category")
    if categories:
        d["service_categories"] = categories
    return d


# -- project as service ------------------------------------------------------------------


def project_to_hsds(d: dict[str, Any]) -> dict[str, Any]:
    """HSDS service of a standard project."""
    sid = hsds_id("service", d["id"])
    out: dict[str, Any] = {
        "id": sid,
        "organization_id": hsds_id("organization", d["organization_id"]),
        "name": d["title"],
        "status": _STATUS_TO_HSDS.get(d.get("status") or "", "active"),
    }
    if d.get("description"):
        out["description"] = d["description"]
    recruitment = d.get("recruitment") or {}
    if recruitment.get("requirements"):
        out["eligibility_description"] = recruitment["requirements"]
    if recruitment.get("min_age") is not None:
        out["minimum_age"] = recruitment["min_age"]
    out.update(_public_contact("service_id", sid, d.get("contact")))
    schedule: dict[str, Any] = {
        "id": hsds_id("schedule", f"{sid}:1"),
        "service_id": sid,
        "valid_from": d["start"][:10],
    }
    if d.get("end"):
        schedule["valid_to"] = d["end"][:10]
    out["schedules"] = [schedule]
    if d.get("region_code"):
        code = d["region_code"]
        out["service_areas"] = [
            {
                "id": hsds_id("service_area", f"{sid}:{code}"),
                "service_id": sid,
                "name": regions.name(code) or code,
                "extent": code,
                "extent_type": "GB/T 2260",
            }
        ]
    out["attributes"] = _code_attributes(
        sid, "service", "service_category", d.get("service_categories") or []
    )
    return out


def project_from_hsds(o: dict[str, Any], offset: str = DEFAULT_OFFSET) -> dict[str, Any]:
    """Standard project (as a dict) of an HSDS service.

    A project needs a start: the first schedule's ``valid_from`` (or ``dtstart``), else
    ``assured_date`` or ``last_modified``; missing, the record is rejected by validation.
    Service categories default to 0099 (其他) when the service has none of ours.
    """
    d: dict[str, Any] = {"type": "project", "id": standard_id(o.get("id"))}
    if isinstance(o.get("name"), str):
        d["title"] = o["name"]
    if o.get("organization_id"):
        d["organization_id"] = standard_id(o["organization_id"])
    d["service_categories"] = _codes_of(o, "service_category") or ["0099"]
    if isinstance(o.get("description"), str) and o["description"]:
        d["description"] = o["description"]
    status = _STATUS_FROM_HSDS.get(o.get("status") or "")
    if status:
        d["status"] = status
    schedules = [s for s in o.get("schedules") or [] if isinstance(s, dict)]
    first = schedules[0] if schedules else {}
    start = (
        _date(first.get("valid_from"))
        or _date(first.get("dtstart"))
        or _date(o.get("assured_date"))
        or _date(o.get("last_modified"))
    )
    if start:
        d["start"] = f"{start}T00:00:00{offset}"
    end = _date(first.get("valid_to"))
    if end:
        d["end"] = f"{end}T00:00:00{offset}"
    recruitment: dict[str, Any] = {}
    if isinstance(o.get("eligibility_description"), str) and o["eligibility_description"]:
        recruitment["requirements"] = o["eligibility_description"][:4000]
    age = o.get("minimum_age")
    if isinstance(age, int) and not isinstance(age, bool) and age >= 0:
        recruitment["min_age"] = age
    if recruitment:
        d["recruitment"] = recruitment
    for area in o.get("service_areas") or []:
        extent = area.get("extent") if isinstance(area, dict) else None
        if (
            isinstance(extent, str)
            and area.get("extent_type") == "GB/T 2260"
            and re.fullmatch(r"[0-9]{6}", extent)
        ):
            d["region_code"] = extent
            break
    contact = _contact_of(o)
    if contact:
        d["contact"] = contact
    return d


# -- station and activity as location ------------------------------------------------------


def station_to_hsds(d: dict[str, Any]) -> dict[str, Any]:
    """HSDS location of a standard station."""
    lid = hsds_id("location", d["id"])
    out: dict[str, Any] = {"id": lid, "location_type": "physical", "name": d["name"]}
    if d.get("organization_id"):
        out["organization_id"] = hsds_id("organization", d["organization_id"])
    if d.get("host_unit"):
        out["description"] = d["host_unit"]
    _geo(out, d.get("address"))
    addresses = _address(lid, d.get("address"))
    if addresses:
        out["addresses"] = addresses
    out.update(
        {
            k: v
            for k, v in _public_contact("location_id", lid, d.get("contact")).items()
            if k == "phones"
        }
    )
    schedules = []
    for i, slot in enumerate(d.get("opening_hours") or [], start=1):
        days = [_DAYS[day] for day in slot["days"] if day in _DAYS]
        if not days:
            continue
        schedules.append(
            {
                "id": hsds_id("schedule", f"{lid}:{i}"),
                "location_id": lid,
                "freq": "WEEKLY",
                "byday": ",".join(days),
                "opens_at": slot["opens"],
                "closes_at": slot["closes"],
            }
        )
    if schedules:
        out["schedules"] = schedules
    attributes = _code_attributes(lid, "location", "station_type", [d["station_type"]])
    attributes += _code_attributes(
        lid, "location", "service_category", d.get("service_categories") or []
    )
    out["attributes"] = attributes
    return out


def _geo(out: dict[str, Any], address: dict[str, Any] | None) -> None:
    geo = (address or {}).get("geo")
    if geo:
        out["latitude"] = geo["lat"]
        out["longitude"] = geo["lng"]


def _kind_term(kind: str) -> dict[str, Any]:
    return {
        "id": hsds_id("taxonomy_term", f"{KIND}:{kind}"),
        "code": kind,
        "name": "志愿服务活动" if kind == "activity" else kind,
        "description": "A session (activity) of a volunteer service project.",
        "taxonomy": f"{TAXONOMY}:entity_type",
    }


def activity_to_hsds(d: dict[str, Any]) -> dict[str, Any]:
    """HSDS location of a standard activity: where the session takes place, with a
    schedule naming the project's service and the session's dates and times."""
    lid = hsds_id("location", d["id"])
    out: dict[str, Any] = {"id": lid, "location_type": "physical", "name": d["title"]}
    _geo(out, d.get("location"))
    addresses = _address(lid, d.get("location"))
    if addresses:
        out["addresses"] = addresses
    out["schedules"] = [
        {
            "id": hsds_id("schedule", f"{lid}:1"),
            "service_id": hsds_id("service", d["project_id"]),
            "location_id": lid,
            "valid_from": d["start"][:10],
            "valid_to": d["end"][:10],
            "dtstart": d["start"][:10],
            "opens_at": d["start"][11:16],
            "closes_at": d["end"][11:16],
        }
    ]
    out["attributes"] = [attribute(lid, "location", KIND, _kind_term("activity"))]
    return out


def location_kind(o: dict[str, Any]) -> str:
    """``activity`` for a location marked as one, else ``station``."""
    for item in o.get("attributes") or []:
        term = item.get("taxonomy_term") if isinstance(item, dict) else None
        if (
            item.get("link_type") == KIND
            and isinstance(term, dict)
            and term.get("code") == "activity"
        ):
            return "activity"
    return "station"


def location_from_hsds(o: dict[str, Any], offset: str = DEFAULT_OFFSET) -> dict[str, Any]:
    """Standard station or activity (as a dict) of an HSDS location."""
    kind = location_kind(o)
    d: dict[str, Any] = {"type": kind, "id": standard_id(o.get("id"))}
    address = _address_of(o)
    schedules = [s for s in o.get("schedules") or [] if isinstance(s, dict)]
    if kind == "activity":
        if isinstance(o.get("name"), str):
            d["title"] = o["name"]
        first = schedules[0] if schedules else {}
        if first.get("service_id"):
            d["project_id"] = standard_id(first["service_id"])
        start, end = _date(first.get("valid_from")), _date(first.get("valid_to"))
        opens, closes = first.get("opens_at") or "00:00", first.get("closes_at") or "00:00"
        if start:
            d["start"] = f"{start}T{opens}:00{offset}"
        if end:
            d["end"] = f"{end}T{closes}:00{offset}"
        if address:
            d["location"] = address
        return d
    if isinstance(o.get("name"), str):
        d["name"] = o["name"]
    d["station_type"] = (_codes_of(o, "station_type") or ["other"])[0]
    if o.get("organization_id"):
        d["organization_id"] = standard_id(o["organization_id"])
    if isinstance(o.get("description"), str) and 0 < len(o["description"]) <= 200:
        d["host_unit"] = o["description"]
    d["address"] = address
    hours = []
    for s in schedules:
        if s.get("freq") != "WEEKLY" or not isinstance(s.get("byday"), str):
            continue
        days = [_DAY_NAMES.get(day.strip()) for day in s["byday"].split(",")]
        opens, closes = s.get("opens_at"), s.get("closes_at")
        if all(days) and _is_hhmm(opens) and _is_hhmm(closes):
            hours.append({"days": days, "opens": opens, "closes": closes})
    if hours:
        d["opening_hours"] = hours
    categories = _codes_of(o, "service_category")
    if categories:
        d["service_categories"] = categories
    contact = _contact_of(o)
    if contact:
        d["contact"] = contact
    return d


def _is_hhmm(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", value) is not None
