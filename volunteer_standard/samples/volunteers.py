"""Volunteer entities: consents and guardians, background, languages and contacts.

Every volunteer draws from its own random stream, in a fixed order: consents and guardian,
background, languages, e-mail and emergency contact, then the remaining fields in the order
`volunteer_entity` passes them. Changing that order changes the sample.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import NamedTuple

from volunteer_standard.identifiers.generate import make_mobile
from volunteer_standard.models import (
    Address,
    Consent,
    ContactPoint,
    Guardian,
    IdDocument,
    Volunteer,
)
from volunteer_standard.samples.common import (
    age_on,
    extensions,
    moment,
    national_ids,
    provenance,
    rng_for,
    star_level,
)
from volunteer_standard.samples.people import person_name
from volunteer_standard.samples.spec import GRID, RISKY_CATEGORIES, WINDOW_START
from volunteer_standard.samples.vocabulary import ORG_THEMES
from volunteer_standard.samples.world import Person, World


class Background(NamedTuple):
    """Political status, education, employment and volunteer types, all GB/T or NVSI codes."""

    political_status: str
    education: str
    employment_status: str
    volunteer_types: list[str]


def volunteer_entity(world: World, person: Person, credit: Decimal) -> Volunteer:
    """A volunteer whose star level matches ``credit`` effective credit hours."""
    rng = rng_for(world.spec.seed, f"volunteer-{person.index}")
    i = person.index
    age = age_on(person.birth_date, WINDOW_START)
    consents, guardian = consents_and_guardian(rng, person)
    background = background_of(rng, person, age)
    languages = languages_of(rng, person, age)
    email, emergency = contacts_of(rng, person)
    return Volunteer(
        id=person.id,
        volunteer_no=person.volunteer_no,
        name=person.name,
        id_document=IdDocument(type="01", number=person.id_number),
        gender=person.gender,
        birth_date=person.birth_date,
        nationality="156",
        ethnicity=rng.choice(("01",) * 8 + ("03", "08", "11", "15")),
        political_status=background.political_status,
        education=background.education,
        employment_status=background.employment_status,
        phone=None if age < 14 else make_mobile(rng),
        email=email,
        residence=Address(
            region_code=person.district.code,
            address=f"{person.district.city}{person.district.name}示例小区{rng.randint(1, 30)}号楼",
        ),
        service_regions=[person.district.code],
        service_categories=service_categories(world, person) or None,
        skills=sorted(
            rng.sample(("01", "05", "08", "13", "16", "18", "19", "23"), rng.randint(0, 2))
        )
        or None,
        languages=languages,
        availability=sorted(rng.sample([f"{n:02d}" for n in range(1, 25)], rng.randint(2, 4))),
        volunteer_types=background.volunteer_types,
        registered_on=person.registered_on,
        registration_region=person.district.code,
        real_name_verified="1",
        status="active",
        star_level=star_level(credit),
        guardian=guardian,
        emergency_contact=emergency,
        consents=consents,
        organization_ids=[world.orgs[o].id for o in person.orgs],
        identifiers=national_ids("NVSI-V-", i),
        provenance=provenance("volunteer", i),
        extensions=extensions("volunteer", i) if i == 0 else None,
    )


def consents_and_guardian(
    rng: random.Random, person: Person
) -> tuple[list[Consent], Guardian | None]:
    """Consents given at registration; a minor's come from a guardian (same surname).

    Minors always consent to processing their ID number (through the guardian); half the
    adults do.
    """
    minor = person.minor
    given_at = moment(person.registered_on, 10, rng.randrange(0, 60, GRID))
    consents = [Consent(purpose="registration", given_at=given_at, by_guardian=minor or None)]
    if not minor:
        if rng.random() < 0.5:
            consents.append(Consent(purpose="sensitive_id", given_at=given_at))
        return consents, None
    guardian_gender = rng.choice("12")
    guardian = Guardian(
        name=person_name(rng, guardian_gender, person.name[0]),
        relation="51" if guardian_gender == "1" else "52",
        phone=make_mobile(rng),
        consent_on=person.registered_on,
    )
    consents.append(Consent(purpose="minors_guardian", given_at=given_at, by_guardian=True))
    consents.append(Consent(purpose="sensitive_id", given_at=given_at, by_guardian=True))
    return consents, guardian


def background_of(rng: random.Random, person: Person, age: int) -> Background:
    """Children are pupils in family volunteering; teenagers students; adults vary with age."""
    if age < 14:
        return Background("13", "80", "31", ["family", "student"])
    if person.minor:
        return Background(rng.choice(("03", "13")), "70", "31", ["student", "youth"])
    political = rng.choice(("13", "13", "13", "01", "03"))
    if person.birth_date.year >= 2001:
        education, employment = "30", "31"
    else:
        education = rng.choice(("20", "20", "30", "14", "60", "40"))
        employment = "80" if age >= 60 else rng.choice(("17", "13", "24", "21", "51"))
    types = ["community"]
    if political == "01":
        types.insert(0, "party_member")
    if age <= 35:
        types.append("youth")
    if age >= 60:
        types.append("senior")
    return Background(political, education, employment, types)


def languages_of(rng: random.Random, person: Person, age: int) -> list[str]:
    """Chinese; Cantonese in Guangdong; English for some volunteers of 14 and over."""
    languages = ["zh"]
    if person.district.code.startswith("44"):
        languages.append("yue")
    if rng.random() < 0.2 and not age < 14:  # drawn for everyone, to keep the stream aligned
        languages.append("en")
    return languages


def contacts_of(rng: random.Random, person: Person) -> tuple[str | None, ContactPoint | None]:
    """E-mail and emergency contact, for some adults only (minors have a guardian instead)."""
    if person.minor:
        return None, None
    email = f"volunteer{person.index + 1:05d}@example.com" if rng.random() < 0.3 else None
    emergency = None
    if rng.random() < 0.4:
        emergency = ContactPoint(name=person_name(rng, rng.choice("12")), phone=make_mobile(rng))
    return email, emergency


def service_categories(world: World, person: Person) -> list[str]:
    """The categories of the volunteer's organisations, minus risky ones for minors."""
    categories: list[str] = []
    for o in person.orgs:
        for c in ORG_THEMES[world.orgs[o].theme].categories:
            if c not in categories and not (person.minor and c in RISKY_CATEGORIES):
                categories.append(c)
    return categories
