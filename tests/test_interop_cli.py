"""End to end through ``vstd convert``: the three interop plugins as a user runs them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.io.writer import JsonlWriter
from volunteer_standard.testing import sample_entities

pytest.importorskip("vstd_connector_openbadges")
pytest.importorskip("vstd_connector_hsds")
pytest.importorskip("vstd_connector_schemaorg")

runner = CliRunner()


def _standard(path: Path, types: tuple[str, ...]) -> Path:
    with JsonlWriter(path) as writer:
        for entity in sample_entities(types):
            writer.write(entity)
    return path


def test_certificates_to_signed_badges_and_back(tmp_path: Path) -> None:
    key = tmp_path / "org.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    config = tmp_path / "ob.toml"
    config.write_text(f'private_key = "{key}"\n', "utf-8")
    source = _standard(tmp_path / "certs.jsonl", ("certificate",))
    badges = tmp_path / "badges.jwt"
    result = runner.invoke(
        app,
        [
            "convert",
            "-q",
            str(source),
            str(badges),
            "--to",
            "openbadges",
            "--to-config",
            str(config),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(badges.read_text("utf-8").splitlines()) == 10
    back = tmp_path / "back.jsonl"
    args = [
        "convert",
        "-q",
        str(badges),
        str(back),
        "--from",
        "openbadges",
        "--from-config",
        str(config),
    ]
    assert runner.invoke(app, args).exit_code == 0
    # change one byte of one credential: that one is refused, with the reason
    lines = badges.read_text("utf-8").splitlines()
    head, body, signature = lines[3].split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["validFrom"] = payload["validFrom"].replace("2024", "2023")
    lines[3] = ".".join(
        [
            head,
            base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode(),
            signature,
        ]
    )
    badges.write_text("\n".join(lines) + "\n", "utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    reject = json.loads((tmp_path / "back.jsonl.rejects.jsonl").read_text("utf-8"))
    assert reject["line"] == 4 and reject["codes"] == ["VC704"]


def test_hsds_csv_and_schema_org_publication(tmp_path: Path) -> None:
    source = _standard(tmp_path / "std.jsonl", ("organization", "project", "station", "activity"))
    config = tmp_path / "hsds.toml"
    config.write_text('form = "csv"\n', "utf-8")
    hsds = tmp_path / "hsds"
    args = ["convert", "-q", str(source), str(hsds), "--to", "hsds", "--to-config", str(config)]
    assert runner.invoke(app, args).exit_code == 0
    assert (hsds / "organizations.csv").exists() and (hsds / "attributes.csv").exists()
    back = tmp_path / "back.jsonl"
    assert (
        runner.invoke(app, ["convert", "-q", str(hsds), str(back), "--from", "hsds"]).exit_code == 0
    )
    assert back.read_text("utf-8").splitlines() == source.read_text("utf-8").splitlines()
    page = tmp_path / "site.jsonld"
    result = runner.invoke(app, ["convert", "-q", str(source), str(page), "--to", "schemaorg"])
    assert result.exit_code == 0, result.output
    assert json.loads(page.read_text("utf-8"))["@context"] == "https://schema.org"
