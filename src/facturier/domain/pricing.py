"""From entered prices to EN 16931 figures: line net amounts, VAT breakdown, totals.

Two entry modes (see docs/algorithms/rounding.md for the worked tables):

- NET (B2B): BT-131 = round(qty x price / base qty - allowances + charges); per (category,
  rate) BT-116 = sum of line nets - document allowances + charges (BR-S-08) and BT-117 =
  round(BT-116 x rate / 100) (BR-CO-17).
- GROSS (B2C shops show VAT-inclusive prices): the customer must pay exactly the displayed
  gross total. Per (category, rate) group with gross total G, we pick the net N such that
  N + round(N x rate / 100) == G (the candidate nearest G x 100 / (100 + rate)); the group's
  VAT is then G - N and BR-CO-17 holds exactly. N is spread over the group's lines and
  document allowances/charges by largest remainder, and each line's net unit price is
  derived from its net amount. A share rate / (100 + rate) of gross totals has no such N
  (1 in 6 at 20 %, e.g. 0.03); then N is the candidate giving G - 0.01 and BT-114
  (rounding amount) carries the cent.

Amounts use min(2, ISO 4217 minor units) decimals (BR-DEC-*); unit prices 6 decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from facturier.domain.allocation import allocate_proportionally, round_preserving_total
from facturier.domain.codes import SupplyNature, VatCategory
from facturier.domain.documents import AllowanceCharge, Line, PriceMode, Totals, VatBreakdown
from facturier.domain.money import minor_units
from facturier.domain.rounding import (
    HUNDRED,
    net_from_gross_half_up,
    round_amount_half_up,
    round_price_half_up,
    vat_amount_half_up,
)

GroupKey = tuple[VatCategory, Decimal]


@dataclass(frozen=True, slots=True)
class AdjustmentInput:
    """An allowance or charge as entered, in the document's price mode.

    Either `amount` or `percentage` (of the line's base, or of the lines of the group at
    document level). At document level, no VAT category means "follow the lines": the
    adjustment is split over the (category, rate) groups in proportion to their amounts.
    """

    is_charge: bool
    amount: Decimal | None = None
    percentage: Decimal | None = None
    reason: str = ""
    reason_code: str = ""
    vat_category: VatCategory | None = None
    vat_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LineInput:
    """An order line as entered: `unit_price` is net or VAT-inclusive per the price mode."""

    line_id: str
    name: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    vat_category: VatCategory
    vat_rate: Decimal
    base_quantity: Decimal = Decimal(1)
    description: str = ""
    seller_item_id: str = ""
    nature: SupplyNature = SupplyNature.GOODS
    adjustments: tuple[AdjustmentInput, ...] = ()
    exemption_reason: str = ""
    exemption_code: str = ""

    @property
    def group(self) -> GroupKey:
        return (self.vat_category, self.vat_rate)


@dataclass(frozen=True, slots=True)
class Priced:
    lines: tuple[Line, ...]
    allowances_charges: tuple[AllowanceCharge, ...]
    vat_breakdown: tuple[VatBreakdown, ...]
    totals: Totals


def price_vat_groups(
    groups: Sequence[VatBreakdown],
    parts: Sequence[Decimal],
    label: str,
    currency: str,
    nature: SupplyNature = SupplyNature.GOODS,
) -> Priced:
    """One line per VAT group, each for its VAT-inclusive part, priced so the parts are exact.

    Used where an amount is spread over an existing document's VAT groups: a credit note
    by amount, a down payment on an order. Groups whose part is zero get no line.
    """
    inputs = [
        LineInput(
            line_id=str(i + 1),
            name=label + (f" (TVA {group.rate} %)" if group.category is VatCategory.STANDARD else ""),
            quantity=Decimal(1),
            unit_code="C62",
            unit_price=part,
            vat_category=group.category,
            vat_rate=group.rate,
            nature=nature,
            exemption_reason=group.exemption_reason,
            exemption_code=group.exemption_code,
        )
        for i, (group, part) in enumerate(zip(groups, parts, strict=True))
        if part
    ]
    return price_document(inputs, [], PriceMode.GROSS, currency)


def amount_places(currency: str) -> int:
    """Decimals for amounts: the currency's minor units, at most 2 (BR-DEC-*)."""
    return min(2, minor_units(currency))


