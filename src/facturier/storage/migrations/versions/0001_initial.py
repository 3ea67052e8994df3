"""Initial schema: accounts, series and counters, documents, ledger, artefacts.

Issued records (documents, ledger, artefacts) are protected by triggers that reject
UPDATE and DELETE (and TRUNCATE on PostgreSQL): immutability is enforced by the database,
not only by the application (ARCHITECTURE.md, "Tamper-evident ledger").

Revision ID: 0001
Revises:
"""

from alembic import op
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from facturier.storage.tables import ExactDecimal

IMMUTABLE_TABLES = ("documents", "ledger", "artefacts")

# The schema as of this revision, frozen here: later changes to storage/tables.py go into new
# revisions and never change what this one creates.
snapshot = MetaData()

accounts = Table(
    "accounts",
    snapshot,
    Column("id", String(36), primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("profile", Text, nullable=False),  # canonical JSON of the SellerProfile
    Column("created_at", String(32), nullable=False),
)

series = Table(
    "series",
    snapshot,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("key", String(32), primary_key=True),
    Column("pattern", String(64), nullable=False),
    Column("yearly_reset", Boolean, nullable=False),
    Column("last_issue_date", Date, nullable=True),
)

counters = Table(
    "counters",
    snapshot,
    Column("account_id", String(36), primary_key=True),
    Column("series_key", String(32), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)

documents = Table(
    "documents",
    snapshot,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("number", String(64), nullable=False),
    Column("series_key", String(32), nullable=False),
    Column("document_type", String(10), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("buyer_name", String(200), nullable=False),
    Column("tax_inclusive", ExactDecimal, nullable=False),
    Column("payable", ExactDecimal, nullable=False),
    Column("source_id", String(128), nullable=True),
    Column("preceding_number", String(64), nullable=True),
    Column("order_reference", String(128), nullable=True),
    Column("canonical", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("ledger_seq", BigInteger, nullable=False),
    UniqueConstraint("account_id", "number", name="uq_documents_number"),
    UniqueConstraint("account_id", "source_id", name="uq_documents_source"),
    UniqueConstraint("account_id", "ledger_seq", name="uq_documents_ledger_seq"),
)
Index("ix_documents_date", documents.c.account_id, documents.c.issue_date)
Index("ix_documents_preceding", documents.c.account_id, documents.c.preceding_number)
Index("ix_documents_order", documents.c.account_id, documents.c.order_reference)

ledger_heads = Table(
    "ledger_heads",
    snapshot,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

ledger = Table(
    "ledger",
    snapshot,
    Column("account_id", String(36), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("document_id", String(36), nullable=True),
    Column("payload", LargeBinary, nullable=False),  # canonical JSON of the LedgerEvent
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

artefacts = Table(
    "artefacts",
    snapshot,
    Column("account_id", String(36), primary_key=True),
    Column("document_id", String(36), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("media_type", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("ledger_seq", BigInteger, nullable=False),
)

Index("ix_artefacts_seq", artefacts.c.account_id, artefacts.c.ledger_seq)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION facturier_reject_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'facturier: % on %.% is forbidden: issued records are immutable',
    TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'raise_exception';
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    bind = op.get_bind()
    snapshot.create_all(bind)
    if bind.dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for table in IMMUTABLE_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION facturier_reject_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION facturier_reject_change()"
            )
    else:
        for table in IMMUTABLE_TABLES:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'facturier: {operation} on {table} is forbidden: "
                    "issued records are immutable'); END"
                )


def downgrade() -> None:
    raise NotImplementedError("issued records are never dropped")
