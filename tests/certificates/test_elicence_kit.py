"""The conformance kit pointed at the built-in elicence connector."""

from __future__ import annotations

import json
from pathlib import Path

from volunteer_standard.connectors.base import SourceRecord
from volunteer_standard.connectors.elicence import ElicenceConnector
from volunteer_standard.models import Certificate
from volunteer_standard.testing import ConnectorAcceptanceTests, sample_entities, write_objects


class TestElicenceConnector(ConnectorAcceptanceTests):
    connector = ElicenceConnector
    sample_input = "licences.jsonl"
    expected_count = 10

    def make_sample(self, folder: Path) -> Path:
        target = folder / "licences.jsonl"
        certificates = [c for c in sample_entities(["certificate"]) if isinstance(c, Certificate)]
        write_objects(self.new_connector(), target, certificates)
        return target


def _certificate() -> Certificate:
    [cert] = [c for c in sample_entities(["certificate"]) if isinstance(c, Certificate)][:1]
    return cert


def test_licence_shape_follows_the_field_dictionary() -> None:
    from volunteer_standard.connectors.elicence import licence_fields

    cert = _certificate()
    licence = ElicenceConnector().to_licence(cert)
    keys = {f.key for f in licence_fields()}
    assert set(licence) <= keys
    for required in (f.key for f in licence_fields() if f.required):
        assert required in licence, required
    assert licence["licence_number"] == cert.certificate_no
    assert licence["holder_id_type"] == "111"  # resident ID card
    assert licence["holder_id_number"] == cert.volunteer.id_number_masked
    assert licence["issuing_org_code"] == cert.issuer.uscc
    assert licence["status"] == "1" and licence["valid_to"] == "长期"
    assert licence["division_code"] == cert.lines[0].region_code
    assert "certificate_no" not in licence["surface"]


def test_foreign_licence_keeps_unknown_fields_and_reports_missing_ones(tmp_path: Path) -> None:
    licence = ElicenceConnector().to_licence(_certificate())
    licence["library_batch"] = "2025-07"
    del licence["issue_date"]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(licence, ensure_ascii=False) + "\n", encoding="utf-8")
    [record] = list(ElicenceConnector().read(str(path)))
    assert isinstance(record, SourceRecord) and record.data is not None
    assert record.data["extensions"]["elicence"]["library_batch"] == "2025-07"
    assert [p.code for p in record.problems] == ["EL101"]
    assert "issue_date" in record.problems[0].text("en")


def test_wrong_item_code_is_a_problem() -> None:
    connector = ElicenceConnector({"item_code": "OTHER"})
    licence = ElicenceConnector().to_licence(_certificate())
    _, problems = connector.from_licence(licence)
    assert [p.code for p in problems] == ["EL102"]
