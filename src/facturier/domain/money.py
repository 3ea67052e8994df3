"""Exact money: `Decimal` amounts tagged with an ISO 4217 currency.

Floats are refused everywhere (`to_decimal` is the one blessed constructor), and arithmetic
between two currencies raises. Currencies are the ISO 4217 codes EN 16931 accepts
(BR-CL-04, see codelists.py); anything else is rejected rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from facturier.domain.codelists import currencies
from facturier.domain.errors import MoneyError

# ISO 4217 minor units that differ from 2 (ISO 4217 list one, SIX, consulted 2026-11-22).
# Every other code of the BR-CL-04 list (see codelists.py) has 2 decimals.
_MINOR_UNITS_NOT_2: dict[str, int] = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}


def is_known_currency(code: str) -> bool:
    """True if `code` is an ISO 4217 code this build knows the minor units of."""
    return code in currencies()


def minor_units(currency: str) -> int:
    """Number of decimal digits of the currency's minor unit (EUR -> 2, JPY -> 0)."""
    if currency not in currencies():
        raise MoneyError(f"unknown currency {currency!r} (expected an ISO 4217 code)")
    return _MINOR_UNITS_NOT_2.get(currency, 2)


def to_decimal(value: object) -> Decimal:
    """The one way a number enters the model: str, int or Decimal; never float or bool."""
    if isinstance(value, (bool, float)):
        raise MoneyError(f"refusing {type(value).__name__} {value!r}: use a string or Decimal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise MoneyError(f"not a number: {value!r}") from None
    else:
        raise MoneyError(f"not a number: {value!r}")
    if not result.is_finite():
        raise MoneyError(f"not a finite number: {value!r}")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency. Arithmetic keeps the exact Decimal; rounding is explicit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        minor_units(self.currency)

    @classmethod
    def of(cls, amount: object, currency: str) -> Money:
        return cls(to_decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise MoneyError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(f"mixed currencies: {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, (float, bool)) or not isinstance(factor, (Decimal, int)):
            raise MoneyError(f"refusing to multiply Money by {factor!r}")
        return Money(self.amount * factor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def is_exact(self) -> bool:
        """True if the amount has no more decimals than the currency's minor unit."""
        exponent = self.amount.as_tuple().exponent
        return isinstance(exponent, int) and -exponent <= minor_units(self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
