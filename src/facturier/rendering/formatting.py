"""Locale formatting of the values printed on a document, with Babel (CLDR data).

Amounts are shown with the currency's symbol and its minor units (BT-5); unit prices keep
up to 6 decimals (BR-DEC-*: item net price BT-146) but never fewer than the currency's;
rates are percentages ("20 %" in French, "20%" in English). Dates use the long CLDR form
("15 mars 2026", "15 March 2026") so they cannot be misread across countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from facturier.rendering.i18n import Catalogue

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Formatter:
    """Formats values for one catalogue (language + locale) and one document currency."""

    catalogue: Catalogue
    currency: str

    @property
    def locale(self) -> str:
        return self.catalogue.locale

    def date(self, value: date | None) -> str:
        return "" if value is None else format_date(value, format="long", locale=self.locale)

    def amount(self, value: Decimal) -> str:
        """An amount in the document currency, with exactly the currency's decimals."""
        return format_currency(value, self.currency, locale=self.locale)

    def money(self, value: Decimal, currency: str) -> str:
        return format_currency(value, currency, locale=self.locale)

    def price(self, value: Decimal) -> str:
        """A unit price: the currency's decimals at least, up to the 6 stored (BT-146)."""
        return format_currency(value.normalize(), self.currency, locale=self.locale, decimal_quantization=False)

    def quantity(self, value: Decimal) -> str:
        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)

    def percent(self, rate: Decimal) -> str:
        """A rate stored in percent (BT-119 `20` -> "20 %")."""
        return format_percent((rate / HUNDRED).normalize(), locale=self.locale, decimal_quantization=False)

    def country(self, code: str) -> str:
        return str(Locale.parse(self.locale).territories.get(code, code))
