"""Amounts as the CLI writes them: the currency's decimals, exact, never rounded in passing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturier.services.figures import amount, exact, price


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        ("89.9", "EUR", "89.90"),
        ("1500", "JPY", "1500"),
        ("1E+3", "EUR", "1000.00"),
        ("-0", "EUR", "0.00"),  # never "-0.00"
        ("-12.5", "EUR", "-12.50"),
        ("0.125", "EUR", "0.125"),  # more decimals than the currency has: written exactly, not rounded
        ("12.3", "XXY", "12.3"),  # an unknown currency (an inbound file): as it is
        ("1234567890123.4", "EUR", "1234567890123.40"),
    ],
)
def test_amount(value: str, currency: str, shown: str) -> None:
    assert amount(Decimal(value), currency) == shown


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [("55", "EUR", "55.00"), ("0.123456", "EUR", "0.123456"), ("89.9", "EUR", "89.90"), ("1500", "JPY", "1500")],
)
def test_price(value: str, currency: str, shown: str) -> None:
    assert price(Decimal(value), currency) == shown


def test_exact_never_writes_an_exponent() -> None:
    assert (exact(Decimal("2E+1")), exact(Decimal("5.50")), exact(Decimal("1E-7"))) == ("20", "5.5", "0.0000001")
