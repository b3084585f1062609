"""`references()`: every reference of every entity type, with its pointer, in document order.

The rules resolve these (VR601, test_rules_integrity.py); here each type's extractor is
checked on its own, with optional references both filled in and left out. Objects are plain
namespaces: the extractors read attributes only, as they do on the models.
"""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from volunteer_standard.validation.rules.integrity import references


def test_volunteer_references_each_organization_by_index() -> None:
    assert references("volunteer", NS(organization_ids=["org-1", "org-2"])) == [
        ("/organization_ids/0", "organization", "org-1"),
        ("/organization_ids/1", "organization", "org-2"),
    ]
    assert references("volunteer", NS(organization_ids=None)) == []


def test_organization_references_its_parent_when_it_has_one() -> None:
    assert references("organization", NS(parent_id="org-9")) == [
        ("/parent_id", "organization", "org-9")
    ]
    assert references("organization", NS(parent_id=None)) == []


def test_project_and_activity_reference_their_owner() -> None:
    assert references("project", NS(organization_id="org-1")) == [
        ("/organization_id", "organization", "org-1")
    ]
    assert references("activity", NS(project_id="prj-1")) == [("/project_id", "project", "prj-1")]


def test_training_record_references() -> None:
    full = NS(volunteer_id="vol-1", organization_id="org-1")
    assert references("training_record", full) == [
        ("/volunteer_id", "volunteer", "vol-1"),
        ("/organization_id", "organization", "org-1"),
    ]
    bare = NS(volunteer_id="vol-1", organization_id=None)
    assert references("training_record", bare) == [("/volunteer_id", "volunteer", "vol-1")]


@pytest.mark.parametrize(
    ("subject_type", "target"),
    [("1", "organization"), ("2", "project"), ("3", "volunteer")],
)
def test_award_subject_type_chooses_the_target(subject_type: str, target: str) -> None:
    award = NS(subject_type=subject_type, subject_id="x-1")
    assert references("award", award) == [("/subject_id", target, "x-1")]


def test_award_of_an_unknown_subject_type_references_nothing() -> None:
    assert references("award", NS(subject_type="9", subject_id="x-1")) == []


def test_evaluation_references_in_field_order() -> None:
    full = NS(
        volunteer_id="vol-1", organization_id="org-1", project_id="prj-1", service_record_id="sr-1"
    )
    assert references("evaluation", full) == [
        ("/volunteer_id", "volunteer", "vol-1"),
        ("/organization_id", "organization", "org-1"),
        ("/project_id", "project", "prj-1"),
        ("/service_record_id", "service_record", "sr-1"),
    ]
    sparse = NS(
        volunteer_id="vol-1", organization_id=None, project_id="prj-1", service_record_id=None
    )
    assert references("evaluation", sparse) == [
        ("/volunteer_id", "volunteer", "vol-1"),
        ("/project_id", "project", "prj-1"),
    ]


def test_certificate_references_holder_issuer_and_every_line() -> None:
    cert = NS(
        volunteer=NS(volunteer_id="vol-1"),
        issuer=NS(organization_id="org-1"),
        lines=[
            NS(project_id="prj-1", service_record_ids=["sr-1", "sr-2"]),
            NS(project_id=None, service_record_ids=None),
            NS(project_id="prj-2", service_record_ids=["sr-3"]),
        ],
    )
    assert references("certificate", cert) == [
        ("/volunteer/volunteer_id", "volunteer", "vol-1"),
        ("/issuer/organization_id", "organization", "org-1"),
        ("/lines/0/project_id", "project", "prj-1"),
        ("/lines/0/service_record_ids/0", "service_record", "sr-1"),
        ("/lines/0/service_record_ids/1", "service_record", "sr-2"),
        ("/lines/2/project_id", "project", "prj-2"),
        ("/lines/2/service_record_ids/0", "service_record", "sr-3"),
    ]
    anonymous = NS(volunteer=NS(volunteer_id=None), issuer=NS(organization_id="org-1"), lines=[])
    assert references("certificate", anonymous) == [
        ("/issuer/organization_id", "organization", "org-1")
    ]


def test_station_references_its_organization_when_it_has_one() -> None:
    assert references("station", NS(organization_id="org-1")) == [
        ("/organization_id", "organization", "org-1")
    ]
    assert references("station", NS(organization_id=None)) == []


def test_demand_references_matched_projects_then_its_station() -> None:
    demand = NS(matched_project_ids=["prj-1", "prj-2"], station_id="stn-1")
    assert references("demand", demand) == [
        ("/matched_project_ids/0", "project", "prj-1"),
        ("/matched_project_ids/1", "project", "prj-2"),
        ("/station_id", "station", "stn-1"),
    ]
    assert references("demand", NS(matched_project_ids=None, station_id=None)) == []


@pytest.mark.parametrize("kind", ["service_record", "no_such_type"])
def test_types_without_extractor_reference_nothing(kind: str) -> None:
    assert references(kind, NS()) == []
