"""Rule families, tried in this order (the decision tree in docs/algorithms/tax-determination.md).

Each family is a module behind the `TaxRule` protocol; the first whose `applies` is true decides.
"""

from __future__ import annotations

from facturier.tax.rules.base import LineContext, TaxRule
from facturier.tax.rules.cross_border_goods import EXPORT_GOODS, IMPORT_GOODS, OUTSIDE_GOODS
from facturier.tax.rules.distance_sales import DISTANCE_GOODS, DISTANCE_TBE, NON_EU_SELLER_TBE
from facturier.tax.rules.domestic import LOCAL_GOODS
from facturier.tax.rules.intra_eu_goods import INTRA_EU_B2B_GOODS
from facturier.tax.rules.services import B2B_SERVICES, B2C_SERVICES, B2C_TBE

RULES: tuple[TaxRule, ...] = (
    LOCAL_GOODS,
    INTRA_EU_B2B_GOODS,
    DISTANCE_GOODS,
    EXPORT_GOODS,
    IMPORT_GOODS,
    OUTSIDE_GOODS,
    B2B_SERVICES,
    DISTANCE_TBE,
    NON_EU_SELLER_TBE,
    B2C_TBE,
    B2C_SERVICES,
)


def rule_for(ctx: LineContext) -> TaxRule:
    for rule in RULES:
        if rule.applies(ctx):
            return rule
    raise AssertionError("the last rules cover every services/TBE case")  # pragma: no cover


__all__ = ["RULES", "LineContext", "TaxRule", "rule_for"]
