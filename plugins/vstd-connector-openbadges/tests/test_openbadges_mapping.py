"""Open Badges 3.0: official schemas, VC-JOSE proofs, privacy, lossless import, fidelity."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from keyfiles import FOREIGN_KEY, FOREIGN_PUB, ISSUER_KEY, ISSUER_PUB
from vstd_connector_openbadges import (
    OpenBadgesConnector,
    load_private_key,
    matches,
    schema_errors,
    sign,
)
from vstd_connector_openbadges.schemas import document_loader

from volunteer_standard.connectors import ConnectorError
from volunteer_standard.engine import convert
from volunteer_standard.models import Certificate
from volunteer_standard.testing import read_objects, sample_entities, write_objects

HERE = Path(__file__).parent
SHARED = HERE.parents[2].parent / "shared" / "standards"
BUNDLED = HERE.parent / "src" / "vstd_connector_openbadges" / "standards"
TYPES = ("certificate", "service_record")
ISSUER = {"private_key": str(ISSUER_KEY)}


def payloads(path: Path) -> list[dict[str, Any]]:
    """The credentials inside a file of compact JWS lines (signatures not checked)."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        body = line.split(".")[1]
        out.append(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))
    return out


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        return {
            k: v for key, item in value.items() for k, v in leaves(item, f"{path}/{key}").items()
        }
    if isinstance(value, list):
        return {
            k: v for i, item in enumerate(value) for k, v in leaves(item, f"{path}/{i}").items()
        }
    return {path: value}


def fidelity(original: Any, back: Any) -> tuple[int, int]:
    want, got = leaves(original), leaves(back)
    return sum(1 for k, v in want.items() if k in got and got[k] == v), len(want)


@pytest.mark.skipif(not SHARED.exists(), reason="shared standards folder not present")
@pytest.mark.parametrize(
    ("bundled", "official"),
    [
        ("ob-achievementcredential.json", "openbadges-3.0/schema/achievementcredential.json"),
        ("ob-context-3.0.3.json", "openbadges-3.0/context/context-3.0.3.json"),
        ("OB-SPEC-LICENSE.md", "openbadges-3.0/SPEC-LICENSE.md"),
        ("vc-verifiable-credential-schema.json", "vc-2.0/schema/verifiable-credential-schema.json"),
        ("vc-credentials-v2.jsonld", "vc-2.0/contexts/credentials/v2.jsonld"),
        ("VC-LICENSE.md", "vc-2.0/LICENSE.md"),
    ],
)
def test_bundled_standards_are_the_official_files(bundled: str, official: str) -> None:
    assert (BUNDLED / bundled).read_bytes() == (SHARED / official).read_bytes()


@pytest.mark.parametrize("holder", ["hashed", "plain"])
def test_output_validates_against_ob_3_and_vc_2(tmp_path: Path, holder: str) -> None:
    target = tmp_path / "out.jwt"
    write_objects(OpenBadgesConnector({**ISSUER, "holder": holder}), target, sample_entities(TYPES))
    credentials = payloads(target)
    assert len(credentials) == len(sample_entities(TYPES))
    for credential in credentials:
        assert schema_errors(credential) == [], credential["id"]
        subject = credential["credentialSubject"]
        assert subject["achievement"]["achievementType"] == "CommunityService"
        assert subject["result"][0]["value"]
        assert credential["issuer"]["type"] == ["Profile"]
    first = credentials[0]
    assert first["credentialSubject"]["activityStartDate"].startswith("2024-01-07")
    revoked = [c for c in credentials if "validUntil" in c]
    assert len(revoked) == 1 and revoked[0]["validUntil"].startswith("2025-12-30")


def test_schema_check_can_fail() -> None:
    credential = json.loads((HERE / "data" / "foreign-credential.json").read_text("utf-8"))
    assert schema_errors(credential) == []
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["@context"] = ["https://example.org/not-vc"]
    found = schema_errors(credential)
    assert any(e.startswith("OB 3.0") for e in found) and any(e.startswith("VC 2.0") for e in found)