def price_document(
    lines: Sequence[LineInput],
    adjustments: Sequence[AdjustmentInput],
    mode: PriceMode,
    currency: str,
    prepaid: Decimal = Decimal(0),
) -> Priced:
    """Compute every figure of a document from its entered lines and adjustments."""
    places = amount_places(currency)
    entered = tuple(_price_line_in_mode(line, places) for line in lines)
    doc_adjustments = _expand_document_adjustments(entered, adjustments, places)
    if mode is PriceMode.NET:
        priced_lines, rounding = tuple(line for line, _ in entered), Decimal(0)
    else:
        priced_lines, doc_adjustments, rounding = _net_from_gross(entered, doc_adjustments, places)
    breakdown = _vat_breakdown(priced_lines, doc_adjustments, places)
    totals = _totals(priced_lines, doc_adjustments, breakdown, prepaid, rounding)
    return Priced(priced_lines, doc_adjustments, breakdown, totals)


# --- lines in the entry mode -------------------------------------------------------------


def _price_line_in_mode(line: LineInput, places: int) -> tuple[Line, LineInput]:
    """A `Line` whose amounts are still in the entry mode (net or gross), and its input."""
    base = round_amount_half_up(line.quantity * line.unit_price / line.base_quantity, places)
    allowances = tuple(_line_adjustment(a, base, places) for a in line.adjustments if not a.is_charge)
    charges = tuple(_line_adjustment(a, base, places) for a in line.adjustments if a.is_charge)
    amount = base - _sum(a.amount for a in allowances) + _sum(c.amount for c in charges)
    priced = Line(
        line_id=line.line_id,
        name=line.name,
        quantity=line.quantity,
        unit_code=line.unit_code,
        net_price=line.unit_price,
        vat_category=line.vat_category,
        vat_rate=line.vat_rate,
        net_amount=amount,
        base_quantity=line.base_quantity,
        description=line.description,
        seller_item_id=line.seller_item_id,
        nature=line.nature,
        allowances=allowances,
        charges=charges,
        exemption_reason=line.exemption_reason,
        exemption_code=line.exemption_code,
    )
    return priced, line


def _line_adjustment(adj: AdjustmentInput, base: Decimal, places: int) -> AllowanceCharge:
    if adj.amount is not None:
        return AllowanceCharge(adj.is_charge, adj.amount, adj.reason, adj.reason_code)
    percentage = adj.percentage if adj.percentage is not None else Decimal(0)
    amount = round_amount_half_up(base * percentage / HUNDRED, places)
    return AllowanceCharge(adj.is_charge, amount, adj.reason, adj.reason_code, base_amount=base, percentage=percentage)


# --- document-level allowances and charges -------------------------------------------------


def _group_amounts(entered: Sequence[tuple[Line, LineInput]]) -> dict[GroupKey, Decimal]:
    groups: dict[GroupKey, Decimal] = {}
    for line, source in entered:
        groups[source.group] = groups.get(source.group, Decimal(0)) + line.net_amount
    return groups


def _expand_document_adjustments(
    entered: Sequence[tuple[Line, LineInput]],
    adjustments: Sequence[AdjustmentInput],
    places: int,
) -> tuple[AllowanceCharge, ...]:
    groups = _group_amounts(entered)
    result: list[AllowanceCharge] = []
    for adj in adjustments:
        if adj.vat_category is not None and adj.vat_rate is not None:
            key = (adj.vat_category, adj.vat_rate)
            result.append(_document_adjustment(adj, key, groups.get(key, Decimal(0)), None, places))
        elif adj.amount is not None:
            keys = list(groups)
            parts = allocate_proportionally(adj.amount, [groups[k] for k in keys], places)
            result.extend(
                _document_adjustment(adj, k, groups[k], part, places) for k, part in zip(keys, parts, strict=True)
            )
        else:
            result.extend(_document_adjustment(adj, k, groups[k], None, places) for k in groups)
    return tuple(r for r in result if r.amount != 0 or len(result) == 1)


