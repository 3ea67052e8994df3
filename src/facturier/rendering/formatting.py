"""Locale formatting of the values printed on a document, with Babel (CLDR data).

Amounts are shown with the currency's symbol and its minor units (BT-5); unit prices keep
up to 6 decimals (BR-DEC-*: item net price BT-146) but never fewer than the currency's;
rates are percentages ("20 %" in French, "20%" in English). Dates use the long CLDR form
("15 mars 2026", "15 March 2026") so they cannot be misread across countries.

Speed: `babel.numbers.format_currency` parses the locale name, looks up the currency's
symbol, digits and plural names (evaluating the CLDR plural rules) on every call, ~40 us;
a 200-line invoice makes ~1,000 such calls. So the Babel `Locale` and, per currency, the
CLDR currency pattern with the currency's digits and symbol already applied are built once
(`_currency_pattern`) and Babel's own `NumberPattern.apply` renders each amount (~8 us).
That is only right for standard patterns with a plain "¤" (no "¤¤" ISO code, no "¤¤¤"
plural names, no quoted text), which every CLDR locale in Babel has: `test_formatting`
compares the results with Babel's functions for every locale, and on generated values.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, get_currency_precision, get_currency_symbol

from facturier.rendering.i18n import Catalogue

HUNDRED = Decimal(100)
_SYMBOL = "¤"


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _currency_pattern(locale: str, currency: str) -> NumberPattern:
    """The locale's standard currency pattern with `currency`'s digits (ISO 4217) and symbol
    filled in."""
    pattern: NumberPattern = _locale(locale).currency_formats["standard"]
    symbol = get_currency_symbol(currency, locale)
    filled = copy.copy(pattern)
    filled.prefix = tuple(affix.replace(_SYMBOL, symbol) for affix in pattern.prefix)
    filled.suffix = tuple(affix.replace(_SYMBOL, symbol) for affix in pattern.suffix)
    digits = get_currency_precision(currency)
    filled.frac_prec = (digits, digits)
    return filled


# Quantities and rates come from small sets (1, 2, 12; 20, 5.5): remembered by value
# (equal Decimals such as 20 and 20.0 print the same, so they may share an entry).
@lru_cache(maxsize=4096)
def _quantity(value: Decimal, locale_name: str) -> str:
    locale = _locale(locale_name)
    return str(locale.decimal_formats[None].apply(value.normalize(), locale, decimal_quantization=False))


@lru_cache(maxsize=1024)
def _percent(rate: Decimal, locale_name: str) -> str:
    locale = _locale(locale_name)
    return str(locale.percent_formats[None].apply((rate / HUNDRED).normalize(), locale, decimal_quantization=False))


def _money(value: Decimal, currency: str, locale: str, quantize: bool) -> str:
    return str(_currency_pattern(locale, currency).apply(value, _locale(locale), decimal_quantization=quantize))


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
        return _money(value, self.currency, self.locale, quantize=True)

    def money(self, value: Decimal, currency: str) -> str:
        return _money(value, currency, self.locale, quantize=True)

    def price(self, value: Decimal) -> str:
        """A unit price: the currency's decimals at least, up to the 6 stored (BT-146)."""
        return _money(value.normalize(), self.currency, self.locale, quantize=False)

    def quantity(self, value: Decimal) -> str:
        return _quantity(value, self.locale)

    def percent(self, rate: Decimal) -> str:
        """A rate stored in percent (BT-119 `20` -> "20 %")."""
        return _percent(rate, self.locale)

    def country(self, code: str) -> str:
        return str(_locale(self.locale).territories.get(code, code))
