"""B2C distance sales of goods between member states and B2C TBE services to other member states.

Goods: Directive 2006/112/EC art. 33(a) (taxed where the transport ends) unless art. 59c keeps
them in the seller's state; CGI art. 258 A. TBE: art. 58 (where the customer is) unless art. 59c;
CGI art. 259 D. The EUR 10,000 threshold (art. 59c) applies only to a seller established in one
member state only, for goods dispatched from that state (art. 59c(1)(a)-(b)). Destination VAT is
declared through the OSS Union scheme (art. 369a-369k; CGI art. 298 sexdecies F) when the seller
is registered for it, otherwise in a local return in the destination state.
"""

from __future__ import annotations

from facturier.domain.errors import InvalidInput, Violation
from facturier.tax.model import LineTaxDecision, SupplyKind
from facturier.tax.rules.base import (
    GoodsRoute,
    LineContext,
    Outcome,
    base_explanation,
    build,
    exemption_mentions,
    local_outcome,
    quote_at,
    rate_line,
)
from facturier.tax.territories import Territory

_GOODS_REF = "Directive 2006/112/EC art. 33(a) and 59c; CGI art. 258 A"
_TBE_REF = "Directive 2006/112/EC art. 58 and 59c; CGI art. 259 D"


def is_distance_goods(ctx: LineContext) -> bool:
    return ctx.route is GoodsRoute.INTRA_EU and not ctx.b2b


def is_distance_tbe(ctx: LineContext) -> bool:
    return (
        ctx.line.kind is SupplyKind.TBE
        and not ctx.b2b
        and ctx.seller_place.in_eu_vat_territory
        and ctx.buyer_place.in_eu_vat_territory
        and ctx.seller_place.country != ctx.buyer_place.country
    )


def counts_for_threshold(ctx: LineContext) -> bool:
    """Art. 59c(1)(b): goods dispatched from the seller's state, or TBE to another state."""
    if is_distance_goods(ctx):
        return ctx.ship_from.country == ctx.seller_place.country
    return is_distance_tbe(ctx)


def _origin_and_destination(ctx: LineContext) -> tuple[Territory, Territory]:
    if ctx.is_goods:
        return ctx.ship_from, ctx.ship_to
    return ctx.seller_place, ctx.buyer_place


def _threshold_text(ctx: LineContext) -> tuple[bool, str]:
    """(destination?, why) for this line."""
    if not counts_for_threshold(ctx):
        return True, (
            f"Threshold: not applicable, goods dispatched from {ctx.ship_from.country} "
            f"and not from the seller's member state {ctx.seller_place.country} "
            "(Directive art. 59c(1)(b)): destination VAT."
        )
    if ctx.threshold is None:
        raise InvalidInput(
            [
                Violation(
                    "TAX-THRESHOLD-HISTORY",
                    "history",
                    "a cross-border B2C line needs the seller's DistanceSalesHistory",
                )
            ]
        )
    return ctx.threshold.exceeded, f"Threshold: {ctx.threshold.reason}."


def _reporting(ctx: LineContext, dest: Territory) -> tuple[str | None, str, tuple[str, ...]]:
    if ctx.seller.oss_union:
        return (
            "union",
            (
                f"Reporting: {dest.country} VAT declared in the OSS Union scheme return "
                "(Directive art. 369a-369k; CGI art. 298 sexdecies F)."
            ),
            (),
        )
    local_id = ctx.seller.vat_id_in(dest.country)
    if local_id is not None:
        return None, f"Reporting: declared in the {dest.country} VAT return under {local_id}.", ()
    return (
        None,
        f"Reporting: {dest.country} VAT is due.",
        (
            f"the seller is neither registered for the OSS Union scheme nor for VAT in "
            f"{dest.country}: it must register (OSS or locally) to declare this VAT",
        ),
    )


class DistanceSales:
    """Intra-EU B2C distance sales of goods (`goods=True`) or TBE services (`goods=False`)."""

    def __init__(self, goods: bool) -> None:
        self.goods = goods
        self.name = "distance-goods" if goods else "distance-tbe"
        self.prefix = "EU-DISTANCE-GOODS" if goods else "EU-TBE-B2C"
        self.reference = _GOODS_REF if goods else _TBE_REF

    def applies(self, ctx: LineContext) -> bool:
        return is_distance_goods(ctx) if self.goods else is_distance_tbe(ctx)

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        origin, dest = _origin_and_destination(ctx)
        destination, why = _threshold_text(ctx)
        what = "goods" if self.goods else "TBE services"
        head = f"B2C distance sale of {what} from {origin.country} to {dest.country}"
        if destination:
            return self._destination(ctx, dest, head, why)
        text = f"Rule {self.prefix}-ORIGIN: {head}, taxed in {origin.country} ({self.reference})."
        out = local_outcome(ctx, origin, text)
        rule_id = f"{self.prefix}-ORIGIN"
        explanation = (*out.explanation, why)
        return build(
            ctx, Outcome(origin, out.quote, rule_id, self.reference, explanation, out.mentions)
        )

    def _destination(
        self, ctx: LineContext, dest: Territory, head: str, why: str
    ) -> LineTaxDecision:
        quote = quote_at(ctx, dest)
        scheme, report, warnings = _reporting(ctx, dest)
        text = f"Rule {self.prefix}-DEST: {head}, taxed in {dest.country} ({self.reference})."
        lines = (*base_explanation(ctx, text), why, rate_line(quote, ctx), report)
        mentions = exemption_mentions(quote)
        out = Outcome(
            dest, quote, f"{self.prefix}-DEST", self.reference, lines, mentions, scheme, warnings
        )
        return build(ctx, out)


class NonEuSellerTbe:
    """TBE to EU consumers by a seller not established in the EU: always destination VAT
    (Directive art. 58; non-Union scheme art. 358a-369k; no threshold, art. 59c is EU-only)."""

    name = "non-eu-seller-tbe"

    def applies(self, ctx: LineContext) -> bool:
        return (
            ctx.line.kind is SupplyKind.TBE
            and not ctx.b2b
            and not ctx.seller_place.in_eu_vat_territory
            and ctx.buyer_place.in_eu_vat_territory
            and ctx.seller_place.country != ctx.buyer_place.country
        )

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        dest = ctx.buyer_place
        quote = quote_at(ctx, dest)
        scheme = "non-union" if ctx.seller.oss_union else None
        warnings = (
            ()
            if scheme or ctx.seller.vat_id_in(dest.country)
            else (f"the seller must register for the non-Union scheme or in {dest.country}",)
        )
        ref = "Directive 2006/112/EC art. 58 and 358a-369k"
        lines = base_explanation(
            ctx,
            f"Rule NON-EU-TBE-B2C-DEST: TBE services by a seller "
            f"established outside the EU to a consumer in {dest.country}: "
            f"{dest.country} VAT ({ref}).",
        )
        lines.append(rate_line(quote, ctx))
        return build(
            ctx,
            Outcome(
                dest,
                quote,
                "NON-EU-TBE-B2C-DEST",
                ref,
                tuple(lines),
                exemption_mentions(quote),
                scheme,
                warnings,
            ),
        )


DISTANCE_GOODS = DistanceSales(goods=True)
DISTANCE_TBE = DistanceSales(goods=False)
NON_EU_SELLER_TBE = NonEuSellerTbe()
