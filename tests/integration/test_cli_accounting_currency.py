"""End to end: a French seller's orders in USD state their VAT in EUR (BT-6 = EUR, BT-111 =
round(BT-110 / eur_exchange_rate, 2); Directive 2006/112/EC art. 230, BR-53, BR-FR-CO-12),
in the canonical JSON, the Factur-X XML, the UBL and the PDF; without a rate the order is
refused before numbering."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from tests.cli_support import Cli
from tests.factories import order_data

RATE = "1.1708"  # USD for one EUR
CII = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def _us_business(**changes: Any) -> dict[str, Any]:
    """Goods exported to a US business: category G, no VAT, BT-111 = 0.00 EUR."""
    return order_data(
        id="US-1",
        currency="USD",
        eur_exchange_rate=RATE,
        customer={
            "type": "business",
            "name": "Acme Lighting Inc.",
            "electronic_address": {"value": "ap@acme.example", "scheme": "EM"},
        },
        billing_address={"line1": "1 Main Street", "city": "New York", "postcode": "10001", "country": "US"},
        lines=[{"name": "Lampe de bureau", "quantity": "2", "unit_price": "450.00"}],  # the engine decides G
        **changes,
    )


def _french_business(**changes: Any) -> dict[str, Any]:
    """A French business billed in USD at 20 %: BT-110 = 180.00 USD, BT-111 = 153.74 EUR."""
    lines = [{"name": "Lampe de bureau", "quantity": "2", "unit_price": "450.00", "vat_rate": "20"}]
    return order_data(id="USD-FR-1", currency="USD", eur_exchange_rate=RATE, lines=lines, **changes)


def _consumer(**changes: Any) -> dict[str, Any]:
    """A consumer in France paying in USD, VAT included: 120.00 USD of which 20.00 VAT -> 17.08 EUR."""
    return order_data(
        id="USD-B2C-1",
        currency="USD",
        eur_exchange_rate=RATE,
        prices_include_vat=True,
        customer={"type": "consumer", "name": "Camille Martin"},
        billing_address={"line1": "3 rue des Lilas", "city": "Toulouse", "postcode": "31000", "country": "FR"},
        lines=[{"name": "Lampe à poser", "quantity": "1", "unit_price": "120.00", "vat_rate": "20"}],
        payment={"status": "paid", "method": "card"},
        **changes,
    )


def _accounting(document: dict[str, Any]) -> tuple[str, Decimal, Decimal]:
    accounting = document["tax_accounting"]
    return accounting["currency"], Decimal(accounting["tax_total"]), Decimal(accounting["exchange_rate"])


def _exported(cli: Cli, number: str) -> dict[str, Path]:
    out = cli.workdir / f"out-{number}"
    cli("export", number, "--out", str(out))
    return {p.name.removeprefix(f"{number}-"): p for p in out.iterdir()}


def test_usd_orders_state_their_vat_in_eur(cli: Cli) -> None:
    orders = [_us_business(), _french_business(), _consumer()]
    issued = cli.json("issue", *(cli.order_file(f"{o['id']}.json", o) for o in orders))
    assert [d["number"] for d in issued] == ["F2026-000001", "F2026-000002", "F2026-000003"]
    rate = Decimal(RATE)
    expected = [Decimal("0.00"), Decimal("153.74"), Decimal("17.08")]  # 0 / r, 180.00 / r, 20.00 / r
    for number, bt111 in zip(("F2026-000001", "F2026-000002", "F2026-000003"), expected, strict=True):
        shown = cli.json("show", number)
        assert _accounting(shown) == ("EUR", bt111, rate)
        assert abs(Decimal(shown["totals"]["tax_total"]) / rate - bt111) <= Decimal("0.005")

    files = _exported(cli, "F2026-000002")
    cii = etree.fromstring(files["factur-x.xml"].read_bytes())
    settlement = "//ram:ApplicableHeaderTradeSettlement"
    assert cii.xpath(f"{settlement}/ram:TaxCurrencyCode/text()", namespaces=CII) == ["EUR"]  # BT-6
    amounts = cii.xpath(f"{settlement}//ram:TaxTotalAmount", namespaces=CII)
    assert [(a.get("currencyID"), a.text) for a in amounts] == [("USD", "180.00"), ("EUR", "153.74")]  # BT-110, BT-111
    ubl = files["ubl.xml"].read_text(encoding="utf-8")
    assert "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>" in ubl
    assert '<cbc:TaxAmount currencyID="EUR">153.74</cbc:TaxAmount>' in ubl
    assert "Ledger OK: 3 records" in cli("verify").stdout


def test_a_usd_order_without_a_rate_is_refused_before_numbering(cli: Cli) -> None:
    for order in (_french_business(), _us_business(), _consumer()):
        del order["eur_exchange_rate"]
        result = cli("issue", cli.order_file("no-rate.json", order), code=2)
        assert "BR-FR-CO-12" in result.stderr and "eur_exchange_rate" in result.stderr, result.stderr
        assert "art. 230" in result.stderr
    assert cli.json("list") == []  # nothing written, no number consumed
    assert cli.json("issue", cli.order_file("ok.json", order_data(id="EUR-1")))[0]["number"] == "F2026-000001"


def test_a_credit_note_adjusts_the_eur_vat_at_the_invoice_rate(cli: Cli) -> None:
    cli("issue", cli.order_file("usd.json", _french_business()))
    full = cli.json("credit", "F2026-000001")[0]
    assert full["number"] == "AV2026-000001"
    assert _accounting(full) == ("EUR", Decimal("153.74"), Decimal(RATE))  # the EUR VAT declared, reversed
