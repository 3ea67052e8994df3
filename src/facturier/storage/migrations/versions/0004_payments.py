"""Payments and refunds of issued invoices (payments), one row per `payment.recorded` event.

Append-only like the documents: triggers reject UPDATE and DELETE (and TRUNCATE on
PostgreSQL). See facturier.storage.payments and docs/payments.md.

Revision ID: 0004_payments
Revises: 0003_seller_profiles
"""

from alembic import op

from facturier.storage.immutable import protect
from facturier.storage.payments import payments_metadata

revision = "0004_payments"
down_revision = "0003_seller_profiles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    payments_metadata.create_all(bind, checkfirst=True)
    protect("payments")  # append-only, like the issued records


def downgrade() -> None:
    raise NotImplementedError("issued records are never dropped")
