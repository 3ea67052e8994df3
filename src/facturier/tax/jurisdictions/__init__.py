"""One jurisdiction module per VAT regime, behind the `Jurisdiction` protocol, found by lookup.

`for_territory(territory)` returns the module object for the territory's `Regime`; it tells which
category and rate apply to a product class on a date, and with which local rule id.
"""

from __future__ import annotations

from types import MappingProxyType

from facturier.tax.jurisdictions.base import Jurisdiction
from facturier.tax.jurisdictions.ceuta_melilla import CEUTA_MELILLA
from facturier.tax.jurisdictions.igic import CANARY_ISLANDS
from facturier.tax.jurisdictions.not_applicable import EXCLUDED, FR_DOM_NO_VAT, THIRD_COUNTRY
from facturier.tax.jurisdictions.vat import EU_MEMBER, FR_DOM
from facturier.tax.territories import Regime, Territory

REGISTRY: MappingProxyType[Regime, Jurisdiction] = MappingProxyType(
    {
        Regime.EU_MEMBER: EU_MEMBER,
        Regime.FR_DOM: FR_DOM,
        Regime.FR_DOM_NO_VAT: FR_DOM_NO_VAT,
        Regime.CANARY: CANARY_ISLANDS,
        Regime.CEUTA_MELILLA: CEUTA_MELILLA,
        Regime.EXCLUDED: EXCLUDED,
        Regime.THIRD_COUNTRY: THIRD_COUNTRY,
    }
)


def for_territory(territory: Territory) -> Jurisdiction:
    return REGISTRY[territory.regime]


__all__ = ["REGISTRY", "Jurisdiction", "for_territory"]
