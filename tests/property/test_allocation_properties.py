"""Largest-remainder allocation: the parts add up exactly, each within one quantum."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from facturier.domain.allocation import allocate_proportionally, round_preserving_total
from facturier.domain.rounding import round_amount_half_up

places_st = st.sampled_from([0, 2, 3])


def amounts(places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(-(10**9), 10**9).map(lambda n: Decimal(n).scaleb(-places))


weights = st.lists(
    st.integers(0, 10**8).map(lambda n: Decimal(n).scaleb(-2)),
    min_size=1,
    max_size=12,
)


@given(places_st.flatmap(lambda p: st.tuples(st.just(p), amounts(p), weights)))
def test_parts_sum_exactly_and_stay_within_one_quantum(case: tuple[int, Decimal, list[Decimal]]) -> None:
    places, amount, ws = case
    parts = allocate_proportionally(amount, ws, places)
    quantum = Decimal(1).scaleb(-places)
    assert len(parts) == len(ws)
    assert sum(parts, Decimal(0)) == amount
    assert all(p == round_amount_half_up(p, places) for p in parts)
    total_weight = sum(ws, Decimal(0))
    if total_weight:
        for part, w in zip(parts, ws, strict=True):
            assert abs(part - amount * w / total_weight) <= quantum
    else:
        assert parts[0] == amount


@given(
    places_st.flatmap(
        lambda p: st.tuples(
            st.just(p),
            st.lists(st.integers(-(10**12), 10**12).map(lambda n: Decimal(n).scaleb(-p - 4)), min_size=1, max_size=15),
        )
    )
)
def test_round_preserving_total_with_the_rounded_sum(case: tuple[int, list[Decimal]]) -> None:
    places, exact = case
    quantum = Decimal(1).scaleb(-places)
    total = round_amount_half_up(sum(exact, Decimal(0)), places)
    parts = round_preserving_total(exact, total, places)
    assert sum(parts, Decimal(0)) == total
    for part, value in zip(parts, exact, strict=True):
        assert abs(part - value) <= quantum


@given(st.lists(st.integers(1, 10**6).map(Decimal), min_size=1, max_size=10), st.integers(0, 10**6))
def test_allocation_is_deterministic_and_order_consistent(ws: list[Decimal], cents: int) -> None:
    amount = Decimal(cents).scaleb(-2)
    first = allocate_proportionally(amount, ws)
    assert first == allocate_proportionally(amount, list(ws))
    # proportional: a larger weight never gets a smaller part (beyond one cent)
    for i in range(len(ws)):
        for j in range(len(ws)):
            if ws[i] > ws[j]:
                assert first[i] >= first[j] - Decimal("0.01")
