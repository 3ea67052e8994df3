"""Goods leaving or entering a VAT area: exports (G), imports (IOSS or no VAT at sale, O) and
movements with no VAT at either end (O)."""

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
    quote_at,
    raise_if,
    rate_line,
)
from facturier.tax.territories import Regime

IOSS_LIMIT = Decimal("150")  # Directive 2006/112/EC art. 369l(1) (intrinsic value <= EUR 150)
_ZERO = Decimal("0")
_FR_DOM = (Regime.FR_DOM, Regime.FR_DOM_NO_VAT)


class ExportGoods:
    name = "export-goods"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.route is GoodsRoute.EXPORT

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        m = mention("EXPORT", ctx.seller_is_fr)
        dom = ctx.ship_from.regime in _FR_DOM or ctx.ship_to.regime in _FR_DOM
        rule_id = "FR-DOM-EXPORT" if dom else "EU-EXPORT"
        ref = m.legal_reference + ("; CGI art. 294-2" if dom else "")
        quote = RateQuote(
            VatCategory.EXPORT, _ZERO, "exempt export, no rate", "VATEX-EU-G", m.fr, m.en
        )
        lines = base_explanation(
            ctx,
            f"Rule {rule_id}: goods dispatched from "
            f"{ctx.ship_from.code} to {ctx.ship_to.code}, outside the "
            f"VAT area of dispatch: exempt export ({ref}).",
        )
        lines.append("Proof of exit from the territory (customs export declaration) must be kept.")
        return build(ctx, Outcome(ctx.ship_from, quote, rule_id, ref, tuple(lines), (m,)))


def _o_quote(reason_fr: str, reason_en: str) -> RateQuote:
    return RateQuote(
        VatCategory.OUTSIDE_SCOPE,
        _ZERO,
        "no VAT charged at sale",
        "VATEX-EU-O",
        reason_fr,
        reason_en,
    )


def _no_ioss_reason(ctx: LineContext, value: Decimal) -> tuple[str, str] | None:
    """Why IOSS does not apply, or None when it does."""
    if ctx.b2b:
        return "EU-IMPORT-B2B", "business buyer: it imports the goods and pays import VAT"
    if not ctx.ship_to.in_eu_vat_territory:
        return "FR-DOM-IMPORT", f"{ctx.ship_to.name} is outside the EU VAT territory: no IOSS"
    if value > IOSS_LIMIT:
        return "EU-IMPORT-ABOVE-150", (
            f"consignment value EUR {value} > EUR {IOSS_LIMIT}: IOSS not available "
            "(Directive art. 369l)"
        )
    if ctx.seller.ioss_number:
        return None
    return "EU-IMPORT-NO-IOSS", "the seller has no IOSS number (Directive art. 369l-369x)"


class ImportGoods:
    """Import VAT is due on importation (Directive art. 30, 70, 201) unless the seller declares
    the sale of a consignment <= EUR 150 through IOSS: then destination VAT on the sale
    (art. 14(4)(2), 33(c), 143(1)(ca), 369l-369x; CGI art. 298 sexdecies H)."""

    name = "import-goods"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.route is GoodsRoute.IMPORT

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        value = ctx.line.consignment_value
        if value is None:
            raise_if(
                [
                    Violation(
                        "TAX-IMPORT-CONSIGNMENT-VALUE",
                        f"{ctx.path}.consignment_value",
                        "an imported line needs the consignment's intrinsic value",
                    )
                ]
            )
        assert value is not None
        reason = _no_ioss_reason(ctx, value)
        if reason is None:
            return self._ioss(ctx, value)
        rule_id, why = reason
        m = mention("IMPORT_VAT_AT_BORDER", ctx.seller_is_fr)
        ref = "Directive 2006/112/EC art. 30, 70 and 201"
        lines = base_explanation(
            ctx,
            f"Rule {rule_id}: goods imported from "
            f"{ctx.ship_from.code} into {ctx.ship_to.code}; {why}. No VAT "
            f"is charged on the sale; import VAT is collected at the border "
            f"({ref}; category O chosen, see docs).",
        )
        return build(
            ctx, Outcome(ctx.ship_to, _o_quote(m.fr, m.en), rule_id, ref, tuple(lines), (m,))
        )

    def _ioss(self, ctx: LineContext, value: Decimal) -> LineTaxDecision:
        quote = quote_at(ctx, ctx.ship_to)
        ref = (
            "Directive 2006/112/EC art. 14(4)(2), 33(c), 143(1)(ca) and 369l-369x; "
            "CGI art. 298 sexdecies H"
        )
        lines = base_explanation(
            ctx,
            f"Rule EU-IOSS-IMPORT: distance sale of goods imported "
            f"from {ctx.ship_from.code} into {ctx.ship_to.country}, "
            f"consignment EUR {value} <= EUR {IOSS_LIMIT}: "
            f"{ctx.ship_to.country} VAT charged at sale and declared in "
            f"IOSS under {ctx.seller.ioss_number}; import exempt ({ref}).",
        )
        lines.append(rate_line(quote, ctx))
        return build(
            ctx, Outcome(ctx.ship_to, quote, "EU-IOSS-IMPORT", ref, tuple(lines), (), "import")
        )


class OutsideGoods:
    name = "outside-goods"

    def applies(self, ctx: LineContext) -> bool:
        return ctx.route is GoodsRoute.OUTSIDE

    def decide(self, ctx: LineContext) -> LineTaxDecision:
        m = mention("OUTSIDE_SCOPE", ctx.seller_is_fr)
        ref = "Directive 2006/112/EC art. 2(1), 5 and 6"
        lines = base_explanation(
            ctx,
            f"Rule OUT-OF-SCOPE: goods moved from {ctx.ship_from.code} "
            f"to {ctx.ship_to.code}, neither in a VAT area: outside the "
            f"scope of EU VAT ({ref}).",
        )
        return build(
            ctx, Outcome(ctx.ship_to, _o_quote(m.fr, m.en), "OUT-OF-SCOPE", ref, tuple(lines), (m,))
        )


EXPORT_GOODS = ExportGoods()
IMPORT_GOODS = ImportGoods()
OUTSIDE_GOODS = OutsideGoods()
