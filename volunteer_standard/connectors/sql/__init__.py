"""The ``sql`` connector: relational databases through SQLAlchemy (see ``docs/sql.md``).

The public API: the connector and its configuration, and :func:`resolve` which tells
which database a location names (with the password masked in its label).
"""

from volunteer_standard.connectors.sql.config import SqlConfig
from volunteer_standard.connectors.sql.connector import SqlConnector
from volunteer_standard.connectors.sql.database import Database, mask, resolve

__all__ = ["Database", "SqlConfig", "SqlConnector", "mask", "resolve"]
