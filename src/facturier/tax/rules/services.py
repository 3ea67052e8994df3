"""Services: B2B general rule (Directive 2006/112/EC art. 44, reverse charge art. 196), B2C general
rule (art. 45) and B2C TBE services outside the distance-sales case (art. 58).

Special place-of-supply rules (art. 47 immovable property, 48-52 transport, 53-55 events and
restaurants, 56 hiring of means of transport) are not modelled: such services follow the general
rules here, which the documentation states.
"""

from __future__ import annotations

from decimal import Decimal

from facturier.domain.codes import VatCategory
from facturier.domain.errors import Violation
from facturier.tax.mentions import mention
from facturier.tax.model import LineTaxDecision, RateQuote, SupplyKind
from facturier.tax.rules.base import (
    LineContext,
    Outcome,
    base_explanation,
    build,
    local_outcome,
    raise_if,
)
from facturier.tax.territories import Territory

_ZERO = Decimal("0")
_SERVICE_KINDS = (SupplyKind.SERVICES, SupplyKind.TBE)


def _same_state(a: Territory, b: Territory) -> bool:
    """Same area, or two areas of the same state (mainland France and a DOM, CGI art. 259)."""
    return a.area == b.area or a.country == b.country


def _reverse_charge_missing(ctx: LineContext) -> list[Violation]:
    found: list[Violation] = []
    if ctx.buyer.vat_id is None:
        found.append(
            Violation(
                "TAX-AE-BUYER-VATID",
                "buyer.vat_id",
                "reverse charge needs the "
                "buyer's VAT id (Directive art. 226(4)); record it or treat the "
                "buyer as a consumer",
            )
        )
    if ctx.seller_place.in_eu_vat_territory and ctx.seller.vat_id is None:
        found.append(
            Violation(
                "TAX-AE-SELLER-VATID",
                "seller.vat_id",
                "reverse charge needs the seller's VAT id (Directive art. 226(3))",
            )
        )
    return found


class B2BServices:
    name = "b2b-services"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.line.kind in _SERVICE_KINDS and ctx.b2b

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        place = ctx.buyer_place  # Directive art. 44; CGI art. 259-1°: where the customer is
        if _same_state(place, ctx.seller_place):
            text = (
                f"Rule: B2B service, customer established in {place.name}, same state as "
                "the seller: taxed there (Directive art. 44; CGI art. 259-1°)."
            )
            return build(ctx, local_outcome(ctx, place, text))
        if place.in_eu_vat_territory:
            return self._reverse_charge(ctx, place)
        return self._outside(ctx, place)

    def _reverse_charge(self, ctx: LineContext, place: Territory) -> LineTaxDecision:
        raise_if(_reverse_charge_missing(ctx))
        m = mention("REVERSE_CHARGE", ctx.seller_is_fr)
        quote = RateQuote(
            VatCategory.REVERSE_CHARGE,
            _ZERO,
            "reverse charge, no rate at seller",
            "VATEX-EU-AE",
            m.fr,
            m.en,
        )
        ref = "Directive 2006/112/EC art. 44, 196 and 226(11a); CGI art. 259-1° and 283-2"
        lines = base_explanation(
            ctx,
            f"Rule EU-B2B-SERVICES-REVERSE-CHARGE: service to a "
            f"taxable person established in {place.country}: place of "
            f"supply there (art. 44), VAT due by the customer (art. 196).",
        )
        return build(
            ctx, Outcome(place, quote, "EU-B2B-SERVICES-REVERSE-CHARGE", ref, tuple(lines), (m,))
        )

    def _outside(self, ctx: LineContext, place: Territory) -> LineTaxDecision:
        m = mention("SERVICES_OUTSIDE_EU", ctx.seller_is_fr)
        quote = RateQuote(
            VatCategory.OUTSIDE_SCOPE,
            _ZERO,
            "place of supply outside the EU",
            "VATEX-EU-O",
            m.fr,
            m.en,
        )
        lines = base_explanation(
            ctx,
            f"Rule EU-B2B-SERVICES-OUTSIDE-EU: service to a taxable "
            f"person established in {place.code}, outside the EU VAT "
            "territory: not subject to EU VAT (Directive art. 44).",
        )
        return build(
            ctx,
            Outcome(
                place, quote, "EU-B2B-SERVICES-OUTSIDE-EU", m.legal_reference, tuple(lines), (m,)
            ),
        )


class B2CTbe:
    """TBE to consumers, when not an intra-EU distance sale: taxed where the customer is
    (Directive art. 58; CGI art. 259 D), outside EU VAT when the customer is outside it."""

    name = "b2c-tbe"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.line.kind is SupplyKind.TBE and not ctx.b2b

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        place = ctx.buyer_place
        if _same_state(place, ctx.seller_place):
            text = (
                f"Rule: TBE service to a consumer in {place.name}, same state as the seller: "
                "taxed where the customer is (Directive art. 58; CGI art. 259 D)."
            )
            return build(ctx, local_outcome(ctx, place, text))
        m = mention("OUTSIDE_SCOPE", ctx.seller_is_fr)
        quote = RateQuote(
            VatCategory.OUTSIDE_SCOPE,
            _ZERO,
            "place of supply outside the EU",
            "VATEX-EU-O",
            m.fr,
            m.en,
        )
        ref = "Directive 2006/112/EC art. 58; CGI art. 259 D"
        lines = base_explanation(
            ctx,
            f"Rule EU-TBE-B2C-OUTSIDE-EU: TBE service to a consumer "
            f"in {place.code}, outside the EU VAT territory: not subject "
            f"to EU VAT ({ref}).",
        )
        return build(ctx, Outcome(place, quote, "EU-TBE-B2C-OUTSIDE-EU", ref, tuple(lines), (m,)))


class B2CServices:
    """General rule for services to consumers: where the supplier is established (Directive
    art. 45; CGI art. 259-2°)."""

    name = "b2c-services"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.line.kind is SupplyKind.SERVICES and not ctx.b2b

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        place = ctx.seller_place
        text = (
            f"Rule: service to a consumer, general rule: taxed where the supplier is "
            f"established, {place.name} (Directive art. 45; CGI art. 259-2°)."
        )
        out = local_outcome(ctx, place, text)
        rule_id = "EU-B2C-SERVICES-ORIGIN" if out.rule_id == "EU-DOMESTIC" else out.rule_id
        return build(
            ctx,
            Outcome(
                place,
                out.quote,
                rule_id,
                "Directive 2006/112/EC art. 45; CGI art. 259-2°",
                out.explanation,
                out.mentions,
                warnings=out.warnings,
            ),
        )


B2B_SERVICES = B2BServices()
B2C_TBE = B2CTbe()
B2C_SERVICES = B2CServices()
