"""What remains creditable of an invoice, per VAT group, and how a credit by amount is split.

A credit note reduces the taxable amount and the VAT of the invoice it refers to (Directive
2006/112/EC art. 90, CGI art. 272 1, BG-3): per (category, rate) group, what is left is the
invoice's BT-116 and BT-117 minus the BT-116 and BT-117 of every credit note referring to it.
Never rounded VAT-inclusive totals: a credit note mixing partial lines and amounts must not
credit more VAT at 20 % than was invoiced at 20 %.

A credit note is a document like any other, so each of its groups obeys BR-CO-17 exactly
(VAT = round(taxable x rate / 100)). What a group can still credit is therefore the largest
pair (taxable, round(taxable x rate / 100)) within both what remains of its taxable amount and
of its VAT; it is exactly what remains unless earlier roundings left the remaining pair off
BR-CO-17 by a cent. An amount (VAT included) is split over the groups in proportion to what
they can still credit, then single cents move between groups so that each group's part is a
reachable VAT-inclusive amount (some net plus its VAT; one in six is not at 20 %, see
docs/algorithms/rounding.md section 6). Worked tables: docs/algorithms/credit-notes.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from facturier.domain.allocation import allocate_proportionally
from facturier.domain.documents import Document, VatBreakdown
from facturier.domain.pricing import GroupKey, solve_group_net
from facturier.domain.rounding import HUNDRED, round_amount_half_up, vat_amount_half_up

MAX_SHIFT = 2  # quanta a group's part may move away from its proportional share


def _rate(group: VatBreakdown) -> Decimal:
    return group.rate if group.category.has_rate else Decimal(0)


def remaining_by_group(invoice: Document, credits: Iterable[Document]) -> tuple[VatBreakdown, ...]:
    """Per group of the invoice: its BT-116 and BT-117 minus those of the credit notes (art. 90)."""
    credited: dict[GroupKey, tuple[Decimal, Decimal]] = {}
    for credit in credits:
        for b in credit.vat_breakdown:
            taxable, tax = credited.get((b.category, b.rate), (Decimal(0), Decimal(0)))
            credited[(b.category, b.rate)] = (taxable + b.taxable_amount, tax + b.tax_amount)
    result = []
    for b in invoice.vat_breakdown:
        taxable, tax = credited.get((b.category, b.rate), (Decimal(0), Decimal(0)))
        result.append(replace(b, taxable_amount=b.taxable_amount - taxable, tax_amount=b.tax_amount - tax))
    return tuple(result)


def creditable(group: VatBreakdown, places: int) -> VatBreakdown:
    """The largest (taxable, VAT) pair with VAT = round(taxable x rate / 100) (BR-CO-17) within
    both the group's remaining taxable amount and its remaining VAT; zero when nothing is left."""
    zero = Decimal(0).scaleb(-places)
    quantum = Decimal(1).scaleb(-places)
    rate = _rate(group)
    taxable = group.taxable_amount
    if taxable <= 0 or group.tax_amount < 0:
        return replace(group, taxable_amount=zero, tax_amount=zero)
    # VAT grows with the taxable amount: step down until it fits what remains of the VAT.
    # The first step jumps close to the bound; the loop then moves a few quanta at most.
    if rate and vat_amount_half_up(taxable, rate, places) > group.tax_amount:
        taxable = min(taxable, round_amount_half_up(group.tax_amount * HUNDRED / rate, places))
        while taxable > 0 and vat_amount_half_up(taxable, rate, places) > group.tax_amount:
            taxable -= quantum
        while taxable + quantum <= group.taxable_amount and (
            vat_amount_half_up(taxable + quantum, rate, places) <= group.tax_amount
        ):
            taxable += quantum
    taxable = max(taxable, zero)
    return replace(group, taxable_amount=taxable, tax_amount=vat_amount_half_up(taxable, rate, places))


def creditable_groups(invoice: Document, credits: Iterable[Document], places: int) -> tuple[VatBreakdown, ...]:
    return tuple(creditable(g, places) for g in remaining_by_group(invoice, credits))


def gross(group: VatBreakdown) -> Decimal:
    return group.taxable_amount + group.tax_amount


def reachable(amount: Decimal, group: VatBreakdown, places: int) -> bool:
    """True when some net N gives N + round(N x rate / 100) == amount, within the group."""
    if amount < 0 or amount > gross(group):
        return False
    return solve_group_net(amount, _rate(group), places)[1] == 0


def split_amount(amount: Decimal, groups: Sequence[VatBreakdown], places: int) -> tuple[Decimal, ...] | None:
    """VAT-inclusive parts of `amount`, one per creditable group, adding up to it exactly.

    Start from the split in proportion to what each group can still credit (largest remainder);
    a part that no net amount reaches moves by a cent or two, another part the other way, the
    fewest cents moved in all (ties: the earlier groups keep their share). None when no such
    split exists (one group and an unreachable amount, e.g. 0.03 at 20 %).
    """
    quantum = Decimal(1).scaleb(-places)
    base = allocate_proportionally(amount, [gross(g) for g in groups], places)
    # Dynamic programme over the groups: net shift in quanta -> (cents moved, shifts chosen).
    best: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, ())}
    for part, group in zip(base, groups, strict=True):
        options = [s for s in _shifts() if reachable(part + s * quantum, group, places)]
        step: dict[int, tuple[int, tuple[int, ...]]] = {}
        for total, (cost, chosen) in best.items():
            for s in options:
                candidate = (cost + abs(s), (*chosen, s))
                if total + s not in step or candidate[0] < step[total + s][0]:
                    step[total + s] = candidate
        best = step
    if 0 not in best:
        return None
    return tuple(part + s * quantum for part, s in zip(base, best[0][1], strict=True))


def _shifts() -> list[int]:
    """0 first, then the smaller moves, down before up: the order ties are broken in."""
    return [0, *(s for k in range(1, MAX_SHIFT + 1) for s in (-k, k))]


def nearest_splittable(
    amount: Decimal, groups: Sequence[VatBreakdown], places: int
) -> tuple[Decimal | None, Decimal | None]:
    """The closest amounts below and above `amount` that `split_amount` can credit (for messages)."""
    quantum = Decimal(1).scaleb(-places)
    ceiling = sum((gross(g) for g in groups), Decimal(0))

    def first(candidates: Iterable[Decimal]) -> Decimal | None:
        return next((x for x in candidates if 0 < x <= ceiling and split_amount(x, groups, places)), None)

    return first(amount - k * quantum for k in range(1, 4)), first(amount + k * quantum for k in range(1, 4))
