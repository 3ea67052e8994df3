"""SQLAlchemy Core tables. Rows are not domain objects: repositories map them to values.

Every table carries `account_id` (the seller account) and every query filters on it.
`documents`, `ledger` and `artefacts` are append-only: triggers created by the initial
migration reject UPDATE and DELETE on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

metadata = MetaData()


class ExactDecimal(TypeDecorator[Decimal]):
    """Money columns: NUMERIC(18, 2) on PostgreSQL, TEXT on SQLite (whose NUMERIC is a float).

    The figures are read back as Decimal, exactly as written, on both engines.
    """

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("profile", Text, nullable=False),  # canonical JSON of the SellerProfile
    Column("created_at", String(32), nullable=False),
)

series = Table(
    "series",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("key", String(32), primary_key=True),
    Column("pattern", String(64), nullable=False),
    Column("yearly_reset", Boolean, nullable=False),
    Column("last_issue_date", Date, nullable=True),
)

counters = Table(
    "counters",
    metadata,
    Column("account_id", String(36), primary_key=True),
    Column("series_key", String(32), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)

documents = Table(
    "documents",
    metadata,
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
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

ledger = Table(
    "ledger",
    metadata,
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
    metadata,
    Column("account_id", String(36), primary_key=True),
    Column("document_id", String(36), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("media_type", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("ledger_seq", BigInteger, nullable=False),
)

Index("ix_artefacts_seq", artefacts.c.account_id, artefacts.c.ledger_seq)

IMMUTABLE_TABLES = ("documents", "ledger", "artefacts", "seller_profiles")  # + migrations 0002, 0003
