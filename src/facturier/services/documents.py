"""Reading issued documents with what they owe: `show` and `list` for the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facturier.domain.codes import DocumentType
from facturier.domain.settlement import PaymentRecord, Settlement, Status
from facturier.services.issuing import Issuer
from facturier.services.payments import payments_of, settlement_of, settlements_of
from facturier.storage.database import Transaction
from facturier.storage.documents import DocumentFilter, StoredDocument
from facturier.storage.payments import PaymentRepository


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


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Any]  # summary rows (storage.documents), oldest first
    balances: dict[str, Settlement]  # by number
    next_after: int | None  # the cursor of the next page (a ledger position), None at the end
    payments: dict[str, list[PaymentRecord]] | None = None  # by document id, when asked for


def page_documents(
    issuer: Issuer,
    account_id: str,
    where: DocumentFilter,
    after: int = 0,
    limit: int = 50,
    statuses: frozenset[Status] = frozenset(),
    with_payments: bool = False,
) -> Page:
    """A page of documents with their balance, filtered in the database and then by status
    (derived from payments, credit notes and the due date, so read in chunks until the page
    is full). The cursor is the ledger position of the last row looked at."""
    found: list[Any] = []
    balances: dict[str, Settlement] = {}
    with issuer.db.reading(account_id) as tx:
        today = issuer.today(tx.profile())
        while len(found) < limit:
            rows = tx.documents.page(where, after, CHUNK if statuses else limit - len(found))
            if not rows:
                return Page(found, balances, None, _payments(tx, found) if with_payments else None)
            chunk = settlements_of(tx, [r.number for r in rows], today)
            for row in rows:
                after = int(row.ledger_seq)
                balance = chunk.get(row.number)
                if statuses and (balance is None or balance.status not in statuses):
                    continue
                found.append(row)
                if balance is not None:
                    balances[row.number] = balance
                if len(found) == limit:
                    break
        more = bool(tx.documents.page(where, after, 1))
        paid = _payments(tx, found) if with_payments else None
    return Page(found, balances, after if more else None, paid)


def _payments(tx: Transaction, rows: list[Any]) -> dict[str, list[PaymentRecord]]:
    return PaymentRepository(tx.conn, tx.account_id).for_documents([str(r.id) for r in rows])


CHUNK = 200  # rows read at a time when filtering by status
