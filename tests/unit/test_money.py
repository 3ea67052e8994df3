"""Money: exact Decimal amounts in one ISO 4217 currency; floats and mixing refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturier.domain.codelists import currencies
from facturier.domain.errors import FacturierError, MoneyError
from facturier.domain.money import Money, is_known_currency, minor_units, to_decimal


class TestToDecimal:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [("2.50", Decimal("2.50")), (3, Decimal(3)), (Decimal("-0.01"), Decimal("-0.01")), ("1e3", Decimal(1000))],
    )
    def test_accepts_str_int_decimal(self, value: object, expected: Decimal) -> None:
        assert to_decimal(value) == expected

    @pytest.mark.parametrize("value", [0.1, 1.0, float("nan"), True, False])
    def test_refuses_float_and_bool(self, value: object) -> None:
        with pytest.raises(MoneyError):
            to_decimal(value)

    @pytest.mark.parametrize(
        "value", ["abc", "", "1,50", None, [1], "NaN", "Infinity", Decimal("NaN"), Decimal("-Inf")]
    )
    def test_refuses_non_numbers_and_non_finite(self, value: object) -> None:
        with pytest.raises(MoneyError):
            to_decimal(value)

    def test_money_error_is_a_facturier_error_and_a_value_error(self) -> None:
        assert issubclass(MoneyError, FacturierError)
        assert issubclass(MoneyError, ValueError)


class TestMoney:
    def test_float_refused_by_constructor_and_of(self) -> None:
        with pytest.raises(MoneyError):
            Money(0.1, "EUR")  # type: ignore[arg-type]
        with pytest.raises(MoneyError):
            Money.of(0.1, "EUR")

    def test_of_accepts_strings(self) -> None:
        assert Money.of("10.50", "EUR") == Money(Decimal("10.5"), "EUR")

    @pytest.mark.parametrize("factor", [1.5, True, "2", None])
    def test_multiplication_refuses_float_bool_and_other_types(self, factor: object) -> None:
        with pytest.raises(MoneyError):
            Money.of("10", "EUR") * factor  # type: ignore[operator]

    def test_multiplication_by_int_and_decimal_is_exact(self) -> None:
        assert Money.of("0.10", "EUR") * 3 == Money.of("0.30", "EUR")
        assert (Money.of("10.00", "EUR") * Decimal("0.055")).amount == Decimal("0.55000")

    def test_arithmetic_keeps_exact_decimals(self) -> None:
        total = Money.of("0.10", "EUR") + Money.of("0.20", "EUR")
        assert total.amount == Decimal("0.30")
        assert (Money.of("1", "EUR") - Money.of("0.01", "EUR")).amount == Decimal("0.99")
        assert (-Money.of("1.5", "EUR")).amount == Decimal("-1.5")

    @pytest.mark.parametrize(
        "operation",
        [
            lambda a, b: a + b,
            lambda a, b: a - b,
            lambda a, b: a < b,
            lambda a, b: a <= b,
            lambda a, b: a > b,
            lambda a, b: a >= b,
        ],
    )
    def test_mixed_currencies_raise(self, operation: object) -> None:
        eur, usd = Money.of("1", "EUR"), Money.of("1", "USD")
        with pytest.raises(MoneyError, match="mixed currencies"):
            operation(eur, usd)  # type: ignore[operator]

    def test_combining_with_a_plain_number_raises(self) -> None:
        with pytest.raises(MoneyError):
            Money.of("1", "EUR") + Decimal(1)  # type: ignore[operator]

    def test_comparisons(self) -> None:
        assert Money.of("1.00", "EUR") < Money.of("1.01", "EUR")
        assert Money.of("1.00", "EUR") <= Money.of("1", "EUR")
        assert Money.of("2", "EUR") > Money.of("1", "EUR")

    def test_equal_amounts_with_different_exponents_are_equal_and_hash_equal(self) -> None:
        a, b = Money.of("2.50", "EUR"), Money.of("2.5", "EUR")
        assert a == b
        assert hash(a) == hash(b)

    @pytest.mark.parametrize("code", ["eur", "EURO", "ZZZ", ""])
    def test_unknown_currency_refused(self, code: str) -> None:
        with pytest.raises(MoneyError, match="unknown currency"):
            Money.of("1", code)
        assert not is_known_currency(code)

    def test_zero(self) -> None:
        assert Money.zero("JPY") == Money.of("0", "JPY")

    def test_is_frozen(self) -> None:
        money = Money.of("1", "EUR")
        with pytest.raises(AttributeError):
            money.amount = Decimal(2)  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("amount", "currency", "exact"),
        [
            ("1.23", "EUR", True),
            ("1.234", "EUR", False),
            ("100", "JPY", True),
            ("100.5", "JPY", False),
            ("1.234", "KWD", True),
            ("1.2345", "KWD", False),
            ("1E+3", "JPY", True),
        ],
    )
    def test_is_exact(self, amount: str, currency: str, exact: bool) -> None:
        assert Money.of(amount, currency).is_exact() is exact

    def test_str(self) -> None:
        assert str(Money.of("12.50", "EUR")) == "12.50 EUR"


class TestMinorUnits:
    @pytest.mark.parametrize(
        ("code", "units"),
        [("EUR", 2), ("USD", 2), ("GBP", 2), ("JPY", 0), ("KRW", 0), ("XPF", 0), ("KWD", 3), ("TND", 3), ("CLF", 4)],
    )
    def test_known_values(self, code: str, units: int) -> None:
        assert minor_units(code) == units

    def test_unknown_currency_raises(self) -> None:
        with pytest.raises(MoneyError):
            minor_units("ABC")

    def test_agrees_with_the_iso_4217_table(self) -> None:
        """Every BR-CL-04 code that ISO 4217 gives minor units for has the same here."""
        iso4217 = pytest.importorskip("iso4217")
        checked = 0
        for code in sorted(currencies()):
            try:
                exponent = iso4217.Currency(code).exponent
            except ValueError:
                continue  # CNH, STD: not (or no longer) in the ISO table
            if exponent is None:
                continue  # N.A. (precious metals, test codes): we use 2
            assert minor_units(code) == exponent, code
            checked += 1
        assert checked > 150
