"""Per-document VAT facts (tax_facts): VAT country, OSS scheme, EUR amounts, threshold base.

Append-only like the documents: triggers reject UPDATE and DELETE (and TRUNCATE on
PostgreSQL). See facturier.storage.tax_facts and docs/tax/issuing.md.

Revision ID: 0002_tax_facts
Revises: 0001
"""

from alembic import op

from facturier.storage.immutable import protect
from facturier.storage.tax_facts import tax_metadata

revision = "0002_tax_facts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    tax_metadata.create_all(bind, checkfirst=True)
    protect("tax_facts")  # append-only, like the issued records


def downgrade() -> None:
    raise NotImplementedError("issued records are never dropped")
