"""The reference hub of the exchange API (``vstd serve``).

A client of the library like any user's program: nothing in the library imports it. It
needs the ``hub`` extra (FastAPI, uvicorn, Alembic): ``pip install 'volunteer-standard[hub]'``.

    from volunteer_standard.hub import HubSettings, create_app
    app = create_app(HubSettings(db_url="sqlite:///hub.sqlite3"))   # any ASGI server
"""

from __future__ import annotations

from typing import Any

from volunteer_standard.hub.settings import HubSettings

__all__ = ["Hub", "HubSettings", "create_app", "serve", "write_openapi"]


def __getattr__(name: str) -> Any:
    # The server parts import FastAPI: load them only when asked for.
    if name in ("Hub", "create_app"):
        from volunteer_standard.hub import app

        return getattr(app, name)
    if name in ("serve", "write_openapi"):
        from volunteer_standard.hub import server

        return getattr(server, name)
    raise AttributeError(name)
