"""The paid variant of an invoice ("facture acquittée"): a derived artefact, recorded in the ledger.

The issued invoice never changes. `acquit` renders the same invoice with the PAID / ACQUITTÉE
mark and every payment recorded so far (the earlier paid copies' payments, then this one),
archives that PDF content-addressed and appends a `document.paid_copy` ledger event naming the
invoice (id, number, canonical SHA-256), the payment (`details`) and the PDF (`artefacts`),
under the chain lock, in its own transaction. `facturier verify` checks these events like the
issuing ones (rows, files, and the invoice they derive from).

What is due: the amount payable (BT-115) minus the credit notes referring to the invoice and
minus the payments of the earlier paid copies. A payment larger than that is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from facturier.domain.codes import DocumentType, PaymentMeansCode
from facturier.domain.errors import invalid
from facturier.domain.events import ArtefactRef, LedgerEvent
from facturier.domain.pricing import amount_places
from facturier.rendering import PaidStamp, Payment, Theme
from facturier.services.artefacts import PDF_TYPE, paid_pdf, theme_for
from facturier.services.credit import credited_so_far
from facturier.storage.database import Database, Transaction
from facturier.storage.documents import StoredDocument

PAID_COPY = "document.paid_copy"
PAYABLE = (DocumentType.INVOICE, DocumentType.CORRECTIVE, DocumentType.DOWN_PAYMENT)
METHODS: dict[str, PaymentMeansCode] = {
    "transfer": PaymentMeansCode.CREDIT_TRANSFER,
    "sepa_transfer": PaymentMeansCode.SEPA_CREDIT_TRANSFER,
    "direct_debit": PaymentMeansCode.SEPA_DIRECT_DEBIT,
    "card": PaymentMeansCode.CARD,
    "cash": PaymentMeansCode.CASH,
    "cheque": PaymentMeansCode.CHEQUE,
}


@dataclass(frozen=True, slots=True)
class PaidCopy:
    stored: StoredDocument  # the invoice, unchanged
    artefact: ArtefactRef
    ledger_seq: int
    payments: tuple[Payment, ...]
    due_after: Decimal


def payment_method(name: str) -> PaymentMeansCode | str:
    """A known method name (see METHODS) as its UNTDID 4461 code; any other label is printed as given."""
    label = name.strip()
    if not label:
        raise invalid("ACQUIT-METHOD", "--method", f"a payment method is needed ({', '.join(METHODS)} or a label)")
    return METHODS.get(label.lower().replace("-", "_"), label)


def acquit(
    db: Database,
    account_id: str,
    number: str,
    paid_on: date,
    method: PaymentMeansCode | str,
    reference: str,
    clock: Callable[[], datetime],
    amount: Decimal | None = None,
    theme: Theme | None = None,
) -> PaidCopy:
    """Record a payment of invoice `number` as a new paid copy (see the module docstring)."""
    with db.transaction(account_id) as tx:
        tx.ledger.lock()  # paid copies of one account are serialised: "what is due" cannot race
        stored = tx.documents.get(number)
        earlier = _earlier_payments(tx, stored)
        due = _due(tx, stored, earlier)
        paid = _checked_amount(stored, amount, due)
        payments = (*earlier, Payment(paid_on, method, reference, paid))
        pdf = paid_pdf(stored.document, PaidStamp(payments), theme or theme_for(tx.profile().branding, tx.blobs))
        ref = tx.documents.archive(pdf, f"paid-{len(payments)}.pdf", PDF_TYPE)
        event = tx.ledger.append(_event(stored, ref, payments[-1], clock))
        tx.documents.add_artefacts(stored.id, (ref,), event.seq)
    return PaidCopy(stored, ref, event.seq, payments, due - paid)


def _earlier_payments(tx: Transaction, stored: StoredDocument) -> tuple[Payment, ...]:
    return tuple(_payment(dict(e.details)) for e in tx.documents.events_for(stored, PAID_COPY))


def _payment(details: dict[str, str]) -> Payment:
    method = details["method"]
    code = method if method in {c.value for c in PaymentMeansCode} else None
    return Payment(
        date.fromisoformat(details["paid_on"]),
        PaymentMeansCode(code) if code else method,
        details.get("reference", ""),
        Decimal(details["amount"]),
    )


def _due(tx: Transaction, stored: StoredDocument, earlier: tuple[Payment, ...]) -> Decimal:
    document = stored.document
    if document.document_type not in PAYABLE:
        kind = document.document_type.name.lower().replace("_", " ")
        raise invalid("ACQUIT-TYPE", "number", f"{document.number} is a {kind}: only invoices are paid")
    credited = sum((c.totals.tax_inclusive for c in credited_so_far(tx, document.number)), Decimal(0))
    return document.totals.payable - credited - sum((p.amount or Decimal(0) for p in earlier), Decimal(0))


def _checked_amount(stored: StoredDocument, amount: Decimal | None, due: Decimal) -> Decimal:
    currency = stored.document.currency
    if due <= 0:
        raise invalid("ACQUIT-PAID", "number", f"{stored.document.number} has nothing left to pay ({due} {currency})")
    if amount is None:
        return due
    if amount <= 0 or amount != amount.quantize(Decimal(1).scaleb(-amount_places(currency))):
        raise invalid("ACQUIT-AMOUNT", "--amount", f"{amount} is not a positive amount in {currency}")
    if amount > due:
        raise invalid(
            "ACQUIT-AMOUNT",
            "--amount",
            f"{amount} {currency} is more than what is due on {stored.document.number} ({due} {currency})",
        )
    return amount


def _event(stored: StoredDocument, ref: ArtefactRef, payment: Payment, clock: Callable[[], datetime]) -> LedgerEvent:
    document = stored.document
    method = payment.method.value if isinstance(payment.method, PaymentMeansCode) else payment.method
    return LedgerEvent(
        account_id="",
        seq=0,
        kind=PAID_COPY,
        recorded_at=clock().isoformat(timespec="microseconds"),
        document_id=stored.id,
        number=document.number,
        document_type=document.document_type.value,
        issue_date=document.issue_date,
        document_sha256=stored.sha256,
        artefacts=(ref,),
        details=(
            ("amount", str(payment.amount)),
            ("method", method),
            ("paid_on", payment.paid_on.isoformat()),
            ("reference", payment.reference),
        ),
    )
