"""The unit of work: one transaction, scoped to one seller account.

    db = Database(engine, blobs)
    with db.transaction(account_id) as tx:     # commits on success, rolls back on error
        number = tx.numbering.allocate(DocumentType.INVOICE, issue_date)
        ...

Every repository reached through `tx` filters on `tx.account_id`: a query cannot see
another seller's records.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from facturier.archive.store import FileBlobStore
from facturier.domain.canonical import canonical_bytes, from_canonical
from facturier.domain.errors import NotFound
from facturier.domain.seller import SellerProfile
from facturier.storage import migrate, tables
from facturier.storage.documents import DocumentRepository
from facturier.storage.jobs import Outbox, SqlJobQueue
from facturier.storage.ledger import Ledger
from facturier.storage.numbering import Numbering
from facturier.storage.seller_profiles import SellerProfiles


class Transaction:
    def __init__(self, conn: Connection, account_id: str, blobs: FileBlobStore, queue: SqlJobQueue) -> None:
        self.conn = conn
        self.account_id = account_id
        self.blobs = blobs
        self.ledger = Ledger(conn, account_id)
        self.numbering = Numbering(conn, account_id)
        self.documents = DocumentRepository(conn, account_id, blobs)
        self.seller_profiles = SellerProfiles(conn, account_id)
        self.outbox = Outbox(conn, account_id, queue)  # jobs and events that commit with this transaction

    def flush(self) -> None:
        """Write what the repositories buffered; runs before every commit."""
        self.numbering.flush()
        self.ledger.flush()
        self.documents.flush()
        self.blobs.sync()  # archived files are on disk before the records that name them commit

    def profile(self) -> SellerProfile:
        row = self.conn.execute(select(tables.accounts.c.profile).where(tables.accounts.c.id == self.account_id)).one()
        return from_canonical(SellerProfile, row.profile.encode())


class Database:
    def __init__(self, engine: Engine, blobs: FileBlobStore) -> None:
        self.engine = engine
        self.blobs = blobs
        self.jobs = SqlJobQueue(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self) -> None:
        migrate.upgrade(self.engine)

    @contextmanager
    def transaction(self, account_id: str) -> Iterator[Transaction]:
        with self.engine.begin() as conn:
            tx = Transaction(conn, account_id, self.blobs, self.jobs)
            yield tx
            tx.flush()

    @contextmanager
    def reading(self, account_id: str) -> Iterator[Transaction]:
        """A read-only transaction (on SQLite a plain deferred BEGIN, no writer lock)."""
        with self.engine.connect().execution_options(facturier_readonly=True) as conn, conn.begin():
            yield Transaction(conn, account_id, self.blobs, self.jobs)

    # --- accounts -------------------------------------------------------------------------

    def create_account(self, slug: str, profile: SellerProfile, created_at: str) -> str:
        account_id = str(uuid.uuid4())
        canonical = canonical_bytes(profile).decode()
        with self.engine.begin() as conn:
            conn.execute(
                tables.accounts.insert().values(id=account_id, slug=slug, profile=canonical, created_at=created_at)
            )
            # version 1 of the profile, chained by the first event that names it (storage/seller_profiles.py)
            SellerProfiles(conn, account_id).add(1, canonical, created_at, None)
            Ledger(conn, account_id).create_head()
            Numbering(conn, account_id).create_series(profile.series)
        return account_id

    def account_id(self, slug: str) -> str:
        with self.engine.connect() as conn:
            row = conn.execute(select(tables.accounts.c.id).where(tables.accounts.c.slug == slug)).first()
        if row is None:
            raise NotFound(f"no seller account {slug!r}: run `facturier init` first")
        return str(row.id)

    def account_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [str(r.id) for r in conn.execute(select(tables.accounts.c.id).order_by(tables.accounts.c.slug))]

    def has_account(self, slug: str) -> bool:
        try:
            self.account_id(slug)
        except NotFound:
            return False
        return True
