"""The standard's flat layout as database tables: one table per entity type.

The columns are the tabular connector's flat layout (:mod:`..tabular.flat`): one per
field path (``residence/region_code``), list items indexed (``identifiers/0/scheme``),
scalar lists joined with ``;``, ``extensions`` as JSON. What changes in a database is
only the column types, chosen so that every value comes back exactly:

* whole numbers → ``BIGINT``, other numbers → ``DOUBLE PRECISION``, yes/no → ``BOOLEAN``;
* everything else → text, as the standard writes it: dates and date-times in ISO 8601
  (a ``TIMESTAMP`` column would drop the offset), hours as ``"2.50"``;
* ``id`` (the primary key, the upsert key) → ``VARCHAR(128)``.

A table is created with the columns of an empty template (lists of objects at index 0);
the writer adds a column when a record has more list items than the table has room for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from volunteer_standard.connectors.tabular import flat
from volunteer_standard.connectors.tabular.introspect import Scalar
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS

KEY = "id"


def table_name(entity: str, prefix: str = "") -> str:
    """``volunteer`` → ``volunteers`` (with the configured prefix)."""
    return prefix + COLLECTIONS[entity]


def entity_of_table(name: str, prefix: str = "") -> str | None:
    """The entity type a table of the flat layout holds (``None`` for other tables)."""
    if prefix and not name.startswith(prefix):
        return None
    return flat.entity_for_name(name[len(prefix) :])


def column_type(entity: str, name: str) -> TypeEngine[Any]:
    """The SQL type of a flat column (see the module docstring)."""
    if name == KEY:
        return String(128)
    node = flat.column(entity, name).node
    if isinstance(node, Scalar):
        if node.kind == "integer":
            return BigInteger()
        if node.kind == "number":
            return Double()
        if node.kind == "boolean":
            return Boolean()
    return Text()


def define(metadata: MetaData, entity: str, columns: Iterable[str], *, prefix: str = "") -> Table:
    """A ``Table`` of ``entity`` with ``columns`` (the key first, then model order)."""
    names = [KEY, *(c for c in flat.ordered(entity, set(columns) - {KEY}))]
    return Table(
        table_name(entity, prefix),
        metadata,
        *(Column(n, column_type(entity, n), primary_key=n == KEY) for n in names),
    )


def template(entity: str) -> list[str]:
    """The columns a new table is created with."""
    return flat.template_columns(entity)


def unknown_columns(entity: str, names: Sequence[str]) -> list[str]:
    """Columns of a table that are no field path of ``entity``."""
    bad = []
    for name in names:
        try:
            flat.column(entity, name)
        except KeyError:
            bad.append(name)
    return bad


__all__ = [
    "ENTITY_MODELS",
    "KEY",
    "column_type",
    "define",
    "entity_of_table",
    "table_name",
    "template",
    "unknown_columns",
]
