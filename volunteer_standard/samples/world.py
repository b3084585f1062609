"""The world of the sample: organisations, volunteers and projects, before any record.

Small (bounded by the spec's counts, never by the number of records) and kept in memory:
the record plan and the entity builders look things up in it. Each piece is drawn from the
one "world" random stream in a fixed order (organisations, projects, then people), so the
order of the calls below is part of the output and must not change.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from volunteer_standard.codelists import regions
from volunteer_standard.identifiers.generate import make_mobile, make_uscc
from volunteer_standard.samples.common import age_on, random_date, rng_for
from volunteer_standard.samples.people import BIRTH_CODES, IdNumbers, person_name
from volunteer_standard.samples.spec import (
    MAX_RECORDS_PER_VOLUNTEER,
    RISKY_CATEGORIES,
    WINDOW_DAYS,
    WINDOW_END,
    SampleSpec,
)
from volunteer_standard.samples.vocabulary import (
    DISTRICTS,
    ORG_THEMES,
    PROJECT_TEMPLATES,
    District,
)

#: GB 32100 organisation category of a registered organisation → the end of its name.
_NAME_SUFFIX = {"1": "志愿服务协会", "2": "志愿服务中心", "3": "公益基金会"}


@dataclass(slots=True)
class Org:
    """An organisation as the generator sees it."""

    index: int
    id: str
    name: str
    district: District
    theme: int
    registered: bool
    uscc: str | None
    leader: str
    handler: str
    phone: str
    members: int = 0


@dataclass(slots=True)
class Person:
    """A volunteer as the generator sees it."""

    index: int
    id: str
    volunteer_no: str
    name: str
    gender: str
    birth_date: date
    id_number: str
    district: District
    orgs: tuple[int, ...]
    registered_on: date
    heavy: bool
    records: int = 0  # planned service records

    @property
    def minor(self) -> bool:
        """Under 18 on some day of the window (the sample's minors stay minors throughout)."""
        return age_on(self.birth_date, WINDOW_END) < 18


@dataclass(slots=True)
class Proj:
    """A project as the generator sees it: its organisation, days and activities."""

    index: int
    id: str
    title: str
    org: int
    categories: tuple[str, ...]
    targets: tuple[str, ...]
    first_day: int  # window days, inclusive
    last_day: int
    anchor: bool
    activities: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def risky(self) -> bool:
        """Whether minors must stay off it (and volunteers be insured)."""
        return bool(RISKY_CATEGORIES.intersection(self.categories))


@dataclass(slots=True)
class World:
    """Everything but the records."""

    spec: SampleSpec
    orgs: list[Org]
    people: list[Person]
    projects: list[Proj]
    eligible: list[tuple[int, ...]]  # per volunteer: project indexes they may serve on


def build_world(spec: SampleSpec) -> World:
    """Draw the organisations, projects and people, then share the records out among people."""
    rng = rng_for(spec.seed, "world")
    orgs = [_organization(rng, spec, i) for i in range(spec.organizations)]
    projects = [_project(rng, spec, orgs, i) for i in range(spec.projects)]
    id_numbers = IdNumbers()
    people = [_person(rng, spec, id_numbers, i) for i in range(spec.volunteers)]
    for person in people:
        for o in person.orgs:
            orgs[o].members += 1
    _share_records(spec.service_records, people)
    eligible = [_eligible_projects(person, projects) for person in people]
    return World(spec, orgs, people, projects, eligible)


def _eligible_projects(person: Person, projects: Sequence[Proj]) -> tuple[int, ...]:
    """The projects of the volunteer's organisations, minus risky ones for a minor."""
    return tuple(
        p.index for p in projects if p.org in person.orgs and not (person.minor and p.risky)
    )


def _share_records(total: int, people: Sequence[Person]) -> None:
    """Set how many service records each person gets; three busy adults get most of them.

    The busy ones make some star levels appear.
    """
    weights = [(30, 14, 7)[p.index] if p.heavy else 1 for p in people]
    counts = allocate(total, weights, MAX_RECORDS_PER_VOLUNTEER)
    for person, count in zip(people, counts, strict=True):
        person.records = count


def _organization(rng: random.Random, spec: SampleSpec, i: int) -> Org:
    """Organisation ``i``: registered, with a credit code, except the last (a team)."""
    district = DISTRICTS[(i * 3) % len(DISTRICTS)]
    theme = i % len(ORG_THEMES)
    registered = i < spec.organizations - 1 or spec.organizations == 1
    category = "123"[i % 3]
    uscc: str | None = None
    if registered:
        name = f"{district.name}{ORG_THEMES[theme].name}{_NAME_SUFFIX[category]}（示例）"
        uscc = make_uscc(rng, authority="5", category=category, region_code=district.code)
    else:
        name = f"{district.name}示例社区{ORG_THEMES[theme].name}志愿服务队"
    return Org(
        index=i,
        id=f"org-{i + 1:03d}",
        name=name,
        district=district,
        theme=theme,
        registered=registered,
        uscc=uscc,
        leader=person_name(rng, rng.choice("12")),
        handler=person_name(rng, rng.choice("12")),
        phone=make_mobile(rng),
    )


def _project(rng: random.Random, spec: SampleSpec, orgs: Sequence[Org], i: int) -> Proj:
    """Project ``i``: the first ones are the organisations' year-round projects, then templates."""
    org = i % spec.organizations
    anchor = i < spec.organizations
    if anchor:
        theme = ORG_THEMES[orgs[org].theme]
        title, categories, targets = theme.project_title, theme.project_categories, theme.targets
        first, last = 0, WINDOW_DAYS - 1
    else:
        title, categories, targets = PROJECT_TEMPLATES[
            (i - spec.organizations) % len(PROJECT_TEMPLATES)
        ]
        first = rng.randint(0, WINDOW_DAYS - 60)
        last = min(WINDOW_DAYS - 1, first + rng.randint(30, 240))
    proj = Proj(
        index=i,
        id=f"prj-{i + 1:03d}",
        title=f"{orgs[org].district.name}{title}",
        org=org,
        categories=categories,
        targets=targets,
        first_day=first,
        last_day=last,
        anchor=anchor,
    )
    for j in range(spec.activities_per_project):
        a_first = first + rng.randrange(last - first + 1)
        a_last = min(last, a_first + rng.randint(0, 13))
        proj.activities.append((f"act-{i + 1:03d}-{j + 1}", a_first, a_last))
    return proj


def _birth_date(rng: random.Random, i: int) -> date:
    """Volunteer ``i``'s birth date: every 25th under 14, every 10th 14-17, the rest adults."""
    if i % 25 == 13:  # under 14 throughout the window: needs a guardian
        return random_date(rng, date(2012, 1, 1), date(2012, 12, 31))
    if i % 10 == 7:  # 14-17 throughout the window
        return random_date(rng, date(2008, 1, 1), date(2009, 12, 31))
    return random_date(rng, date(1958, 1, 1), date(2004, 12, 31))


def _person(rng: random.Random, spec: SampleSpec, id_numbers: IdNumbers, i: int) -> Person:
    """Volunteer ``i``: one or two memberships; the first three adults serve the most."""
    gender = rng.choice("12")
    birth = _birth_date(rng, i)
    place = rng.choice([c for c in BIRTH_CODES if regions.valid_in_year(c, birth.year)])
    minor = age_on(birth, WINDOW_END) < 18
    joined = random_date(rng, date(2023 if minor else 2019, 1, 1), date(2023, 6, 30))
    memberships = min(2, spec.organizations) if rng.random() < 0.4 else 1
    member_of = tuple(sorted(rng.sample(range(spec.organizations), memberships)))
    return Person(
        index=i,
        id=f"vol-{i + 1:05d}",
        volunteer_no=f"VS{joined.year}{i + 1:07d}",
        name=person_name(rng, gender),
        gender=gender,
        birth_date=birth,
        id_number=id_numbers.issue(rng, region_code=place, birth_date=birth, gender=gender),
        district=rng.choice(DISTRICTS),
        orgs=member_of,
        registered_on=joined,
        heavy=i < 3 and not minor,
    )


def allocate(total: int, weights: Sequence[int], cap: int) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), at most ``cap`` each."""
    if total > cap * len(weights):
        raise ValueError("too many records for the volunteers")
    counts = [0] * len(weights)
    active = [i for i, w in enumerate(weights) if w > 0]
    remaining = total
    while remaining and active:
        wsum = sum(weights[i] for i in active)
        shares = {i: remaining * weights[i] for i in active}
        for i in active:
            counts[i] += shares[i] // wsum
        left = remaining - sum(shares[i] // wsum for i in active)
        by_rest = sorted(active, key=lambda i: (-(shares[i] % wsum), i))
        for i in by_rest[:left]:
            counts[i] += 1
        remaining = 0
        for i in active:
            if counts[i] > cap:
                remaining += counts[i] - cap
                counts[i] = cap
        active = [i for i in active if counts[i] < cap]
    return counts
