"""The inbox: e-invoices received from suppliers, one row per distinct file per account.

The file itself is kept in the content-addressed blob store (`sha256` names it); the row holds
what was read from it (seller, BT-1 number, BT-2 date, BT-5 currency, BT-112 total) so the
inbox can be listed without parsing every file again, and the validation report as it was
when the file arrived. Created by migration 0006.

Why the unique (account_id, sha256): a supplier, a platform or a retrying client sends the
same bytes again; the inbox keeps them once, and `add` says whether the row is new, even when
two requests race (INSERT ... ON CONFLICT DO NOTHING on both engines).

The columns read from the file are free text (TEXT, not VARCHAR(n)): a received file is kept
whatever its quality, so a 300-character supplier name must not make PostgreSQL refuse the
row. The total is kept as the exact text of the decimal (never a float, never rounded to the
column's scale), because a file failing BR-DEC may state more decimals than NUMERIC(18, 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Column, Date, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

inbox_metadata = MetaData()

inbox = Table(
    "inbox",
    inbox_metadata,
    Column("account_id", String(36), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("received_at", String(32), nullable=False),  # service_tables.stamp(): fixed width, sorts as text
    Column("filename", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("syntax", String(16), nullable=False),  # cii | ubl | facturx-pdf
    Column("ok", Boolean, nullable=False),  # every check passed and the model could read it
    Column("seller_name", Text, nullable=True),  # BT-27
    Column("seller_vat_id", Text, nullable=True),  # BT-31
    Column("number", Text, nullable=True),  # BT-1
    Column("issue_date", Date, nullable=True),  # BT-2
    Column("currency", Text, nullable=True),  # BT-5
    Column("total", Text, nullable=True),  # BT-112 as the exact decimal text
    Column("report", Text, nullable=False),  # the validation report (JSON) at reception
    UniqueConstraint("account_id", "sha256", name="uq_inbox_sha256"),
)
Index("ix_inbox_received", inbox.c.account_id, inbox.c.received_at)


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One received file and what was read from it; the read fields are None when unreadable."""

    id: str
    received_at: str
    filename: str
    media_type: str
    size: int
    sha256: str
    syntax: str
    ok: bool
    seller_name: str | None
    seller_vat_id: str | None
    number: str | None
    issue_date: date | None
    currency: str | None
    total: str | None
    report: str


class InboxStore:
    """The inbox of one account, on its caller's connection: every query filters on account_id."""

    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id

    def add(self, entry: InboxEntry) -> bool:
        """Insert `entry`; False (nothing written) if the account already has a file with its SHA-256."""
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        values = {name: getattr(entry, name) for name in InboxEntry.__slots__}
        statement = dialect.insert(inbox).values(account_id=self.account_id, **values)
        statement = statement.on_conflict_do_nothing(index_elements=["account_id", "sha256"])
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT (see storage/webhooks.py)
        return self.conn.execute(statement.returning(inbox.c.id)).first() is not None

    def get(self, entry_id: str) -> InboxEntry | None:
        row = self.conn.execute(select(inbox).where(inbox.c.account_id == self.account_id, inbox.c.id == entry_id))
        found = row.first()
        return None if found is None else _entry(found)

    def by_sha256(self, sha256: str) -> InboxEntry | None:
        query = select(inbox).where(inbox.c.account_id == self.account_id, inbox.c.sha256 == sha256)
        found = self.conn.execute(query).first()
        return None if found is None else _entry(found)

    def entries(self, limit: int, offset: int, ok: bool | None = None) -> list[InboxEntry]:
        """Newest first; only the valid ones (ok=True) or only the others (ok=False) if asked."""
        query = select(inbox).where(inbox.c.account_id == self.account_id)
        if ok is not None:
            query = query.where(inbox.c.ok == ok)
        query = query.order_by(inbox.c.received_at.desc(), inbox.c.id).limit(limit).offset(offset)
        return [_entry(r) for r in self.conn.execute(query)]


def _entry(r: Any) -> InboxEntry:
    issued = r.issue_date
    if issued is not None and not isinstance(issued, date):
        issued = date.fromisoformat(str(issued))
    values = {name: getattr(r, name) for name in InboxEntry.__slots__}
    return InboxEntry(**{**values, "ok": bool(r.ok), "size": int(r.size), "issue_date": issued})