def _document_adjustment(
    adj: AdjustmentInput, key: GroupKey, group_base: Decimal, part: Decimal | None, places: int
) -> AllowanceCharge:
    category, rate = key
    if part is not None or adj.amount is not None:
        amount = part if part is not None else adj.amount
        assert amount is not None
        return AllowanceCharge(adj.is_charge, amount, adj.reason, adj.reason_code, vat_category=category, vat_rate=rate)
    percentage = adj.percentage if adj.percentage is not None else Decimal(0)
    return AllowanceCharge(
        adj.is_charge,
        round_amount_half_up(group_base * percentage / HUNDRED, places),
        adj.reason,
        adj.reason_code,
        base_amount=group_base,
        percentage=percentage,
        vat_category=category,
        vat_rate=rate,
    )


# --- VAT-inclusive entry -------------------------------------------------------------------


def solve_group_net(gross: Decimal, rate: Decimal, places: int = 2) -> tuple[Decimal, Decimal]:
    """The net N with N + round(N x rate/100) == gross, and the rounding left over (0 or 1 quantum).

    >>> solve_group_net(Decimal("10.00"), Decimal("20"))
    (Decimal('8.33'), Decimal('0'))
    >>> solve_group_net(Decimal("0.03"), Decimal("20"))
    (Decimal('0.02'), Decimal('0.01'))
    """
    quantum = Decimal(1).scaleb(-places)
    nearest = net_from_gross_half_up(gross, rate, places)
    candidates = (nearest, nearest - quantum, nearest + quantum)
    for net in candidates:
        if net + vat_amount_half_up(net, rate, places) == gross:
            return net, Decimal(0)
    for net in candidates:
        if net + vat_amount_half_up(net, rate, places) == gross - quantum:
            return net, quantum
    raise AssertionError(f"no net amount for gross {gross} at {rate} %")  # unreachable, see doc


def _net_from_gross(
    entered: Sequence[tuple[Line, LineInput]],
    doc_adjustments: Sequence[AllowanceCharge],
    places: int,
) -> tuple[tuple[Line, ...], tuple[AllowanceCharge, ...], Decimal]:
    keys = list(dict.fromkeys([s.group for _, s in entered] + [_key(a) for a in doc_adjustments]))
    net_lines: dict[int, Line] = {}
    net_adjustments: dict[int, AllowanceCharge] = {}
    rounding = Decimal(0)
    for key in keys:
        line_idx = [i for i, (_, s) in enumerate(entered) if s.group == key]
        adj_idx = [i for i, a in enumerate(doc_adjustments) if _key(a) == key]
        signed = [entered[i][0].net_amount for i in line_idx] + [_signed(doc_adjustments[i]) for i in adj_idx]
        gross_total = _sum(signed)
        rate = key[1] if key[0].has_rate else Decimal(0)
        net_total, leftover = solve_group_net(gross_total, rate, places)
        rounding += leftover
        exact = [value * HUNDRED / (HUNDRED + rate) for value in signed]
        nets = round_preserving_total(exact, net_total, places)
        for n, i in enumerate(line_idx):
            net_lines[i] = _line_to_net(entered[i][0], nets[n], rate, places)
        for n, i in enumerate(adj_idx, start=len(line_idx)):
            net_adjustments[i] = replace(doc_adjustments[i], amount=abs(nets[n]), base_amount=None, percentage=None)
    lines = tuple(net_lines[i] for i in range(len(entered)))
    adjustments = tuple(net_adjustments[i] for i in range(len(doc_adjustments)))
    return lines, adjustments, rounding


