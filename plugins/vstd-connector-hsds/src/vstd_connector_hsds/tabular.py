"""HSDS 3.0's tabular (CSV) form: nested JSON objects ↔ one CSV file per object type.

The tables and their columns come from the bundled schemas themselves (each file's ``path``
and its scalar properties), so the form follows the specification rather than a copy of
it. A nested array becomes rows of the child's table with the parent's id in the child's
foreign-key column (``organization_id``, ``service_id`` …; ``link_id`` for attributes,
``resource_id`` for metadata); an attribute's taxonomy term goes to ``taxonomy_terms.csv``.
Denormalised copies (``service.organization``, ``service_at_location.location``) are not
written: their tables hold them.

Reading joins the tables back. The child tables are loaded into a temporary SQLite file
indexed by owner, so memory stays flat however large the export.
"""

from __future__ import annotations

import csv
import functools
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from vstd_connector_hsds.schemas import TOP_LEVEL, raw_schema, schema_names

#: Foreign-key columns from the most specific owner to the least: a row belongs to the
#: first one that is filled (a schedule with ``location_id`` and ``service_id`` is the
#: location's; a phone with ``contact_id`` is the contact's).
_OWNER_ORDER = (
    "link_id",
    "resource_id",
    "contact_id",
    "phone_id",
    "service_at_location_id",
    "location_id",
    "service_id",
    "program_id",
    "organization_id",
)


@functools.cache
def table_file(name: str) -> str:
    """CSV file name of an HSDS object type (``organization`` → ``organizations.csv``)."""
    return str(raw_schema(name)["path"])


@functools.cache
def columns(name: str) -> tuple[str, ...]:
    """Scalar properties of an object type: the columns of its table, in schema order."""
    out = []
    for key, prop in raw_schema(name)["properties"].items():
        if prop.get("type") in ("string", "number", "integer", "boolean"):
            out.append(key)
    return tuple(out)


@functools.cache
def _numeric(name: str) -> frozenset[str]:
    props = raw_schema(name)["properties"]
    return frozenset(k for k in columns(name) if props[k].get("type") in ("number", "integer"))


@functools.cache
def relations(name: str) -> tuple[tuple[str, str, str], ...]:
    """(property, child type, child's foreign-key column) of the nested arrays that have
    their own table; top-level types are never nested (they are read on their own)."""
    out = []
    for key, prop in raw_schema(name)["properties"].items():
        ref = (prop.get("items") or {}).get("$ref") if prop.get("type") == "array" else None
        if not ref:
            continue
        child = ref.removesuffix(".json")
        if child in TOP_LEVEL:
            continue
        if child == "attribute":
            fk = "link_id"
        elif child == "metadata":
            fk = "resource_id"
        else:
            fk = f"{name}_id"
            if fk not in columns(child):
                continue
        out.append((key, child, fk))
    return tuple(out)


@functools.cache
def _owner_columns(name: str) -> tuple[str, ...]:
    """The foreign keys by which some object nests rows of ``name``, most specific first."""
    used = {fk for parent in schema_names() for _, child, fk in relations(parent) if child == name}
    return tuple(column for column in _OWNER_ORDER if column in used)


def _owner(name: str, row: dict[str, str]) -> tuple[str, str] | None:
    for column in _owner_columns(name):
        if row.get(column):
            return column, row[column]
    return None


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _typed(name: str, row: dict[str, str]) -> dict[str, Any]:
    numeric = _numeric(name)
    out: dict[str, Any] = {}
    for column in columns(name):
        text = row.get(column)
        if text is None or text == "":
            continue
        if column in numeric:
            try:
                out[column] = float(text) if any(c in text for c in ".eE") else int(text)
            except ValueError:
                out[column] = text  # kept as written; the schema will say it is wrong
        else:
            out[column] = text
    return out


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str], str | None]]:
    """(line, row, problem) of a CSV file: a row with the wrong number of cells or bytes
    that are not UTF-8 comes with the reason, to be rejected with its line."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            problem = None
            if len(cells) != len(header):
                problem = f"the row has {len(cells)} cells, the header {len(header)}"
            elif any("\ufffd" in cell for cell in cells):
                problem = "the row has bytes that are not valid UTF-8"
            yield line, dict(zip(header, cells, strict=False)), problem


class TableWriter:
    """Writes nested HSDS objects as the CSV tables of a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, tuple[IO[str], Any]] = {}
        self._terms: set[str] = set()

    def _row(self, name: str, row: dict[str, str]) -> None:
        if name not in self._files:
            handle = (self.folder / table_file(name)).open("w", encoding="utf-8", newline="")
            writer = csv.DictWriter(handle, fieldnames=list(columns(name)))
            writer.writeheader()
            self._files[name] = (handle, writer)
        self._files[name][1].writerow(row)

    def write(self, name: str, obj: dict[str, Any]) -> None:
        """Flatten one object of type ``name`` (and everything nested in it)."""
        self._row(name, {c: _cell(obj[c]) for c in columns(name) if obj.get(c) is not None})
        term = obj.get("taxonomy_term") if name == "attribute" else None
        if isinstance(term, dict) and term.get("id") and term["id"] not in self._terms:
            self._terms.add(term["id"])
            self.write("taxonomy_term", term)
        for key, child, fk in relations(name):
            for item in obj.get(key) or []:
                if isinstance(item, dict):
                    if not item.get(fk) and obj.get("id"):
                        item = {**item, fk: obj["id"]}
                    self.write(child, item)

    def close(self) -> None:
        for handle, _writer in self._files.values():
            handle.close()
        self._files.clear()


