"""Sample people: unique ID numbers by construction, and the volunteer builder's pieces.

Failure messages name volunteer ids only, never ID numbers (even synthetic ones).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from volunteer_standard.identifiers import check_resident_id
from volunteer_standard.samples import SampleSpec
from volunteer_standard.samples.common import age_on
from volunteer_standard.samples.people import IdNumbers, person_name
from volunteer_standard.samples.spec import RISKY_CATEGORIES, WINDOW_START
from volunteer_standard.samples.volunteers import (
    background_of,
    consents_and_guardian,
    contacts_of,
    languages_of,
    service_categories,
)
from volunteer_standard.samples.world import Person, World, allocate, build_world

BORN = date(1990, 3, 7)


def test_30k_volunteers_have_distinct_valid_id_numbers() -> None:
    """Issue 13: 25k volunteers shared two numbers when every number was drawn independently."""
    world = build_world(SampleSpec(volunteers=30_000, service_records=0))
    counts = Counter(p.id_number for p in world.people)
    shared = [p.id for p in world.people if counts[p.id_number] > 1]
    assert shared == []
    bad = []
    for p in world.people:
        check = check_resident_id(
            p.id_number, birth_date=p.birth_date, gender=p.gender, today=date(2025, 12, 31)
        )
        if not check.ok or check.problems:
            bad.append(p.id)
    assert bad == []


def test_a_drawn_number_that_is_taken_moves_to_the_next_sequence_of_the_same_sex() -> None:
    numbers = IdNumbers()
    first = numbers.issue(random.Random(1), region_code="110105", birth_date=BORN, gender="2")
    again = numbers.issue(random.Random(1), region_code="110105", birth_date=BORN, gender="2")
    assert again != first
    assert again[:14] == first[:14]  # same place and birth date
    assert int(again[14:17]) == (int(first[14:17]) + 2) % 1000  # next code of the same parity
    check = check_resident_id(again, birth_date=BORN, gender="2", today=date(2025, 1, 1))
    assert check.ok and check.problems == ()


def test_numbers_of_one_place_day_and_sex_run_out_after_500() -> None:
    numbers = IdNumbers()
    issued = {
        numbers.issue(random.Random(7), region_code="110105", birth_date=BORN, gender="1")
        for _ in range(500)
    }
    assert len(issued) == 500
    assert all(int(n[16]) % 2 == 1 for n in issued)
    with pytest.raises(ValueError, match="500 volunteers of one sex"):
        numbers.issue(random.Random(7), region_code="110105", birth_date=BORN, gender="1")


def test_an_untaken_draw_is_kept_as_drawn() -> None:
    """No re-draw: the random stream, hence every sample without a clash, is unchanged."""
    from volunteer_standard.identifiers.generate import make_resident_id

    numbers = IdNumbers()
    rng, twin = random.Random(3), random.Random(3)
    issued = numbers.issue(rng, region_code="310104", birth_date=BORN, gender="1")
    assert issued == make_resident_id(twin, region_code="310104", birth_date=BORN, gender="1")
    assert rng.random() == twin.random()


def test_person_name_keeps_a_given_surname() -> None:
    rng = random.Random(5)
    for _ in range(50):
        name = person_name(rng, "2", "林")
        assert name[0] == "林" and 2 <= len(name) <= 3


@pytest.mark.parametrize(
    ("total", "weights", "cap", "expected"),
    [
        (10, [1, 1, 1], 10, [4, 3, 3]),
        (10, [30, 1, 1], 4, [4, 3, 3]),
        (0, [1, 1], 5, [0, 0]),
        (6, [1, 0, 1], 5, [3, 0, 3]),
    ],
)
def test_allocate_shares_by_weight_within_the_cap(
    total: int, weights: list[int], cap: int, expected: list[int]
) -> None:
    assert allocate(total, weights, cap) == expected


def test_allocate_refuses_more_than_fits() -> None:
    with pytest.raises(ValueError, match="too many records"):
        allocate(11, [1, 1], 5)


# -- the pieces of a volunteer ------------------------------------------------------------


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(SampleSpec(volunteers=60, organizations=5, projects=10))


def _people(world: World, *, minor: bool, child: bool = False) -> list[Person]:
    found = [p for p in world.people if p.minor == minor]
    if minor:
        found = [p for p in found if (age_on(p.birth_date, WINDOW_START) < 14) == child]
    assert found
    return found


def test_minors_consent_through_a_guardian_of_their_surname(world: World) -> None:
    for person in _people(world, minor=True):
        consents, guardian = consents_and_guardian(random.Random(person.index), person)
        assert guardian is not None and guardian.name[0] == person.name[0], person.id
        assert guardian.consent_on == person.registered_on
        assert [c.purpose for c in consents] == ["registration", "minors_guardian", "sensitive_id"]
        assert all(c.by_guardian for c in consents)


def test_adults_consent_themselves(world: World) -> None:
    purposes: Counter[str] = Counter()
    for person in _people(world, minor=False):
        consents, guardian = consents_and_guardian(random.Random(person.index), person)
        assert guardian is None
        assert consents[0].purpose == "registration" and consents[0].by_guardian is None
        purposes.update(c.purpose for c in consents[1:])
    assert set(purposes) == {"sensitive_id"}  # about half the adults


def test_background_follows_age(world: World) -> None:
    rng = random.Random(0)
    for person in _people(world, minor=True, child=True):
        assert background_of(rng, person, 10) == ("13", "80", "31", ["family", "student"])
    for person in _people(world, minor=True, child=False):
        background = background_of(rng, person, 15)
        assert background.education == "70" and background.volunteer_types == ["student", "youth"]
    for person in _people(world, minor=False):
        age = age_on(person.birth_date, WINDOW_START)
        background = background_of(rng, person, age)
        types = background.volunteer_types
        assert "community" in types
        assert ("party_member" in types) == (background.political_status == "01"), person.id
        assert ("senior" in types) == (age >= 60) and ("youth" in types) == (age <= 35)
        if age >= 60 and person.birth_date.year < 2001:
            assert background.employment_status == "80", person.id


def test_languages(world: World) -> None:
    person = world.people[0]
    beijing = replace(person, district=person.district._replace(code="110105"))
    guangzhou = replace(person, district=person.district._replace(code="440106"))
    for seed in range(20):
        assert languages_of(random.Random(seed), beijing, 10) == ["zh"]  # no English under 14
        assert languages_of(random.Random(seed), guangzhou, 10) == ["zh", "yue"]
    adults = [languages_of(random.Random(seed), beijing, 30) for seed in range(40)]
    assert {tuple(x) for x in adults} == {("zh",), ("zh", "en")}


def test_minors_get_no_e_mail_or_emergency_contact(world: World) -> None:
    for person in _people(world, minor=True):
        assert contacts_of(random.Random(0), person) == (None, None)
    emails = [contacts_of(random.Random(p.index), p)[0] for p in _people(world, minor=False)]
    assert any(e is not None for e in emails)
    assert all(e is None or e.endswith("@example.com") for e in emails)


def test_minors_serve_in_no_risky_category(world: World) -> None:
    for person in world.people:
        categories = service_categories(world, person)
        assert len(categories) == len(set(categories))
        if person.minor:
            assert not RISKY_CATEGORIES.intersection(categories), person.id