def _line_to_net(line: Line, net_amount: Decimal, rate: Decimal, places: int) -> Line:
    """Convert a gross-entered line once its net amount is known; derive BT-146."""
    allowances = tuple(_adjustment_to_net(a, rate, places) for a in line.allowances)
    charges = tuple(_adjustment_to_net(c, rate, places) for c in line.charges)
    base_net = net_amount + _sum(a.amount for a in allowances) - _sum(c.amount for c in charges)
    if base_net < 0 and charges:
        # The line's share of its group's net (largest remainder) fell a cent or two below
        # its own converted charges: the charges give those cents back, so the unit price
        # stays >= 0 (BR-27) and the line still adds up (BT-131).
        charges = _reduce(charges, -base_net)
        base_net = net_amount + _sum(a.amount for a in allowances) - _sum(c.amount for c in charges)
    base_quantity = line.base_quantity
    price = round_price_half_up(base_net * base_quantity / line.quantity) if line.quantity else base_net
    if round_amount_half_up(line.quantity * price / base_quantity, places) != base_net:
        # Only for quantities >= 10,000 can 6-decimal prices miss the cent: quote the
        # price for the whole quantity instead (BT-149 = BT-129), which is exact.
        base_quantity, price = line.quantity, base_net
    return replace(
        line,
        net_price=price,
        base_quantity=base_quantity,
        net_amount=net_amount,
        allowances=allowances,
        charges=charges,
    )


def _reduce(charges: tuple[AllowanceCharge, ...], amount: Decimal) -> tuple[AllowanceCharge, ...]:
    """Take `amount` off the charges, largest first, none below zero."""
    result = list(charges)
    for i in sorted(range(len(result)), key=lambda k: -result[k].amount):
        taken = min(amount, result[i].amount)
        result[i] = replace(result[i], amount=result[i].amount - taken)
        amount -= taken
    return tuple(result)


def _adjustment_to_net(adj: AllowanceCharge, rate: Decimal, places: int) -> AllowanceCharge:
    net = net_from_gross_half_up(adj.amount, rate, places)
    return replace(adj, amount=net, base_amount=None, percentage=None)


# --- breakdown and totals ------------------------------------------------------------------


def _vat_breakdown(
    lines: Sequence[Line], adjustments: Sequence[AllowanceCharge], places: int
) -> tuple[VatBreakdown, ...]:
    taxable: dict[GroupKey, Decimal] = {}
    reasons: dict[GroupKey, tuple[str, str]] = {}
    for line in lines:
        key = (line.vat_category, line.vat_rate)
        taxable[key] = taxable.get(key, Decimal(0)) + line.net_amount  # BR-S-08 and siblings
        if line.exemption_reason or line.exemption_code:
            reasons.setdefault(key, (line.exemption_reason, line.exemption_code))
    for adj in adjustments:
        key = _key(adj)
        taxable[key] = taxable.get(key, Decimal(0)) + _signed(adj)
    return tuple(
        VatBreakdown(
            category=cat,
            rate=rate,
            taxable_amount=amount,
            tax_amount=vat_amount_half_up(amount, rate if cat.has_rate else Decimal(0), places),
            exemption_reason=reasons.get((cat, rate), ("", ""))[0],
            exemption_code=reasons.get((cat, rate), ("", ""))[1],
        )
        for (cat, rate), amount in taxable.items()
    )


def _totals(
    lines: Sequence[Line],
    adjustments: Sequence[AllowanceCharge],
    breakdown: Sequence[VatBreakdown],
    prepaid: Decimal,
    rounding: Decimal,
) -> Totals:
    line_total = _sum(line.net_amount for line in lines)  # BR-CO-10
    allowance_total = _sum(a.amount for a in adjustments if not a.is_charge)  # BR-CO-11
    charge_total = _sum(a.amount for a in adjustments if a.is_charge)  # BR-CO-12
    tax_exclusive = line_total - allowance_total + charge_total  # BR-CO-13
    tax_total = _sum(b.tax_amount for b in breakdown)  # BR-CO-14
    tax_inclusive = tax_exclusive + tax_total  # BR-CO-15
    payable = tax_inclusive - prepaid + rounding  # BR-CO-16
    return Totals(
        line_total,
        allowance_total,
        charge_total,
        tax_exclusive,
        tax_total,
        tax_inclusive,
        prepaid,
        rounding,
        payable,
    )


def _key(adj: AllowanceCharge) -> GroupKey:
    assert adj.vat_category is not None and adj.vat_rate is not None
    return (adj.vat_category, adj.vat_rate)


def _signed(adj: AllowanceCharge) -> Decimal:
    return adj.amount if adj.is_charge else -adj.amount


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))
