"""Which draft an order becomes, by kind: one small builder per document kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturier.domain.allocation import allocate_proportionally
from facturier.domain.codes import DocumentType, VatCategory
from facturier.domain.documents import Document, DocumentReference, PriceMode
from facturier.domain.errors import invalid
from facturier.domain.pricing import LineInput, amount_places, price_document
from facturier.domain.rounding import HUNDRED, round_amount_half_up
from facturier.domain.seller import SellerProfile
from facturier.services.credit import credit_note_draft
from facturier.services.issue import Clock, Issued, IssueRequest, issue_in
from facturier.services.order_schema import OrderIn
from facturier.services.orders import draft_from_lines
from facturier.storage.database import Transaction

Builder = Callable[[Transaction, SellerProfile, OrderIn, date], Document]


def source_id(order: OrderIn) -> str:
    """The idempotency key of an order: shops resend webhooks, we issue once."""
    return f"order:{order.kind}:{order.id}"


def request_for_order(tx: Transaction, order: OrderIn, today: date, label: str = "") -> IssueRequest:
    profile = tx.profile()
    issue_date = order.date or today
    draft = _BUILDERS[order.kind](tx, profile, order, issue_date)
    return IssueRequest(draft=draft, source_id=source_id(order), label=label)


def issue_order(tx: Transaction, order: OrderIn, today: date, clock: Clock, label: str = "") -> Issued:
    """Issue the document an order asks for, or return the one already issued for it."""
    existing = tx.documents.find_by_source(source_id(order))
    if existing is not None:
        return Issued(existing, created=False, label=label)
    return issue_in(tx, request_for_order(tx, order, today, label), clock)


def _plain(document_type: DocumentType) -> Builder:
    def build(_tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date) -> Document:
        return draft_from_lines(order, profile, document_type, issue_date)

    return build


def _corrective(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date) -> Document:
    corrected = _corrected(tx, order)
    draft = draft_from_lines(order, profile, DocumentType.CORRECTIVE, issue_date)
    return replace(
        draft, preceding=(DocumentReference(corrected.number, corrected.issue_date, corrected.document_type),)
    )


def _credit_note(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date) -> Document:
    invoice = _corrected(tx, order)
    credit = order.credit
    return credit_note_draft(
        tx,
        profile,
        invoice.number,
        issue_date,
        lines=credit.lines if credit else None,
        amount=credit.amount if credit else None,
        reason=credit.reason if credit else "",
    )


def _corrected(tx: Transaction, order: OrderIn) -> Document:
    if not order.corrects:
        raise invalid(
            "FR-CGI-289-REF", "corrects", f"a {order.kind} must name the invoice it modifies (CGI art. 289 I)"
        )
    return tx.documents.get(order.corrects).document


def _down_payment(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date) -> Document:
    """A down-payment invoice (386) for part of the order, per VAT group, VAT included."""
    full = draft_from_lines(order, profile, DocumentType.DOWN_PAYMENT, issue_date)
    deposit = order.deposit
    if deposit is None or (deposit.percent is None) == (deposit.amount is None):
        raise invalid(
            "DEPOSIT-AMOUNT", "deposit", "a down payment needs exactly one of deposit.percent or deposit.amount"
        )
    places = amount_places(order.currency)
    groups = full.vat_breakdown
    gross = [b.taxable_amount + b.tax_amount for b in groups]
    if deposit.percent is not None:
        parts = tuple(round_amount_half_up(g * deposit.percent / HUNDRED, places) for g in gross)
    else:
        assert deposit.amount is not None
        if deposit.amount > full.totals.tax_inclusive:
            raise invalid(
                "DEPOSIT-AMOUNT",
                "deposit.amount",
                f"{deposit.amount} is more than the order total {full.totals.tax_inclusive}",
            )
        parts = allocate_proportionally(deposit.amount, gross, places)
    reference = order.order_reference or order.id
    inputs = [
        LineInput(
            line_id=str(i + 1),
            name=f"Acompte sur commande {reference}"
            + (f" (TVA {b.rate} %)" if b.category is VatCategory.STANDARD else ""),
            quantity=Decimal(1),
            unit_code="C62",
            unit_price=part,
            vat_category=b.category,
            vat_rate=b.rate,
            nature=full.nature if full.nature.value != "mixed" else full.lines[0].nature,
            exemption_reason=b.exemption_reason,
            exemption_code=b.exemption_code,
        )
        for i, (b, part) in enumerate(zip(groups, parts, strict=True))
        if part
    ]
    priced = price_document(inputs, [], PriceMode.GROSS, order.currency)
    return replace(
        full,
        lines=priced.lines,
        allowances_charges=(),
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        price_mode=PriceMode.GROSS,
    )


def _final_invoice(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date) -> Document:
    """The final invoice of an order: all its lines, minus the down payments (BT-113)."""
    reference = order.order_reference or order.id
    deposits = [s.document for s in tx.documents.for_order(reference, DocumentType.DOWN_PAYMENT)]
    if not deposits:
        raise invalid("FINAL-NO-DEPOSIT", "order_reference", f"no down-payment invoice found for order {reference!r}")
    prepaid = sum((d.totals.tax_inclusive for d in deposits), Decimal(0))
    draft = draft_from_lines(order, profile, DocumentType.INVOICE, issue_date, prepaid=prepaid)
    refs = tuple(DocumentReference(d.number, d.issue_date, d.document_type) for d in deposits)
    return replace(draft, preceding=refs)


_BUILDERS: dict[str, Builder] = {
    "invoice": _plain(DocumentType.INVOICE),
    "quote": _plain(DocumentType.QUOTE),
    "proforma": _plain(DocumentType.PROFORMA),
    "corrective": _corrective,
    "credit_note": _credit_note,
    "down_payment": _down_payment,
    "final_invoice": _final_invoice,
}
