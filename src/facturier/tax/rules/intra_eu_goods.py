"""Intra-Community supply of goods to a taxable person identified in another member state:
exempt in the member state of dispatch (Directive 2006/112/EC art. 138(1); CGI art. 262 ter I),
category K, the acquirer self-assesses in the member state of arrival (art. 20, 40)."""

from __future__ import annotations

from decimal import Decimal

from facturier.domain.codes import VatCategory
from facturier.domain.errors import Violation
from facturier.tax.mentions import mention
from facturier.tax.model import LineTaxDecision, RateQuote
from facturier.tax.rules.base import (
    GoodsRoute,
    LineContext,
    Outcome,
    base_explanation,
    build,
    raise_if,
)
from facturier.tax.vatid import vat_id_country

VATEX_IC = "VATEX-EU-IC"


def missing(ctx: LineContext) -> list[Violation]:
    """Art. 138(1) and art. 226(3)/(4): both VAT ids, the delivery date and the destination."""
    dispatch = ctx.ship_from.country
    buyer_id = ctx.buyer.vat_id
    checks = (
        (
            ctx.seller.vat_id_in(dispatch) is None,
            "TAX-K-SELLER-VATID",
            "seller.vat_id",
            f"intra-Community supply needs the seller's VAT id in {dispatch}",
        ),
        (
            buyer_id is None,
            "TAX-K-BUYER-VATID",
            "buyer.vat_id",
            "intra-Community supply needs the buyer's VAT id (Directive art. 138(1)(b))",
        ),
        (
            buyer_id is not None and vat_id_country(buyer_id) == dispatch,
            "TAX-K-BUYER-VATID-COUNTRY",
            "buyer.vat_id",
            f"buyer VAT id {buyer_id} is from the dispatch state {dispatch}",
        ),
        (
            ctx.line.supply_date is None,
            "TAX-K-DELIVERY-DATE",
            f"{ctx.path}.supply_date",
            "intra-Community supply needs the delivery date",
        ),
        (
            ctx.line.ship_to is None,
            "TAX-K-DELIVER-TO",
            f"{ctx.path}.ship_to",
            "intra-Community supply needs the deliver-to country",
        ),
    )
    return [Violation(rule, path, msg) for failed, rule, path, msg in checks if failed]


class IntraEuB2BGoods:
    name = "intra-eu-b2b-goods"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.route is GoodsRoute.INTRA_EU and ctx.b2b

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        raise_if(missing(ctx))
        m = mention("INTRA_EU_GOODS", ctx.seller_is_fr)
        quote = RateQuote(
            VatCategory.INTRA_COMMUNITY,
            Decimal("0"),
            "exempt supply, no rate",
            VATEX_IC,
            m.fr,
            m.en,
        )
        text = (
            f"Rule EU-INTRA-GOODS-B2B: goods dispatched from {ctx.ship_from.country} to "
            f"{ctx.ship_to.country} for a taxable person identified there: exempt in "
            f"{ctx.ship_from.country} (Directive 2006/112/EC art. 138(1); CGI art. 262 ter I)"
            f"; the buyer self-assesses the acquisition in {ctx.ship_to.country} (art. 20, "
            "40)."
        )
        lines = base_explanation(ctx, text)
        lines.append(
            f"Delivery date {ctx.line.supply_date}, deliver-to {ctx.ship_to.code}; "
            f"seller id {ctx.seller.vat_id_in(ctx.ship_from.country)}, buyer id "
            f"{ctx.buyer.vat_id}."
        )
        return build(
            ctx,
            Outcome(
                ctx.ship_from,
                quote,
                "EU-INTRA-GOODS-B2B",
                m.legal_reference + "; art. 226(4)",
                tuple(lines),
                (m,),
            ),
        )


INTRA_EU_B2B_GOODS = IntraEuB2BGoods()
