"""Which draft an order becomes, by kind: one small builder per document kind.

The VAT treatment of every line is decided by the tax engine here, from the threshold history
that `context` reads. services.issuing builds the draft before the chain lock and again under
it: the draft that is numbered is always the one built from the history that includes every
document issued before it, so two concurrent issuers cannot both miss a crossing. The VAT
facts (`Draft.treatments`) are written by services.issuing with the numbered document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturier.domain.accounting_currency import with_tax_accounting
from facturier.domain.allocation import allocate_proportionally
from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document, DocumentReference, PriceMode
from facturier.domain.errors import invalid
from facturier.domain.pricing import amount_places, price_vat_groups
from facturier.domain.rounding import HUNDRED, round_amount_half_up
from facturier.domain.seller import SellerProfile
from facturier.services import tax_history
from facturier.services.credit import credit_draft, facts_left, what_remains_of
from facturier.services.issue import Draft
from facturier.services.order_schema import OrderIn
from facturier.services.orders import Drafted, drafted_from_lines
from facturier.services.tax_decisions import TaxContext, counts, eur_rate, seller_tax_profile
from facturier.storage.database import Transaction
from facturier.tax import VatCheckResult
from facturier.tax.vatid import vat_id_country
from facturier.tax.vies import VatIdChecker

Builder = Callable[[Transaction, SellerProfile, OrderIn, date, TaxContext], Draft]


def source_id(order: OrderIn) -> str:
    """The idempotency key of an order: shops resend webhooks, we issue once."""
    return order_key(order.kind, order.id)


def order_key(kind: str, order_id: str) -> str:
    return f"order:{kind}:{order_id}"  # read back by services.issue.order_id_of


def build_draft(
    tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date, context: TaxContext
) -> Draft:
    """The draft an order asks for, VAT decided with `context` (threshold history, VIES result).

    Reads only: services.issuing calls it once before the chain lock (to validate and render
    outside it) and once more under the lock, where a draft that came out different (a
    concurrent sale crossed the EUR 10,000 threshold, a concurrent credit note) is validated again.
    """
    return _BUILDERS[order.kind](tx, profile, order, issue_date, context)


def vies_check(profile: SellerProfile, order: OrderIn, checker: VatIdChecker | None) -> VatCheckResult | None:
    """The online VIES check (seller setting `vies_check`, off by default) of a business buyer of
    another state; `checker` is the deployment's VIES client (None: no online check)."""
    customer = order.customer
    if checker is None or not profile.vies_check or customer is None or order.kind == "credit_note":
        return None
    vat_id = customer.vat_id.replace(" ", "")
    if customer.vat_check or customer.type != "business" or not vat_id:
        return None
    if vat_id_country(vat_id) == profile.party.address.country:
        return None
    return checker.check(vat_id, profile.party.vat_id or None)


def _taxed(drafted: Drafted, order: OrderIn, profile: SellerProfile) -> Draft:
    seller = seller_tax_profile(profile)
    counted = [counts(d, order, seller) for d in drafted.decision.lines]
    rate = eur_rate(order) or Decimal(1)
    treatments = tax_history.treatments_from_decision(drafted.decision, drafted.document, counted, rate)
    return Draft(drafted.document, treatments)


def _plain(document_type: DocumentType) -> Builder:
    def build(_tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date, ctx: TaxContext) -> Draft:
        return _taxed(drafted_from_lines(order, profile, document_type, issue_date, context=ctx), order, profile)

    return build


def _corrective(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date, ctx: TaxContext) -> Draft:
    corrected = _corrected(tx, order)
    draft = _taxed(drafted_from_lines(order, profile, DocumentType.CORRECTIVE, issue_date, context=ctx), order, profile)
    reference = DocumentReference(corrected.number, corrected.issue_date, corrected.document_type)
    return replace(draft, document=replace(draft.document, preceding=(reference,)))


