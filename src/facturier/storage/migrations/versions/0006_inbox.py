"""The inbox of received supplier e-invoices (inbox), one row per distinct file per account.

Working state, not evidence of our own issuing: the files are kept in the blob store by
SHA-256 and never changed, but the rows are not chained in the ledger. See
facturier.storage.inbox and docs/inbox.md.

Revision ID: 0006_inbox
Revises: 0005_service
"""

from alembic import op

from facturier.storage.inbox import inbox_metadata

revision = "0006_inbox"
down_revision = "0005_service"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inbox_metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    inbox_metadata.drop_all(op.get_bind())
