"""price_document edge cases, NET and GROSS entry modes (docs/algorithms/rounding.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturier.domain.codes import VatCategory
from facturier.domain.documents import PriceMode
from facturier.domain.pricing import AdjustmentInput, amount_places, price_document, solve_group_net
from facturier.domain.rounding import vat_amount_half_up

from .builders import line

D = Decimal
NET, GROSS = PriceMode.NET, PriceMode.GROSS


def allowance(amount: str | None = None, percentage: str | None = None, **kw: object) -> AdjustmentInput:
    return AdjustmentInput(
        False,
        amount=D(amount) if amount else None,
        percentage=D(percentage) if percentage else None,
        **kw,  # type: ignore[arg-type]
    )


def charge(amount: str | None = None, percentage: str | None = None, **kw: object) -> AdjustmentInput:
    return AdjustmentInput(
        True,
        amount=D(amount) if amount else None,
        percentage=D(percentage) if percentage else None,
        **kw,  # type: ignore[arg-type]
    )


class TestAmountPlaces:
    @pytest.mark.parametrize(("currency", "places"), [("EUR", 2), ("JPY", 0), ("KWD", 2), ("CLF", 2)])
    def test_at_most_two(self, currency: str, places: int) -> None:
        assert amount_places(currency) == places


class TestNetMode:
    def test_line_net_is_rounded_once_half_up(self) -> None:
        priced = price_document([line(quantity="3", price="12.345")], [], NET, "EUR")
        assert priced.lines[0].net_amount == D("37.04")  # 37.035
        assert priced.lines[0].net_price == D("12.345")  # the entered price is kept

    def test_base_quantity(self) -> None:
        priced = price_document([line(quantity="250", price="12.50", base_quantity=D(100))], [], NET, "EUR")
        assert priced.lines[0].net_amount == D("31.25")
        assert priced.lines[0].base_quantity == 100

    def test_line_percentage_allowance_rounds_on_the_rounded_base(self) -> None:
        entered = line(quantity="1", price="33.33", adjustments=(allowance(percentage="15", reason="Remise"),))
        (priced,) = price_document([entered], [], NET, "EUR").lines
        (adj,) = priced.allowances
        assert (adj.amount, adj.base_amount, adj.percentage) == (D("5.00"), D("33.33"), D(15))  # 4.9995
        assert priced.net_amount == D("28.33")

    def test_line_amount_allowance_and_charge(self) -> None:
        entered = line(price="100.00", adjustments=(allowance("10.00"), charge("2.50")))
        (priced,) = price_document([entered], [], NET, "EUR").lines
        assert priced.net_amount == D("92.50")
        assert [a.amount for a in priced.allowances] == [D("10.00")]
        assert [c.amount for c in priced.charges] == [D("2.50")]

    def test_vat_is_rounded_per_rate_not_per_line(self) -> None:
        # three lines of 0.07 at 20 %: per line round(0.014) x 3 = 0.03, per rate round(0.042) = 0.04
        priced = price_document([line(str(i), price="0.07") for i in range(3)], [], NET, "EUR")
        (vat,) = priced.vat_breakdown
        assert (vat.taxable_amount, vat.tax_amount) == (D("0.21"), D("0.04"))

    def test_one_breakdown_per_category_and_rate_in_first_seen_order(self) -> None:
        lines = [
            line("1", rate="5.5"),
            line("2", rate="20"),
            line("3", rate="5.5"),
            line("4", rate="0", category=VatCategory.EXEMPT, exemption_reason="Art. 261 CGI"),
        ]
        breakdown = price_document(lines, [], NET, "EUR").vat_breakdown
        assert [(b.category, b.rate) for b in breakdown] == [
            (VatCategory.STANDARD, D("5.5")),
            (VatCategory.STANDARD, D(20)),
            (VatCategory.EXEMPT, D(0)),
        ]
        assert breakdown[2].exemption_reason == "Art. 261 CGI"
        assert breakdown[2].tax_amount == 0

    def test_document_amount_split_over_rates_by_largest_remainder(self) -> None:
        lines = [line("1", quantity="2", price="19.90", rate="20"), line("2", price="12.50", rate="5.5")]
        priced = price_document(lines, [charge("6.90", reason="Livraison")], NET, "EUR")
        assert [(a.vat_rate, a.amount) for a in priced.allowances_charges] == [
            (D(20), D("5.25")),
            (D("5.5"), D("1.65")),
        ]
        assert priced.totals.charge_total == D("6.90")

    def test_document_amount_with_a_category_is_not_split(self) -> None:
        lines = [line("1", rate="20"), line("2", rate="5.5")]
        adj = charge("6.90", vat_category=VatCategory.STANDARD, vat_rate=D(20))
        (only,) = price_document(lines, [adj], NET, "EUR").allowances_charges
        assert (only.amount, only.vat_rate) == (D("6.90"), D(20))

    def test_document_percentage_applies_per_group(self) -> None:
        lines = [line("1", price="100.00", rate="20"), line("2", price="33.33", rate="5.5")]
        priced = price_document(lines, [allowance(percentage="10", reason="Remise")], NET, "EUR")
        adjs = priced.allowances_charges
        assert [(a.vat_rate, a.base_amount, a.percentage, a.amount) for a in adjs] == [
            (D(20), D("100.00"), D(10), D("10.00")),
            (D("5.5"), D("33.33"), D(10), D("3.33")),
        ]
        assert priced.totals.allowance_total == D("13.33")

    def test_zero_parts_of_a_split_are_dropped(self) -> None:
        lines = [line("1", price="1000.00", rate="20"), line("2", price="0.01", rate="5.5")]
        adjs = price_document(lines, [charge("0.01")], NET, "EUR").allowances_charges
        assert [(a.vat_rate, a.amount) for a in adjs] == [(D(20), D("0.01"))]

    def test_prepaid_is_deducted_from_the_amount_due(self) -> None:
        totals = price_document([line(price="100.00")], [], NET, "EUR", prepaid=D("30.00")).totals
        assert (totals.tax_inclusive, totals.prepaid, totals.payable) == (D("120.00"), D("30.00"), D("90.00"))

    def test_yen_amounts_have_no_decimals(self) -> None:
        priced = price_document([line(quantity="3", price="333.5", rate="10")], [], NET, "JPY")
        assert str(priced.lines[0].net_amount) == "1001"  # 1000.5 half up
        assert str(priced.vat_breakdown[0].tax_amount) == "100"  # 100.1

    def test_no_lines(self) -> None:
        priced = price_document([], [], NET, "EUR")
        assert priced.lines == () and priced.vat_breakdown == ()
        assert priced.totals.payable == 0


class TestSolveGroupNet:
    @pytest.mark.parametrize(
        ("gross", "rate", "places", "net", "leftover"),
        [
            ("10.00", "20", 2, "8.33", "0"),
            ("0.03", "20", 2, "0.02", "0.01"),
            ("14.98", "20", 2, "12.48", "0"),
            ("43.53", "20", 2, "36.27", "0.01"),
            ("1078", "10", 0, "980", "0"),
            ("-10.00", "20", 2, "-8.33", "0"),
            ("5.00", "0", 2, "5.00", "0"),
            ("0.00", "20", 2, "0.00", "0"),
        ],
    )
    def test_examples(self, gross: str, rate: str, places: int, net: str, leftover: str) -> None:
        assert solve_group_net(D(gross), D(rate), places) == (D(net), D(leftover))

    @pytest.mark.parametrize("rate", ["20", "10", "5.5", "2.1", "8.5", "13", "21"])
    def test_every_gross_up_to_50_eur_is_reached_or_one_cent_short(self, rate: str) -> None:
        unreachable = 0
        for cents in range(5001):
            gross = D(cents) / 100
            net, leftover = solve_group_net(gross, D(rate))
            assert net + vat_amount_half_up(net, D(rate)) + leftover == gross
            assert leftover in (0, D("0.01"))
            unreachable += leftover > 0
        # f(N) = N + round(N x r) climbs by 2 cents once every (100 + r) / r cents of N:
        # a share r / (100 + r) of the gross amounts cannot be reached.
        share = D(rate) / (100 + D(rate))
        assert abs(D(unreachable) / 5001 - share) < D("0.01")


class TestGrossMode:
    def test_customer_pays_the_displayed_price(self) -> None:
        lines = [line("1", price="9.99"), line("2", price="4.99"), line("3", quantity="2", price="3.49", rate="5.5")]
        priced = price_document(lines, [], GROSS, "EUR")
        assert priced.totals.payable == D("9.99") + D("4.99") + 2 * D("3.49")
        assert [x.net_amount for x in priced.lines] == [D("8.32"), D("4.16"), D("6.62")]

    def test_unreachable_gross_uses_bt_114(self) -> None:
        priced = price_document([line(price="0.03")], [], GROSS, "EUR")
        t = priced.totals
        assert (t.tax_exclusive, t.tax_total, t.rounding, t.payable) == (D("0.02"), D("0.00"), D("0.01"), D("0.03"))

    def test_net_unit_price_is_derived_with_six_decimals(self) -> None:
        (priced,) = price_document([line(quantity="3", price="1.99")], [], GROSS, "EUR").lines
        assert (priced.net_amount, priced.net_price, priced.base_quantity) == (D("4.97"), D("1.656667"), D(1))

    def test_large_quantity_falls_back_to_the_whole_quantity_as_base(self) -> None:
        (priced,) = price_document([line(quantity="12345", price="0.99")], [], GROSS, "EUR").lines
        # 10184.62 / 12345 = 0.82500... no 6-decimal price times 12345 rounds to 10184.62
        assert (priced.net_amount, priced.base_quantity, priced.net_price) == (
            D("10184.62"),
            D(12345),
            D("10184.62"),
        )

    def test_small_quantities_keep_a_unit_price(self) -> None:
        (priced,) = price_document([line(quantity="9999", price="0.99")], [], GROSS, "EUR").lines
        assert priced.base_quantity == 1

    def test_non_rated_category_net_equals_gross(self) -> None:
        entered = line(price="50.00", rate="0", category=VatCategory.EXEMPT, exemption_reason="Art. 261 CGI")
        priced = price_document([entered], [], GROSS, "EUR")
        assert priced.lines[0].net_amount == D("50.00") and priced.totals.tax_total == 0

    def test_line_allowance_converted_to_net(self) -> None:
        entered = line(quantity="2", price="12.00", adjustments=(allowance(percentage="10", reason="Promo"),))
        (priced,) = price_document([entered], [], GROSS, "EUR").lines
        (adj,) = priced.allowances
        assert (adj.amount, adj.base_amount, adj.percentage) == (D("2.00"), None, None)  # 2.40 gross
        assert priced.net_amount == D("18.00")  # 21.60 gross
        assert priced.net_price == D("10.000000")

    def test_document_discount_is_net_and_positive(self) -> None:
        priced = price_document([line(price="60.00")], [allowance("6.00", reason="Code promo")], GROSS, "EUR")
        (adj,) = priced.allowances_charges
        assert (adj.is_charge, adj.amount, adj.base_amount, adj.percentage) == (False, D("5.00"), None, None)
        assert priced.totals.payable == D("54.00")

    def test_charge_at_a_rate_without_lines(self) -> None:
        adj = charge("5.00", vat_category=VatCategory.STANDARD, vat_rate=D(10))
        priced = price_document([line(price="10.00")], [adj], GROSS, "EUR")
        assert [(b.rate, b.taxable_amount, b.tax_amount) for b in priced.vat_breakdown] == [
            (D(20), D("8.33"), D("1.67")),
            (D(10), D("4.54"), D("0.45")),
        ]
        assert (priced.totals.rounding, priced.totals.payable) == (D("0.01"), D("15.00"))

    def test_yen(self) -> None:
        priced = price_document([line(quantity="3", price="1333", rate="10")], [charge("500")], GROSS, "JPY")
        assert priced.totals.payable == 3 * 1333 + 500
        assert all(x.net_amount == x.net_amount.to_integral_value() for x in priced.lines)
