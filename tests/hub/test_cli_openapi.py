"""``vstd serve`` commands and the published OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.hub.schemas import EntityKind
from volunteer_standard.hub.server import OPENAPI_FILE, openapi_document, openapi_text
from volunteer_standard.models import ENTITY_MODELS

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_published_openapi_document_is_current() -> None:
    published = (ROOT / "schemas" / OPENAPI_FILE).read_text(encoding="utf-8")
    assert published == openapi_text(), "stale: run 'vstd serve openapi schemas'"


def test_openapi_document_describes_the_exchange() -> None:
    doc = openapi_document()
    assert doc["openapi"].startswith("3.1")
    assert {"/v1/feeds/{kind}", "/v1/batches", "/healthz", "/readyz"} <= set(doc["paths"])
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    feed = doc["paths"]["/v1/feeds/{kind}"]["get"]
    assert {p["name"] for p in feed["parameters"]} >= {"afterTimestamp", "afterId", "limit"}
    assert "application/problem+json" in feed["responses"]["403"]["content"]


def test_entity_kinds_match_the_models() -> None:
    assert [k.value for k in EntityKind] == list(ENTITY_MODELS)


def test_openapi_command_writes_and_checks(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "openapi", str(tmp_path), "--check"])
    assert result.exit_code == 1 and "stale" in result.output
    result = runner.invoke(app, ["serve", "openapi", str(tmp_path)])
    assert result.exit_code == 0
    assert json.loads((tmp_path / OPENAPI_FILE).read_text(encoding="utf-8"))["openapi"]
    result = runner.invoke(app, ["serve", "openapi", str(tmp_path), "--check"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_token_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VSTD_HUB_HOME", str(tmp_path))
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    made = runner.invoke(
        app,
        [
            "serve",
            "token",
            "create",
            "bj",
            "--system",
            "bj-sys",
            "--write",
            "--region",
            "11",
            "--type",
            "volunteer",
            "--db",
            db,
        ],
    )
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    assert token.startswith("vstd_")
    listed = runner.invoke(app, ["serve", "token", "list", "--db", db])
    assert "bj\tbj-sys\tactive" in listed.output and token not in listed.output
    again = runner.invoke(app, ["serve", "token", "create", "bj", "--system", "x", "--db", db])
    assert again.exit_code == 2 and "already exists" in again.output
    bad = runner.invoke(
        app, ["serve", "token", "create", "y", "--system", "x", "--region", "1", "--db", db]
    )
    assert bad.exit_code == 2 and "region" in bad.output
    assert runner.invoke(app, ["serve", "token", "revoke", "bj", "--db", db]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["serve", "token", "list", "--db", db]).output


def test_default_database_lives_in_the_hub_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VSTD_HUB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("VSTD_HUB_DB", raising=False)
    monkeypatch.delenv("VSTD_HUB_SECRET", raising=False)
    made = runner.invoke(app, ["serve", "token", "create", "t", "--system", "s"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "home" / "hub.sqlite3").exists()
    from volunteer_standard.hub.settings import load_secret

    secret = load_secret()
    assert len(secret) == 64 and load_secret() == secret
    assert (tmp_path / "home" / "secret").stat().st_mode & 0o077 == 0


def test_serve_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a)
    )
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'volunteer-standard[hub]'" in result.output
