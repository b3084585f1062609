"""Running the hub under uvicorn, and writing its OpenAPI document.

Shutdown is graceful: on SIGTERM or Ctrl-C uvicorn stops accepting connections and waits
up to ``grace`` seconds for requests in flight. A batch that commits in that time is
kept; one still running afterwards is abandoned before its commit (the hub's ``abort``
flag), so its transaction rolls back and nothing of it is stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from volunteer_standard.hub.settings import HubSettings

OPENAPI_FILE = "exchange-api.openapi.json"


def openapi_document() -> dict[str, Any]:
    """The exchange API's OpenAPI 3.1 document, generated from the implementation."""
    from volunteer_standard.hub.app import Hub, create_app
    from volunteer_standard.hub.db import make_engine

    engine = make_engine("sqlite://")  # never connected: the document needs no database
    hub = Hub(HubSettings(db_url="sqlite://", secret=b"openapi"), engine=engine)
    return create_app(hub=hub).openapi()


def openapi_text() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_openapi(out_dir: str | Path) -> Path:
    """Write the document as ``exchange-api.openapi.json`` in ``out_dir`` (atomically)."""
    target = Path(out_dir) / OPENAPI_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(openapi_text(), encoding="utf-8")
    tmp.replace(target)
    return target


def openapi_is_current(out_dir: str | Path) -> bool:
    target = Path(out_dir) / OPENAPI_FILE
    return target.exists() and target.read_text(encoding="utf-8") == openapi_text()


def serve(
    settings: HubSettings, host: str = "127.0.0.1", port: int = 8600, grace: float = 30.0
) -> None:
    """Run the hub until stopped (blocks)."""
    import uvicorn

    from volunteer_standard.hub.app import create_app
    from volunteer_standard.hub.logs import configure

    configure()
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,  # our own request log: routes without query strings, no content
        log_config=None,
        timeout_graceful_shutdown=int(grace),
        lifespan="on",
    )
    uvicorn.Server(config).run()
