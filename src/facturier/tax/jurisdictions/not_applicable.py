"""Places where no VAT (of the EU or of France) applies to a local supply: Guyane and Mayotte
(CGI art. 294-1), the other art. 6 territories (Åland, Mount Athos) and third countries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from facturier.domain.codes import VatCategory
from facturier.tax.model import RateQuote
from facturier.tax.rates import RateTable
from facturier.tax.territories import Territory


@dataclass(frozen=True, slots=True)
class NoVat:
    rule_id: str
    reference: str
    reason_fr: str
    reason_en: str

    def local_rule_id(self, territory: Territory) -> str:
        return self.rule_id

    def legal_reference(self, territory: Territory) -> str:
        return self.reference

    def quote(
        self, territory: Territory, product_class: str, on: date, table: RateTable, path: str
    ) -> RateQuote:
        return RateQuote(
            VatCategory.OUTSIDE_SCOPE,
            Decimal("0"),
            f"{territory.name} ({territory.code}): {self.reason_en}",
            "VATEX-EU-O",
            self.reason_fr,
            self.reason_en,
        )


# CGI art. 294-1: "La TVA n'est provisoirement pas applicable dans les départements de la Guyane
# et de Mayotte"
FR_DOM_NO_VAT = NoVat(
    "FR-DOM-VAT-NOT-APPLICABLE",
    "CGI art. 294-1",
    "TVA non applicable, article 294-1 du CGI",
    "VAT not applicable in French Guiana and Mayotte (article 294-1 of the French CGI)",
)
# Directive 2006/112/EC art. 6(1) and (2): territories excluded from the EU VAT territory
EXCLUDED = NoVat(
    "EU-EXCLUDED-TERRITORY",
    "Directive 2006/112/EC art. 6",
    "Opération hors du champ de la TVA de l'UE (territoire exclu, article 6 de la directive)",
    "Outside the scope of EU VAT (territory excluded by Article 6 of Directive 2006/112/EC)",
)
# Directive 2006/112/EC art. 5 and 2(1): supplies located outside the EU are not taxed in the EU
THIRD_COUNTRY = NoVat(
    "OUT-OF-SCOPE",
    "Directive 2006/112/EC art. 2(1) and 5",
    "Opération hors du champ de la TVA de l'Union européenne",
    "Outside the scope of EU VAT",
)
