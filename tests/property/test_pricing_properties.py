"""Totals invariants of `price_document` on random orders, in NET and GROSS entry modes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings

from facturier.domain.documents import Document, PriceMode
from facturier.domain.pricing import GroupKey, price_document, solve_group_net
from facturier.domain.rounding import HUNDRED, round_amount_half_up, vat_amount_half_up
from facturier.domain.validation import validate

from .strategies import Order, document_of, orders

ZERO = Decimal(0)
ARITHMETIC = ("BR-CO-", "BR-LINE-NET", "BR-DEC-")


def _rate(key: GroupKey) -> Decimal:
    return key[1] if key[0].has_rate else ZERO


def check_totals(doc: Document) -> None:
    """BR-CO-10..16, exactly, recomputed from the lines, adjustments and breakdown."""
    t = doc.totals
    assert t.line_total == sum((x.net_amount for x in doc.lines), ZERO)
    assert t.allowance_total == sum((a.amount for a in doc.allowances_charges if not a.is_charge), ZERO)
    assert t.charge_total == sum((a.amount for a in doc.allowances_charges if a.is_charge), ZERO)
    assert t.tax_exclusive == t.line_total - t.allowance_total + t.charge_total
    assert t.tax_total == sum((b.tax_amount for b in doc.vat_breakdown), ZERO)
    assert t.tax_inclusive == t.tax_exclusive + t.tax_total
    assert t.payable == t.tax_inclusive - t.prepaid + t.rounding


def check_breakdown(doc: Document, places: int) -> None:
    """One breakdown per (category, rate); BR-x-08 taxable amounts; BR-CO-17 exactly."""
    taxable: dict[GroupKey, Decimal] = defaultdict(Decimal)
    for x in doc.lines:
        taxable[(x.vat_category, x.vat_rate)] += x.net_amount
    for a in doc.allowances_charges:
        assert a.vat_category is not None and a.vat_rate is not None
        taxable[(a.vat_category, a.vat_rate)] += a.amount if a.is_charge else -a.amount
    keys = [(b.category, b.rate) for b in doc.vat_breakdown]
    assert len(keys) == len(set(keys)) and set(keys) == set(taxable)
    for b in doc.vat_breakdown:
        assert b.taxable_amount == taxable[(b.category, b.rate)]
        assert b.tax_amount == vat_amount_half_up(b.taxable_amount, _rate((b.category, b.rate)), places)


@settings(deadline=None)
@given(orders())
def test_totals_and_breakdown_are_exact_in_both_modes(order: Order) -> None:
    doc = document_of(order)
    check_totals(doc)
    check_breakdown(doc, order.places)
    if order.mode is PriceMode.NET:
        assert doc.totals.rounding == 0
    arithmetic = [v for v in validate(doc) if v.rule_id.startswith(ARITHMETIC) or v.rule_id.endswith("-08")]
    assert arithmetic == []


@settings(deadline=None)
@given(orders())
def test_priced_documents_are_valid(order: Order) -> None:
    assert validate(document_of(order)) == ()


def displayed_total(order: Order) -> Decimal:
    """What the shop displayed, computed here without `price_document`: line amounts
    (round(qty x price / base) - allowances + charges), minus basket discounts, plus charges."""
    places = order.places
    groups: dict[GroupKey, Decimal] = defaultdict(Decimal)
    for x in order.lines:
        base = round_amount_half_up(x.quantity * x.unit_price / x.base_quantity, places)
        amount = base
        for a in x.adjustments:
            value = a.amount if a.amount is not None else round_amount_half_up(base * a.percentage / HUNDRED, places)  # type: ignore[operator]
            amount += value if a.is_charge else -value
        groups[x.group] += amount
    total = sum(groups.values(), ZERO)
    for adj in order.adjustments:
        if adj.amount is not None:
            value = adj.amount
        else:
            value = sum((round_amount_half_up(g * adj.percentage / HUNDRED, places) for g in groups.values()), ZERO)  # type: ignore[operator]
        total += value if adj.is_charge else -value
    return total


@settings(deadline=None)
@given(orders(PriceMode.GROSS))
def test_gross_mode_customer_pays_exactly_the_displayed_total(order: Order) -> None:
    priced = price_document(order.lines, order.adjustments, order.mode, order.currency)
    assert priced.totals.payable == displayed_total(order)
    # BT-114 only carries the cents no net amount can reach: at most one per (category, rate)
    assert 0 <= priced.totals.rounding <= order.quantum * len(priced.vat_breakdown)


@settings(deadline=None)
@given(orders(PriceMode.GROSS))
def test_gross_mode_line_nets_within_one_quantum_of_the_exact_conversion(order: Order) -> None:
    entered = price_document(order.lines, order.adjustments, PriceMode.NET, order.currency)
    priced = price_document(order.lines, order.adjustments, PriceMode.GROSS, order.currency)
    for gross_line, net_line, source in zip(entered.lines, priced.lines, order.lines, strict=True):
        exact = gross_line.net_amount * HUNDRED / (HUNDRED + _rate(source.group))
        assert abs(net_line.net_amount - exact) <= order.quantum, (gross_line.net_amount, net_line.net_amount)


@settings(deadline=None)
@given(orders(PriceMode.GROSS))
def test_gross_mode_each_group_is_solved(order: Order) -> None:
    """Per (category, rate): taxable + VAT == the group's displayed gross, or one quantum short."""
    entered = price_document(order.lines, order.adjustments, PriceMode.NET, order.currency)
    priced = price_document(order.lines, order.adjustments, PriceMode.GROSS, order.currency)
    gross = {(b.category, b.rate): b.taxable_amount for b in entered.vat_breakdown}
    leftovers = ZERO
    for b in priced.vat_breakdown:
        key = (b.category, b.rate)
        net, leftover = solve_group_net(gross[key], _rate(key), order.places)
        assert b.taxable_amount == net
        assert b.taxable_amount + b.tax_amount + leftover == gross[key]
        leftovers += leftover
    assert priced.totals.rounding == leftovers
