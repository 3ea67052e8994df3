"""Ceuta and Melilla: outside the EU VAT territory (Directive 2006/112/EC art. 6(1)(c)); local
sales bear IPSI (Ley 8/1991), UNTDID 5305 category M. IPSI rates are set by each city's
ordinance and are not in the rate data: a local sale there is refused, never guessed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from facturier.domain.errors import InvalidInput, Violation
from facturier.tax.model import RateQuote
from facturier.tax.rates import RateTable
from facturier.tax.territories import Territory


@dataclass(frozen=True, slots=True)
class CeutaMelilla:
    def local_rule_id(self, territory: Territory) -> str:
        return "ES-CEUTA-MELILLA-IPSI"

    def legal_reference(self, territory: Territory) -> str:
        return "Directive 2006/112/EC art. 6(1)(c); Ley 8/1991 (IPSI)"

    def quote(
        self, territory: Territory, product_class: str, on: date, table: RateTable, path: str
    ) -> RateQuote:
        raise InvalidInput(
            [
                Violation(
                    "TAX-RATE-NONE",
                    f"{path}.product_class",
                    f"no IPSI rate data for {territory.name} ({territory.code}): local sales "
                    "there (category M) are not supported by the rate data",
                )
            ]
        )


CEUTA_MELILLA = CeutaMelilla()