def test_jws_is_vc_jose_eddsa(tmp_path: Path) -> None:
    target = tmp_path / "out.jwt"
    write_objects(OpenBadgesConnector(ISSUER), target, sample_entities(["certificate"])[:1])
    head = target.read_text("utf-8").split(".")[0]
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt" and header["cty"] == "vc"


def test_hashed_holder_never_shows_personal_data(tmp_path: Path) -> None:
    certificate = sample_entities(["certificate"])[0]
    assert isinstance(certificate, Certificate)
    target = tmp_path / "out.jwt"
    write_objects(OpenBadgesConnector(ISSUER), target, [certificate])
    credential = payloads(target)[0]
    text = json.dumps(credential, ensure_ascii=False)
    holder = certificate.volunteer
    for secret in (holder.name, holder.volunteer_no, holder.id_number_masked or "?"):
        assert secret not in text
    assert certificate.issuer.responsible_person not in text
    identities = credential["credentialSubject"]["identifier"]
    assert all(i["hashed"] for i in identities)
    assert matches(identities[0], holder.volunteer_no)
    assert not matches(identities[0], "VS00000000000")


def _tampered(tmp_path: Path) -> Path:
    target = tmp_path / "in.jwt"
    write_objects(OpenBadgesConnector(ISSUER), target, sample_entities(["certificate"])[:2])
    header, body, signature = target.read_text("utf-8").splitlines()[0].split(".")
    credential = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    credential["credentialSubject"]["result"][0]["value"] = "999.00"
    forged = base64.urlsafe_b64encode(json.dumps(credential).encode()).rstrip(b"=").decode()
    lines = target.read_text("utf-8").splitlines()
    lines[0] = f"{header}.{forged}.{signature}"
    target.write_text("\n".join(lines) + "\n", "utf-8")
    return target


def test_a_changed_credential_is_rejected_with_the_reason(tmp_path: Path) -> None:
    source = _tampered(tmp_path)
    summary = convert(
        str(source), str(tmp_path / "o.jsonl"), source_connector=OpenBadgesConnector(ISSUER)
    )
    assert summary.read == 2 and summary.written == 1 and summary.rejected == 1
    reject = json.loads((tmp_path / "o.jsonl.rejects.jsonl").read_text("utf-8"))
    assert reject["codes"] == ["VC704"]
    assert reject["line"] == 1
    assert "signature does not verify" in json.dumps(reject)


def test_unknown_keys_and_missing_proofs_are_rejected(tmp_path: Path) -> None:
    source = tmp_path / "in.jwt"
    write_objects(OpenBadgesConnector(ISSUER), source, sample_entities(["certificate"])[:1])
    stranger = OpenBadgesConnector({"public_keys": [str(FOREIGN_PUB)]})
    records = list(stranger.read(str(source)))
    assert records[0].problems[0].code == "VC703"  # type: ignore[union-attr]
    assert "不在受信任的公钥中" in records[0].problems[0].text("zh")  # type: ignore[union-attr]
    unsigned = tmp_path / "unsigned.jsonl"
    write_objects(
        OpenBadgesConnector({"secure": False}), unsigned, sample_entities(["certificate"])[:1]
    )
    record = next(iter(OpenBadgesConnector(ISSUER).read(str(unsigned))))
    assert record.problems[0].code == "VC705"  # type: ignore[union-attr]


def test_writing_secured_credentials_needs_a_key(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="private key"):
        OpenBadgesConnector().open_writer(str(tmp_path / "x.jwt"))


