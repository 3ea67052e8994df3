"""The service's tables: API keys, idempotent requests, jobs (the outbox), outbound webhooks.

These rows are working state, not evidence: they are not protected like the issued records.
See facturier.storage.service_tables, docs/api.md and docs/jobs.md.

Revision ID: 0005_service
Revises: 0004_payments
"""

from alembic import op

from facturier.storage.service_tables import service_metadata

revision = "0005_service"
down_revision = "0004_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    service_metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    service_metadata.drop_all(op.get_bind())
