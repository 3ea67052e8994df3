"""Document-level charges: split by largest remainder, treatment of the lines they accompany."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from facturier.domain.codes import VatCategory
from facturier.domain.errors import InvalidInput
from facturier.tax import allocate_charge, decide_order, split_charge

from .helpers import FR, LOW, ON, consumer, goods

D = Decimal
S, Z = VatCategory.STANDARD, VatCategory.ZERO


def test_worked_example_of_the_documentation() -> None:
    """docs/algorithms/tax-determination.md, "Splitting a charge": 10.00 over 3 equal-ish groups."""
    parts = split_charge(
        D("10.00"), {(S, D("20.0")): D("33.33"), (S, D("5.5")): D("33.33"), (Z, D("0")): D("33.34")}
    )
    assert parts == {(S, D("20.0")): D("3.33"), (S, D("5.5")): D("3.33"), (Z, D("0")): D("3.34")}
    assert sum(parts.values()) == D("10.00")


def test_tie_is_settled_in_category_then_rate_descending_order() -> None:
    """Both half cents round up; the first key (S 20) gives its cent back (domain.allocation)."""
    parts = split_charge(D("0.01"), {(S, D("5.5")): D("1"), (S, D("20.0")): D("1")})
    assert parts == {(S, D("20.0")): D("0.00"), (S, D("5.5")): D("0.01")}


def test_negative_charge_of_a_credit_note() -> None:
    parts = split_charge(D("-4.99"), {(S, D("20.0")): D("60"), (S, D("5.5")): D("40")})
    assert parts == {(S, D("20.0")): D("-2.99"), (S, D("5.5")): D("-2.00")}


@pytest.mark.parametrize(
    "amount, weights",
    [
        (D("1.001"), {(S, D("20.0")): D("1")}),
        (D("1.00"), {}),
        (D("1.00"), {(S, D("20.0")): D("0")}),
        (D("1.00"), {(S, D("20.0")): D("-1")}),
    ],
)
def test_bad_split_input(
    amount: Decimal, weights: dict[tuple[VatCategory, Decimal], Decimal]
) -> None:
    with pytest.raises(InvalidInput):
        split_charge(amount, weights)


def test_mixed_rate_shipping_follows_the_lines() -> None:
    lines = [goods("books", amount="60.00"), replace(goods(amount="40.00"), line_id="2")]
    order = decide_order(FR, consumer("FR"), lines, LOW, ON)
    parts = allocate_charge(
        "shipping",
        D("7.90"),
        [(d, ln.net_amount) for d, ln in zip(order.lines, lines, strict=True)],
    )
    got = {(p.decision.category, p.decision.rate): p.amount for p in parts}
    assert got == {(S, D("20.0")): D("3.16"), (S, D("5.5")): D("4.74")}
    assert all(p.decision.line_id.startswith("shipping:") for p in parts)
    assert all("Document-level charge" in p.decision.explanation[-1] for p in parts)


def test_shipping_of_an_export_is_exempt_too() -> None:
    order = decide_order(FR, consumer("US"), [goods(to="US")], LOW, ON)
    (part,) = allocate_charge("shipping", D("15.00"), [(order.lines[0], D("100"))])
    assert part.decision.category is VatCategory.EXPORT and part.amount == D("15.00")