def test_foreign_credential_imports_without_losing_fields(tmp_path: Path) -> None:
    original = json.loads((HERE / "data" / "foreign-credential.json").read_text("utf-8"))
    source = tmp_path / "foreign.jwt"
    source.write_text(sign(original, load_private_key(FOREIGN_KEY)) + "\n", "utf-8")
    importer = OpenBadgesConnector({"public_keys": [str(FOREIGN_PUB)]})
    (certificate,) = read_objects(importer, source)
    assert isinstance(certificate, Certificate)
    assert certificate.total_hours == certificate.lines[0].hours
    assert certificate.lines[0].hours == Decimal("52.5")
    assert certificate.issuer.name == "Example University Service Learning Office"
    assert certificate.volunteer.name == "***"
    kept = {op["path"] for op in certificate.extensions["openbadges"]["patch"]}  # type: ignore[index]
    assert {"/evidence", "/image", "/credentialSchema", "/validUntil"} <= kept
    out = tmp_path / "again.jwt"
    write_objects(OpenBadgesConnector(ISSUER), out, [certificate])
    (back,) = payloads(out)
    kept_fields, total = fidelity(original, back)
    print(f"OB 3.0 foreign credential → standard → OB fidelity: {kept_fields}/{total}")
    assert back == original


@pytest.mark.parametrize("holder", ["hashed", "plain"])
def test_standard_to_ob_to_standard_fidelity(tmp_path: Path, holder: str) -> None:
    config = {**ISSUER, "holder": holder}
    entities = sample_entities(TYPES)
    target = tmp_path / "out.jwt"
    write_objects(OpenBadgesConnector(config), target, entities)
    back = read_objects(OpenBadgesConnector(config), target)
    want = [e.model_dump(mode="json", exclude_none=True) for e in entities]
    got = [e.model_dump(mode="json", exclude_none=True) for e in back]
    for w, g in zip(want, got, strict=True):
        w.pop("extensions", None), g.pop("extensions", None)
    kept, total = fidelity(want, got)
    print(f"standard → OB 3.0 → standard fidelity (holder={holder}): {kept}/{total}")
    if holder == "plain":
        assert kept == total
    else:  # exactly the personal fields are lost: they exist only as hashes
        got_leaves = leaves(got)
        lost = {
            path.split("/")[-1] if not path.split("/")[-1].isdigit() else path.split("/")[-2]
            for path, value in leaves(want).items()
            if got_leaves.get(path) != value
        }
        assert lost == {
            "name",
            "volunteer_no",
            "id_type",
            "id_number_masked",
            "volunteer_id",
            "recorded_by",
            "responsible_person",
            "handler",
            "phone",
            "phone_visibility",
        }


def test_credentials_expand_as_json_ld_offline(tmp_path: Path) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    target = tmp_path / "out.jwt"
    write_objects(OpenBadgesConnector(ISSUER), target, sample_entities(["certificate"])[:1])
    (credential,) = payloads(target)
    expanded = jsonld.expand(credential, {"documentLoader": document_loader})
    text = json.dumps(expanded)
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject" in text
    assert "https://www.w3.org/2018/credentials#credentialSubject" in text
    assert "urn:volunteer-standard:carry" in text
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/ctx", "a": 1}, {"documentLoader": document_loader}
        )


def test_keys_are_ed25519_pem(tmp_path: Path) -> None:
    bad = tmp_path / "rsa.pem"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ConnectorError, match="Ed25519"):
        load_private_key(bad)
    assert OpenBadgesConnector({"public_keys": [str(ISSUER_PUB)]}).trusted_keys()


def test_an_invalid_credential_is_rejected_without_quoting_it(tmp_path: Path) -> None:
    credential = json.loads((HERE / "data" / "foreign-credential.json").read_text("utf-8"))
    credential["credentialSubject"]["identifier"] = [
        {"type": "IdentityObject", "identityHash": "张三丰", "identityType": "name", "hashed": "no"}
    ]
    source = tmp_path / "bad.jwt"
    source.write_text(sign(credential, load_private_key(FOREIGN_KEY)) + "\n", "utf-8")
    importer = OpenBadgesConnector({"public_keys": [str(FOREIGN_PUB)]})
    summary = convert(str(source), str(tmp_path / "o.jsonl"), source_connector=importer)
    assert summary.rejected == 1
    reject = (tmp_path / "o.jsonl.rejects.jsonl").read_text("utf-8")
    entry = json.loads(reject)
    assert entry["codes"] == ["VC706"]
    assert "张三丰" not in json.dumps(entry["reasons"], ensure_ascii=False)
