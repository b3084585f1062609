"""The hub's settings and where it keeps its files by default.

With no configuration at all the hub keeps a SQLite database and its secret in
``$VSTD_HUB_HOME`` (default: ``$XDG_DATA_HOME/vstd/hub``, i.e. ``~/.local/share/vstd/hub``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


def default_home() -> Path:
    """The folder for the default database and secret."""
    home = os.environ.get("VSTD_HUB_HOME")
    if home:
        return Path(home)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "vstd" / "hub"


def default_db_url() -> str:
    """``$VSTD_HUB_DB`` or a SQLite file in :func:`default_home`."""
    url = os.environ.get("VSTD_HUB_DB")
    if url:
        return url
    return f"sqlite:///{default_home() / 'hub.sqlite3'}"


def load_secret(explicit: str | None = None) -> bytes:
    """The key of the identity pseudonyms: given, ``$VSTD_HUB_SECRET``, or a file in the hub's
    home created on first use (mode 600). Kept apart from the database on purpose: a copy
    of the database alone cannot be used to test guessed ID numbers."""
    value = explicit or os.environ.get("VSTD_HUB_SECRET")
    if value:
        return value.encode("utf-8")
    path = default_home() / "secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


@dataclass
class HubSettings:
    """Everything ``vstd serve`` can be told; defaults are for a fresh machine."""

    db_url: str = ""
    secret: bytes = b""
    profile: str = "national"
    #: Largest request body accepted (bytes).
    max_body_bytes: int = 8 * 1024 * 1024
    #: Most items in one batch.
    max_batch_items: int = 1000
    #: Largest and default feed page.
    max_page: int = 500
    default_page: int = 100
    #: Serve the dashboard without a token (it shows no personal data; trusted networks).
    dashboard_public: bool = False

    def resolved(self) -> HubSettings:
        """A copy with the database URL and secret filled from the defaults."""
        db_url = self.db_url or default_db_url()
        if db_url.startswith("sqlite:///") and not db_url.startswith("sqlite:///:memory:"):
            Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return HubSettings(
            db_url=db_url,
            secret=self.secret or load_secret(),
            profile=self.profile,
            max_body_bytes=self.max_body_bytes,
            max_batch_items=self.max_batch_items,
            max_page=self.max_page,
            default_page=self.default_page,
            dashboard_public=self.dashboard_public,
        )
