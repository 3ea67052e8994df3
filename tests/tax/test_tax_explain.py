"""Mentions, `explain`, and the VIES port."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from facturier.tax import (
    VatCheckResult,
    VatIdChecker,
    VatIdStatus,
    decide_order,
    explain,
)

from .helpers import DE_ID, FR, FR_FRANCHISE, LOW, ON, business, consumer, goods, service


def test_debits_mention_for_services_taxed_in_france() -> None:
    seller = replace(FR, vat_on_debits=True)
    order = decide_order(seller, consumer("FR"), [service()], LOW, ON)
    assert "Option pour le paiement de la taxe d'après les débits" in order.mentions.fr()


def test_no_debits_mention_for_goods_only() -> None:
    seller = replace(FR, vat_on_debits=True)
    order = decide_order(seller, consumer("FR"), [goods()], LOW, ON)
    assert order.mentions.codes() == ()


def test_invoice_mentions_are_unique_and_bilingual() -> None:
    lines = [
        goods(to="DE", supply_date=ON),
        replace(goods(to="DE", supply_date=ON), line_id="2"),
        replace(service(), line_id="3"),
    ]
    order = decide_order(FR, business("DE", DE_ID), lines, LOW, ON)
    assert order.mentions.codes() == ("INTRA_EU_GOODS", "REVERSE_CHARGE")
    assert order.mentions.fr() == (
        "Exonération de TVA, article 262 ter I du CGI",
        "Autoliquidation",
    )
    assert order.mentions.en()[1] == "Reverse charge"


def test_franchise_mention_text() -> None:
    order = decide_order(FR_FRANCHISE, consumer("FR"), [goods()], LOW, ON)
    assert order.mentions.fr() == ("TVA non applicable, art. 293 B du CGI",)
    assert order.lines[0].exemption_reason_fr == "TVA non applicable, art. 293 B du CGI"


def test_explain_lists_rule_threshold_buyer_and_rate_source() -> None:
    order = decide_order(FR, consumer("DE"), [goods("books", to="DE")], LOW, ON)
    text = "\n".join(explain(order))
    assert "Line 1: FR category S rate 5.5 %" in text
    assert "EU-DISTANCE-GOODS-ORIGIN" in text
    assert "Threshold:" in text and "Buyer:" in text
    assert "product_classes.csv FR books" in text and "eu_vat_rates.csv FR reduced_2 5.5" in text
    assert explain(order.lines[0])[0].startswith("Line 1:")


class FakeVies:
    """A test double satisfying the port; VIES down -> UNKNOWN, never INVALID."""

    def check(self, vat_id: str, requester_vat_id: str | None = None) -> VatCheckResult:
        return VatCheckResult(VatIdStatus.UNKNOWN, None, datetime(2026, 6, 15, tzinfo=UTC))


def test_vies_port_result_feeds_the_buyer_status() -> None:
    checker: VatIdChecker = FakeVies()
    result = checker.check(DE_ID)
    buyer = business("DE", DE_ID, result.status)
    order = decide_order(FR, buyer, [service()], LOW, ON)
    assert order.buyer_treatment == "consumer"
    assert order.lines[0].country == "FR"