class TableReader:
    """Reads the top-level objects of an HSDS CSV folder, nested again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._tmp = tempfile.TemporaryDirectory(prefix="vstd-hsds-")
        self._db = sqlite3.connect(Path(self._tmp.name) / "children.sqlite")
        self._db.execute(
            "CREATE TABLE child (name TEXT, owner_col TEXT, owner TEXT, seq INTEGER, "
            "row TEXT, line INTEGER, problem TEXT, used INTEGER DEFAULT 0)"
        )
        self._db.execute("CREATE TABLE term (id TEXT PRIMARY KEY, row TEXT)")
        for name in schema_names():
            path = folder / table_file(name)
            if name in TOP_LEVEL or not path.is_file():
                continue
            self._load(name, path)
        self._db.execute("CREATE INDEX child_owner ON child (name, owner_col, owner, seq)")

    def _load(self, name: str, path: Path) -> None:
        for seq, (line, row, problem) in enumerate(read_rows(path)):
            if name == "taxonomy_term" and problem is None and row.get("id"):
                self._db.execute(
                    "INSERT OR IGNORE INTO term VALUES (?, ?)", (row["id"], json.dumps(row))
                )
                continue  # terms are looked up by id, never orphans
            owner = _owner(name, row) if problem is None else None
            if owner is None and problem is None:
                problem = "the row names no object it belongs to (no foreign key)"
            self._db.execute(
                "INSERT INTO child (name, owner_col, owner, seq, row, line, problem) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, *(owner or (None, None)), seq, json.dumps(row), line, problem),
            )

    def nest(self, name: str, row: dict[str, str]) -> dict[str, Any]:
        """The nested object of one table row."""
        obj = _typed(name, row)
        if name == "attribute" and row.get("taxonomy_term_id"):
            found = self._db.execute(
                "SELECT row FROM term WHERE id = ?", (row["taxonomy_term_id"],)
            ).fetchone()
            if found:
                obj["taxonomy_term"] = self.nest("taxonomy_term", json.loads(found[0]))
        own_id = row.get("id")
        if not own_id:
            return obj
        for key, child, fk in relations(name):
            where = "WHERE name = ? AND owner_col = ? AND owner = ? AND problem IS NULL"
            rows = self._db.execute(
                f"SELECT row FROM child {where} ORDER BY seq", (child, fk, own_id)
            ).fetchall()
            if rows:
                self._db.execute(f"UPDATE child SET used = 1 {where}", (child, fk, own_id))
                obj[key] = [self.nest(child, json.loads(r[0])) for r in rows]
        return obj

    def leftovers(self) -> Iterator[tuple[str, int, dict[str, str], str]]:
        """(file, line, row, why) of child rows that were damaged or belong to no object
        read: they are rejected rather than dropped."""
        cursor = self._db.execute(
            "SELECT name, line, row, problem FROM child WHERE used = 0 ORDER BY name, seq"
        )
        for name, line, row, problem in cursor:
            why = problem or "the object the row belongs to is not in the export"
            yield str(self.folder / table_file(name)), line, json.loads(row), why

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str], str | None]]:
        """(line number, row, problem) of a top-level table, streaming."""
        path = self.folder / table_file(name)
        if path.is_file():
            yield from read_rows(path)

    def close(self) -> None:
        self._db.close()
        self._tmp.cleanup()


__all__ = ["TableReader", "TableWriter", "columns", "relations", "table_file"]
