"""Seller profile versions (seller_profiles), append-only; version 1 of every existing account.

Protected against UPDATE and DELETE (and TRUNCATE on PostgreSQL) by triggers like the issued
records. Existing accounts get their current profile as version 1 (bound to the chain by
the next document issued or the next "seller.updated" event, which both record its SHA-256).
See facturier.storage.seller_profiles and docs/ledger.md.

Revision ID: 0003_seller_profiles
Revises: 0002_tax_facts
"""

import hashlib

from alembic import op
from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, text

from facturier.storage.immutable import protect

revision = "0003_seller_profiles"
down_revision = "0002_tax_facts"
branch_labels = None
depends_on = None

# The table as of this revision, frozen here (later changes go into new revisions).
snapshot = MetaData()
seller_profiles = Table(
    "seller_profiles",
    snapshot,
    Column("account_id", String(36), primary_key=True),
    Column("version", BigInteger, primary_key=True),
    Column("profile", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("ledger_seq", BigInteger, nullable=True),
    Column("recorded_at", String(32), nullable=False),
)


def upgrade() -> None:
    bind = op.get_bind()
    snapshot.create_all(bind, checkfirst=True)
    rows = bind.execute(text("SELECT id, profile, created_at FROM accounts")).all()
    if rows:
        bind.execute(
            seller_profiles.insert(),
            [
                {
                    "account_id": r.id,
                    "version": 1,
                    "profile": r.profile,
                    "sha256": hashlib.sha256(r.profile.encode()).hexdigest(),
                    "ledger_seq": None,
                    "recorded_at": r.created_at,
                }
                for r in rows
            ],
        )
    protect("seller_profiles")  # append-only, like the issued records


def downgrade() -> None:
    raise NotImplementedError("issued records are never dropped")
