"""Every entity: minimal records validate, dump and re-validate to the same object."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from tests.conftest import MINIMAL
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS, ServiceRecord, Volunteer
from volunteer_standard.models.introspect import codelist_fields, sensitive_fields


@pytest.mark.parametrize("kind", list(ENTITY_MODELS))
def test_minimal_record_round_trips(kind: str, minimal: dict[str, dict[str, Any]]) -> None:
    model = ENTITY_MODELS[kind]
    obj = model.model_validate(minimal[kind])
    dumped = obj.model_dump(mode="json", exclude_none=True)
    assert dumped == minimal[kind]
    assert model.model_validate(dumped) == obj


def test_every_entity_has_a_fixture_and_a_collection() -> None:
    assert set(MINIMAL) == set(ENTITY_MODELS) == set(COLLECTIONS)


@pytest.mark.parametrize("kind", list(ENTITY_MODELS))
def test_every_field_is_documented_in_both_languages(kind: str) -> None:
    def walk(model: Any) -> None:
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra or {}
            assert info.title, f"{model.__name__}.{name} has no English title"
            assert info.description, f"{model.__name__}.{name} has no description"
            assert extra.get("x-title-zh"), f"{model.__name__}.{name} has no Chinese title"

    walk(ENTITY_MODELS[kind])


def test_hours_are_exact_decimals(minimal: dict[str, dict[str, Any]]) -> None:
    record = ServiceRecord.model_validate(minimal["service_record"])
    assert record.hours == Decimal("2.50")
    assert record.model_dump(mode="json")["hours"] == "2.50"


@pytest.mark.parametrize("hours", [2.5, 2, "2.505", "-1.00", "1e2", "２.50", "2.50\n", ""])
def test_bad_hours_are_rejected(hours: Any, minimal: dict[str, dict[str, Any]]) -> None:
    data = minimal["service_record"] | {"hours": hours}
    with pytest.raises(ValidationError) as info:
        ServiceRecord.model_validate(data)
    assert info.value.errors()[0]["type"] in ("hours_format", "hours_type")


@pytest.mark.parametrize(
    "value",
    ["2024-03-05T09:00:00", "2024-03-05 09:00:00+08:00", "2024-02-30T09:00:00+08:00", 1709600000],
)
def test_datetimes_need_iso_with_offset(value: Any, minimal: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(ValidationError):
        ServiceRecord.model_validate(minimal["service_record"] | {"start": value})


def test_closed_code_list_is_enforced(minimal: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(ValidationError) as info:
        Volunteer.model_validate(minimal["volunteer"] | {"gender": "3"})
    assert info.value.errors()[0]["type"] == "code_closed"


def test_open_code_list_accepts_unknown_codes(minimal: dict[str, dict[str, Any]]) -> None:
    Volunteer.model_validate(minimal["volunteer"] | {"skills": ["01", "88"]})


def test_unknown_fields_are_errors_and_extensions_keep_data(
    minimal: dict[str, dict[str, Any]],
) -> None:
    with pytest.raises(ValidationError):
        Volunteer.model_validate(minimal["volunteer"] | {"blood_type": "A"})
    kept = Volunteer.model_validate(
        minimal["volunteer"] | {"extensions": {"nvsi": {"albp0048": "A"}}}
    )
    assert kept.model_dump(mode="json", exclude_none=True)["extensions"] == {
        "nvsi": {"albp0048": "A"}
    }


def test_no_implicit_coercion(minimal: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(ValidationError):
        Volunteer.model_validate(minimal["volunteer"] | {"name": 123})
    with pytest.raises(ValidationError):
        Volunteer.model_validate(minimal["volunteer"] | {"service_regions": ["１１０１０５"]})


def test_introspection_finds_code_and_sensitive_fields() -> None:
    codes = dict(codelist_fields(Volunteer))
    assert codes[("gender",)] == "gender"
    assert codes[("skills", "*")] == "skill"
    assert codes[("id_document", "type")] == "id_document_type"
    sensitive = sensitive_fields(Volunteer)
    assert ("id_document", "number") in sensitive
    assert ("phone",) in sensitive
    assert ("gender",) not in sensitive
