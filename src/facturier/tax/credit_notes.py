"""Credit notes mirror the VAT treatment of the invoice they correct.

A reduction of the taxable amount follows the taxation of the original supply (Directive
2006/112/EC art. 90 and 185; CGI art. 272 1 and 271): same country, category, rate and scheme,
even if rates or the distance-sales threshold status changed since. Nothing is re-decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from facturier.tax.model import LineTaxDecision, OrderTaxDecision

MIRROR_NOTE = (
    "Credit note: mirrors the VAT treatment of the original invoice line (Directive "
    "2006/112/EC art. 90; CGI art. 272 1): not re-decided with today's rates or "
    "threshold status."
)


def _mirror(decision: LineTaxDecision) -> LineTaxDecision:
    if decision.mirrored_from_invoice:
        return decision
    return replace(
        decision, mirrored_from_invoice=True, explanation=(*decision.explanation, MIRROR_NOTE)
    )


def mirror_for_credit_note(
    original_decisions: Sequence[LineTaxDecision],
) -> tuple[LineTaxDecision, ...]:
    return tuple(_mirror(d) for d in original_decisions)


def mirror_order_for_credit_note(original: OrderTaxDecision) -> OrderTaxDecision:
    return replace(
        original,
        lines=mirror_for_credit_note(original.lines),
        explanation=(*original.explanation, MIRROR_NOTE),
    )
