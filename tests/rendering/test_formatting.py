"""The Formatter's cached Babel patterns print exactly what Babel's own functions print."""

from __future__ import annotations

from decimal import Decimal

from babel import Locale, localedata
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from facturier.rendering.formatting import Formatter, _money
from facturier.rendering.i18n import LANGUAGES, catalogue

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "SEK", "PLN", "HUF", "BHD", "XOF")
amounts = st.decimals(min_value=Decimal("-1E9"), max_value=Decimal("1E9"), places=2, allow_nan=False)
prices = st.decimals(min_value=Decimal("-1E6"), max_value=Decimal("1E6"), places=6, allow_nan=False)
quantities = st.decimals(min_value=Decimal("0"), max_value=Decimal("1E6"), places=4, allow_nan=False)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=3, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(LANGUAGES), st.sampled_from(CURRENCIES), amounts, prices, quantities, rates, st.integers(0, 5)
)
def test_formatter_prints_what_babel_prints(
    language: str, currency: str, amount: Decimal, price: Decimal, quantity: Decimal, rate: Decimal, scale: int
) -> None:
    fmt = Formatter(catalogue(language), currency)
    locale = fmt.locale
    assert fmt.amount(amount) == format_currency(amount, currency, locale=locale)
    assert fmt.money(amount, "USD") == format_currency(amount, "USD", locale=locale)
    assert fmt.price(price) == format_currency(price.normalize(), currency, locale=locale, decimal_quantization=False)
    # Equal values with other exponents (1.50 and 1.5000) share the remembered text.
    spread = quantity.quantize(Decimal(1).scaleb(-scale)) if quantity.adjusted() < 20 else quantity
    for value in (quantity, spread):
        assert fmt.quantity(value) == format_decimal(value.normalize(), locale=locale, decimal_quantization=False)
    expected_rate = format_percent((rate / 100).normalize(), locale=locale, decimal_quantization=False)
    assert fmt.percent(rate) == expected_rate


def _currency_locales() -> list[str]:
    names = []
    for name in localedata.locale_identifiers():
        try:
            if Locale.parse(name).currency_formats.get("standard") is not None:
                names.append(name)
        except (ValueError, KeyError):
            continue
    return names


def test_every_cldr_locale_agrees_with_babel() -> None:
    """Not only fr/en: every locale Babel knows (over 700), the symbol before or after,
    Indian grouping, 0- and 3-decimal currencies, negative amounts."""
    values = (Decimal("0"), Decimal("-1234567.891"), Decimal("0.5"), Decimal("98765.4321"), Decimal("-0.004"))
    checked = 0
    for name in _currency_locales():
        for currency in ("EUR", "JPY", "BHD", "INR"):
            for value in values:
                for quantize in (True, False):
                    expected = format_currency(value, currency, locale=name, decimal_quantization=quantize)
                    assert _money(value, currency, name, quantize) == expected, (name, currency, value)
                    checked += 1
    assert checked > 20_000
