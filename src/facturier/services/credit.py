"""Credit notes (UNTDID 1001 code 381) against an issued invoice: full, by lines, or by amount.

A credit note refers to the invoice it corrects (BG-3, CGI art. 289 I), mirrors its VAT
treatment (same categories and rates, even if rates changed since) and never credits more
than what remains of it, per VAT group: the invoice's taxable amount and VAT of each
(category, rate) group minus those of every earlier credit note (Directive 2006/112/EC
art. 90, CGI art. 272 1; domain/crediting.py, docs/algorithms/credit-notes.md).

- Full: every line and document-level allowance/charge of the invoice, when nothing has
  been credited yet; otherwise exactly what remains of each group, one line per group.
- Lines: {line id: quantity}; at most the quantity not yet credited on that line. Line
  allowances and document-level allowances/charges are credited in proportion. A group whose
  credited taxable amount or VAT would pass what remains of it gets an allowance that brings
  it back within (a cent or two, from earlier roundings).
- Amount (VAT included, at most the currency's decimals): split over the groups in proportion
  to what remains of them, each part a reachable VAT-inclusive amount, so BT-112 is exactly
  the amount; an amount no split reaches (one group at 20 % and 0.03) is refused.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturier.domain.accounting_currency import with_tax_accounting
from facturier.domain.codes import DocumentType, SupplyNature
from facturier.domain.crediting import (
    creditable,
    creditable_groups,
    gross,
    nearest_splittable,
    remaining_by_group,
    split_amount,
)
from facturier.domain.documents import Document, DocumentReference, Line, PaymentTerms, PriceMode, VatBreakdown
from facturier.domain.errors import invalid
from facturier.domain.pricing import (
    AdjustmentInput,
    LineInput,
    Priced,
    amount_places,
    price_document,
    price_vat_groups,
)
from facturier.domain.rounding import accounting_amount_half_up, round_amount_half_up
from facturier.domain.seller import SellerProfile
from facturier.domain.validation import check_credit_within_remaining
from facturier.services import tax_history
from facturier.services.issue import Draft, Submission
from facturier.services.tax_decisions import TaxContext
from facturier.storage.database import Transaction
from facturier.storage.tax_facts import TaxFact

CREDITABLE = (DocumentType.INVOICE, DocumentType.CORRECTIVE, DocumentType.DOWN_PAYMENT)


def credit_submission(
    invoice_number: str,
    lines: dict[str, Decimal] | None = None,
    amount: Decimal | None = None,
    reason: str = "",
    key: str = "",
) -> Submission:
    """A credit note on `invoice_number` for services.issuing; `key` makes it idempotent (e.g. a refund id)."""

    def build(tx: Transaction, profile: SellerProfile, day: date, _context: TaxContext) -> Draft:
        document = credit_note_draft(tx, profile, invoice_number, day, lines=lines, amount=amount, reason=reason)
        facts = tax_history.facts_of_number(tx, invoice_number)  # a credit note mirrors its invoice's VAT
        return Draft(document, tax_history.treatments_from_facts(facts) if facts else None)

    request = {"corrects": invoice_number, "lines": {k: str(v) for k, v in (lines or {}).items()} or None}
    request |= {"amount": str(amount) if amount is not None else None, "reason": reason}
    return Submission(
        build,
        source_id=f"credit:{key}" if key else None,
        request=json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(),
        label=invoice_number,
    )


def credited_so_far(tx: Transaction, number: str) -> list[Document]:
    return [s.document for s in tx.documents.referring_to(number, DocumentType.CREDIT_NOTE)]


def remaining(invoice: Document, credits: list[Document]) -> Decimal:
    """What can still be credited, VAT included: the sum over the invoice's VAT groups of what
    remains of each (its BT-116 and BT-117 minus the credit notes'), never a TTC difference."""
    groups = creditable_groups(invoice, credits, amount_places(invoice.currency))
    return sum((gross(g) for g in groups), Decimal(0))


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


def priced_credit(
    invoice: Document,
    credits: list[Document],
    lines: dict[str, Decimal] | None = None,
    amount: Decimal | None = None,
) -> Priced:
    """The figures of a credit note on `invoice`, after the credit notes `credits` (no I/O:
    docs/algorithms/credit-notes.md runs its tables through it)."""
    if invoice.document_type not in CREDITABLE:
        raise invalid(
            "FR-CREDIT-TARGET",
            "corrects",
            f"{invoice.number} is a {invoice.document_type.name.lower()}, not an invoice",
        )
    if lines is not None and amount is not None:
        raise invalid("CREDIT-MODE", "credit", "credit either lines or an amount, not both")
    if amount is not None:
        check_amount(amount, invoice.currency)
    groups = creditable_groups(invoice, credits, amount_places(invoice.currency))
    left = sum((gross(g) for g in groups), Decimal(0))
    priced = _priced(invoice, credits, groups, lines, amount) if left > 0 else None
    if priced is None or priced.totals.tax_inclusive <= 0:
        raise invalid("FR-CREDIT-REMAINING", "credit", f"nothing remains to credit on invoice {invoice.number}")
    violations = check_credit_within_remaining(priced.totals.tax_inclusive, left, invoice.number)
    if violations:
        raise invalid(violations[0].rule_id, "credit", violations[0].message)
    return priced


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


def check_amount(amount: Decimal, currency: str) -> None:
    """An amount to credit is positive and has at most the currency's decimals (BR-DEC-*):
    10.005 EUR is not an amount one can credit, and rounding it would credit something else."""
    places = amount_places(currency)
    if not amount.is_finite() or amount <= 0:
        raise invalid("CREDIT-AMOUNT", "credit.amount", f"the amount to credit must be positive, got {amount}")
    if round_amount_half_up(amount, places) != amount:
        raise invalid(
            "CREDIT-AMOUNT",
            "credit.amount",
            f"{amount} has more than the {places} decimals of {currency}: give the amount to credit exactly",
        )


def _priced(
    invoice: Document,
    credits: list[Document],
    groups: tuple[VatBreakdown, ...],
    lines: dict[str, Decimal] | None,
    amount: Decimal | None,
) -> Priced:
    if lines is not None:
        return _by_lines(invoice, credits, lines, groups)
    if amount is not None:
        return _by_amount(invoice, amount, groups)
    if credits:  # what remains of each group, exactly
        return _by_groups(invoice, groups, tuple(gross(g) for g in groups))
    return Priced(
        invoice.lines,
        invoice.allowances_charges,
        invoice.vat_breakdown,
        replace(invoice.totals, prepaid=Decimal(0), rounding=Decimal(0), payable=invoice.totals.tax_inclusive),
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


def _credited_quantities(invoice: Document, credits: list[Document]) -> dict[str, Decimal]:
    """Quantities credited per invoice line: only credit lines that are that line (same id,
    name and VAT), not the one-per-group lines "1", "2"... of a credit by amount."""
    same = {(x.line_id, x.name, x.vat_category, x.vat_rate) for x in invoice.lines}
    done: dict[str, Decimal] = {}
    for credit in credits:
        for line in credit.lines:
            if (line.line_id, line.name, line.vat_category, line.vat_rate) in same:
                done[line.line_id] = done.get(line.line_id, Decimal(0)) + line.quantity
    return done


def _by_lines(
    invoice: Document, credits: list[Document], wanted: dict[str, Decimal], groups: tuple[VatBreakdown, ...]
) -> Priced:
    originals = {line.line_id: line for line in invoice.lines}
    done = _credited_quantities(invoice, credits)
    inputs = []
    for line_id, quantity in wanted.items():
        path = f"credit.lines.{line_id}"
        line = originals.get(line_id)
        if line is None:
            raise invalid("CREDIT-LINE", path, f"invoice {invoice.number} has no line {line_id!r}")
        left = line.quantity - done.get(line_id, Decimal(0))
        if quantity <= 0 or quantity > left:
            raise invalid(
                "FR-CREDIT-REMAINING", path, f"quantity {quantity} is not within the {left} left to credit on this line"
            )
        inputs.append(_line_share(line, quantity, amount_places(invoice.currency)))
    adjustments = _document_adjustment_shares(invoice, inputs)
    priced = price_document(inputs, adjustments, PriceMode.NET, invoice.currency)
    capped = _caps(invoice, priced.vat_breakdown, groups)
    if not capped:
        return priced
    return price_document(inputs, [*adjustments, *capped], PriceMode.NET, invoice.currency)


def _caps(
    invoice: Document, credited: tuple[VatBreakdown, ...], groups: tuple[VatBreakdown, ...]
) -> list[AdjustmentInput]:
    """An allowance per group whose credited taxable amount or VAT passes what remains of it
    (Directive art. 90: never more VAT than was invoiced at that rate), down to the largest
    BR-CO-17 pair within both; after partial credits, roundings of a cent or two add up."""
    places = amount_places(invoice.currency)
    left = {(g.category, g.rate): g for g in groups}
    result = []
    for b in credited:
        bound = left[(b.category, b.rate)]
        if b.taxable_amount <= bound.taxable_amount and b.tax_amount <= bound.tax_amount:
            continue
        within = creditable(replace(bound, taxable_amount=min(b.taxable_amount, bound.taxable_amount)), places)
        reason = f"Ajustement au restant de la facture {invoice.number}"
        result.append(
            AdjustmentInput(False, b.taxable_amount - within.taxable_amount, None, reason, "", b.category, b.rate)
        )
    return result


def _line_share(line: Line, quantity: Decimal, places: int) -> LineInput:
    share = quantity / line.quantity
    adjustments = tuple(
        AdjustmentInput(
            a.is_charge, round_amount_half_up(a.amount * share, places), reason=a.reason, reason_code=a.reason_code
        )
        for a in (*line.allowances, *line.charges)
    )
    return LineInput(
        line_id=line.line_id,
        name=line.name,
        quantity=quantity,
        unit_code=line.unit_code,
        unit_price=line.net_price,
        vat_category=line.vat_category,
        vat_rate=line.vat_rate,
        base_quantity=line.base_quantity,
        description=line.description,
        seller_item_id=line.seller_item_id,
        nature=line.nature,
        adjustments=adjustments,
        exemption_reason=line.exemption_reason,
        exemption_code=line.exemption_code,
    )


def _document_adjustment_shares(invoice: Document, inputs: list[LineInput]) -> list[AdjustmentInput]:
    """Document-level allowances/charges credited in proportion of the credited lines' net."""
    if not invoice.allowances_charges:
        return []
    places = amount_places(invoice.currency)
    credited = price_document(inputs, [], PriceMode.NET, invoice.currency)
    result = []
    for adj in invoice.allowances_charges:
        key = (adj.vat_category, adj.vat_rate)
        group_total = sum((li.net_amount for li in invoice.lines if (li.vat_category, li.vat_rate) == key), Decimal(0))
        part = sum((li.net_amount for li in credited.lines if (li.vat_category, li.vat_rate) == key), Decimal(0))
        if group_total and part:
            amount = round_amount_half_up(adj.amount * part / group_total, places)
            result.append(
                AdjustmentInput(
                    adj.is_charge, amount, None, adj.reason, adj.reason_code, adj.vat_category, adj.vat_rate
                )
            )
    return result


def _by_amount(invoice: Document, amount: Decimal, groups: tuple[VatBreakdown, ...]) -> Priced:
    places = amount_places(invoice.currency)
    left = sum((gross(g) for g in groups), Decimal(0))
    violations = check_credit_within_remaining(amount, left, invoice.number)
    if violations:
        raise invalid(violations[0].rule_id, "credit.amount", violations[0].message)
    parts = split_amount(amount, groups, places)
    if parts is None:
        below, above = nearest_splittable(amount, groups, places)
        rates = ", ".join(f"{g.rate} %" for g in groups if gross(g))
        instead = " or ".join(str(x) for x in (below, above) if x is not None)
        raise invalid(
            "CREDIT-AMOUNT",
            "credit.amount",
            f"{amount} cannot be credited exactly on invoice {invoice.number}: no taxable amount plus its VAT "
            f"at {rates} makes it (BR-CO-17)" + (f"; {instead} can be" if instead else ""),
        )
    return _by_groups(invoice, groups, parts)


def _by_groups(invoice: Document, groups: tuple[VatBreakdown, ...], parts: tuple[Decimal, ...]) -> Priced:
    """One line per group for its VAT-inclusive part; every part is reachable, so BT-114 is 0."""
    natures = {line.nature for line in invoice.lines}
    nature = natures.pop() if len(natures) == 1 else SupplyNature.GOODS
    return price_vat_groups(groups, parts, f"Avoir sur facture {invoice.number}", invoice.currency, nature)


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
