"""The hub's first schema: records, feeds, tokens, quality, identity links, ledger, audit.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_clock",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO hub_clock (id, value) VALUES (1, 0)")
    op.create_table(
        "records",
        sa.Column("entity_type", sa.String(32), primary_key=True),
        sa.Column("item_id", sa.String(320), primary_key=True),
        sa.Column("source_system", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(256), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("volunteer_ref", sa.String(256), nullable=True),
        sa.Column("modified", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=True),
        sa.Column("sensitive", sa.Boolean, nullable=False),
    )
    op.create_index("ix_records_feed", "records", ["entity_type", "modified", "item_id"])
    op.create_index("ix_records_volunteer", "records", ["source_system", "volunteer_ref"])
    op.create_table(
        "submissions",
        sa.Column("source_system", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("source_system", sa.String(64), nullable=False),
        sa.Column("scopes", sa.JSON, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_table(
        "systems",
        sa.Column("source_system", sa.String(64), primary_key=True),
        sa.Column("last_sync", sa.BigInteger, nullable=False),
        sa.Column("accepted", sa.BigInteger, nullable=False),
        sa.Column("rejected", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "quality",
        sa.Column("source_system", sa.String(64), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("count", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "identity_links",
        sa.Column("source_system", sa.String(64), primary_key=True),
        sa.Column("volunteer_id", sa.String(256), primary_key=True),
        sa.Column("person", sa.String(64), nullable=False),
    )
    op.create_index("ix_identity_links_person", "identity_links", ["person"])
    op.create_table(
        "ledger",
        sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cents", sa.BigInteger, nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("counterparty", sa.String(64), nullable=True),
        sa.Column("memo", sa.String(200), nullable=True),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("key", sa.String(200), nullable=True, unique=True),
    )
    op.create_index("ix_ledger_person", "ledger", ["person"])
    op.create_table(
        "audit",
        sa.Column("audit_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("token_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity_type", sa.String(32), nullable=True),
        sa.Column("item_ids", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "audit",
        "ledger",
        "identity_links",
        "quality",
        "systems",
        "tokens",
        "submissions",
        "records",
        "hub_clock",
    ):
        op.drop_table(name)
