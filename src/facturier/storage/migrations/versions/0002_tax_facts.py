"""Per-document VAT facts (tax_facts): VAT country, OSS scheme, EUR amounts, threshold base.

Append-only like the documents: triggers reject UPDATE and DELETE (and TRUNCATE on
PostgreSQL). See facturier.storage.tax_facts and docs/tax/issuing.md.

Revision ID: 0002_tax_facts
Revises: 0001
"""

from alembic import op

from facturier.storage.tax_facts import tax_metadata

revision = "0002_tax_facts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    tax_metadata.create_all(bind, checkfirst=True)
    if bind.dialect.name == "postgresql":  # facturier_reject_change() comes from 0001
        op.execute(
            "CREATE TRIGGER tax_facts_immutable BEFORE UPDATE OR DELETE ON tax_facts "
            "FOR EACH ROW EXECUTE FUNCTION facturier_reject_change()"
        )
        op.execute(
            "CREATE TRIGGER tax_facts_no_truncate BEFORE TRUNCATE ON tax_facts "
            "FOR EACH STATEMENT EXECUTE FUNCTION facturier_reject_change()"
        )
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER tax_facts_no_{operation.lower()} BEFORE {operation} ON tax_facts "
                f"BEGIN SELECT RAISE(ABORT, 'facturier: {operation} on tax_facts is forbidden: "
                "issued records are immutable'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("issued records are never dropped")
