"""Document-level charges (shipping, packaging...) follow the VAT treatment of what they accompany.

An ancillary supply shares the tax treatment of the principal supply (Directive 2006/112/EC
art. 78(b); CJEU C-349/96 Card Protection Plan; BOI-TVA-LIQ-10-10 for shipping costs). With
several (category, rate) pairs among the lines the charge is split in proportion of their net
amounts; the parts are rounded to cents so they add up exactly. The rounding is the project's one
proportional split, `facturier.domain.allocation.allocate_proportionally` (also used by pricing for
document-level charges without a rate), so an invoice and its explanation always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from facturier.domain.allocation import allocate_proportionally
from facturier.domain.codes import VatCategory
from facturier.domain.errors import InvalidInput, Violation
from facturier.tax.model import LineTaxDecision

ChargeKey = tuple[VatCategory, Decimal]
CENT = Decimal("0.01")


def _order(key: ChargeKey) -> tuple[str, Decimal]:
    return key[0].value, -key[1]


def _validate(amount: Decimal, weights: Mapping[ChargeKey, Decimal]) -> None:
    problems: list[Violation] = []
    if not isinstance(amount, Decimal) or amount != amount.quantize(CENT):
        problems.append(
            Violation(
                "TAX-CHARGE-AMOUNT",
                "amount",
                f"charge {amount!r} must be a Decimal with at most 2 decimals",
            )
        )
    if not weights or any(not isinstance(w, Decimal) or w < 0 for w in weights.values()):
        problems.append(
            Violation(
                "TAX-CHARGE-WEIGHTS",
                "weights",
                "weights must be non-negative Decimals, at least one",
            )
        )
    elif sum(weights.values(), Decimal("0")) == 0:
        problems.append(Violation("TAX-CHARGE-WEIGHTS", "weights", "weights sum to zero"))
    if problems:
        raise InvalidInput(problems)


def split_charge(amount: Decimal, weights: Mapping[ChargeKey, Decimal]) -> dict[ChargeKey, Decimal]:
    """Split `amount` over the keys in proportion of `weights`, parts in cents summing exactly.

    Keys are taken in (category code, rate descending) order; each exact share is rounded half
    up to the cent, then single cents move until the parts sum to the amount: to the parts that
    lost most by rounding, or back from those that gained most (ties: the key first in that
    order). Negative amounts (credit notes) keep their sign.
    """
    _validate(amount, weights)
    keys = sorted(weights, key=_order)
    parts = allocate_proportionally(amount, [weights[k] for k in keys], 2)
    return {k: part.quantize(CENT) for k, part in zip(keys, parts, strict=True)}


@dataclass(frozen=True, slots=True)
class ChargePart:
    """One part of a document-level charge with the treatment of the lines it follows."""

    amount: Decimal
    decision: LineTaxDecision


def allocate_charge(
    charge_id: str, amount: Decimal, lines: Sequence[tuple[LineTaxDecision, Decimal]]
) -> tuple[ChargePart, ...]:
    """Split a charge over the order's (category, rate) groups, weighted by line net amounts."""
    weights: dict[ChargeKey, Decimal] = {}
    treatment: dict[ChargeKey, LineTaxDecision] = {}
    for decision, net in lines:
        key = (decision.category, decision.rate)
        weights[key] = weights.get(key, Decimal("0")) + net
        treatment.setdefault(key, decision)
    split = split_charge(amount, weights)
    note = (
        f"Document-level charge {charge_id}: follows the VAT treatment of the lines it "
        "accompanies (Directive 2006/112/EC art. 78(b); CJEU C-349/96), split pro rata of "
        "their net amounts by largest remainder."
    )
    return tuple(
        ChargePart(
            part,
            replace(
                treatment[key],
                line_id=f"{charge_id}:{key[0].value}:{key[1]}",
                explanation=(*treatment[key].explanation, note),
            ),
        )
        for key, part in split.items()
    )
