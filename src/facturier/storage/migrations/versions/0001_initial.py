"""Initial schema: accounts, series and counters, documents, ledger, artefacts.

Issued records (documents, ledger, artefacts) are protected by triggers that reject
UPDATE and DELETE (and TRUNCATE on PostgreSQL): immutability is enforced by the database,
not only by the application (ARCHITECTURE.md, "Tamper-evident ledger").

Revision ID: 0001
Revises:
"""

from alembic import op

from facturier.storage.tables import IMMUTABLE_TABLES, metadata

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
    metadata.create_all(bind)
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
