"""`vstd convert` with the sql connector; the database password never shows: not in
messages, reject files, state files, outputs, `--help` or `vstd connectors show`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import MINIMAL
from tests.connectors.sql_support import execute, fresh_schema
from volunteer_standard.cli import app

runner = CliRunner()
PASSWORD = "Pw-Never-Shown-7731"


def _secret_url(url: str, port: str | None = None) -> str:
    """The test database's URL with a password (trust auth ignores it)."""
    secret = url.replace("postgres@", f"postgres:{PASSWORD}@", 1)
    return secret.replace(":5432/", f":{port}/") if port else secret


def _input(tmp_path: Path) -> Path:
    source = tmp_path / "in.jsonl"
    lines = [MINIMAL["volunteer"] | {"id": f"vol-{i}"} for i in range(5)] + [
        MINIMAL["volunteer"] | {"id": "vol-bad", "birth_date": "2024-02-30"}
    ]
    source.write_text(
        "\n".join(json.dumps(r) for r in lines) + "\n",
        encoding="utf-8",
    )
    return source


def test_password_never_appears_in_a_full_round(tmp_path: Path, vstd_postgres_url: str) -> None:
    schema = fresh_schema(vstd_postgres_url)
    env = {"VSTD_SQL_URL": _secret_url(vstd_postgres_url), "VSTD_LANG": "en"}
    config = tmp_path / "sql.toml"
    config.write_text("create_tables = true\n", encoding="utf-8")
    rejects = tmp_path / "write.rejects.jsonl"
    wrote = runner.invoke(
        app,
        [
            "convert",
            str(_input(tmp_path)),
            schema,
            "--to",
            "sql",
            "--to-config",
            str(config),
            "--rejects",
            str(rejects),
        ],
        env=env,
    )
    assert wrote.exit_code == 1, wrote.output  # one record rejected
    execute(
        vstd_postgres_url, f"UPDATE {schema}.volunteers SET birth_date = 'x' WHERE id = 'vol-1'"
    )
    config.write_text('incremental_column = "id"\nkey_column = "id"\n', encoding="utf-8")
    out, state, read_rejects = tmp_path / "out.jsonl", tmp_path / "state.json", tmp_path / "r.jsonl"
    read = runner.invoke(
        app,
        [
            "convert",
            schema,
            str(out),
            "--from",
            "sql",
            "--from-config",
            str(config),
            "--state",
            str(state),
            "--rejects",
            str(read_rejects),
        ],
        env=env,
    )
    assert read.exit_code == 1, read.output
    summary = json.loads(read.output.strip().splitlines()[-1])
    assert (summary["read"], summary["written"], summary["rejected"]) == (5, 4, 1)
    entry = json.loads(read_rejects.read_text(encoding="utf-8"))
    assert entry["file"].startswith("postgresql+psycopg://postgres:***@") and entry["line"] == 2
    seen = wrote.output + read.output
    for path in (rejects, out, state, read_rejects):
        seen += path.read_text(encoding="utf-8")
    assert PASSWORD not in seen


def test_unreachable_server_error_masks_the_password(
    vstd_postgres_url: str, tmp_path: Path
) -> None:
    env = {"VSTD_SQL_URL": _secret_url(vstd_postgres_url, port="1"), "VSTD_LANG": "en"}
    result = runner.invoke(
        app, ["convert", "default", str(tmp_path / "o.jsonl"), "--from", "sql"], env=env
    )
    assert result.exit_code == 2
    assert "cannot reach the database" in result.output and "postgres:***@" in result.output
    assert PASSWORD not in result.output


def test_help_and_description_never_show_the_url() -> None:
    env = {"VSTD_SQL_URL": f"postgresql://u:{PASSWORD}@h/db"}
    for args in (["convert", "--help"], ["connectors", "show", "sql"], ["connectors", "list"]):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
        assert PASSWORD not in result.output
    shown = runner.invoke(app, ["connectors", "show", "sql"]).output
    assert '"writeOnly": true' in shown


def test_password_on_the_command_line_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["convert", str(_input(tmp_path)), f"postgresql://u:{PASSWORD}@h/db", "--to", "sql"],
        env={"VSTD_LANG": "en"},
    )
    assert result.exit_code == 2
    assert "must not hold a password" in result.output and PASSWORD not in result.output


def test_sqlite_file_end_to_end(tmp_path: Path) -> None:
    config = tmp_path / "sql.toml"
    config.write_text("create_tables = true\n", encoding="utf-8")
    db = tmp_path / "vol.db"
    wrote = runner.invoke(
        app, ["convert", str(_input(tmp_path)), str(db), "--to", "sql", "--to-config", str(config)]
    )
    assert wrote.exit_code == 1
    assert json.loads(wrote.output.strip().splitlines()[-1])["written"] == 5
    read = runner.invoke(app, ["convert", str(db), str(tmp_path / "back.jsonl"), "--from", "sql"])
    assert read.exit_code == 0, read.output
    assert len((tmp_path / "back.jsonl").read_text(encoding="utf-8").splitlines()) == 5
