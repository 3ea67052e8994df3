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


def _needs(rule_id: str, path: str, what: str) -> Violation:
    return Violation(rule_id, path, f"intra-Community supply needs {what}")


def missing(ctx: LineContext) -> list[Violation]:
    """Art. 138(1) and art. 226(3)/(4): both VAT ids, the delivery date and the destination."""
    dispatch, buyer_id = ctx.ship_from.country, ctx.buyer.vat_id
    found: list[Violation] = []
    if ctx.seller.vat_id_in(dispatch) is None:
        found.append(
            _needs("TAX-K-SELLER-VATID", "seller.vat_id", f"the seller's id in {dispatch}")
        )
    if buyer_id is None:
        found.append(_needs("TAX-K-BUYER-VATID", "buyer.vat_id", "the buyer's VAT id (art. 138)"))
    elif vat_id_country(buyer_id) == dispatch:
        what = f"a buyer VAT id of another state than {dispatch}, not {buyer_id}"
        found.append(_needs("TAX-K-BUYER-VATID-COUNTRY", "buyer.vat_id", what))
    if ctx.line.supply_date is None:
        found.append(_needs("TAX-K-DELIVERY-DATE", f"{ctx.path}.supply_date", "the delivery date"))
    if ctx.line.ship_to is None:
        found.append(_needs("TAX-K-DELIVER-TO", f"{ctx.path}.ship_to", "the deliver-to country"))
    return found


def _explanation(ctx: LineContext) -> tuple[str, ...]:
    frm, to = ctx.ship_from.country, ctx.ship_to.country
    text = (
        f"Rule EU-INTRA-GOODS-B2B: goods dispatched from {frm} to {to} for a taxable person "
        f"identified there: exempt in {frm} (Directive 2006/112/EC art. 138(1); CGI art. 262 ter "
        f"I); the buyer self-assesses the acquisition in {to} (art. 20, 40)."
    )
    ids = (
        f"Delivery date {ctx.line.supply_date}, deliver-to {ctx.ship_to.code}; seller id "
        f"{ctx.seller.vat_id_in(frm)}, buyer id {ctx.buyer.vat_id}."
    )
    return (*base_explanation(ctx, text), ids)


class IntraEuB2BGoods:
    name = "intra-eu-b2b-goods"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.route is GoodsRoute.INTRA_EU and ctx.b2b

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        raise_if(missing(ctx))
        m = mention("INTRA_EU_GOODS", ctx.seller_is_fr)
        category = VatCategory.INTRA_COMMUNITY
        quote = RateQuote(category, Decimal("0"), "exempt supply, no rate", VATEX_IC, m.fr, m.en)
        ref = m.legal_reference + "; art. 226(4)"
        rule_id = "EU-INTRA-GOODS-B2B"
        return build(ctx, Outcome(ctx.ship_from, quote, rule_id, ref, _explanation(ctx), (m,)))


INTRA_EU_B2B_GOODS = IntraEuB2BGoods()
