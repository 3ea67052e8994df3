"""Largest-remainder allocation: parts that add up exactly to the total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturier.domain.allocation import allocate_proportionally, round_preserving_total

D = Decimal


def decimals(*values: str) -> tuple[Decimal, ...]:
    return tuple(D(v) for v in values)


class TestRoundPreservingTotal:
    def test_empty(self) -> None:
        assert round_preserving_total([], D("1.00")) == ()

    def test_no_adjustment_needed(self) -> None:
        assert round_preserving_total(decimals("1.234", "2.345"), D("3.58")) == decimals("1.23", "2.35")

    def test_missing_cent_goes_to_the_largest_loss(self) -> None:
        # 3.333.. x 3 rounds to 9.99; the cent goes to the first (ties: earlier part)
        third = D(10) / 3
        assert round_preserving_total([third] * 3, D("10.00")) == decimals("3.34", "3.33", "3.33")

    def test_largest_loss_wins_over_order(self) -> None:
        assert round_preserving_total(decimals("1.001", "1.004"), D("2.01")) == decimals("1.00", "1.01")

    def test_overshoot_taken_back_from_the_largest_gain(self) -> None:
        # 8.325 -> 8.33 (gain 0.005), 4.158333 -> 4.16 (gain 0.001667): total wanted 12.48
        exact = [D("9.99") / D("1.2"), D("4.99") / D("1.2")]
        assert round_preserving_total(exact, D("12.48")) == decimals("8.32", "4.16")

    def test_negative_values(self) -> None:
        assert round_preserving_total(decimals("-1.005", "-1.005"), D("-2.01")) == decimals("-1.00", "-1.01")

    def test_zero_places(self) -> None:
        assert round_preserving_total(decimals("0.5", "0.5", "0.5"), D(1), places=0) == decimals("0", "0", "1")

    def test_total_far_from_the_sum_cycles_over_the_parts(self) -> None:
        parts = round_preserving_total(decimals("1", "1"), D("2.05"))
        assert sum(parts) == D("2.05")
        assert sorted(parts) == [D("1.02"), D("1.03")]


class TestAllocateProportionally:
    def test_docstring_example(self) -> None:
        assert allocate_proportionally(D("10.00"), [D(1), D(1), D(1)]) == decimals("3.34", "3.33", "3.33")

    def test_empty_weights(self) -> None:
        assert allocate_proportionally(D("5.00"), []) == ()

    def test_all_zero_weights_put_everything_on_the_first_part(self) -> None:
        assert allocate_proportionally(D("5.00"), [D(0), D(0)]) == decimals("5.00", "0.00")

    def test_shipping_over_two_rates(self) -> None:
        parts = allocate_proportionally(D("6.90"), [D("39.80"), D("12.50")])
        assert parts == decimals("5.25", "1.65")

    def test_negative_weights_count_by_their_size(self) -> None:
        assert allocate_proportionally(D("3.00"), [D("-1"), D("2")]) == decimals("1.00", "2.00")

    def test_negative_amount(self) -> None:
        parts = allocate_proportionally(D("-10.00"), [D(1), D(1), D(1)])
        assert sum(parts) == D("-10.00")
        assert parts == decimals("-3.34", "-3.33", "-3.33")

    def test_yen(self) -> None:
        parts = allocate_proportionally(D(500), [D(3635), D(796)], places=0)
        assert parts == decimals("410", "90")

    @pytest.mark.parametrize("n", [1, 2, 7, 13])
    def test_one_cent_over_many_parts(self, n: int) -> None:
        parts = allocate_proportionally(D("0.01"), [D(1)] * n)
        assert sum(parts) == D("0.01")
        assert sorted(parts, reverse=True) == [D("0.01")] + [D("0.00")] * (n - 1)
