"""The named rounding functions: one mode, ROUND_HALF_UP (half away from zero)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturier.domain.rounding import (
    net_from_gross_half_up,
    normalize_decimal,
    round_amount_half_up,
    round_price_half_up,
    vat_amount_half_up,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.345", 2, "2.35"),
        ("2.344999", 2, "2.34"),
        ("-2.345", 2, "-2.35"),
        ("0.005", 2, "0.01"),
        ("-0.005", 2, "-0.01"),
        ("0.0049", 2, "0.00"),
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),  # not banker's rounding
        ("-2.5", 0, "-3"),
        ("1.0005", 3, "1.001"),
        ("7", 2, "7.00"),
    ],
)
def test_round_amount_half_up(value: str, places: int, expected: str) -> None:
    result = round_amount_half_up(D(value), places)
    assert result == D(expected)
    assert str(result) == expected  # the quantum is the one asked for


@pytest.mark.parametrize(
    ("value", "expected"),
    [("8.3333333", "8.333333"), ("0.0000005", "0.000001"), ("1.99999949", "1.999999"), ("2", "2.000000")],
)
def test_round_price_half_up(value: str, expected: str) -> None:
    assert str(round_price_half_up(D(value))) == expected


@pytest.mark.parametrize(
    ("taxable", "rate", "places", "expected"),
    [
        ("10.05", "20", 2, "2.01"),
        ("10.025", "20", 2, "2.01"),  # 2.005 -> 2.01
        ("49.90", "5.5", 2, "2.74"),  # 2.7445
        ("12.50", "5.5", 2, "0.69"),  # 0.6875
        ("100.00", "2.1", 2, "2.10"),
        ("-10.05", "20", 2, "-2.01"),
        ("3648", "10", 0, "365"),  # 364.8
        ("796", "8", 0, "64"),  # 63.68
        ("0.02", "20", 2, "0.00"),
        ("123.45", "0", 2, "0.00"),
    ],
)
def test_vat_amount_half_up(taxable: str, rate: str, places: int, expected: str) -> None:
    assert str(vat_amount_half_up(D(taxable), D(rate), places)) == expected


@pytest.mark.parametrize(
    ("gross", "rate", "expected"),
    [("12.00", "20", "10.00"), ("9.99", "20", "8.33"), ("4.99", "20", "4.16"), ("1.055", "5.5", "1.00")],
)
def test_net_from_gross_half_up(gross: str, rate: str, expected: str) -> None:
    assert str(net_from_gross_half_up(D(gross), D(rate))) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.500", "1.5"),
        ("100", "100"),
        ("100.00", "100"),
        ("1E+2", "100"),
        ("0.10", "0.1"),
        ("-2.50", "-2.5"),
        ("0.00", "0"),
    ],
)
def test_normalize_decimal(value: str, expected: str) -> None:
    assert str(normalize_decimal(D(value))) == expected


def test_normalize_decimal_maps_negative_zero_to_zero() -> None:
    # -0.00 comes out of round_amount_half_up(-0.001) and of the VAT of a -0.01 base.
    assert str(normalize_decimal(round_amount_half_up(D("-0.001")))) == "0"


def test_normalize_decimal_does_not_depend_on_the_context_precision() -> None:
    big = D("12345678901234567890123456789.50")  # 31 significant digits > the default 28
    assert normalize_decimal(big) == big
