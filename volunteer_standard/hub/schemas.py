"""Request and response bodies of the exchange API (they become the OpenAPI document)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The documented batch size limit (the server may be configured lower).
MAX_BATCH_ITEMS = 1000


class EntityKind(StrEnum):
    """The entity types of the standard (a test keeps this equal to ``ENTITY_MODELS``)."""

    organization = "organization"
    volunteer = "volunteer"
    project = "project"
    activity = "activity"
    service_record = "service_record"
    training_record = "training_record"
    award = "award"
    evaluation = "evaluation"
    certificate = "certificate"
    station = "station"
    demand = "demand"


class SubmitItemIn(BaseModel):
    """A record to create or replace (``upsert``) or a deletion (``delete`` with type and id)."""

    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(
        None,
        max_length=200,
        description="Client-supplied idempotency key: resubmitting it returns the first result.",
    )
    action: Literal["upsert", "delete"] = "upsert"
    record: Any = Field(
        None,
        description="The record (a standard JSON object); anything else is rejected per item.",
    )
    type: EntityKind | None = Field(None, description="Entity type of a deletion.")
    id: str | None = Field(None, max_length=256, description="Record id of a deletion.")


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[SubmitItemIn] = Field(max_length=MAX_BATCH_ITEMS)


class Message(BaseModel):
    zh: str
    en: str


class IssueOut(BaseModel):
    code: str
    name: str
    severity: str
    path: str
    message: Message


class ItemResultOut(BaseModel):
    status: Literal["accepted", "rejected"]
    key: str | None = None
    type: str | None = None
    id: str | None = None
    item_id: str | None = None
    modified: int | None = None
    unchanged: bool = False
    replayed: bool = False
    issues: list[IssueOut] = []


class BatchOut(BaseModel):
    accepted: int
    rejected: int
    results: list[ItemResultOut]


class FeedItem(BaseModel):
    id: str = Field(description="Feed item id: '<source system>/<record id>'.")
    modified: int = Field(description="Position of the change (microseconds, increasing).")
    state: Literal["updated", "deleted"]
    kind: str
    source_system: str
    record_id: str
    region: str
    data: dict[str, Any] | None = Field(None, description="The record; absent when deleted.")


class FeedPage(BaseModel):
    items: list[FeedItem]
    next: str = Field(description="URL of the next page; poll it again when items is empty.")
    license: str = "https://creativecommons.org/licenses/by/4.0/"


class Health(BaseModel):
    status: str
    schema_revision: str | None = None


class HoursLine(BaseModel):
    item_id: str
    source_system: str
    day: str
    organization: str
    start: str
    end: str
    hours: str
    counted: bool
    duplicate_of: str | None = None


class PersonOut(BaseModel):
    person: str
    volunteer: dict[str, Any]
    provenance: dict[str, Any]
    links: list[dict[str, str]]
    effective_hours: str
    star_level: int
    star_hours: str
    service_records: list[HoursLine]
    duplicates: list[HoursLine]
    points_balance: str


class LedgerEntryOut(BaseModel):
    entry_id: int
    kind: str
    points: str
    at: int
    counterparty: str | None = None
    memo: str | None = None
    sources: list[str]


class LedgerOut(BaseModel):
    person: str
    balance: str
    entries: list[LedgerEntryOut]


class RedeemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: str = Field(pattern=r"^[0-9]{1,9}(\.[0-9]{1,2})?$", description="Points, e.g. '2.50'.")
    memo: str | None = Field(None, max_length=200)
    key: str | None = Field(None, max_length=200, description="Idempotency key.")


class TransferIn(RedeemIn):
    to: str = Field(pattern=r"^P[0-9a-f]{32}$", description="The receiving person.")
