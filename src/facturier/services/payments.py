"""Payments are records: `record_payment` is the one use case for a payment or a refund.

A payment (amount, date, method, reference, payer, source) of an issued invoice is stored
(storage.payments) and chained in the ledger (`payment.recorded`, its `details` are the row),
under the chain lock, in one transaction. What the invoice then owes is computed from the
invoice, its credit notes and its payments (domain.settlement). The issued invoice never
changes; the payment's PDF is a derived artefact hashed in the same event:
- settled (nothing remains): the paid copy, "facture acquittée", with every payment and the
  PAID / ACQUITTÉE mark, and no deadline, remaining amount or bank details;
- partly paid: a payment receipt that states what remains and by when;
- a refund: no PDF (the credit note, when there is one, is the document).
An over-payment is recorded in full: what exceeds the balance is the customer's credit.

Refused, with nothing written: a document that is not an invoice (380, 384, 386), a payment
dated before the invoice or after today (the seller's calendar), an amount that is not
positive or has more decimals than the currency has (ISO 4217), a payment when nothing
remains and no amount is given, a refund of more than was received.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from facturier.domain.codes import PaymentMeansCode
from facturier.domain.errors import invalid
from facturier.domain.events import ArtefactRef, LedgerEvent
from facturier.domain.pricing import amount_places
from facturier.domain.seller import SellerProfile
from facturier.domain.settlement import PaymentKind, PaymentRecord, Settlement, settlement
from facturier.rendering import PaidStamp, Payment
from facturier.services.artefacts import PDF_TYPE, paid_pdf, theme_for
from facturier.services.credit import credited_so_far
from facturier.services.issuing import Issuer
from facturier.storage.database import Transaction
from facturier.storage.documents import StoredDocument
from facturier.storage.payments import PaymentRepository, details

RECORDED = "payment.recorded"
METHODS: dict[str, PaymentMeansCode] = {
    "transfer": PaymentMeansCode.CREDIT_TRANSFER,
    "sepa_transfer": PaymentMeansCode.SEPA_CREDIT_TRANSFER,
    "direct_debit": PaymentMeansCode.SEPA_DIRECT_DEBIT,
    "card": PaymentMeansCode.CARD,
    "cash": PaymentMeansCode.CASH,
    "cheque": PaymentMeansCode.CHEQUE,
}


@dataclass(frozen=True, slots=True)
class PaymentInput:
    number: str  # the invoice
    paid_on: date
    method: str  # a METHODS name or a label printed as is (e.g. "PayPal")
    amount: Decimal | None = None  # None: everything that remains
    reference: str = ""
    payer: str = ""
    source: str = "manual"
    kind: PaymentKind = PaymentKind.PAYMENT


@dataclass(frozen=True, slots=True)
class Recorded:
    stored: StoredDocument  # the invoice, unchanged
    payment: PaymentRecord
    settlement: Settlement  # after this payment
    ledger_seq: int
    artefact: ArtefactRef | None = None  # the paid copy or the receipt (None for a refund)
    payments: tuple[PaymentRecord, ...] = field(default=())  # every payment so far, this one last


def record_payment(issuer: Issuer, account_id: str, given: PaymentInput) -> Recorded:
    """Record a payment or a refund of invoice `given.number` (see the module docstring)."""
    if not given.method.strip():
        raise invalid("PAYMENT-METHOD", "method", f"a payment method is needed ({', '.join(METHODS)} or a label)")
    with issuer.db.transaction(account_id) as tx:
        tx.ledger.lock()  # payments of one account are serialised: "what remains" cannot race
        profile = tx.profile()
        today = issuer.today(profile)
        stored = tx.documents.get(given.number)
        _check_payable(stored)
        repo = PaymentRepository(tx.conn, account_id)
        earlier = repo.for_document(stored.id)
        credits = credited_so_far(tx, given.number)
        before = settlement(stored.document, credits, earlier, today)
        record = _record(stored, given, before, today)
        payments = (*earlier, record)
        after = settlement(stored.document, credits, payments, today)
        ref = _pdf(tx, profile, stored, payments, after) if record.kind is PaymentKind.PAYMENT else None
        event = tx.ledger.append(_event(stored, record, ref, issuer))
        repo.add(record, stored.id, event.seq)
        if ref is not None:
            tx.documents.add_artefacts(stored.id, (ref,), event.seq)
        _announce(tx, stored, record, before, after, issuer.clock())
    return Recorded(stored, record, after, event.seq, ref, payments)


def _announce(
    tx: Transaction, stored: StoredDocument, record: PaymentRecord, before: Settlement, after: Settlement, now: datetime
) -> None:
    """The webhook events of a payment, in its transaction (outbox): payment.recorded, document.paid."""
    data = {
        "payment_id": record.id,
        "document_id": stored.id,
        "number": record.number,
        "kind": record.kind.value,
        "amount": str(record.amount),
        "currency": record.currency,
        "paid_on": record.paid_on.isoformat(),
        "method": record.method,
        "reference": record.reference,
        "source": record.source,
        "status": after.status.value,
        "remaining": str(after.remaining),
    }
    tx.outbox.event("payment.recorded", data, now)
    if after.settled and not before.settled and record.kind is PaymentKind.PAYMENT:
        paid = {"id": stored.id, "number": record.number, "currency": record.currency, "paid": str(after.paid)}
        tx.outbox.event("document.paid", paid, now)


def _check_payable(stored: StoredDocument) -> None:
    document = stored.document
    if not document.document_type.is_invoice:
        kind = document.document_type.name.lower().replace("_", " ")
        raise invalid("PAYMENT-TYPE", "number", f"{document.number} is a {kind}: only invoices are paid")


def _record(stored: StoredDocument, given: PaymentInput, before: Settlement, today: date) -> PaymentRecord:
    document = stored.document
    if given.paid_on < document.issue_date:
        raise invalid(
            "PAYMENT-DATE", "paid_on", f"{given.paid_on} is before the invoice's date {document.issue_date}"
        )
    if given.paid_on > today:
        raise invalid("PAYMENT-DATE", "paid_on", f"{given.paid_on} is in the future (today is {today})")
    amount = _amount(document.number, document.currency, given, before)
    return PaymentRecord(
        id=str(uuid.uuid4()),
        number=document.number,
        kind=given.kind,
        amount=amount,
        currency=document.currency,
        paid_on=given.paid_on,
        method=given.method.strip(),
        reference=given.reference,
        payer=given.payer or document.buyer.name,
        source=given.source,
    )


def _amount(number: str, currency: str, given: PaymentInput, before: Settlement) -> Decimal:
    amount = given.amount
    if amount is None:
        if given.kind is PaymentKind.REFUND or before.remaining <= 0:
            what = "refunded" if given.kind is PaymentKind.REFUND else "paid"
            raise invalid("PAYMENT-AMOUNT", "amount", f"give the amount {what}: {number} has {before.remaining} due")
        return before.remaining
    places = amount_places(currency)
    if amount <= 0 or amount != amount.quantize(Decimal(1).scaleb(-places)):
        what = f"{amount} is not a positive amount in {currency} ({places} decimals)"
        raise invalid("PAYMENT-AMOUNT", "amount", what)
    if given.kind is PaymentKind.REFUND and amount > before.paid:
        raise invalid(
            "PAYMENT-REFUND", "amount", f"{amount} {currency} is more than was received on {number} ({before.paid})"
        )
    return amount


def _pdf(
    tx: Transaction,
    profile: SellerProfile,
    stored: StoredDocument,
    payments: tuple[PaymentRecord, ...],
    after: Settlement,
) -> ArtefactRef:
    """The paid copy when settled, else a receipt stating the balance (see the module docstring)."""
    shown = tuple(
        Payment(p.paid_on, METHODS.get(p.method.lower().replace("-", "_"), p.method), p.reference, p.amount)
        for p in payments
        if p.kind is PaymentKind.PAYMENT
    )
    stamp = PaidStamp(shown, remaining=after.remaining)
    pdf = paid_pdf(stored.document, stamp, theme_for(profile.branding, tx.blobs))
    name = f"{'paid' if stamp.settled else 'receipt'}-{len(payments)}.pdf"
    return tx.documents.archive(pdf, name, PDF_TYPE)


def _event(stored: StoredDocument, record: PaymentRecord, ref: ArtefactRef | None, issuer: Issuer) -> LedgerEvent:
    document = stored.document
    return LedgerEvent(
        account_id="",
        seq=0,
        kind=RECORDED,
        recorded_at=issuer.clock().isoformat(timespec="microseconds"),
        document_id=stored.id,
        number=document.number,
        document_type=document.document_type.value,
        issue_date=document.issue_date,
        document_sha256=stored.sha256,
        artefacts=(ref,) if ref is not None else (),
        details=details(record),
    )


def settlement_of(tx: Transaction, stored: StoredDocument, today: date) -> Settlement:
    """What `stored` owes on `today` (for `show`, `list` and the API)."""
    payments = PaymentRepository(tx.conn, tx.account_id).for_document(stored.id)
    return settlement(stored.document, credited_so_far(tx, stored.document.number), payments, today)


def settlements_of(tx: Transaction, numbers: list[str], today: date) -> dict[str, Settlement]:
    """The balance of each numbered document (for `list`)."""
    return {number: settlement_of(tx, tx.documents.get(number), today) for number in numbers}


def payments_of(tx: Transaction, stored: StoredDocument) -> list[PaymentRecord]:
    return PaymentRepository(tx.conn, tx.account_id).for_document(stored.id)
