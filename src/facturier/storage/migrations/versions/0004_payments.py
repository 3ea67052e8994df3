"""Payments and refunds of issued invoices (payments), one row per `payment.recorded` event.

Append-only like the documents: triggers reject UPDATE and DELETE (and TRUNCATE on
PostgreSQL). See facturier.storage.payments and docs/payments.md.

Revision ID: 0004_payments
Revises: 0003_seller_profiles
"""

from alembic import op

from facturier.storage.payments import payments_metadata

revision = "0004_payments"
down_revision = "0003_seller_profiles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    payments_metadata.create_all(bind, checkfirst=True)
    if bind.dialect.name == "postgresql":  # facturier_reject_change() comes from 0001
        op.execute(
            "CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments "
            "FOR EACH ROW EXECUTE FUNCTION facturier_reject_change()"
        )
        op.execute(
            "CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments "
            "FOR EACH STATEMENT EXECUTE FUNCTION facturier_reject_change()"
        )
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER payments_no_{operation.lower()} BEFORE {operation} ON payments "
                f"BEGIN SELECT RAISE(ABORT, 'facturier: {operation} on payments is forbidden: "
                "issued records are immutable'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("issued records are never dropped")
