"""Goods that do not cross a VAT border: taxed where they are (Directive 2006/112/EC art. 31-32;
CGI art. 258 I a and b). The jurisdiction of the place gives rule id, category and rate: EU member
state (Corsica with CGI art. 297 rates), French DOM (CGI art. 294/296), Guyane/Mayotte (art. 294-1),
Canary Islands (IGIC), Ceuta/Melilla (IPSI), third countries (outside EU VAT)."""

from __future__ import annotations

from facturier.tax.model import LineTaxDecision
from facturier.tax.rules.base import GoodsRoute, LineContext, build, local_outcome


class LocalGoods:
    name = "local-goods"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.route is GoodsRoute.LOCAL

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        text = (
            f"Rule: supply of goods within {ctx.ship_to.name} ({ctx.ship_to.code}): no VAT "
            "border crossed, taxed where the goods are (Directive 2006/112/EC art. 31-32; "
            "CGI art. 258 I)."
        )
        return build(ctx, local_outcome(ctx, ctx.ship_to, text))


LOCAL_GOODS = LocalGoods()
