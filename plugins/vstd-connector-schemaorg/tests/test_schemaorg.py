"""schema.org JSON-LD: the kit for a write-only connector, JSON-LD expansion offline
against the bundled context, every term a real schema.org term, no personal data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vstd_connector_schemaorg import SchemaOrgConnector, document_loader, terms

from volunteer_standard.connectors import ConnectorError
from volunteer_standard.models import Organization
from volunteer_standard.testing import ConnectorAcceptanceTests, sample_entities, write_objects

TYPES = ("organization", "project", "activity", "station")
SCHEMA = "https://schema.org/"


def schema_org_terms() -> set[str]:
    """Every term of the schema.org vocabulary, offline: rdflib's SDO namespace (generated
    from schemaorg-current-https.jsonld)."""
    sdo = pytest.importorskip("rdflib.namespace").SDO
    return set(sdo.__annotations__)


def published(tmp_path: Path, config: dict[str, Any] | None = None) -> dict[str, Any]:
    target = tmp_path / "site.jsonld"
    write_objects(SchemaOrgConnector(config), target, sample_entities(TYPES))
    loaded: dict[str, Any] = json.loads(target.read_text("utf-8"))
    return loaded


def keys_and_types(node: Any, keys: set[str], types: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            keys_and_types(item, keys, types)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                types.add(value)
            elif not key.startswith("@"):
                keys.add(key)
            keys_and_types(value, keys, types)


def test_every_term_is_in_the_bundled_context_and_in_schema_org(tmp_path: Path) -> None:
    graph = published(tmp_path)["@graph"]
    keys: set[str] = set()
    types: set[str] = set()
    keys_and_types(graph, keys, types)
    assert keys | types <= set(terms()), (
        f"not in the bundled context: {(keys | types) - set(terms())}"
    )
    vocabulary = schema_org_terms()
    assert set(terms()) <= vocabulary, set(terms()) - vocabulary
    assert "VolunteerAction" not in vocabulary  # the check can fail: no such type
    assert {"NGO", "Organization", "Event", "JobPosting", "Place"} <= types


def test_expands_offline_and_every_term_resolves_to_schema_org(tmp_path: Path) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    document = published(tmp_path, {"base_url": "https://volunteer.example.org/"})
    expanded = jsonld.expand(document, {"documentLoader": document_loader})
    vocabulary = schema_org_terms()
    iris: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@type":
                    iris.update(value)
                elif not key.startswith("@"):
                    iris.add(key)
                walk(value)

    walk(expanded)
    assert len(expanded) == len(document["@graph"])
    assert iris, "nothing expanded"
    outside = {iri for iri in iris if not iri.startswith(SCHEMA)}
    assert not outside, f"terms that do not resolve to schema.org: {outside}"
    assert {iri.removeprefix(SCHEMA) for iri in iris} <= vocabulary
    event = next(
        n for n in expanded if f"{SCHEMA}Event" in n["@type"] and f"{SCHEMA}superEvent" in n
    )
    assert event[f"{SCHEMA}organizer"][0]["@id"].startswith(
        "https://volunteer.example.org/organization/"
    )
    assert f"{SCHEMA}location" in event


def test_loader_refuses_the_network() -> None:
    with pytest.raises(ValueError, match="not a bundled context"):
        document_loader("https://example.org/context.jsonld")


def test_volunteer_roles_are_job_postings(tmp_path: Path) -> None:
    graph = published(tmp_path)["@graph"]
    postings = [n for n in graph if n["@type"] == "JobPosting"]
    projects = [e for e in sample_entities(["project"]) if getattr(e, "recruitment", None)]
    assert len(postings) == len(projects)
    assert all(p["employmentType"] == "VOLUNTEER" and "hiringOrganization" in p for p in postings)


def test_no_personal_data_is_published(tmp_path: Path) -> None:
    org = sample_entities(["organization"])[0]
    assert isinstance(org, Organization) and org.contact is not None and org.leader_name
    private = org.model_copy(
        update={"contact": org.contact.model_copy(update={"phone_visibility": "private"})}
    )
    target = tmp_path / "o.jsonld"
    write_objects(SchemaOrgConnector(), target, [private])
    text = target.read_text("utf-8")
    assert org.contact.phone not in text
    assert org.leader_name not in text and (org.contact.name or "?") not in text
    write_objects(SchemaOrgConnector(), target, [org])
    assert json.loads(target.read_text("utf-8"))["@graph"][0]["telephone"] == org.contact.phone


class TestSchemaOrgConnector(ConnectorAcceptanceTests):
    """The kit's writing and configuration checks; this connector cannot read, so the
    reading checks do not apply (the JSON-LD checks above stand in for a round trip)."""

    connector = SchemaOrgConnector
    sample_input = "site.jsonld"

    def make_sample(self, folder: Path) -> Path:
        target = folder / "site.jsonld"
        write_objects(self.new_connector(), target, sample_entities(TYPES))
        return target

    def test_read_is_refused_cleanly(self, sample: Path) -> None:
        with pytest.raises(ConnectorError, match="only writes"):
            list(self.new_connector().read(str(sample)))

    def _write_only(self) -> None:
        pytest.skip("write-only connector: reading checks do not apply")

    def test_read_yields_valid_standard_records(self, sample: Path) -> None:
        self._write_only()

    def test_records_have_locations(self, sample: Path) -> None:
        self._write_only()

    def test_convert_balances(self, tmp_path: Path, sample: Path) -> None:
        self._write_only()

    def test_state_is_json_and_resumes(self, sample: Path) -> None:
        self._write_only()

    def test_malformed_input_gives_precise_rejects(self, tmp_path: Path, sample: Path) -> None:
        self._write_only()

    def test_memory_is_flat(self, tmp_path: Path) -> None:
        self._write_only()
