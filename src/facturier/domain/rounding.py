"""Every rounding step of Facturier, named, with its mode. See docs/algorithms/rounding.md.

EN 16931 fixes the precision of amounts at two decimals (BR-DEC-01..28); it does not fix
the mode. We use ROUND_HALF_UP ("arrondi commercial": 0.005 -> 0.01, -0.005 -> -0.01), the
mode French tax administration and most accounting software use, for every amount. The
worked examples in docs/algorithms/rounding.md run as tests (tests/unit/test_rounding_doc.py).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
PRICE_QUANTUM = Decimal("0.000001")  # unit prices keep at most 6 decimals
HUNDRED = Decimal(100)


def round_amount_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round an amount to `places` decimals, half away from zero (BR-DEC: 2 for amounts).

    >>> round_amount_half_up(Decimal("2.345"))
    Decimal('2.35')
    >>> round_amount_half_up(Decimal("-2.345"))
    Decimal('-2.35')
    """
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_price_half_up(value: Decimal) -> Decimal:
    """Round a unit price to 6 decimals, half away from zero.

    >>> round_price_half_up(Decimal("8.3333333"))
    Decimal('8.333333')
    """
    return value.quantize(PRICE_QUANTUM, rounding=ROUND_HALF_UP)


def vat_amount_half_up(taxable: Decimal, rate: Decimal, places: int = 2) -> Decimal:
    """VAT on a taxable amount: round(taxable x rate / 100, 2) half up (BR-CO-17).

    >>> vat_amount_half_up(Decimal("10.05"), Decimal("20"))
    Decimal('2.01')
    """
    return round_amount_half_up(taxable * rate / HUNDRED, places)


def net_from_gross_half_up(gross: Decimal, rate: Decimal, places: int = 2) -> Decimal:
    """Net amount contained in a VAT-inclusive amount: round(gross x 100 / (100 + rate), 2).

    >>> net_from_gross_half_up(Decimal("12.00"), Decimal("20"))
    Decimal('10.00')
    """
    return round_amount_half_up(gross * HUNDRED / (HUNDRED + rate), places)


def accounting_amount_half_up(amount: Decimal, exchange_rate: Decimal, places: int = 2) -> Decimal:
    """An amount in the VAT accounting currency: round(amount / rate, 2) half up (BT-111).

    `exchange_rate` is in units of the invoice currency for one unit of the accounting
    currency (ECB convention: 1.1708 USD for one EUR). Directive 2006/112/EC art. 230.

    >>> accounting_amount_half_up(Decimal("20.00"), Decimal("1.17"))
    Decimal('17.09')
    """
    return round_amount_half_up(amount / exchange_rate, places)


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without going to exponent notation (for canonical forms).

    >>> normalize_decimal(Decimal("1.500"))
    Decimal('1.5')
    >>> normalize_decimal(Decimal("100"))
    Decimal('100')
    >>> normalize_decimal(Decimal("-0.00"))
    Decimal('0')

    Exact: it never rounds to the context precision (28 digits), and every zero, -0.00
    included, becomes 0, so that equal values have one canonical form.
    """
    if not value.is_finite():
        return value
    if not value:
        return Decimal(0)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent > 0:
        return Decimal((sign, digits + (0,) * exponent, 0))
    while exponent < 0 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return Decimal((sign, digits, exponent))
