"""Payments and refunds of issued invoices (append-only), each chained in the ledger.

One row per `payment.recorded` ledger event (`ledger_seq`), written in the transaction that
appends it, under the chain lock. The row's columns are the hashed event's `details`, so
`facturier verify` catches any change. Created by migration 0004; UPDATE and DELETE are
rejected by triggers like the documents.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, Date, Index, MetaData, String, Table, select
from sqlalchemy.engine import Connection

from facturier.domain.settlement import PaymentKind, PaymentRecord
from facturier.storage.tables import ExactDecimal

payments_metadata = MetaData()

payments = Table(
    "payments",
    payments_metadata,
    Column("account_id", String(36), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("document_id", String(36), nullable=False),
    Column("number", String(64), nullable=False),
    Column("kind", String(8), nullable=False),  # payment | refund
    Column("amount", ExactDecimal, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("method", String(64), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("payer", String(200), nullable=False),
    Column("source", String(32), nullable=False),
    Column("ledger_seq", BigInteger, nullable=False),
)
Index("ix_payments_document", payments.c.account_id, payments.c.document_id)
Index("ix_payments_seq", payments.c.account_id, payments.c.ledger_seq, unique=True)

# The ledger event details (and so the hashed form) of a payment, in this order.
DETAIL_KEYS = ("payment_id", "kind", "amount", "currency", "paid_on", "method", "reference", "payer", "source")


def details(p: PaymentRecord) -> tuple[tuple[str, str], ...]:
    values = (p.id, p.kind.value, str(p.amount), p.currency, p.paid_on.isoformat(), p.method, p.reference)
    return tuple(zip(DETAIL_KEYS, (*values, p.payer, p.source), strict=True))


class PaymentRepository:
    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id

    def add(self, payment: PaymentRecord, document_id: str, ledger_seq: int) -> None:
        self.conn.execute(
            payments.insert().values(
                account_id=self.account_id,
                id=payment.id,
                document_id=document_id,
                number=payment.number,
                kind=payment.kind.value,
                amount=payment.amount,
                currency=payment.currency,
                paid_on=payment.paid_on,
                method=payment.method,
                reference=payment.reference,
                payer=payment.payer,
                source=payment.source,
                ledger_seq=ledger_seq,
            )
        )

    def for_document(self, document_id: str) -> list[PaymentRecord]:
        p = payments
        rows = self.conn.execute(
            select(p).where(p.c.account_id == self.account_id, p.c.document_id == document_id).order_by(p.c.ledger_seq)
        )
        return [_record(r) for r in rows]

    def for_documents(self, document_ids: list[str]) -> dict[str, list[PaymentRecord]]:
        """Payments of several documents at once (for `list`), by document id."""
        p, found = payments, {}
        for start in range(0, len(document_ids), 500):
            chunk = document_ids[start : start + 500]
            query = select(p).where(p.c.account_id == self.account_id, p.c.document_id.in_(chunk))
            for r in self.conn.execute(query.order_by(p.c.ledger_seq)):
                found.setdefault(str(r.document_id), []).append(_record(r))
        return found


def _record(r: Any) -> PaymentRecord:
    return PaymentRecord(
        id=r.id,
        number=r.number,
        kind=PaymentKind(r.kind),
        amount=Decimal(r.amount),
        currency=r.currency,
        paid_on=r.paid_on if isinstance(r.paid_on, date) else date.fromisoformat(str(r.paid_on)),
        method=r.method,
        reference=r.reference,
        payer=r.payer,
        source=r.source,
    )
