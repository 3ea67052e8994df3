"""Customers: the buyers a seller stores once and names in its orders (docs/customers.md).

Working data, not evidence: rows change and may be deleted; issued documents keep their own
copy of the buyer. See facturier.storage.customers.

Revision ID: 0007_customers
Revises: 0006_inbox
"""

from alembic import op

from facturier.storage.customers import customers_metadata

revision = "0007_customers"
down_revision = "0006_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    customers_metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    customers_metadata.drop_all(op.get_bind())
