"""Per-document VAT facts: where each VAT group of an issued document is taxed (append-only).

One row per (document, VAT category, rate) group of an invoice, credit note, corrective or
down-payment invoice issued from an order, keyed by the document's source id (the order's
idempotency key): the member state whose VAT applies, the reporting scheme (OSS
"union" / "import"), the amounts as printed and in EUR, and the part of the taxable amount that
is a cross-border B2C distance sale counted for the EUR 10,000 threshold (Directive 2006/112/EC
art. 59c). Written in the transaction that issues the document, so the threshold history read
by the next order (under the same chain lock) always includes it. The row is written with the
draft, just before `issue_in` numbers it, so any issuing path built on
`drafting.request_for_order` records it; reads join the documents table on the source id, so
a row whose document was not issued (a caller that swallowed the error) counts for nothing.
Created by migration 0002; protected against UPDATE and DELETE by triggers like the documents.

The table has its own `MetaData`, created by migration 0002 (0001 creates its own frozen
snapshot of the first schema; `test_migrations_build_the_schema_the_code_uses` checks both).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, Index, MetaData, String, Table, func, select
from sqlalchemy.engine import Connection

from facturier.domain.canonical import canonical_bytes
from facturier.storage import tables
from facturier.storage.tables import ExactDecimal

tax_metadata = MetaData()

tax_facts = Table(
    "tax_facts",
    tax_metadata,
    Column("account_id", String(36), primary_key=True),
    Column("source_id", String(128), primary_key=True),  # documents.source_id
    Column("category", String(4), primary_key=True),
    Column("rate", String(16), primary_key=True),  # exact text of the rate, e.g. "19.0"
    Column("document_type", String(10), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("vat_country", String(2), nullable=False),  # the state whose VAT applies
    Column("vat_territory", String(8), nullable=True),
    Column("scheme", String(16), nullable=False),  # "union", "import", "non-union" or ""
    Column("taxable", ExactDecimal, nullable=False),  # BT-116 as printed (document currency)
    Column("vat", ExactDecimal, nullable=False),  # BT-117 as printed
    Column("eur_rate", String(24), nullable=False),  # units of the currency per EUR ("1" for EUR)
    Column("taxable_eur", ExactDecimal, nullable=False),
    Column("vat_eur", ExactDecimal, nullable=False),
    Column("distance_eur", ExactDecimal, nullable=False),  # counted for the EUR 10,000 threshold
)
Index("ix_tax_facts_date", tax_facts.c.account_id, tax_facts.c.issue_date)

# Document types (UNTDID 1001) that carry VAT facts; credit notes subtract.
TAXED_TYPES = ("380", "381", "384", "386")
CREDIT_NOTE = "381"


@dataclass(frozen=True, slots=True)
class TaxFact:
    source_id: str
    number: str  # "" until read back joined with its document
    document_type: str
    issue_date: date
    currency: str
    category: str
    rate: Decimal
    vat_country: str
    vat_territory: str | None
    scheme: str
    taxable: Decimal
    vat: Decimal
    eur_rate: Decimal
    taxable_eur: Decimal
    vat_eur: Decimal
    distance_eur: Decimal

    @property
    def sign(self) -> int:
        return -1 if self.document_type == CREDIT_NOTE else 1


@dataclass(frozen=True, slots=True)
class UntaxedDocument:
    """An issued document of a taxed type without facts (issued outside `issue_order`)."""

    id: str
    number: str
    source_id: str | None
    canonical: bytes


def digest(facts: Sequence[TaxFact]) -> str:
    """SHA-256 of a document's facts in canonical form (hashed in its `document.issued` event).

    The number is left out (it is a join, not a stored column); order is (category, rate).
    `verify` recomputes it from the stored rows.
    """
    rows = sorted((replace(f, number="") for f in facts), key=lambda f: (f.category, str(f.rate)))
    return hashlib.sha256(canonical_bytes(tuple(rows))).hexdigest()


class TaxFactsRepository:
    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id

    def add(self, facts: Iterable[TaxFact]) -> None:
        rows = [self._row(f) for f in facts]
        if rows:
            self.conn.execute(tax_facts.insert(), rows)

    def _row(self, f: TaxFact) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "source_id": f.source_id,
            "category": f.category,
            "rate": str(f.rate),
            "document_type": f.document_type,
            "issue_date": f.issue_date,
            "currency": f.currency,
            "vat_country": f.vat_country,
            "vat_territory": f.vat_territory,
            "scheme": f.scheme,
            "taxable": f.taxable,
            "vat": f.vat,
            "eur_rate": str(f.eur_rate),
            "taxable_eur": f.taxable_eur,
            "vat_eur": f.vat_eur,
            "distance_eur": f.distance_eur,
        }

    def _joined(self, *where: Any) -> list[TaxFact]:
        t, d = tax_facts, tables.documents
        query = (
            select(t, d.c.number)
            .join(d, (d.c.account_id == t.c.account_id) & (d.c.source_id == t.c.source_id))
            .where(t.c.account_id == self.account_id, *where)
            .order_by(t.c.issue_date, d.c.ledger_seq, t.c.category, t.c.rate)
        )
        return [self._fact(r) for r in self.conn.execute(query)]

    def between(self, start: date, end: date) -> list[TaxFact]:
        """Facts of the taxed document types (not quotes) issued in [start, end]."""
        t = tax_facts
        return self._joined(t.c.issue_date >= start, t.c.issue_date <= end, t.c.document_type.in_(TAXED_TYPES))

    def for_source(self, source_id: str) -> list[TaxFact]:
        return self._joined(tax_facts.c.source_id == source_id)

    def distance_totals(self, start: date, end: date) -> list[tuple[date, Decimal, str]]:
        """(issue date, counted EUR amount, document type) of every row with a distance sale."""
        t, d = tax_facts, tables.documents
        query = (
            select(t.c.issue_date, t.c.distance_eur, t.c.document_type)
            .join(d, (d.c.account_id == t.c.account_id) & (d.c.source_id == t.c.source_id))
            .where(
                t.c.account_id == self.account_id,
                t.c.issue_date >= start,
                t.c.issue_date <= end,
                t.c.document_type.in_(TAXED_TYPES),
                t.c.distance_eur != Decimal("0.00"),
            )
        )
        return [(r.issue_date, Decimal(r.distance_eur), str(r.document_type)) for r in self.conn.execute(query)]

    def untaxed(self, start: date, end: date, types: Sequence[str] = TAXED_TYPES) -> list[UntaxedDocument]:
        """Documents of `types` issued in [start, end] that have no facts (no source id, or none recorded)."""
        d, t = tables.documents, tax_facts
        has_facts = (
            select(func.count())
            .where(t.c.account_id == d.c.account_id, t.c.source_id == d.c.source_id)
            .correlate(d)
            .scalar_subquery()
        )
        query = (
            select(d.c.id, d.c.number, d.c.source_id, d.c.canonical)
            .where(
                d.c.account_id == self.account_id,
                d.c.issue_date >= start,
                d.c.issue_date <= end,
                d.c.document_type.in_(types),
                (d.c.source_id.is_(None)) | (has_facts == 0),
            )
            .order_by(d.c.ledger_seq)
        )
        return [UntaxedDocument(r.id, r.number, r.source_id, bytes(r.canonical)) for r in self.conn.execute(query)]

    def _fact(self, r: Any) -> TaxFact:
        return TaxFact(
            source_id=r.source_id,
            number=r.number,
            document_type=r.document_type,
            issue_date=r.issue_date,
            currency=r.currency,
            category=r.category,
            rate=Decimal(r.rate),
            vat_country=r.vat_country,
            vat_territory=r.vat_territory,
            scheme=r.scheme,
            taxable=Decimal(r.taxable),
            vat=Decimal(r.vat),
            eur_rate=Decimal(r.eur_rate),
            taxable_eur=Decimal(r.taxable_eur),
            vat_eur=Decimal(r.vat_eur),
            distance_eur=Decimal(r.distance_eur),
        )
