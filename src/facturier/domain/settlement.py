"""What has been paid on an invoice and what remains: pure, from the invoice, its credit notes
and its recorded payments.

    amount due (BT-115, what the invoice asks for)
  - credit notes referring to it (their BT-112: an avoir reduces what the buyer owes)
  - payments received + refunds paid back (refunds are negative)
  = remaining; below zero it is an over-payment, the customer's credit with the seller.

Statuses (as `facturier show`/`list` print them): "issued" (nothing paid, not yet due),
"partially_paid", "paid", "overdue" (something remains after the due date, BT-9),
"credited" (credit notes cover the whole invoice). Quotes and pro formas are "issued".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from facturier.domain.documents import Document

_ZERO = Decimal(0)


class PaymentKind(Enum):
    PAYMENT = "payment"  # money received from the buyer
    REFUND = "refund"  # money paid back to the buyer (an over-payment, or with a credit note)


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """One payment of (or refund on) an issued invoice, as stored and chained in the ledger."""

    id: str
    number: str  # the invoice's number (BT-1)
    kind: PaymentKind
    amount: Decimal  # positive, in the invoice currency; a refund's is positive too
    currency: str
    paid_on: date
    method: str  # card, transfer, sepa_transfer, direct_debit, cash, cheque, paypal or a label
    reference: str = ""  # the provider's or the bank's reference
    payer: str = ""
    source: str = "manual"  # manual, checkout, stripe, paypal, bank...

    @property
    def signed(self) -> Decimal:
        return self.amount if self.kind is PaymentKind.PAYMENT else -self.amount


class Status(Enum):
    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CREDITED = "credited"


@dataclass(frozen=True, slots=True)
class Settlement:
    status: Status
    due: Decimal  # BT-115 at issue
    credited: Decimal  # sum of the credit notes' BT-112
    paid: Decimal  # payments minus refunds
    remaining: Decimal  # what the buyer still owes (never below zero)
    customer_credit: Decimal  # over-payment kept as the customer's credit (never below zero)

    @property
    def settled(self) -> bool:
        """Nothing remains to pay (remaining = max(due - credited - paid, 0))."""
        return self.remaining == 0


def settlement(
    document: Document, credit_notes: Sequence[Document], payments: Sequence[PaymentRecord], today: date
) -> Settlement:
    """The invoice's balance and status on `today` (see the module docstring)."""
    due = document.totals.payable
    if not document.document_type.is_invoice:
        return Settlement(Status.ISSUED, _ZERO, _ZERO, _ZERO, _ZERO, _ZERO)
    credited = sum((c.totals.tax_inclusive for c in credit_notes), _ZERO)
    paid = sum((p.signed for p in payments), _ZERO)
    balance = due - credited - paid
    remaining, extra = max(balance, _ZERO), max(-balance, _ZERO)
    return Settlement(_status(document, credited, paid, remaining, today), due, credited, paid, remaining, extra)


def _status(document: Document, credited: Decimal, paid: Decimal, remaining: Decimal, today: date) -> Status:
    if remaining == 0:
        if credited > 0 and credited >= document.totals.tax_inclusive:
            return Status.CREDITED
        return Status.PAID
    terms_due = document.payment_terms.due_date
    if terms_due is not None and today > terms_due:
        return Status.OVERDUE
    return Status.PARTIALLY_PAID if paid > 0 else Status.ISSUED
