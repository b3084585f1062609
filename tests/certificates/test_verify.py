"""Signing and verification: every failure has its own outcome, exit code and explanation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteer_standard.certificates import (
    EXIT_CODES,
    IssueOptions,
    KeyRing,
    Outcome,
    file_form,
    generate_key,
    issue,
    load_revocation_list,
    revoke,
    sign_certificate,
    signing_input,
    verify_bytes,
    verify_file,
    write_certificate,
)
from volunteer_standard.certificates.keys import SigningKey

from .conftest import dataset

KEY = generate_key()
MOMENT = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def signed_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("data")
    path = folder / "data.jsonl"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in dataset()) + "\n")
    options = IssueOptions(
        organization_id="org-a", volunteers=frozenset({"vol-1"}), issued_on=date(2025, 1, 10)
    )
    [cert] = issue(path, options).certificates
    target = folder / "cert.json"
    write_certificate(sign_certificate(cert, KEY, now=MOMENT), target)
    return target.read_bytes()


def test_a_signed_certificate_verifies(signed_bytes: bytes) -> None:
    verdict = verify_bytes(signed_bytes, KEY.public)
    assert verdict.ok and verdict.exit_code == 0
    assert "content intact" in verdict.message("en") and "内容完整" in verdict.message("zh")


def test_signing_input_is_jcs_without_the_signature(signed_bytes: bytes) -> None:
    document = json.loads(signed_bytes)
    assert signed_bytes == file_form(document)
    unsigned = {
        **document,
        "proof": {k: v for k, v in document["proof"].items() if k != "signature"},
    }
    assert signing_input(document) == rfc8785.dumps(unsigned)


def test_exit_codes_are_distinct() -> None:
    assert len(set(EXIT_CODES.values())) == len(Outcome)


def _assert_fails_clearly(data: bytes) -> None:
    verdict = verify_bytes(data, KEY.public)
    assert not verdict.ok
    assert verdict.exit_code != 0
    assert verdict.message("en") and verdict.message("zh")
    assert verdict.message("en") != verdict.message("zh")


def test_every_single_byte_change_is_caught(signed_bytes: bytes) -> None:
    for position in range(len(signed_bytes)):
        changed = bytearray(signed_bytes)
        changed[position] ^= 0x01
        _assert_fails_clearly(bytes(changed))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_byte_replaced_by_any_other_is_caught(signed_bytes: bytes, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(signed_bytes) - 1), label="position")
    value = data.draw(
        st.integers(0, 255).filter(lambda b: b != signed_bytes[position]), label="byte"
    )
    changed = bytearray(signed_bytes)
    changed[position] = value
    _assert_fails_clearly(bytes(changed))


def test_tampered_hours_are_reported_as_altered(signed_bytes: bytes) -> None:
    document = json.loads(signed_bytes)
    document["total_hours"] = "99.00"
    verdict = verify_bytes(file_form(document), KEY.public)
    assert verdict.outcome is Outcome.altered
    assert "signature does not match" in verdict.message("en")


def test_reformatted_file_is_reported_as_altered(signed_bytes: bytes) -> None:
    reformatted = json.dumps(json.loads(signed_bytes), ensure_ascii=False).encode()
    verdict = verify_bytes(reformatted, KEY.public)
    assert verdict.outcome is Outcome.altered
    assert "changed after signing" in verdict.message("en")


def test_untrusted_key(signed_bytes: bytes) -> None:
    verdict = verify_bytes(signed_bytes, KeyRing([generate_key().public]))
    assert verdict.outcome is Outcome.unknown_key and verdict.exit_code == 5
    assert KEY.kid in verdict.message("en")


def test_forged_with_another_key_naming_the_trusted_kid(signed_bytes: bytes) -> None:
    document = json.loads(signed_bytes)
    forger = generate_key()
    document.pop("proof")
    forged = json.loads(json.dumps(document))
    from volunteer_standard.certificates.signing import sign_document

    forged = sign_document(forged, forger)
    forged["proof"]["key_id"] = KEY.kid
    verdict = verify_bytes(file_form(forged), KEY.public)
    assert verdict.outcome is Outcome.altered


def test_unsigned_and_unreadable_and_invalid(signed_bytes: bytes) -> None:
    document = json.loads(signed_bytes)
    document.pop("proof")
    assert verify_bytes(file_form(document), KEY.public).outcome is Outcome.unsigned
    assert verify_bytes(b"\xff\xfe", KEY.public).outcome is Outcome.unreadable
    assert verify_bytes(b'{"type": "volunteer"}', KEY.public).outcome is Outcome.invalid
    assert verify_bytes(b"[]", KEY.public).outcome is Outcome.invalid


def test_revocation_list(tmp_path: Path, signed_bytes: bytes) -> None:
    cert_path = tmp_path / "cert.json"
    cert_path.write_bytes(signed_bytes)
    document = json.loads(signed_bytes)
    listing = tmp_path / "revocations.json"
    revoke(
        listing,
        KEY,
        certificate_no="ZM2025-OTHER0000-000000000",
        organization_id="org-a",
        issuer_name="示例",
        reason="测试",
    )
    assert verify_file(cert_path, KEY.public, listing).ok
    revoke(
        listing,
        KEY,
        certificate_no=document["certificate_no"],
        organization_id="org-a",
        issuer_name="示例",
        reason="信息有误，已重新出具",
    )
    verdict = verify_file(cert_path, KEY.public, listing)
    assert verdict.outcome is Outcome.revoked and verdict.exit_code == 7
    assert "信息有误" in verdict.message("zh")
    assert len(load_revocation_list(listing, KEY.public).entries) == 2


def test_tampered_revocation_list_is_not_trusted(tmp_path: Path, signed_bytes: bytes) -> None:
    cert_path = tmp_path / "cert.json"
    cert_path.write_bytes(signed_bytes)
    listing = tmp_path / "revocations.json"
    number = json.loads(signed_bytes)["certificate_no"]
    revoke(
        listing, KEY, certificate_no=number, organization_id="org-a", issuer_name="示例", reason="x"
    )
    text = listing.read_text(encoding="utf-8").replace(number, "ZM2025-NOTTHIS00-000000000")
    listing.write_text(text, encoding="utf-8")
    verdict = verify_file(cert_path, KEY.public, listing)
    assert verdict.outcome is Outcome.revocation_list and verdict.exit_code == 8


def test_revocation_list_of_another_issuer(tmp_path: Path, signed_bytes: bytes) -> None:
    cert_path = tmp_path / "cert.json"
    cert_path.write_bytes(signed_bytes)
    listing = tmp_path / "revocations.json"
    revoke(listing, KEY, certificate_no="x", organization_id="org-b", issuer_name="b", reason="x")
    assert verify_file(cert_path, KEY.public, listing).outcome is Outcome.revocation_list


def test_revoke_refuses_a_list_signed_by_another_key(tmp_path: Path) -> None:
    listing = tmp_path / "revocations.json"
    revoke(listing, KEY, certificate_no="a", organization_id="org-a", issuer_name="a", reason="x")
    other: SigningKey = generate_key()
    from volunteer_standard.certificates import CertificateError

    with pytest.raises(CertificateError, match="cannot be used"):
        revoke(
            listing, other, certificate_no="b", organization_id="org-a", issuer_name="a", reason="x"
        )


def test_a_key_filed_for_another_organization_is_refused(
    tmp_path: Path, signed_bytes: bytes
) -> None:
    from volunteer_standard.certificates import save_public_key

    save_public_key(KEY.public, tmp_path / "org-b.jwk")
    ring = KeyRing.from_folder(tmp_path)
    assert ring.owner(KEY.kid) == "org-b"
    verdict = verify_bytes(signed_bytes, ring)
    assert verdict.outcome is Outcome.unknown_key
    assert "trusted for organization org-b" in verdict.message("en")
    (tmp_path / "org-b.jwk").rename(tmp_path / "org-a.jwk")
    assert verify_bytes(signed_bytes, KeyRing.from_folder(tmp_path)).ok
