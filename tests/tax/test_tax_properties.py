"""Property tests: charge splits, credit-note mirroring, determinism."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from facturier.domain.codes import VatCategory
from facturier.domain.errors import InvalidInput
from facturier.tax import (
    BuyerKind,
    BuyerTaxProfile,
    DistanceSalesHistory,
    OrderLine,
    SellerTaxProfile,
    SupplyKind,
    VatIdStatus,
    decide_order,
    mirror_for_credit_note,
    split_charge,
)

from .helpers import DE_ID, FR_ID, IT_ID

CENT = Decimal("0.01")
keys = st.tuples(
    st.sampled_from(list(VatCategory)), st.decimals(min_value=0, max_value=30, places=1)
)
weights = st.dictionaries(
    keys, st.decimals(min_value=0, max_value=10**6, places=2), min_size=1, max_size=6
).filter(lambda w: sum(w.values()) > 0)
amounts = st.integers(min_value=-(10**8), max_value=10**8).map(lambda c: Decimal(c) * CENT)


@given(amounts, weights)
def test_split_parts_sum_exactly_and_stay_within_a_cent(
    amount: Decimal, w: dict[tuple[VatCategory, Decimal], Decimal]
) -> None:
    parts = split_charge(amount, w)
    assert sum(parts.values(), Decimal("0")) == amount
    assert set(parts) == set(w)
    total = sum(Fraction(x) for x in w.values())
    for key, part in parts.items():
        exact = Fraction(amount) * Fraction(w[key]) / total
        assert abs(Fraction(part) - exact) < Fraction(1, 100)
        assert part == part.quantize(CENT)


SELLERS = [
    SellerTaxProfile("FR", vat_id=FR_ID, oss_union=True),
    SellerTaxProfile("FR", vat_id=FR_ID, franchise_en_base=True),
    SellerTaxProfile("DE", vat_id=DE_ID, ioss_number="IM2500000012"),
    SellerTaxProfile("FR", territory="FR-20R", vat_id=FR_ID),
]
BUYERS = [
    BuyerTaxProfile(BuyerKind.CONSUMER, c) for c in ("FR", "DE", "IT", "GP", "US", "ES", "FI")
] + [
    BuyerTaxProfile(BuyerKind.BUSINESS, "DE", vat_id=DE_ID, vat_id_status=VatIdStatus.VALID),
    BuyerTaxProfile(BuyerKind.BUSINESS, "IT", vat_id=IT_ID, vat_id_status=VatIdStatus.UNKNOWN),
    BuyerTaxProfile(BuyerKind.BUSINESS, "US"),
]
PLACES = ["FR", "DE", "IT", "CN", "US", "GP", "FR-20R", "ES-CN", None]
CLASSES = ["standard", "reduced", "zero", "exempt", "books", "food", "restaurant", "press"]


@st.composite
def orders(
    draw: st.DrawFn,
) -> tuple[SellerTaxProfile, BuyerTaxProfile, list[OrderLine], DistanceSalesHistory, date]:
    on = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 365 * 3)))
    n = draw(st.integers(1, 4))
    lines = [
        OrderLine(
            str(i),
            draw(st.sampled_from(list(SupplyKind))),
            draw(st.sampled_from(CLASSES)),
            Decimal(draw(st.integers(1, 5000))),
            ship_from=draw(st.sampled_from(PLACES)),
            ship_to=draw(st.sampled_from(PLACES)),
            supply_date=on,
            consignment_value=Decimal(draw(st.integers(1, 300))),
        )
        for i in range(n)
    ]
    hist = DistanceSalesHistory(
        on.year, Decimal(draw(st.integers(0, 20000))), Decimal(draw(st.integers(0, 20000)))
    )
    return draw(st.sampled_from(SELLERS)), draw(st.sampled_from(BUYERS)), lines, hist, on


def _decide(
    order: tuple[SellerTaxProfile, BuyerTaxProfile, list[OrderLine], DistanceSalesHistory, date],
):  # type: ignore[no-untyped-def]
    try:
        return decide_order(*order)
    except InvalidInput:
        assume(False)
        raise


@settings(max_examples=300)
@given(orders())
def test_decisions_are_deterministic(order) -> None:  # type: ignore[no-untyped-def]
    first = _decide(order)
    assert first == decide_order(*order)
    for line in first.lines:
        assert line.explanation and line.legal_reference and line.rule_id
        assert line.rate >= 0 and (
            line.rate == 0 or line.category in (VatCategory.STANDARD, VatCategory.CANARY_ISLANDS)
        )


@settings(max_examples=200)
@given(orders(), st.integers(0, 400))
def test_credit_note_mirrors_its_invoice(order, shift: int) -> None:  # type: ignore[no-untyped-def]
    invoice = _decide(order)
    # whatever happens later (new history, new dates) the credit note keeps the treatment
    seller, buyer, lines, _, on = order
    later = on + timedelta(days=shift)
    with contextlib.suppress(InvalidInput):
        decide_order(
            seller,
            buyer,
            [replace(ln, supply_date=later) for ln in lines],
            DistanceSalesHistory(later.year, Decimal(0), Decimal(0)),
            later,
        )
    credit = mirror_for_credit_note(invoice.lines)
    for orig, cn in zip(invoice.lines, credit, strict=True):
        assert (
            cn.country,
            cn.territory,
            cn.category,
            cn.rate,
            cn.vatex_code,
            cn.rule_id,
            cn.oss_scheme,
            cn.mentions,
        ) == (
            orig.country,
            orig.territory,
            orig.category,
            orig.rate,
            orig.vatex_code,
            orig.rule_id,
            orig.oss_scheme,
            orig.mentions,
        )
        assert cn.mirrored_from_invoice
    assert mirror_for_credit_note(credit) == credit
