"""Standard objects → schema.org JSON-LD nodes, for volunteering opportunities on web pages.

Only existing schema.org terms (there is no ``VolunteerAction``):

* organization → ``NGO`` (a registered volunteer organization, team type 2) or
  ``Organization``; USCC as a ``PropertyValue`` identifier; public contact channels only.
* project → ``Event`` with ``organizer``, ``location`` (``Place``), dates, status,
  ``keywords`` (service categories); its recruitment becomes the *role* on offer: a
  ``JobPosting`` with ``employmentType`` ``VOLUNTEER`` (the value search engines document
  for volunteer positions), ``hiringOrganization``, ``jobLocation``, ``totalJobOpenings``.
* activity → ``Event`` with ``superEvent`` (its project), ``organizer``, ``location``,
  ``maximumAttendeeCapacity`` and ``eventStatus``.
* station → ``Place`` with ``openingHoursSpecification`` and ``amenityFeature``.

Personal data is never published: no leader or contact names, and phones and emails only
where the record marks them public.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from volunteer_standard import codelists
from volunteer_standard.codelists import regions

Iri = Callable[[str, str], str]
_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_EVENT_STATUS = {
    "cancelled": "https://schema.org/EventCancelled",
    "suspended": "https://schema.org/EventPostponed",
}


def ref(iri: str) -> dict[str, str]:
    """A node reference."""
    return {"@id": iri}


def _labels(list_name: str, codes: list[str]) -> list[str]:
    codes_list = codelists.get(list_name)
    return [codes_list.label(code, "zh") for code in codes]


def postal_address(address: dict[str, Any] | None) -> dict[str, Any] | None:
    """A ``PostalAddress`` of a standard address (region names from GB/T 2260)."""
    if not address:
        return None
    out: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "CN"}
    code = address.get("region_code") or (address.get("area_id") or "")[:6]
    if code:
        province = regions.province_of(code)
        if province and regions.name(province):
            out["addressRegion"] = regions.name(province)
        if regions.name(code) and code != province:
            out["addressLocality"] = regions.name(code)
    if address.get("address"):
        out["streetAddress"] = address["address"]
    if address.get("postcode"):
        out["postalCode"] = address["postcode"]
    return out


def place(address: dict[str, Any] | None, name: str | None = None) -> dict[str, Any] | None:
    """A ``Place`` with its address and coordinates."""
    if not address and not name:
        return None
    out: dict[str, Any] = {"@type": "Place"}
    if name:
        out["name"] = name
    postal = postal_address(address)
    if postal:
        out["address"] = postal
    geo = (address or {}).get("geo")
    if geo:
        out["geo"] = {"@type": "GeoCoordinates", "latitude": geo["lat"], "longitude": geo["lng"]}
    return out


def _public_contact(out: dict[str, Any], contact: dict[str, Any] | None) -> None:
    if not contact:
        return
    if contact.get("phone") and contact.get("phone_visibility") == "public":
        out["telephone"] = contact["phone"]
    if contact.get("email") and contact.get("email_visibility") == "public":
        out["email"] = contact["email"]


def organization(d: dict[str, Any], iri: Iri) -> dict[str, Any]:
    """``NGO`` or ``Organization``."""
    out: dict[str, Any] = {
        "@type": "NGO" if d.get("team_type") == "2" else "Organization",
        "@id": iri("organization", d["id"]),
        "name": d["name"],
    }
    if d.get("description"):
        out["description"] = d["description"]
    if d.get("website"):
        out["url"] = d["website"]
    if d.get("founded_on"):
        out["foundingDate"] = d["founded_on"]
    if d.get("uscc"):
        out["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "统一社会信用代码 (USCC, GB 32100)",
            "value": d["uscc"],
        }
    if d.get("parent_id"):
        out["parentOrganization"] = ref(iri("organization", d["parent_id"]))
    postal = postal_address(d.get("address"))
    if postal:
        out["address"] = postal
    if d.get("service_regions"):
        out["areaServed"] = [
            {"@type": "AdministrativeArea", "name": regions.name(code) or code}
            for code in d["service_regions"]
        ]
    if d.get("service_categories"):
        out["knowsAbout"] = _labels("service_category", d["service_categories"])
    _public_contact(out, d.get("contact"))
    return out


def project(d: dict[str, Any], iri: Iri) -> list[dict[str, Any]]:
    """The project's ``Event`` and, when it recruits, its volunteer ``JobPosting``."""
    organizer = ref(iri("organization", d["organization_id"]))
    event: dict[str, Any] = {
        "@type": "Event",
        "@id": iri("project", d["id"]),
        "name": d["title"],
        "startDate": d["start"],
        "organizer": organizer,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": _EVENT_STATUS.get(
            d.get("status") or "", "https://schema.org/EventScheduled"
        ),
        "keywords": _labels("service_category", d["service_categories"]),
    }
    if d.get("end"):
        event["endDate"] = d["end"]
    if d.get("description"):
        event["description"] = d["description"]
    where = place(d.get("location"))
    if where:
        event["location"] = where
    out = [event]
    recruitment = d.get("recruitment")
    if recruitment:
        posting: dict[str, Any] = {
            "@type": "JobPosting",
            "@id": iri("project", d["id"]) + "#volunteers",
            "title": f"志愿者招募：{d['title']}",
            "description": d.get("description") or d["title"],
            "employmentType": "VOLUNTEER",
            "hiringOrganization": organizer,
            "datePosted": (recruitment.get("start") or d["start"])[:10],
        }
        if recruitment.get("end"):
            posting["validThrough"] = recruitment["end"]
        if recruitment.get("quota"):
            posting["totalJobOpenings"] = recruitment["quota"]
        if recruitment.get("requirements"):
            posting["qualifications"] = recruitment["requirements"]
        if recruitment.get("skills"):
            posting["skills"] = _labels("skill", recruitment["skills"])
        if where:
            posting["jobLocation"] = where
        out.append(posting)
    return out


def activity(d: dict[str, Any], iri: Iri, organization_id: str | None) -> dict[str, Any]:
    """The session's ``Event``, part of its project's."""
    event: dict[str, Any] = {
        "@type": "Event",
        "@id": iri("activity", d["id"]),
        "name": d["title"],
        "startDate": d["start"],
        "endDate": d["end"],
        "superEvent": ref(iri("project", d["project_id"])),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": _EVENT_STATUS.get(
            d.get("status") or "", "https://schema.org/EventScheduled"
        ),
    }
    if organization_id:
        event["organizer"] = ref(iri("organization", organization_id))
    where = place(d.get("location"))
    if where:
        event["location"] = where
    if d.get("quota"):
        event["maximumAttendeeCapacity"] = d["quota"]
    return event


def station(d: dict[str, Any], iri: Iri) -> dict[str, Any]:
    """A ``Place`` where volunteer service is offered."""
    out = place(d.get("address"), d["name"]) or {"@type": "Place", "name": d["name"]}
    out["@id"] = iri("station", d["id"])
    out["description"] = codelists.get("station_type").label(d["station_type"], "zh")
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [
                f"https://schema.org/{_DAYS[day]}" for day in slot["days"] if day in _DAYS
            ],
            "opens": slot["opens"],
            "closes": slot["closes"],
        }
        for slot in d.get("opening_hours") or []
    ]
    if hours:
        out["openingHoursSpecification"] = hours
    if d.get("facilities"):
        out["amenityFeature"] = [
            {"@type": "LocationFeatureSpecification", "name": item, "value": True}
            for item in d["facilities"]
        ]
    _public_contact(out, d.get("contact"))
    return out
