"""``vstd serve``: run the reference hub, manage its tokens, write its OpenAPI document."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated, Any

import typer

from volunteer_standard.commands._common import fail

app = typer.Typer(
    help="Run the reference hub of the exchange API (数据交换中心).",
    invoke_without_command=True,
    no_args_is_help=False,
)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: SQLite in $VSTD_HUB_HOME, ~/.local/share/vstd/hub; "
        "or $VSTD_HUB_DB), e.g. postgresql://user@host/db.",
        show_default=False,
    ),
]

INSTALL_HINT = (
    "the hub needs its extra: pip install 'volunteer-standard[hub]' "
    "(服务端依赖未安装：pip install 'volunteer-standard[hub]')"
)


def _require_hub() -> None:
    for module in ("fastapi", "uvicorn", "alembic"):
        if importlib.util.find_spec(module) is None:
            fail(INSTALL_HINT)


def _settings(db: str | None, **extra: Any) -> Any:
    from volunteer_standard.hub.settings import HubSettings

    return HubSettings(db_url=db or "", **extra)


def _engine(db: str | None) -> Any:
    from volunteer_standard.hub import db as hubdb

    settings = _settings(db).resolved()
    engine = hubdb.make_engine(settings.db_url)
    hubdb.migrate(engine)
    return engine


@app.callback()
def serve_command(
    ctx: typer.Context,
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8600,
    profile: Annotated[
        str, typer.Option(help="Rule profile for checks, stars and points.")
    ] = "national",
    dashboard_public: Annotated[
        bool,
        typer.Option("--dashboard-public", help="Serve /dashboard without a token (counts only)."),
    ] = False,
    grace: Annotated[
        float, typer.Option(help="Seconds to let in-flight batches finish on shutdown.")
    ] = 30.0,
) -> None:
    """Run the hub (migrates the database first). The hub secret for identity pseudonyms
    comes from $VSTD_HUB_SECRET or a file created in the hub's home on first start."""
    if ctx.invoked_subcommand is not None:
        return
    _require_hub()
    from volunteer_standard.hub.server import serve

    typer.echo(f"vstd hub on http://{host}:{port}  (API docs: /docs, dashboard: /dashboard)")
    serve(
        _settings(db, profile=profile, dashboard_public=dashboard_public),
        host=host,
        port=port,
        grace=grace,
    )


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="A name for the token (unique).")],
    system: Annotated[
        str, typer.Option("--system", help="The source system the token submits for.")
    ],
    db: DbOption = None,
    write: Annotated[bool, typer.Option("--write", help="May submit records.")] = False,
    no_read: Annotated[bool, typer.Option("--no-read", help="May not read feeds.")] = False,
    sensitive: Annotated[
        bool, typer.Option("--sensitive", help="May read sensitive fields unmasked.")
    ] = False,
    admin: Annotated[
        bool, typer.Option("--admin", help="May read aggregates, the ledger and the dashboard.")
    ] = False,
    types: Annotated[
        list[str] | None,
        typer.Option("--type", help="Entity type it may use (repeat; default all)."),
    ] = None,
    regions: Annotated[
        list[str] | None,
        typer.Option("--region", help="Region-code prefix it may use, e.g. 11 (repeat)."),
    ] = None,
) -> None:
    """Create a token and print it once (only its hash is stored)."""
    _require_hub()
    from volunteer_standard.errors import VstdError
    from volunteer_standard.hub.tokens import Scopes, create_token

    scopes = Scopes(
        read=not no_read,
        write=write,
        sensitive=sensitive,
        admin=admin,
        types=tuple(types or ("*",)),
        regions=tuple(regions or ("*",)),
    )
    try:
        token = create_token(_engine(db), name, system, scopes)
    except VstdError as exc:
        fail(exc.message())
    typer.echo(token)


@token_app.command("list")
def token_list(db: DbOption = None) -> None:
    """List tokens: name, system, scopes (never the tokens themselves)."""
    _require_hub()
    from volunteer_standard.hub.tokens import list_tokens

    for row in list_tokens(_engine(db)):
        state = "revoked" if row["revoked"] else "active"
        typer.echo(f"{row['name']}\t{row['source_system']}\t{state}\t{row['scopes']}")


@token_app.command("revoke")
def token_revoke(
    name: Annotated[str, typer.Argument(help="The token's name.")], db: DbOption = None
) -> None:
    """Revoke a token by name."""
    _require_hub()
    from volunteer_standard.hub.tokens import revoke_token

    if not revoke_token(_engine(db), name):
        fail(f"no token named {name}")
    typer.echo(f"revoked {name}")


@app.command("openapi")
def openapi_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write to.")] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Only report drift; exit 1 when stale.")
    ] = False,
) -> None:
    """Write the exchange API's OpenAPI 3.1 document (exchange-api.openapi.json)."""
    _require_hub()
    from volunteer_standard.hub.server import OPENAPI_FILE, openapi_is_current, write_openapi

    if check:
        if not openapi_is_current(out_dir):
            fail(f"{out_dir / OPENAPI_FILE} is stale; run 'vstd serve openapi'", 1)
        typer.echo(f"{out_dir / OPENAPI_FILE}: up to date")
        return
    typer.echo(f"wrote {write_openapi(out_dir)}")
