"""Measured round-trip fidelity of the gateway over the bundled synthetic sample.

standard → gateway (addMember, batch hours upload) → standard (member and hours lookups),
through the local gateway with signing, SM4 payloads and SM2 personal fields. The figure
is printed (``pytest -s``) and pinned, so a change in the field map shows up here.
"""

from __future__ import annotations

from gateway_testkit import Keys, client_config, server_settings
from vstd_connector_gateway import GatewayConnector
from vstd_connector_gateway.server import LocalGateway

from volunteer_standard.testing import read_objects, sample_entities, write_objects
from volunteer_standard.testing.fidelity import measure


def test_gateway_round_trip_fidelity(keys: Keys) -> None:
    written = sample_entities(["volunteer", "service_record"])
    # Without SM2 personal fields (pure-Python SM2 is ~80 ms per field; the protocol tests
    # cover it): the fields that travel are the same.
    config = client_config(keys, platform_public_key=None)
    with LocalGateway(server_settings(keys, platform_private_key=None)) as gateway:
        write_objects(GatewayConnector(config), gateway.url, written)
        back = read_objects(GatewayConnector(config), gateway.url)
    fidelity = measure(written, back)
    print(f"\ngateway round trip: {fidelity}; lost: {dict(fidelity.lost.most_common())}")
    assert len(back) == len(written)
    # Every field the gateway has a place for comes back; what is lost is listed in the
    # README (provenance, consents, languages …).
    assert {key.split(".")[1] for key in fidelity.lost} <= {
        "provenance",
        "extensions",
        "nationality",
        "employment_status",
        "service_regions",
        "skills",
        "languages",
        "availability",
        "volunteer_types",
        "registration_region",
        "real_name_verified",
        "status",
        "emergency_contact",
        "consents",
        "organization_ids",
        "entry_method",
        "service_category",
        "recorded_by",
        "evidence",
        "source_system",
        "guardian",
        "identifiers",
        "activity_id",
    }
    assert (fidelity.preserved, fidelity.total) == (FIGURE_PRESERVED, FIGURE_TOTAL)


FIGURE_PRESERVED = 4360
FIGURE_TOTAL = 6996
