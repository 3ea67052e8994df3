"""Reading issued documents with what they owe: `show` and `list` for the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facturier.domain.codes import DocumentType
from facturier.domain.settlement import PaymentRecord, Settlement
from facturier.services.issuing import Issuer
from facturier.services.payments import payments_of, settlement_of, settlements_of
from facturier.storage.documents import StoredDocument


@dataclass(frozen=True, slots=True)
class Shown:
    stored: StoredDocument
    balance: Settlement
    payments: tuple[PaymentRecord, ...]


def show_document(issuer: Issuer, account_id: str, number: str) -> Shown:
    with issuer.db.reading(account_id) as tx:
        today = issuer.today(tx.profile())
        stored = tx.documents.get(number)
        return Shown(stored, settlement_of(tx, stored, today), tuple(payments_of(tx, stored)))


def list_documents(
    issuer: Issuer, account_id: str, document_type: DocumentType | None, limit: int, offset: int
) -> tuple[list[Any], dict[str, Settlement]]:
    """Summary rows (oldest first) and each one's balance and status, by number."""
    with issuer.db.reading(account_id) as tx:
        today = issuer.today(tx.profile())
        rows = tx.documents.summaries(document_type, limit, offset)
        return rows, settlements_of(tx, [r.number for r in rows], today)
