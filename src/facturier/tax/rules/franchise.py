"""Franchise en base (CGI art. 293 B): a French seller under the franchise charges no French VAT.

Applied after the place-of-supply rule: a line that would bear French VAT charged by the seller
(category S, country FR, mainland, Corsica or DOM) becomes category E at 0 % with VATEX code
VATEX-FR-FRANCHISE and the mention "TVA non applicable, art. 293 B du CGI". Other treatments
(exports, reverse charge, foreign VAT after the distance-sales threshold) are unchanged.
"""

from __future__ import annotations

from decimal import Decimal

from facturier.domain.codes import VatCategory
from facturier.tax.mentions import mention
from facturier.tax.model import LineTaxDecision, SellerTaxProfile

_ZERO = Decimal("0")
VATEX_FRANCHISE = "VATEX-FR-FRANCHISE"  # CEF VATEX code list: "France domestic VAT franchise"


def apply_franchise(seller: SellerTaxProfile, decision: LineTaxDecision) -> LineTaxDecision:
    if not (seller.franchise_en_base and seller.country == "FR"):
        return decision
    if decision.category is not VatCategory.STANDARD or decision.country != "FR":
        return decision
    m = mention("FRANCHISE", True)
    d = decision
    note = (
        f"Franchise en base (CGI art. 293 B): French VAT of {d.rate} % under rule {d.rule_id} "
        "is not charged."
    )
    return LineTaxDecision(  # explicit constructor: dataclasses.replace is slow on hot paths
        line_id=d.line_id,
        country=d.country,
        territory=d.territory,
        category=VatCategory.EXEMPT,
        rate=_ZERO,
        vatex_code=VATEX_FRANCHISE,
        exemption_reason_fr=m.fr,
        exemption_reason_en=m.en,
        rule_id="FR-FRANCHISE-293B",
        legal_reference=f"CGI art. 293 B (place of supply: {d.legal_reference})",
        explanation=(*d.explanation, note),
        oss_scheme=d.oss_scheme,
        mentions=(*d.mentions, m),
        warnings=d.warnings,
        rate_source=d.rate_source,
        mirrored_from_invoice=d.mirrored_from_invoice,
    )
