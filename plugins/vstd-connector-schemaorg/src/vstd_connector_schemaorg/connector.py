"""The ``schemaorg`` connector: publish organizations, projects, activities and stations
as schema.org JSON-LD (write only).

The output is one JSON-LD document, ``{"@context": "https://schema.org", "@graph": [...]}``,
streamed node by node and renamed into place when complete; paste it into a page inside
``<script type="application/ld+json">`` or serve it as ``application/ld+json``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from pydantic import Field

from volunteer_standard.connectors import (
    Connector,
    ConnectorConfig,
    ConnectorError,
    ReadItem,
    RecordWriter,
)
from volunteer_standard.models import Entity
from volunteer_standard.text import Text
from vstd_connector_schemaorg import mapping


class SchemaOrgConfig(ConnectorConfig):
    """Options of the ``schemaorg`` connector."""

    base_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s]+/$",
        description="Where the objects' pages live, ending with '/': node ids become "
        "<base_url><type>/<id>. Without it, ids are urn:vstd:<type>:<id>.",
    )
    indent: bool = Field(False, description="Indent the JSON-LD for reading.")


class SchemaOrgConnector(Connector):
    """schema.org JSON-LD for web pages: NGO/Organization, Event, JobPosting, Place."""

    name = "schemaorg"
    title = "schema.org JSON-LD (volunteering opportunities on web pages; write only)"
    version = "0.1.0"
    reads = ()
    writes = ("organization", "project", "activity", "station")
    config_model = SchemaOrgConfig

    @property
    def options(self) -> SchemaOrgConfig:
        assert isinstance(self.config, SchemaOrgConfig)
        return self.config

    def iri(self, kind: str, entity_id: str) -> str:
        """The node id of one standard object."""
        base = self.options.base_url
        return f"{base}{kind}/{entity_id}" if base else f"urn:vstd:{kind}:{entity_id}"

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        raise ConnectorError(
            Text(
                "schemaorg 连接器只能写出（发布用），不能读入",
                "the schemaorg connector only writes (for publishing); it cannot read",
            )
        )

    def open_writer(self, target: str) -> RecordWriter:
        return JsonLdWriter(self, Path(target))


class JsonLdWriter:
    """Streams the ``@graph`` of one JSON-LD document; atomic (temporary file, rename)."""

    def __init__(self, connector: SchemaOrgConnector, target: Path) -> None:
        self.connector = connector
        self.target = target
        self.indent = 1 if connector.options.indent else None
        parent = target.parent if str(target.parent) else Path(".")
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=parent)
        self._tmp = Path(name)
        self._out: IO[str] = os.fdopen(handle, "w", encoding="utf-8")
        self._out.write('{"@context": "https://schema.org", "@graph": [\n')
        self._first = True
        self._organizer: dict[str, str] = {}  # project id → organization id (for activities)

    def nodes(self, obj: Entity) -> list[dict[str, Any]]:
        """The JSON-LD nodes of one standard object."""
        d = obj.model_dump(mode="json", exclude_none=True)
        iri = self.connector.iri
        if obj.type == "organization":
            return [mapping.organization(d, iri)]
        if obj.type == "project":
            self._organizer[d["id"]] = d["organization_id"]
            return mapping.project(d, iri)
        if obj.type == "activity":
            return [mapping.activity(d, iri, self._organizer.get(d["project_id"]))]
        if obj.type == "station":
            return [mapping.station(d, iri)]
        raise ConnectorError(f"the schemaorg connector does not write {obj.type!r}")

    def write(self, obj: Entity) -> None:
        for node in self.nodes(obj):
            if not self._first:
                self._out.write(",\n")
            self._first = False
            self._out.write(json.dumps(node, ensure_ascii=False, indent=self.indent))

    def close(self) -> None:
        self._out.write("\n]}\n")
        self._out.close()
        os.chmod(self._tmp, 0o644)
        self._tmp.replace(self.target)