def _credit_note(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date, _ctx: TaxContext) -> Draft:
    """Mirrors the invoice: its lines, categories and rates, and its recorded VAT facts."""
    invoice = _corrected(tx, order)
    credit = order.credit
    if credit is None:
        return credit_draft(tx, profile, invoice.number, issue_date)
    return credit_draft(tx, profile, invoice.number, issue_date, credit.lines, credit.amount, credit.reason)


_CORRECTABLE_KINDS = ("invoice", "final_invoice", "down_payment", "corrective")


def _corrected(tx: Transaction, order: OrderIn) -> Document:
    """The invoice a credit note or corrective modifies: by its number, or by the id of the order
    it was issued from (what a shop knows when a refund arrives)."""
    if order.corrects_order:
        for kind in _CORRECTABLE_KINDS:
            found = tx.documents.find_by_source(order_key(kind, order.corrects_order))
            if found is not None:
                return found.document
        raise invalid("ORDER-CORRECTS", "corrects_order", f"no invoice was issued for order {order.corrects_order!r}")
    if not order.corrects:
        raise invalid(
            "FR-CGI-289-REF",
            "corrects",
            f"a {order.kind} must name the invoice it modifies, by number or corrects_order (CGI art. 289 I)",
        )
    return tx.documents.get(order.corrects).document


def _down_payment(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date, ctx: TaxContext) -> Draft:
    """A down-payment invoice (386) for part of the order, per VAT group, VAT included."""
    taxed = _taxed(
        drafted_from_lines(order, profile, DocumentType.DOWN_PAYMENT, issue_date, context=ctx), order, profile
    )
    full = taxed.document
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
    nature = full.nature if full.nature.value != "mixed" else full.lines[0].nature
    priced = price_vat_groups(groups, parts, f"Acompte sur commande {reference}", order.currency, nature)
    document = replace(
        full,
        lines=priced.lines,
        allowances_charges=(),
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        price_mode=PriceMode.GROSS,
    )
    # BT-111 of the deposit, not of the whole order's draft (Directive 2006/112/EC art. 230, BR-53)
    return replace(taxed, document=with_tax_accounting(document))


def _final_invoice(tx: Transaction, profile: SellerProfile, order: OrderIn, issue_date: date, ctx: TaxContext) -> Draft:
    """The final invoice of an order: all its lines, minus what remains of its down payments (BT-113).

    A down payment's credit notes (Directive 2006/112/EC art. 90, CGI art. 272 1) already gave
    back what they credit: a fully credited one is not deducted nor referred to, a partly
    credited one deducts what remains of it, per VAT group. The VAT facts deduct the same
    (the down payments' VAT was declared when they were invoiced, the credits' when credited).
    """
    reference = order.order_reference or order.id
    stored = tx.documents.for_order(reference, DocumentType.DOWN_PAYMENT)
    if not stored:
        raise invalid("FINAL-NO-DEPOSIT", "order_reference", f"no down-payment invoice found for order {reference!r}")
    left = [(s.document, what_remains_of(tx, s.document)) for s in stored]
    deposits = [(d, groups) for d, groups in left if any(g.taxable_amount or g.tax_amount for g in groups)]
    prepaid = sum((g.taxable_amount + g.tax_amount for _, groups in deposits for g in groups), Decimal(0))
    drafted = drafted_from_lines(order, profile, DocumentType.INVOICE, issue_date, prepaid=prepaid, context=ctx)
    refs = tuple(DocumentReference(d.number, d.issue_date, d.document_type) for d, _ in deposits)
    taxed = _taxed(drafted, order, profile)
    deducted = tuple(f for d, groups in deposits for f in facts_left(tax_history.facts_of_number(tx, d.number), groups))
    return Draft(replace(taxed.document, preceding=refs), taxed.treatments, deducted)


_BUILDERS: dict[str, Builder] = {
    "invoice": _plain(DocumentType.INVOICE),
    "quote": _plain(DocumentType.QUOTE),
    "proforma": _plain(DocumentType.PROFORMA),
    "corrective": _corrective,
    "credit_note": _credit_note,
    "down_payment": _down_payment,
    "final_invoice": _final_invoice,
}
