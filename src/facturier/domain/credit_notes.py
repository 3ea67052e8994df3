"""The figures of a credit note (UNTDID 1001 code 381) on an issued invoice: full, by lines, by amount.

Pure: the invoice and its earlier credit notes in, the priced credit note out (`priced_credit`);
services/credit.py reads them and makes the document. Never more than what remains of each VAT
group (domain/crediting.py, Directive 2006/112/EC art. 90, CGI art. 272 1):

- Full: every line and document-level allowance/charge of the invoice, when nothing has
  been credited yet; otherwise exactly what can still be credited of each group, one line each.
- Lines: {line id: quantity}; at most the quantity not yet credited on that line. Line
  allowances and document-level allowances/charges are credited in proportion. A group whose
  credited taxable amount or VAT would pass what remains of it gets an allowance that brings
  it back within (a cent or two, from the roundings of earlier credit notes).
- Amount (VAT included, at most the currency's decimals): split over the groups in proportion
  to what remains of them, each part a reachable VAT-inclusive amount, so BT-112 is exactly
  the amount; an amount no split reaches (one group at 20 % and 12.03) is refused.

Worked tables: docs/algorithms/credit-notes.md (executed by tests/unit/test_credit_notes_doc.py).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facturier.domain.codes import DocumentType, SupplyNature
from facturier.domain.crediting import creditable, creditable_groups, gross, nearest_splittable, split_amount
from facturier.domain.documents import Document, Line, PriceMode, VatBreakdown
from facturier.domain.errors import invalid
from facturier.domain.pricing import AdjustmentInput, LineInput, Priced, amount_places, price_document, price_vat_groups
from facturier.domain.rounding import round_amount_half_up
from facturier.domain.validation import check_credit_within_remaining

CREDITABLE = tuple(t for t in DocumentType if t.is_invoice)  # 380, 384, 386


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
