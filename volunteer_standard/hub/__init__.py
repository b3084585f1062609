"""The reference hub of the exchange API (``vstd serve``).

A client of the library like any user's program: nothing in the library imports it. It
needs the ``hub`` extra (FastAPI, uvicorn, Alembic): ``pip install 'volunteer-standard[hub]'``.
"""

from __future__ import annotations

from volunteer_standard.hub.settings import HubSettings

__all__ = ["HubSettings"]
