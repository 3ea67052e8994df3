"""Credit notes (UNTDID 1001 code 381) against an issued invoice, as issuing submissions.

A credit note refers to the invoice it corrects (BG-3, CGI art. 289 I), mirrors its VAT
treatment (same categories and rates, even if rates changed since, and the invoice's VAT facts)
and never credits more than what remains of each of its VAT groups. The figures are computed
by domain/credit_notes.py (`priced_credit`); this module reads the invoice and its credit
notes, refuses to credit a down payment a final invoice already deducted, and makes the
document. It also tells a final invoice what remains of its down payments.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturier.domain.accounting_currency import with_tax_accounting
from facturier.domain.codes import DocumentType
from facturier.domain.credit_notes import priced_credit
from facturier.domain.crediting import remaining_by_group
from facturier.domain.documents import Document, DocumentReference, PaymentTerms, PriceMode, VatBreakdown
from facturier.domain.errors import invalid
from facturier.domain.pricing import Priced
from facturier.domain.rounding import accounting_amount_half_up, round_amount_half_up
from facturier.domain.seller import SellerProfile
from facturier.services import tax_history
from facturier.services.issue import Draft, Submission
from facturier.services.tax_decisions import TaxContext
from facturier.storage.database import Transaction
from facturier.storage.tax_facts import TaxFact

__all__ = ["credit_draft", "credit_note_draft", "credit_submission", "credited_so_far"]


def credit_submission(
    invoice_number: str,
    lines: dict[str, Decimal] | None = None,
    amount: Decimal | None = None,
    reason: str = "",
    key: str = "",
) -> Submission:
    """A credit note on `invoice_number` for services.issuing; `key` makes it idempotent (e.g. a refund id)."""

    def build(tx: Transaction, profile: SellerProfile, day: date, _context: TaxContext) -> Draft:
        return credit_draft(tx, profile, invoice_number, day, lines, amount, reason)

    request = {"corrects": invoice_number, "lines": {k: str(v) for k, v in (lines or {}).items()} or None}
    request |= {"amount": str(amount) if amount is not None else None, "reason": reason}
    return Submission(
        build,
        source_id=f"credit:{key}" if key else None,
        request=json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(),
        label=invoice_number,
    )


def credit_draft(
    tx: Transaction,
    profile: SellerProfile,
    invoice_number: str,
    day: date,
    lines: dict[str, Decimal] | None = None,
    amount: Decimal | None = None,
    reason: str = "",
) -> Draft:
    """The credit note draft with its invoice's VAT treatment (facts), from an order or the CLI/API."""
    document = credit_note_draft(tx, profile, invoice_number, day, lines=lines, amount=amount, reason=reason)
    facts = tax_history.facts_of_number(tx, invoice_number)  # a credit note mirrors its invoice's VAT
    return Draft(document, tax_history.treatments_from_facts(facts) if facts else None)


def credited_so_far(tx: Transaction, number: str) -> list[Document]:
    return [s.document for s in tx.documents.referring_to(number, DocumentType.CREDIT_NOTE)]


def credit_note_draft(
    tx: Transaction,
    profile: SellerProfile,
    invoice_number: str,
    issue_date: date,
    lines: dict[str, Decimal] | None = None,
    amount: Decimal | None = None,
    reason: str = "",
) -> Document:
    invoice = tx.documents.get(invoice_number).document
    _check_not_deducted(tx, invoice)
    priced = priced_credit(invoice, credited_so_far(tx, invoice_number), lines, amount)
    return _document(invoice, profile, priced, issue_date, reason)


def _check_not_deducted(tx: Transaction, invoice: Document) -> None:
    """A down payment its final invoice deducted (BT-113) was settled by that invoice: crediting
    it as well would give the deposit back twice. The final invoice is what to credit then."""
    if invoice.document_type is not DocumentType.DOWN_PAYMENT or not invoice.order_reference:
        return
    for final in tx.documents.for_order(invoice.order_reference, DocumentType.INVOICE):
        if any(p.number == invoice.number for p in final.document.preceding):
            raise invalid(
                "CREDIT-DEDUCTED",
                "corrects",
                f"down payment {invoice.number} is deducted by the final invoice {final.document.number}: "
                "credit the final invoice instead",
            )


def _document(invoice: Document, profile: SellerProfile, priced: Priced, issue_date: date, reason: str) -> Document:
    credit_note = Document(
        document_type=DocumentType.CREDIT_NOTE,
        currency=invoice.currency,
        seller=profile.party,
        buyer=invoice.buyer,
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=issue_date,
        price_mode=PriceMode.NET,
        allowances_charges=priced.allowances_charges,
        delivery_address=invoice.delivery_address,
        delivery_date=invoice.delivery_date,
        delivery_name=invoice.delivery_name,
        payment_terms=_terms(invoice),
        preceding=(DocumentReference(invoice.number, invoice.issue_date, invoice.document_type),),
        order_reference=invoice.order_reference,
        buyer_reference=invoice.buyer_reference,
        notes=(reason,) if reason else (),
        vat_on_debits=invoice.vat_on_debits,
        mentions=invoice.mentions,
        language=invoice.language,  # the credit note speaks to the buyer as the invoice did
        tax_accounting=invoice.tax_accounting,
    )
    # BT-111 of this credit at the invoice's rate: the EUR VAT adjusted is the one declared (Directive art. 230)
    return with_tax_accounting(credit_note)


def _terms(invoice: Document) -> PaymentTerms:
    """A credit note keeps the invoice's B2B payment mentions: the French Flux 2 rules (BR-FR-05)
    want the PMD and PMT notes on every document exchanged between businesses, credit notes too."""
    terms = invoice.payment_terms
    return PaymentTerms(
        note="Avoir : montant à rembourser ou à déduire",
        early_payment_discount=terms.early_payment_discount,
        late_penalty_rate=terms.late_penalty_rate,
        recovery_indemnity=terms.recovery_indemnity,
    )


def what_remains_of(tx: Transaction, document: Document) -> tuple[VatBreakdown, ...]:
    """Per VAT group, what its credit notes left of an issued document (a down payment
    deducted by its final invoice): its BT-116 and BT-117 minus theirs (Directive art. 90)."""
    return remaining_by_group(document, credited_so_far(tx, document.number))


def facts_left(facts: list[TaxFact], groups: tuple[VatBreakdown, ...]) -> list[TaxFact]:
    """The VAT facts of a document cut down to what remains of each group (`what_remains_of`):
    a final invoice deducts only the part of a down payment that was not credited."""
    left = {(g.category.value, g.rate): g for g in groups}
    result = []
    for f in facts:
        group = left.get((f.category, f.rate))
        if group is None or (group.taxable_amount == f.taxable and group.tax_amount == f.vat):
            result.append(f)
            continue
        share = group.taxable_amount / f.taxable if f.taxable else Decimal(0)
        result.append(
            replace(
                f,
                taxable=group.taxable_amount,
                vat=group.tax_amount,
                taxable_eur=accounting_amount_half_up(group.taxable_amount, f.eur_rate),
                vat_eur=accounting_amount_half_up(group.tax_amount, f.eur_rate),
                distance_eur=round_amount_half_up(f.distance_eur * share),
            )
        )
    return result
