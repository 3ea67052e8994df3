"""Splitting an amount into parts that add up exactly (largest-remainder method).

Used for VAT-inclusive pricing (distributing a group's net amount over its lines), for
document-level charges and allowances spread over several VAT rates, and for partial
credit notes by amount. Worked examples: docs/algorithms/rounding.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from facturier.domain.rounding import round_amount_half_up


def round_preserving_total(exact: Sequence[Decimal], total: Decimal, places: int = 2) -> tuple[Decimal, ...]:
    """Round each exact value half up, then move single quanta so the parts sum to `total`.

    The parts that lost the most to rounding get the missing quanta first (ties: the
    earlier part); when the parts overshoot, the ones that gained the most give back.
    Each part ends within one quantum of its exact value when `total` is the rounded
    sum of `exact`.
    """
    if not exact:
        return ()
    quantum = Decimal(1).scaleb(-places)
    rounded = [round_amount_half_up(value, places) for value in exact]
    missing = int((total - sum(rounded, Decimal(0))) / quantum)
    if missing == 0:
        return tuple(rounded)
    lost = [(exact[i] - rounded[i], i) for i in range(len(exact))]
    step = quantum if missing > 0 else -quantum
    # Largest loss first when adding, largest gain first when taking back.
    order = sorted(lost, key=lambda item: (-item[0] if missing > 0 else item[0], item[1]))
    for n in range(abs(missing)):
        rounded[order[n % len(order)][1]] += step
    return tuple(rounded)


def allocate_proportionally(amount: Decimal, weights: Sequence[Decimal], places: int = 2) -> tuple[Decimal, ...]:
    """Split `amount` in proportion to `weights`; the parts sum exactly to `amount`.

    With all weights zero the whole amount goes to the first part.

    >>> allocate_proportionally(Decimal("10.00"), [Decimal(1), Decimal(1), Decimal(1)])
    (Decimal('3.34'), Decimal('3.33'), Decimal('3.33'))
    """
    if not weights:
        return ()
    total_weight = sum((abs(w) for w in weights), Decimal(0))
    if total_weight == 0:
        return (amount, *(Decimal(0).quantize(Decimal(1).scaleb(-places)) for _ in weights[1:]))
    exact = [amount * abs(w) / total_weight for w in weights]
    return round_preserving_total(exact, amount, places)
