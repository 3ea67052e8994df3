"""Bad input is refused with violations naming the field and rule, never guessed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from facturier.domain.errors import InvalidInput
from facturier.tax import (
    BuyerTaxProfile,
    DistanceSalesHistory,
    OrderLine,
    SellerTaxProfile,
    VatIdHold,
    VatIdStatus,
    decide_order,
)

from .helpers import (
    CEUTA,
    DE_ID,
    FR,
    FR_HOLD,
    LOW,
    ON,
    business,
    consumer,
    goods,
    history,
    service,
)


def _violations(
    seller: SellerTaxProfile,
    buyer: BuyerTaxProfile,
    lines: list[OrderLine],
    hist: DistanceSalesHistory | None = LOW,
    on: date = ON,
) -> set[tuple[str, str]]:
    with pytest.raises(InvalidInput) as exc:
        decide_order(seller, buyer, lines, hist, on)
    return {(v.rule_id, v.path) for v in exc.value.violations}


ERRORS = [
    (
        "buyer-vat-id-checksum",
        FR,
        business("DE", "DE136695977"),
        [goods(to="DE")],
        ("TAX-VATID-CHECKSUM", "buyer.vat_id"),
    ),
    (
        "seller-vat-id-checksum",
        replace(FR, vat_id="FR40303265046"),
        consumer("FR"),
        [goods()],
        ("TAX-VATID-CHECKSUM", "seller.vat_id"),
    ),
    (
        "unknown-buyer-country",
        FR,
        consumer("XX"),
        [goods()],
        ("TAX-COUNTRY-UNKNOWN", "buyer.country"),
    ),
    (
        "unknown-seller-country",
        replace(FR, country="ZZ"),
        consumer("FR"),
        [goods()],
        ("TAX-COUNTRY-UNKNOWN", "seller.country"),
    ),
    (
        "unknown-ship-to",
        FR,
        consumer("FR"),
        [goods(to="QQ")],
        ("TAX-COUNTRY-UNKNOWN", "lines[0].ship_to"),
    ),
    (
        "not-a-special-territory",
        FR,
        consumer("FR", "FR-75"),
        [goods()],
        ("TAX-COUNTRY-UNKNOWN", "buyer.country"),
    ),
    (
        "class-without-rate",
        FR,
        consumer("FR"),
        [goods("petroleum_products")],
        ("TAX-RATE-NONE", "lines[0].product_class"),
    ),
    (
        "no-super-reduced-in-de",
        FR,
        consumer("DE"),
        [goods("super_reduced", to="DE")],
        ("TAX-RATE-NONE", "lines[0].product_class"),
    ),
    (
        "ipsi-not-in-data",
        CEUTA,
        consumer("ES", "ES-CE"),
        [goods(frm="ES-CE")],
        ("TAX-RATE-NONE", "lines[0].product_class"),
    ),
    (
        "date-before-coverage",
        FR,
        consumer("FR"),
        [goods(supply_date=date(2023, 12, 31))],
        ("TAX-RATE-COVERAGE", "lines[0].supply_date"),
    ),
    (
        "k-missing-delivery-date",
        FR,
        business("DE", DE_ID),
        [goods(to="DE")],
        ("TAX-K-DELIVERY-DATE", "lines[0].supply_date"),
    ),
    (
        "k-missing-deliver-to",
        FR,
        business("DE", DE_ID),
        [goods(supply_date=ON)],
        ("TAX-K-DELIVER-TO", "lines[0].ship_to"),
    ),
    (
        "k-missing-seller-id",
        replace(FR, vat_id=None),
        business("DE", DE_ID),
        [goods(to="DE", supply_date=ON)],
        ("TAX-K-SELLER-VATID", "seller.vat_id"),
    ),
    (
        "k-buyer-id-of-dispatch-state",
        FR,
        BuyerTaxProfile(
            business("DE").kind, "DE", vat_id="FR40303265045", vat_id_status=VatIdStatus.VALID
        ),
        [goods(to="DE", supply_date=ON)],
        ("TAX-K-BUYER-VATID-COUNTRY", "buyer.vat_id"),
    ),
    (
        "k-missing-buyer-id",
        FR,
        business("DE"),
        [goods(to="DE", supply_date=ON)],
        ("TAX-K-BUYER-VATID", "buyer.vat_id"),
    ),
    (
        "ae-missing-buyer-id",
        FR,
        business("DE"),
        [service()],
        ("TAX-AE-BUYER-VATID", "buyer.vat_id"),
    ),
    (
        "threshold-history-missing",
        FR,
        consumer("DE"),
        [goods(to="DE")],
        ("TAX-THRESHOLD-HISTORY", "history"),
    ),
    (
        "threshold-history-wrong-year",
        FR,
        consumer("DE"),
        [goods(to="DE")],
        ("TAX-THRESHOLD-YEAR", "history.year"),
    ),
    (
        "import-without-consignment-value",
        FR,
        consumer("DE"),
        [goods(frm="CN", to="DE")],
        ("TAX-IMPORT-CONSIGNMENT-VALUE", "lines[0].consignment_value"),
    ),
]
_HISTORY = {
    "threshold-history-missing": None,
    "threshold-history-wrong-year": history(year=2025),
    "no-super-reduced-in-de": history(prev="20000"),
}


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_error(
    case: tuple[str, SellerTaxProfile, BuyerTaxProfile, list[OrderLine], tuple[str, str]],
) -> None:
    name, seller, buyer, lines, expected = case
    assert expected in _violations(seller, buyer, lines, _HISTORY.get(name, LOW))


def test_k_reports_every_missing_item_at_once() -> None:
    found = _violations(replace(FR, vat_id=None), business("DE"), [goods()])
    assert {r for r, _ in found} >= {
        "TAX-K-SELLER-VATID",
        "TAX-K-BUYER-VATID",
        "TAX-K-DELIVERY-DATE",
        "TAX-K-DELIVER-TO",
    }


def test_errors_of_several_lines_are_reported_together_with_their_paths() -> None:
    lines = [goods("nope"), replace(goods(), line_id="2"), replace(goods("nope2"), line_id="3")]
    found = _violations(FR, consumer("FR"), lines)
    assert found == {
        ("TAX-RATE-NONE", "lines[0].product_class"),
        ("TAX-RATE-NONE", "lines[2].product_class"),
    }


def test_no_rate_message_names_class_country_and_date() -> None:
    with pytest.raises(InvalidInput) as exc:
        decide_order(FR, consumer("FR"), [goods("caviar")], LOW, ON)
    message = exc.value.violations[0].message
    assert "'caviar'" in message and "FR" in message and "2026-06-15" in message


def test_float_amount_is_refused() -> None:
    line = replace(goods(), net_amount=12.5)  # type: ignore[arg-type]
    assert ("TAX-AMOUNT-TYPE", "lines[0].net_amount") in _violations(FR, consumer("FR"), [line])


def test_hold_policy_raises_a_hold_violation() -> None:
    buyer = business("DE", DE_ID, VatIdStatus.UNKNOWN)
    with pytest.raises(VatIdHold) as exc:
        decide_order(FR_HOLD, buyer, [goods(to="DE")], LOW, ON)
    assert [v.rule_id for v in exc.value.violations] == ["TAX-VIES-HOLD"]
    assert isinstance(exc.value, InvalidInput)


def test_hold_policy_does_not_hold_a_domestic_business_buyer() -> None:
    buyer = business("FR", "FR40303265045", VatIdStatus.UNKNOWN)
    order = decide_order(FR_HOLD, buyer, [goods()], LOW, ON)
    assert order.buyer_treatment == "business"


def test_treat_as_consumer_policy_is_explained() -> None:
    buyer = business("DE", DE_ID, VatIdStatus.UNKNOWN)
    order = decide_order(FR, buyer, [goods(to="DE")], LOW, ON)
    assert order.buyer_treatment == "consumer"
    assert any("treated as a consumer by seller policy" in e for e in order.lines[0].explanation)
